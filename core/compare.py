"""Two embedding sets compared word by word: how many of each word's neighbours they share, and a
joint map after rotating one set onto the other (orthogonal Procrustes).

Which words are compared: the words both sets have, the most frequent first (by set A's counts,
or A's file order when it has none), at most ``limit`` of them (10,000 by default; 0 = all).
Each compared word's ``k`` nearest neighbours (cosine) are searched *among the compared words
only*, in each set, so a word that only one set knows can never count against the other, and
10,000 words take one matrix product per block instead of 10,000 searches over a big vocabulary.
The overlap of a word is ``|neighbours in A ∩ neighbours in B| / k``.

Works for any two sets: two seeds, two corpora, two models, an import against a trained set; the
dimensions may differ (the overlap never mixes the two spaces, and the rotation is then
semi-orthogonal: see :func:`procrustes`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import NamedTuple

import numpy as np

from .embeddings import EmbeddingSet, normalize
from .errors import InvalidArgumentError

DEFAULT_LIMIT = 10_000
_BLOCK = 1024  # rows of the similarity matrix held at once: 1024 x 10,000 float32 = 40 MB


# -- the compared vocabulary ---------------------------------------------------------------------
@dataclass(frozen=True)
class SharedVocab:
    """The words compared (most frequent in A first) and their rows in each set."""

    words: list[str]
    rows_a: np.ndarray
    rows_b: np.ndarray
    total_shared: int  # words both sets have, before ``limit``

    def __len__(self) -> int:
        return len(self.words)


def shared_vocab(es_a: EmbeddingSet, es_b: EmbeddingSet, limit: int = DEFAULT_LIMIT) -> SharedVocab:
    """The words of both sets, by A's frequency order, the first ``limit`` of them (0 = all)."""
    if limit < 0:
        raise InvalidArgumentError(f"the word limit must be 0 (all) or more (got {limit})")
    order = es_a.top_rows(len(es_a))
    rows_a = np.array([i for i in order if es_a.words[i] in es_b.key_to_index], dtype=np.int64)
    total = int(rows_a.size)
    if limit:
        rows_a = rows_a[:limit]
    words = [es_a.words[i] for i in rows_a]
    rows_b = np.array([es_b.key_to_index[w] for w in words], dtype=np.int64)
    return SharedVocab(words, rows_a, rows_b, total)


# -- neighbour overlap ---------------------------------------------------------------------------
class WordOverlap(NamedTuple):
    """One word's overlap, with its neighbours in each set (best first)."""

    word: str
    overlap: float
    neighbours_a: tuple[str, ...]
    neighbours_b: tuple[str, ...]


@dataclass(frozen=True)
class OverlapReport:
    """Per compared word, the share of its ``k`` neighbours that A and B have in common."""

    k: int
    vocab: SharedVocab
    overlaps: np.ndarray  # [n] float64, in vocab order (most frequent first)
    neighbours_a: np.ndarray  # [n, k] positions into vocab.words, best first
    neighbours_b: np.ndarray

    @property
    def words(self) -> list[str]:
        return self.vocab.words

    @property
    def mean_overlap(self) -> float:
        return float(self.overlaps.mean())

    def entry(self, i: int) -> WordOverlap:
        w = self.vocab.words
        return WordOverlap(
            w[i],
            float(self.overlaps[i]),
            tuple(w[j] for j in self.neighbours_a[i]),
            tuple(w[j] for j in self.neighbours_b[i]),
        )

    def ranked(self, most_changed: bool = True) -> list[int]:
        """Positions by overlap, lowest first (``most_changed``) or highest first; ties by
        frequency, the more frequent first (positions are in frequency order, so a stable sort)."""
        key = self.overlaps if most_changed else -self.overlaps
        return [int(i) for i in np.argsort(key, kind="stable")]

    def most_changed(self, n: int | None = None) -> list[WordOverlap]:
        return [self.entry(i) for i in self.ranked(True)[:n]]

    def least_changed(self, n: int | None = None) -> list[WordOverlap]:
        return [self.entry(i) for i in self.ranked(False)[:n]]

    def histogram(self) -> list[tuple[float, int]]:
        """How many words have each possible overlap 0, 1/k, ..., 1 (all ``k + 1`` values)."""
        counts = np.bincount(np.rint(self.overlaps * self.k).astype(np.int64), minlength=self.k + 1)
        return [(j / self.k, int(c)) for j, c in enumerate(counts)]

    def to_json(self, top: int | None = None) -> dict:
        """``{"shared_words", "mean_overlap", "words": [{"word", "overlap"}...]}``, lowest first."""
        return {
            "shared_words": len(self.vocab),
            "mean_overlap": self.mean_overlap,
            "words": [{"word": e.word, "overlap": e.overlap} for e in self.most_changed(top)],
        }


def top_k_within(unit: np.ndarray, k: int, block: int = _BLOCK) -> np.ndarray:
    """Each row's ``k`` most cosine-similar other rows of ``unit`` (rows of length 1 or 0), best
    first: ``core.search.neighbors`` on every row at once, a block of rows per matrix product."""
    n = unit.shape[0]
    out = np.empty((n, k), dtype=np.int64)
    for start in range(0, n, block):
        sims = unit[start : start + block] @ unit.T
        rows = np.arange(sims.shape[0])
        sims[rows, rows + start] = -np.inf  # a word is not its own neighbour
        out[start : start + block] = _top_k_rows(sims, k)
    return out


def _top_k_rows(sims: np.ndarray, k: int) -> np.ndarray:
    """The columns of each row's ``k`` largest values, largest first.

    A full ``argpartition`` of every row is the slow part, so columns are cut into groups of
    about sqrt(n): a row's top k lie in at most k groups, which are the k groups with the largest
    maxima, and only their columns are partitioned (about 3x faster at 10,000 columns)."""
    b, n = sims.shape
    size = max(8, int(np.sqrt(n)))
    groups = -(-n // size)
    if groups * size != n:  # pad to whole groups with values that never win
        sims = np.concatenate([sims, np.full((b, groups * size - n), -np.inf, sims.dtype)], axis=1)
    grouped = sims.reshape(b, groups, size)
    g = min(k, groups)
    best_groups = np.argpartition(-grouped.max(axis=2), g - 1, axis=1)[:, :g]
    cand = grouped[np.arange(b)[:, None], best_groups].reshape(b, g * size)
    part = np.argpartition(-cand, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(cand, part, axis=1), axis=1, kind="stable")
    part = np.take_along_axis(part, order, axis=1)
    return np.take_along_axis(best_groups, part // size, axis=1) * size + part % size


def neighbour_overlap(
    es_a: EmbeddingSet,
    es_b: EmbeddingSet,
    k: int = 10,
    words: Sequence[str] | None = None,
    limit: int = DEFAULT_LIMIT,
) -> OverlapReport:
    """The overlap of every compared word's ``k`` nearest neighbours in A and in B.

    ``words``: the words to compare instead of the most frequent ``limit`` shared ones; each must
    be in both sets (an unknown word raises with suggestions). Neighbours are searched among the
    compared words in both cases.
    """
    if not isinstance(k, (int, np.integer)) or k < 1:
        raise InvalidArgumentError(f"k must be a positive whole number (got {k!r})")
    if words is None:
        vocab = shared_vocab(es_a, es_b, limit)
    else:
        chosen = list(dict.fromkeys(words))
        rows_a = np.array([es_a.index(w) for w in chosen], dtype=np.int64)
        rows_b = np.array([es_b.index(w) for w in chosen], dtype=np.int64)
        vocab = SharedVocab(chosen, rows_a, rows_b, shared_vocab(es_a, es_b, 0).total_shared)
    if len(vocab) <= k:
        raise InvalidArgumentError(
            f"k={k} needs at least {k + 1} shared words to compare, but there are {len(vocab)}; "
            "choose a smaller k or sets with more words in common"
        )
    nb_a = top_k_within(_unit_rows(es_a, vocab.rows_a), k)
    nb_b = top_k_within(_unit_rows(es_b, vocab.rows_b), k)
    # |A ∩ B| per row: each of A's k neighbours compared with each of B's (k x k per word, small)
    common = (nb_a[:, :, None] == nb_b[:, None, :]).any(axis=2).sum(axis=1)
    return OverlapReport(int(k), vocab, common / k, nb_a, nb_b)


def _unit_rows(es: EmbeddingSet, rows: np.ndarray) -> np.ndarray:
    # sorted reads from a memory map are faster; the unit rows are then put back in the asked order
    order = np.argsort(rows)
    picked = np.empty((rows.size, es.dim), dtype=np.float32)
    picked[order] = np.asarray(es.vectors[rows[order]], dtype=np.float32)
    return normalize(picked)


# -- stability of one word's neighbours across several sets ------------------------------------------
class Appearance(NamedTuple):
    """A neighbour of the word and the sets (of those compared) in whose top-k it is."""

    word: str
    sets: tuple[str, ...]


@dataclass(frozen=True)
class Stability:
    """One word's top-``k`` in each set, the mean pairwise overlap, and where each neighbour is."""

    word: str
    k: int
    neighbours: dict[str, list[tuple[str, float]]]  # set name -> (word, cosine), best first
    pairwise: dict[tuple[str, str], float]  # (set, set) -> |N1 ∩ N2| / k
    appearances: list[Appearance]  # every neighbour of any set: most sets first, then best rank

    @property
    def mean_overlap(self) -> float:
        return float(np.mean(list(self.pairwise.values())))


def stability(sets: Mapping[str, EmbeddingSet], word: str, k: int = 10) -> Stability:
    """How stable ``word``'s neighbours are across ``sets`` (e.g. one corpus trained with 2-3 seeds).

    Each set's neighbours are searched in its whole vocabulary (as the Neighbours table shows
    them); with different vocabularies a neighbour missing from another set counts as not shared.
    """
    from . import search

    if len(sets) < 2:
        raise InvalidArgumentError("choose at least two sets to check how stable the neighbours are")
    near = {name: search.neighbors(es, word, k=k, exact=True) for name, es in sets.items()}
    tops = {name: {w for w, _ in pairs} for name, pairs in near.items()}
    pairwise = {(x, y): len(tops[x] & tops[y]) / k for x, y in combinations(sets, 2)}
    best_rank: dict[str, int] = {}
    for pairs in near.values():
        for rank, (w, _) in enumerate(pairs):
            best_rank[w] = min(rank, best_rank.get(w, rank))
    seen = [Appearance(w, tuple(n for n in sets if w in tops[n])) for w in best_rank]
    seen.sort(key=lambda a: (-len(a.sets), best_rank[a.word], a.word))
    return Stability(word, int(k), near, pairwise, seen)


# -- rotation and the joint map ------------------------------------------------------------------
@dataclass(frozen=True)
class Rotation:
    """``matrix`` maps B's rows into A's space: ``b @ matrix ≈ a`` (orthogonal when the dimensions
    match; else its shorter side is orthonormal)."""

    matrix: np.ndarray  # [dim_b, dim_a]
    fitted_on: int  # rows (shared words) it was fitted on
    residual: float  # root mean square of |b @ matrix - a| over those rows

    def apply(self, b: np.ndarray) -> np.ndarray:
        return np.asarray(b, dtype=np.float64) @ self.matrix


def rotation_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """:func:`procrustes`'s ``R`` alone, in the inputs' float type."""
    if a.ndim != 2 or b.ndim != 2 or a.shape[0] != b.shape[0]:
        raise InvalidArgumentError(f"procrustes needs two matrices with the same rows (got {a.shape} and {b.shape})")
    u, _, vt = np.linalg.svd(b.T @ a, full_matrices=False)
    return u @ vt


def procrustes(a: np.ndarray, b: np.ndarray) -> Rotation:
    """The orthogonal ``R`` minimising ``|b @ R - a|`` (Schönemann 1966): ``U @ Vt`` from the SVD
    of ``b.T @ a``, as ``scipy.linalg.orthogonal_procrustes(b, a)``; for different dimensions the
    same formula gives the best map with orthonormal rows or columns."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    r = rotation_matrix(a, b)
    residual = float(np.sqrt(np.mean(np.sum((b @ r - a) ** 2, axis=1))))
    return Rotation(r, int(a.shape[0]), residual)


def fit_rotation(es_b: EmbeddingSet, es_a: EmbeddingSet, limit: int = DEFAULT_LIMIT) -> Rotation:
    """B's rotation onto A, fitted on the unit vectors of the shared words (the ``limit`` most
    frequent), so every word weighs the same, as it does for cosine neighbours."""
    vocab = shared_vocab(es_a, es_b, limit)
    if len(vocab) < 2:
        raise InvalidArgumentError(
            f"the sets share {len(vocab)} words; aligning them needs at least 2 (better: hundreds)"
        )
    return procrustes(_unit_rows(es_a, vocab.rows_a), _unit_rows(es_b, vocab.rows_b))


def align(es_b: EmbeddingSet, es_a: EmbeddingSet, limit: int = DEFAULT_LIMIT) -> EmbeddingSet:
    """All of B's words, rotated into A's space (B's own cosines stay as they were when the
    dimensions match)."""
    rot = fit_rotation(es_b, es_a, limit)
    vectors = rot.apply(np.asarray(es_b.vectors, dtype=np.float32)).astype(np.float32)
    meta = {**es_b.meta, "aligned_to": es_a.meta.get("name", "set A")}
    return EmbeddingSet(es_b.words, vectors, es_b.counts, meta)


@dataclass(frozen=True)
class JointMap:
    """Chosen words at their place in A (``coords_a``) and, after the rotation, in B (``coords_b``),
    in the plane of the first two principal components of A's vectors of those words."""

    words: list[str]
    coords_a: np.ndarray  # [n, 2]
    coords_b: np.ndarray  # [n, 2]
    shift: np.ndarray  # [n] cosine distance between the word's A vector and its rotated B vector
    explained_variance_ratio: np.ndarray  # [2], of A's vectors of the chosen words
    rotation: Rotation


def joint_map(
    es_a: EmbeddingSet, es_b: EmbeddingSet, words: Sequence[str], rotation: Rotation | None = None
) -> JointMap:
    """A PCA of A's unit vectors of ``words`` (each in both sets), with B's rotated unit vectors
    placed by the same projection: an arrow from each ``coords_a`` to its ``coords_b``."""
    chosen = list(dict.fromkeys(words))
    if len(chosen) < 3:
        raise InvalidArgumentError(f"a joint map needs at least 3 words in both sets (got {len(chosen)})")
    rot = rotation or fit_rotation(es_b, es_a)
    ua = _unit_rows(es_a, np.array([es_a.index(w) for w in chosen], dtype=np.int64)).astype(np.float64)
    ub = normalize(rot.apply(_unit_rows(es_b, np.array([es_b.index(w) for w in chosen], dtype=np.int64))))
    mean = ua.mean(axis=0)
    _, s, vt = np.linalg.svd(ua - mean, full_matrices=False)
    axes = vt[:2] * np.where(vt[:2].max(axis=1) >= -vt[:2].min(axis=1), 1.0, -1.0)[:, None]  # repeatable signs
    var = s**2
    ratio = var[:2] / var.sum() if var.sum() > 0 else np.zeros(2)
    shift = 1.0 - np.sum(ua * ub, axis=1)
    return JointMap(chosen, (ua - mean) @ axes.T, (ub - mean) @ axes.T, shift, ratio, rot)


def same_training(meta_a: Mapping, meta_b: Mapping) -> bool:
    """Whether two bundles were trained on the same corpus with the same settings but the seed
    (and the thread count, which changes nothing): the sets "Check stability" compares."""
    pa, pb = dict(meta_a.get("params") or {}), dict(meta_b.get("params") or {})
    if not pa or not pb or meta_a.get("source") != "trained" or meta_b.get("source") != "trained":
        return False
    for p in (pa, pb):
        p.pop("seed", None)
        p.pop("threads", None)
    ca, cb = meta_a.get("corpus") or {}, meta_b.get("corpus") or {}
    return pa == pb and ca.get("sha256") == cb.get("sha256") and bool(ca.get("sha256"))
