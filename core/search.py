"""Queries over an embedding set: neighbours (exact or via an ANN index), analogies,
similarity, odd-one-out, and spelling suggestions for unknown words."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import numpy as np

from .embeddings import EmbeddingSet, normalize
from .errors import InvalidArgumentError

METRICS = ("cosine", "euclidean", "dot")
Pairs = list[tuple[str, float]]


def suggest(words: Sequence[str], word: str, n: int = 3, limit: int = 100_000) -> list[str]:
    """Vocabulary words spelled most like ``word`` (case-insensitive matches first).

    Only the first ``limit`` words (the most frequent, in trained and most imported sets) are
    compared by spelling, which keeps this well under a second on 400k-word sets.
    """
    low = word.lower()
    exact_case = [w for w in words if w.lower() == low and w != word][:n]
    # Words of very different length can't be close; skipping them also saves time.
    pool = [w for w in words[:limit] if abs(len(w) - len(word)) <= max(2, len(word) // 3)]
    close = difflib.get_close_matches(word, pool, n=n, cutoff=0.6)
    return list(dict.fromkeys(exact_case + close))[:n]


def _top(scores: np.ndarray, k: int, exclude: set[int], largest: bool = True) -> list[int]:
    s = scores if largest else -scores
    want = min(len(s), k + len(exclude))
    idx = np.argpartition(-s, want - 1)[:want] if want < len(s) else np.arange(len(s))
    idx = idx[np.argsort(-s[idx], kind="stable")]
    return [int(i) for i in idx if int(i) not in exclude][:k]


def _check_k(k: int) -> None:
    if not isinstance(k, (int, np.integer)) or k < 1:
        raise InvalidArgumentError(f"k must be a positive whole number (got {k!r})")


def _query_vector(es: EmbeddingSet, query: str | np.ndarray) -> tuple[np.ndarray, set[int]]:
    if isinstance(query, str):
        i = es.index(query)
        return np.asarray(es.vectors[i], dtype=np.float32), {i}
    q = np.asarray(query, dtype=np.float32).reshape(-1)
    if q.shape[0] != es.dim:
        raise InvalidArgumentError(f"the query vector has {q.shape[0]} dimensions but the set has {es.dim}")
    return q, set()


def _cosine_top(es: EmbeddingSet, q: np.ndarray, k: int, exclude: set[int], exact: bool) -> Pairs:
    qn = normalize(q)
    if es.ann is not None and not exact:
        idx, sims = es.ann.search(qn, k + len(exclude))
        return [(es.words[i], float(s)) for i, s in zip(idx, sims, strict=True) if i not in exclude][:k]
    scores = es.unit_vectors @ qn
    return [(es.words[i], float(scores[i])) for i in _top(scores, k, exclude)]


def neighbors(
    es: EmbeddingSet,
    query: str | np.ndarray,
    k: int = 10,
    metric: str = "cosine",
    exact: bool = False,
    exclude: Sequence[str] = (),
) -> Pairs:
    """See :meth:`EmbeddingSet.neighbors`."""
    _check_k(k)
    if metric not in METRICS:
        raise InvalidArgumentError(f"unknown metric {metric!r}; choose one of {', '.join(METRICS)}")
    q, skip = _query_vector(es, query)
    skip |= {es.key_to_index[w] for w in exclude if w in es.key_to_index}
    if metric == "cosine":
        return _cosine_top(es, q, k, skip, exact)
    v = np.asarray(es.vectors, dtype=np.float32)
    if metric == "dot":
        scores = v @ q
        return [(es.words[i], float(scores[i])) for i in _top(scores, k, skip)]
    dist = np.sqrt(np.maximum(np.einsum("ij,ij->i", v, v) - 2 * (v @ q) + q @ q, 0))
    return [(es.words[i], float(dist[i])) for i in _top(dist, k, skip, largest=False)]


def analogy(es: EmbeddingSet, a: str, b: str, c: str, k: int = 10, method: str = "add") -> Pairs:
    """ "a is to b as c is to ?": 3CosAdd (``b - a + c``) or 3CosMul (Levy & Goldberg 2014)."""
    _check_k(k)
    ia, ib, ic = es.index(a), es.index(b), es.index(c)
    rows = normalize(np.asarray(es.vectors[[ia, ib, ic]], dtype=np.float32))
    skip = {ia, ib, ic}
    if method == "add":
        return _cosine_top(es, rows[1] - rows[0] + rows[2], k, skip, exact=False)
    if method != "mul":
        raise InvalidArgumentError(f"unknown analogy method {method!r}; choose 'add' or 'mul'")
    sims = (es.unit_vectors @ rows.T + 1) / 2  # shift cosines to [0, 1] as 3CosMul requires
    scores = sims[:, 1] * sims[:, 2] / (sims[:, 0] + 1e-3)
    return [(es.words[i], float(scores[i])) for i in _top(scores, k, skip)]


def similarity(es: EmbeddingSet, w1: str, w2: str) -> float:
    """Cosine similarity of two words."""
    u = normalize(np.asarray(es.vectors[[es.index(w1), es.index(w2)]], dtype=np.float32))
    return float(u[0] @ u[1])


def doesnt_match(es: EmbeddingSet, words: Sequence[str]) -> str:
    """The word least similar to the mean of all given words (as gensim)."""
    words = list(words)
    if len(words) < 2:
        raise InvalidArgumentError("give at least two words to find the odd one out")
    u = normalize(np.asarray(es.vectors[[es.index(w) for w in words]], dtype=np.float32))
    mean = normalize(u.mean(axis=0))
    return words[int(np.argmin(u @ mean))]
