"""`EmbeddingSet`: the one type for stored word vectors, shared by the CLI, the app and formats.

Like gensim's ``KeyedVectors`` it only holds vectors and answers queries (``core.search`` does
the work, imported when a query runs); training lives in ``core.train`` and files in
``core.bundle`` / ``core.formats``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import FormatError, UnknownWordError

if TYPE_CHECKING:
    from .ann import AnnIndex
    from .evidence import Evidence
    from .snapshots import Snapshots

Pairs = list[tuple[str, float]]


def normalize(m: np.ndarray) -> np.ndarray:
    """Rows divided by their length; rows of length 0 stay 0 (cosine never divides by zero).

    A row whose squares overflow (values near float32's limit) or underflow (tiny values) is
    scaled by its largest value first, so it too comes out finite and of length 1."""
    with np.errstate(over="ignore", under="ignore"):
        norms = np.linalg.norm(m, axis=-1, keepdims=True)
        out = m / np.where(norms == 0, 1, norms)
    odd = ~np.isfinite(norms[..., 0]) | (norms[..., 0] < 1e-18)
    if odd.any():
        rows = np.asarray(m[odd])
        top = np.abs(rows).max(axis=-1, keepdims=True)
        rows = rows / np.where(top == 0, 1, top)
        n = np.linalg.norm(rows, axis=-1, keepdims=True)
        out[odd] = rows / np.where(n == 0, 1, n)
    return out


class EmbeddingSet:
    """Words and their vectors, in index order.

    Parameters
    ----------
    words : the vocabulary; ``words[i]`` is the word of row ``i``. Must be unique.
    vectors : array-like of shape ``[len(words), dim]``; kept as given (a memory map stays one).
    counts : optional corpus count per word (``None`` when unknown, e.g. for imported sets).
    meta : free-form metadata (training parameters, corpus, ...), stored in bundles.
    """

    def __init__(
        self, words: Sequence[str], vectors: Any, counts: Any = None, meta: dict | None = None, source: str = "vectors"
    ):
        self.words = list(words)
        self.vectors = vectors if isinstance(vectors, np.ndarray) else np.asarray(vectors, dtype=np.float32)
        self.counts = None if counts is None else np.asarray(counts, dtype=np.int64)
        self.meta = dict(meta or {})
        self.ann: AnnIndex | None = None  # an approximate index answering cosine queries, if attached
        self.evidence: Evidence | None = None  # the corpus it was trained on (core.evidence), if kept
        self.snapshots: Snapshots | None = None  # vectors during training (core.snapshots), if kept
        self._unit: np.ndarray | None = None
        self._check(source)
        self.key_to_index = {w: i for i, w in enumerate(self.words)}
        if len(self.key_to_index) != len(self.words):
            dup = _first_duplicate(self.words)
            raise FormatError(f"{source}: the word {dup!r} appears more than once; each word must be unique")

    def _check(self, source: str) -> None:
        v = self.vectors
        if v.ndim != 2:
            raise FormatError(f"{source}: vectors must be a 2-D matrix, got shape {v.shape}")
        if v.shape[0] != len(self.words):
            raise FormatError(
                f"{source}: {len(self.words)} words but {v.shape[0]} vector rows; "
                "the vocabulary and the matrix must have the same length"
            )
        if v.shape[0] == 0 or v.shape[1] == 0:
            raise FormatError(f"{source}: the embedding set is empty (shape {v.shape})")
        if self.counts is not None and self.counts.shape != (len(self.words),):
            raise FormatError(f"{source}: {self.counts.size} counts for {len(self.words)} words")

    # -- container protocol -------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.key_to_index

    def __repr__(self) -> str:
        return f"EmbeddingSet({len(self)} words x {self.dim} dims)"

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    @property
    def index_to_key(self) -> list[str]:
        return self.words

    def index(self, word: str) -> int:
        """Row of ``word``; unknown words raise :class:`UnknownWordError` with close spellings."""
        try:
            return self.key_to_index[word]
        except KeyError:
            from . import search

            raise UnknownWordError(word, search.suggest(self.words, word)) from None

    def vector(self, word: str) -> np.ndarray:
        return np.asarray(self.vectors[self.index(word)], dtype=np.float32)

    @property
    def unit_vectors(self) -> np.ndarray:
        """Rows scaled to length 1 (computed once, then reused; zero rows stay zero)."""
        if self._unit is None:
            self._unit = normalize(np.asarray(self.vectors, dtype=np.float32))
        return self._unit

    def top_rows(self, n: int) -> np.ndarray:
        """Rows of the ``n`` most frequent words (file order when counts are unknown)."""
        n = min(n, len(self))
        if self.counts is None:
            return np.arange(n)
        return np.argsort(-self.counts, kind="stable")[:n]

    # -- queries (see core.search) ------------------------------------------------------
    def neighbors(self, query: str | np.ndarray, k: int = 10, metric: str = "cosine", exact: bool = False) -> Pairs:
        """The ``k`` nearest words to a word or a vector, best first, the query word excluded.

        ``metric``: "cosine" (score = cosine similarity), "dot" (dot product) or "euclidean"
        (score = distance, smallest first). ``exact=True`` bypasses an attached ANN index.
        """
        from . import search

        return search.neighbors(self, query, k=k, metric=metric, exact=exact)

    def analogy(self, a: str, b: str, c: str, k: int = 10, method: str = "add") -> Pairs:
        """ "``a`` is to ``b`` as ``c`` is to ?" (``b - a + c``); ``method`` "add" or "mul"."""
        from . import search

        return search.analogy(self, a, b, c, k=k, method=method)

    def similarity(self, w1: str, w2: str) -> float:
        """Cosine similarity of two words."""
        from . import search

        return search.similarity(self, w1, w2)

    def doesnt_match(self, words: Sequence[str]) -> str:
        """The word furthest from the mean of the others (odd one out)."""
        from . import search

        return search.doesnt_match(self, words)

    def subset(self, rows: Sequence[int] | np.ndarray) -> EmbeddingSet:
        """A new set holding only the given rows (in that order)."""
        rows = np.asarray(rows, dtype=np.int64)
        return EmbeddingSet(
            [self.words[i] for i in rows],
            np.asarray(self.vectors[rows], dtype=np.float32),
            None if self.counts is None else self.counts[rows],
            self.meta,
        )


def _first_duplicate(words: list[str]) -> str:
    seen: set[str] = set()
    for w in words:
        if w in seen:
            return w
        seen.add(w)
    return ""
