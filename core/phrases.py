"""Phrases: frequent word pairs joined into one token (``new york`` -> ``new_york``) before training.

The rules are gensim's ``Phrases`` with its default scorer, so that both give the same tokens:
a pair ``a b`` (adjacent in one line) scores ``(count(a b) - min_count) / (count(a) * count(b)) *
vocabulary``, where the vocabulary counts the distinct words and the distinct pairs seen; pairs
scoring above ``threshold`` are joined, left to right, each word joined at most once (in ``a b c``
with both pairs scoring, ``a_b`` is made and ``c`` stays). Each further pass runs the same rules
on the joined stream, so two passes can make three- and four-word phrases.

Everything runs on the corpus's id stream with numpy and pandas' hash table (``pd.factorize``):
no Python loop over tokens.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import NamedTuple

import numpy as np
import pandas as pd

from .corpus import Corpus

DELIMITER = "_"  # never part of a token (core.tokens), so a joined token is always a phrase
_DENSE = 1 << 16  # pairs of the words of these frequency ranks are hashed as 32-bit numbers
_PARALLEL_FROM, _PARTS = 1 << 20, 16  # from this many pairs on, they are hashed in parts, in threads


def join_phrases(corpus: Corpus, passes: int = 1, min_count: int = 5, threshold: float = 10.0) -> Corpus:
    """``corpus`` with its phrases joined (``passes`` times); words and line starts follow.
    Phrases are numbered after the words, in the order of their first use."""
    if not threshold > 0:
        raise ValueError(f"threshold must be above 0 (got {threshold!r}); 10 is usual")
    for _ in range(passes):
        corpus = _one_pass(corpus, min_count, threshold)
    return corpus


class _Pairs(NamedTuple):
    """The adjacent pairs of a stream: each one's code, and for each code its two words."""

    codes: np.ndarray  # per pair of the stream: distinct pairs numbered from 0
    counts: np.ndarray  # per code: its pairs in the stream
    first: np.ndarray  # per code: the first word, or -1 for a code that stands for many rare pairs
    second: np.ndarray
    distinct: int  # the number of distinct pairs (what gensim's vocabulary counts)


def _one_pass(c: Corpus, min_count: int, threshold: float) -> Corpus:
    ids, n, V = c.ids, c.ids.size, len(c.words)
    if n < 2:
        return c
    same_line = np.ones(n - 1, bool)  # pair (i, i+1) lies in one line
    inner = c.line_starts[(c.line_starts > 0) & (c.line_starts < n)]
    same_line[inner - 1] = False
    where = np.flatnonzero(same_line) if inner.size else None  # None: every pair
    p = _pairs(ids, where, np.asarray(c.counts), min_count)
    vocabulary = V + p.distinct  # gensim's len(vocab): words and pairs alike
    counts = np.asarray(c.counts, dtype=np.float64)
    often = np.flatnonzero((p.counts > min_count) & (p.first >= 0))  # only these can pass a threshold above 0
    score = (p.counts[often] - min_count) / (counts[p.first[often]] * counts[p.second[often]]) * vocabulary
    good = np.zeros(p.first.size, bool)
    good[often[score > threshold]] = True
    cand_at = np.flatnonzero(good[p.codes])  # pairs (by their place in the stream of pairs) that score
    if cand_at.size == 0:
        return c
    cand = cand_at if where is None else where[cand_at]  # positions i whose pair (i, i+1) scores
    # left to right: in a run of consecutive candidates, the 1st, 3rd, ... are joined
    run_start = np.ones(cand.size, bool)
    run_start[1:] = np.diff(cand) != 1
    start_idx = np.maximum.accumulate(np.where(run_start, np.arange(cand.size), 0))
    pick = (np.arange(cand.size) - start_idx) % 2 == 0
    chosen = cand[pick]
    new_ids, made = pd.factorize(p.codes[cand_at[pick]], sort=False)  # phrases numbered by their first use
    dropped = chosen + 1
    kept = np.delete(ids, dropped)
    kept[chosen - np.arange(chosen.size)] = V + new_ids.astype(np.int32)  # j words dropped before the j-th
    pa, pb = p.first[made], p.second[made]
    words = list(c.words) + [c.words[a] + DELIMITER + c.words[b] for a, b in zip(pa, pb, strict=True)]
    new_counts = np.concatenate([c.counts, np.bincount(new_ids, minlength=made.size)]).astype(np.int64)
    new_counts[:V] -= np.bincount(ids[chosen], minlength=V) + np.bincount(ids[dropped], minlength=V)
    starts = c.line_starts - np.searchsorted(dropped, c.line_starts)  # dropped positions before each start
    return replace(c, words=words, counts=new_counts, ids=kept, line_starts=starts)


def _pairs(ids: np.ndarray, where: np.ndarray | None, counts: np.ndarray, min_count: int) -> _Pairs:
    """The pairs (ids[i], ids[i + 1]) for each i of ``where`` (every i if None).

    A pair is hashed as one 32-bit number made of its words' frequency ranks, which pandas' hash
    table handles faster than a 64-bit one. Ranks from ``_DENSE - 1`` on share one number when
    their words are too rare (at most min_count uses) for any of their pairs to score: those pairs
    are then only counted, distinct, for the vocabulary. Otherwise they are hashed on their own."""
    V, top = counts.size, _DENSE - 1
    order = np.argsort(-counts, kind="stable")  # word by frequency rank
    rank = np.empty(V, np.uint32)
    rank[order] = np.arange(V, dtype=np.uint32)
    r = rank[ids]
    np.minimum(r, top, out=r)  # in place, as below: new memory is slow to touch the first time
    rare_can_score = top < V and counts[order[top]] > min_count
    ra, rb = (r[:-1], r[1:]) if where is None else (r[where], r[where + 1])
    key = ra * np.uint32(_DENSE)
    key += rb
    codes, keys, key_counts = _factorize(key)
    first, second = order[keys // _DENSE], order[keys % _DENSE]
    shared = (keys // _DENSE == top) | (keys % _DENSE == top)  # codes that may stand for many pairs
    if not shared.any():
        return _Pairs(codes, key_counts, first, second, keys.size)
    at = np.flatnonzero((ra == top) | (rb == top))
    pos = at if where is None else where[at]
    exact = ids[pos].astype(np.int64) * V + ids[pos + 1]
    first[shared] = second[shared] = -1
    if not rare_can_score:  # too rare to score: only their number counts
        return _Pairs(codes, key_counts, first, second, keys.size - int(shared.sum()) + pd.unique(exact).size)
    exact_codes, exact_keys = pd.factorize(exact, sort=False)
    codes[at] = exact_codes + keys.size
    key_counts[shared] = 0  # all their pairs have codes of their own now
    return _Pairs(
        codes,
        np.concatenate([key_counts, np.bincount(exact_codes, minlength=exact_keys.size)]),
        np.concatenate([first, exact_keys // V]),
        np.concatenate([second, exact_keys % V]),
        keys.size - int(shared.sum()) + exact_keys.size,
    )


def _counted(key: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    codes, keys = pd.factorize(key, sort=False)
    return codes, keys, np.bincount(codes, minlength=keys.size)


def _factorize(key: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``pd.factorize(key)`` (int32 codes, the distinct keys in another order) and each distinct
    key's count. A big ``key`` is split by its low bits into ``_PARTS`` parts, factorized on their
    own, in threads: each part's hash table is small enough to stay in the cache (pandas sizes a
    table by the number of keys, not of distinct keys), and pandas releases the GIL."""
    if key.size < _PARALLEL_FROM:
        codes, keys, counts = _counted(key)
        return codes.astype(np.int32), keys, counts
    part = np.bitwise_and(key, _PARTS - 1, dtype=np.uint8, casting="unsafe")  # the low byte's bits
    order = np.argsort(part, kind="stable")
    grouped = key[order]
    bounds = np.searchsorted(part[order], np.arange(_PARTS + 1, dtype=np.uint8)).tolist()  # uint8: no copy cast
    with ThreadPoolExecutor(min(os.cpu_count() or 1, 4)) as pool:
        done = list(pool.map(lambda i: _counted(grouped[bounds[i] : bounds[i + 1]]), range(_PARTS)))
    grouped_codes = np.empty(key.size, np.int32)  # half the bytes to move (fewer distinct pairs than 2**31)
    offset = 0
    for i, (part_codes, part_keys, _) in enumerate(done):
        np.add(part_codes, offset, out=grouped_codes[bounds[i] : bounds[i + 1]], casting="unsafe")
        offset += part_keys.size
    codes = np.empty(key.size, np.int32)
    codes[order] = grouped_codes
    return codes, np.concatenate([k for _, k, _ in done]), np.concatenate([n for _, _, n in done])
