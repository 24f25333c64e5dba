"""Evidence from the corpus: the token stream a set was trained on, and what it shows about a word
(example lines) or a pair of words (the context words they share). How a bundle keeps the stream,
and how a corpus is attached to a set that has none: ``core.evidence_bundle``.

The stream is the trainer's: ids over the set's vocabulary after phrases and ``min_count``, with
out-of-vocabulary tokens dropped (as the trainer dropped them before drawing windows), so shared
contexts count exactly the co-occurrences training saw, and example lines show the in-vocabulary
words of a line. Keeping it costs nothing extra in memory (the trainer holds it anyway).

Everything is computed with numpy over the stream (memory-mapped from the bundle): a word's
positions block by block, its context windows as offset arrays, counts by ``bincount``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .errors import BundleError, InvalidArgumentError, MissingFileError

if TYPE_CHECKING:
    from .embeddings import EmbeddingSet

MAX_OCCURRENCES = 200_000  # occurrences counted per word (evenly chosen): bounds time and memory
_BLOCK = 1 << 24  # tokens compared at once when finding a word's positions


@dataclass(frozen=True)
class Evidence:
    """A set's corpus: ``ids`` index ``words``; line ``i`` is ``ids[line_starts[i]:line_starts[i+1]]``."""

    ids: np.ndarray  # uint16 or int32
    line_starts: np.ndarray  # int64, ascending, the first 0
    words: Sequence[str]
    key_to_index: Mapping[str, int]
    window: int  # the training window: contexts are counted within it
    sentences: bool  # windows stop at line ends (as the trainer's did)
    corpus: str = ""  # the corpus name, as a label

    @property
    def n_tokens(self) -> int:
        return int(self.ids.size)

    @property
    def n_lines(self) -> int:
        return int(self.line_starts.size)

    @property
    def nbytes(self) -> int:
        return int(self.ids.nbytes + self.line_starts.nbytes)

    def index(self, word: str) -> int:
        try:
            return self.key_to_index[word]
        except KeyError:
            from . import search
            from .errors import UnknownWordError

            raise UnknownWordError(word, search.suggest(self.words, word)) from None


@dataclass(frozen=True)
class Line:
    """An occurrence in its line: ``tokens[hit]`` is the word; ``marks`` are the positions of the
    context words asked about (shared contexts) within the window. ``line`` is 0-based."""

    line: int
    tokens: list[str]
    hit: int
    marks: list[int]

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


@dataclass(frozen=True)
class SharedContext:
    """A context word of both words: ``count`` is the smaller of its two co-occurrence counts."""

    word: str
    count: int
    count_a: int
    count_b: int


@dataclass(frozen=True)
class Shared:
    """The context words ``a`` and ``b`` share most, and how many occurrences were counted."""

    a: str
    b: str
    window: int
    contexts: list[SharedContext]
    occurrences_a: int
    occurrences_b: int
    counted_a: int  # at most MAX_OCCURRENCES of the occurrences
    counted_b: int


# -- reading the stream ----------------------------------------------------------------------------
def positions(ev: Evidence, word: str) -> np.ndarray:
    """Every position of ``word`` in the stream (int64, ascending)."""
    wid = ev.index(word)
    parts = [np.flatnonzero(ev.ids[s : s + _BLOCK] == wid) + s for s in range(0, ev.n_tokens, _BLOCK)]
    return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)


def _line_bounds(ev: Evidence, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(line number, line start, line end) of each position."""
    li = np.searchsorted(ev.line_starts, pos, side="right") - 1
    lo = ev.line_starts[np.maximum(li, 0)]
    ends = np.append(ev.line_starts[1:], ev.n_tokens)
    return li, lo, ends[np.maximum(li, 0)]


def _window_bounds(ev: Evidence, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if ev.sentences:
        _, lo, hi = _line_bounds(ev, pos)
        return lo, hi
    return np.zeros_like(pos), np.full_like(pos, ev.n_tokens)


def _offsets(window: int) -> np.ndarray:
    if not isinstance(window, (int, np.integer)) or window < 1:
        raise InvalidArgumentError(f"window must be a whole number of at least 1 (got {window!r})")
    return np.r_[np.arange(-window, 0), np.arange(1, window + 1)]


def _gather(ev: Evidence, q: np.ndarray) -> np.ndarray:
    ids = np.asarray(ev.ids[q], dtype=np.int64)
    if ids.size and (ids.min() < 0 or ids.max() >= len(ev.words)):
        raise BundleError("the stored corpus holds ids outside the vocabulary; re-save the bundle")
    return ids


def _counted(pos: np.ndarray) -> np.ndarray:
    if pos.size <= MAX_OCCURRENCES:
        return pos
    return pos[np.linspace(0, pos.size - 1, MAX_OCCURRENCES).astype(np.int64)]


def context_counts(ev: Evidence, pos: np.ndarray, window: int) -> np.ndarray:
    """How often each vocabulary word is within ``window`` of the positions (one array per offset)."""
    lo, hi = _window_bounds(ev, pos)
    counts = np.zeros(len(ev.words), np.int64)
    for o in _offsets(window):
        q = pos + o
        ok = (q >= lo) & (q < hi)
        counts += np.bincount(_gather(ev, q[ok]), minlength=len(ev.words))
    return counts


def _near(ev: Evidence, pos: np.ndarray, window: int, wanted: np.ndarray) -> np.ndarray:
    """Which positions have one of the ids ``wanted`` within ``window``."""
    lo, hi = _window_bounds(ev, pos)
    has = np.zeros(pos.size, bool)
    for o in _offsets(window):
        q = pos + o
        ok = (q >= lo) & (q < hi)
        has[ok] |= np.isin(_gather(ev, q[ok]), wanted)
    return has


# -- what the page and the CLI show ----------------------------------------------------------------
def example_lines(
    ev: Evidence,
    word: str,
    n: int = 5,
    width: int = 10,
    with_words: Collection[str] = (),
    window: int | None = None,
) -> list[Line]:
    """Up to ``n`` lines holding ``word`` (each line once, spread over the corpus), cut to ``width``
    tokens on each side of it. ``with_words``: only occurrences with one of these words within
    ``window`` (default: the training window), which are marked."""
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise InvalidArgumentError(f"n must be a whole number of at least 1 (got {n!r})")
    if not isinstance(width, (int, np.integer)) or width < 0:
        raise InvalidArgumentError(f"width must be a whole number, 0 or more (got {width!r})")
    w = window or ev.window
    pos = positions(ev, word)
    wanted = np.array(sorted({ev.index(x) for x in with_words}), dtype=np.int64)
    if wanted.size:
        pos = pos[_near(ev, pos, w, wanted)]
    li, lo, hi = _line_bounds(ev, pos)
    _, first = np.unique(li, return_index=True)  # one occurrence per line: the first
    chosen = first[np.unique(np.linspace(0, first.size - 1, min(n, first.size)).round().astype(np.int64))]
    out = []
    for j in chosen:  # at most n lines of at most 2 * width + 1 tokens
        p, start, stop = int(pos[j]), max(int(lo[j]), int(pos[j]) - width), min(int(hi[j]), int(pos[j]) + width + 1)
        ids = _gather(ev, np.arange(start, stop))
        marks = [i for i, t in enumerate(ids) if abs(start + i - p) <= w and t in wanted] if wanted.size else []
        out.append(Line(int(li[j]), [ev.words[t] for t in ids], p - start, marks))
    return out


def shared_contexts(
    ev: Evidence, a: str, b: str, window: int | None = None, n: int = 10, exclude: Collection[str] = ()
) -> Shared:
    """The ``n`` context words ``a`` and ``b`` share most within ``window`` (default: the training
    window), ranked by the smaller of the two counts; ``a``, ``b`` and ``exclude`` are left out."""
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise InvalidArgumentError(f"n must be a whole number of at least 1 (got {n!r})")
    w = window or ev.window
    ia, ib = ev.index(a), ev.index(b)
    pa, pb = positions(ev, a), positions(ev, b)
    ca, cb = _counted(pa), _counted(pb)
    count_a, count_b = context_counts(ev, ca, w), context_counts(ev, cb, w)
    score = np.minimum(count_a, count_b)
    skip = [ia, ib] + [ev.key_to_index[x] for x in exclude if x in ev.key_to_index]
    score[skip] = 0
    top = np.flatnonzero(score)
    # most shared first; ties: more co-occurrences in all, then the more frequent word (lower id)
    top = top[np.lexsort((top, -(count_a[top] + count_b[top]), -score[top]))][:n]
    contexts = [SharedContext(ev.words[int(i)], int(score[i]), int(count_a[i]), int(count_b[i])) for i in top]
    return Shared(a, b, w, contexts, int(pa.size), int(pb.size), int(ca.size), int(cb.size))


def require(es: EmbeddingSet) -> Evidence:
    """The set's evidence, or a one-line error saying how to get it."""
    if es.evidence is None:
        problem = es.meta.get("evidence_problem")
        raise MissingFileError(
            problem
            or "this set keeps no corpus (imported, or trained before corpora were kept); attach a corpus file "
            "on the Neighbours page, or retrain"
        )
    return es.evidence
