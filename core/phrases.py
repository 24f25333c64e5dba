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
_DENSE = 1 << 16  # pairs are hashed as 32-bit numbers of ranks below this (ranks from _DENSE - 2 on share one)
_PARALLEL_FROM, _PARTS = 1 << 20, 16  # from this many pairs on, they are hashed in parts, in threads
_BLOCK = 1 << 16  # pairs put in part order at a time: the order fits 16 bits, the temporaries the cache


def join_phrases(corpus: Corpus, passes: int = 1, min_count: int = 5, threshold: float = 10.0) -> Corpus:
    """``corpus`` with its phrases joined (``passes`` times); words and line starts follow.
    Phrases are numbered after the words, in the order of their first use."""
    if not threshold > 0:
        raise ValueError(f"threshold must be above 0 (got {threshold!r}); 10 is usual")
    for _ in range(passes):
        corpus = _one_pass(corpus, min_count, threshold)
    return corpus


class _Pairs(NamedTuple):
    """The adjacent pairs of a stream: each one's code, and the codes that may score."""

    codes: np.ndarray  # per pair of the stream: its code (distinct pairs numbered from 0)
    n_codes: int
    often: np.ndarray  # the codes seen more than min_count times that stand for one pair, ascending
    first: np.ndarray  # per code of ``often``: its first word, its second word, its count
    second: np.ndarray
    counts: np.ndarray
    distinct: int  # the number of distinct pairs (what gensim's vocabulary counts)


def _one_pass(c: Corpus, min_count: int, threshold: float) -> Corpus:
    ids, n, V = c.ids, c.ids.size, len(c.words)
    if n < 2:
        return c
    inner = c.line_starts[(c.line_starts > 0) & (c.line_starts < n)]
    p = _pairs(ids, inner - 1, np.asarray(c.counts), min_count)  # the pair (i, i + 1) crosses a line end at these i
    # gensim's len(vocab): the words and pairs seen (after a pass, a word may be left unused)
    vocabulary = int(np.count_nonzero(c.counts)) + p.distinct
    counts = np.asarray(c.counts, dtype=np.float64)
    # only pairs seen more than min_count times can pass a threshold above 0 (p.often)
    score = (p.counts - min_count) / (counts[p.first] * counts[p.second]) * vocabulary
    good = np.zeros(p.n_codes, bool)
    good[p.often[score > threshold]] = True
    cand = np.flatnonzero(good[p.codes])  # positions i whose pair (i, i + 1) scores
    if cand.size == 0:
        return c
    # left to right: in a run of consecutive candidates, the 1st, 3rd, ... are joined
    run_start = np.ones(cand.size, bool)
    run_start[1:] = np.diff(cand) != 1
    start_idx = np.maximum.accumulate(np.where(run_start, np.arange(cand.size), 0))
    pick = (np.arange(cand.size) - start_idx) % 2 == 0
    chosen = cand[pick]
    new_ids, made = pd.factorize(p.codes[chosen], sort=False)  # phrases numbered by their first use
    dropped = chosen + 1
    kept = np.delete(ids, dropped)
    kept[chosen - np.arange(chosen.size)] = V + new_ids.astype(np.int32)  # j words dropped before the j-th
    at = np.searchsorted(p.often, made)
    pa, pb = p.first[at], p.second[at]
    words = list(c.words) + [c.words[a] + DELIMITER + c.words[b] for a, b in zip(pa, pb, strict=True)]
    new_counts = np.concatenate([c.counts, np.bincount(new_ids, minlength=made.size)]).astype(np.int64)
    new_counts[:V] -= np.bincount(ids[chosen], minlength=V) + np.bincount(ids[dropped], minlength=V)
    starts = c.line_starts - np.searchsorted(dropped, c.line_starts)  # dropped positions before each start
    return replace(c, words=words, counts=new_counts, ids=kept, line_starts=starts)


def _pairs(ids: np.ndarray, breaks: np.ndarray, counts: np.ndarray, min_count: int) -> _Pairs:
    """The pairs (ids[i], ids[i + 1]) of the stream, but for the i of ``breaks`` (sorted), which
    cross a line end: they are not pairs, and get a code that stands for no pair.

    A pair is hashed as one 32-bit number made of its words' frequency ranks, which pandas' hash
    table handles faster than a 64-bit one. Ranks from ``_DENSE - 2`` on share one number when
    their words are too rare (at most min_count uses) for any of their pairs to score: those pairs
    are then only counted, distinct, for the vocabulary. Otherwise they are hashed on their own."""
    V, top, gap = counts.size, _DENSE - 2, _DENSE * _DENSE - 1  # no rank reaches _DENSE - 1: gap is no pair's key
    order = np.argsort(-counts, kind="stable")  # word by frequency rank
    rank = np.empty(V, np.uint32)
    rank[order] = np.arange(V, dtype=np.uint32)
    np.minimum(rank, top, out=rank)
    rare_can_score = top < V and counts[order[top]] > min_count
    pc = _pair_codes(ids, rank, breaks, gap, top if top < V else None, min_count)
    codes, at, n_codes = pc.codes, pc.at, pc.n_codes
    skip = np.zeros(n_codes, bool)  # codes that stand for many pairs (the words of rank top), or for none
    skip[codes[at]] = True
    distinct = n_codes - int(np.count_nonzero(skip))
    if breaks.size:
        skip[codes[breaks[0]]] = True  # gap: the line ends
        distinct -= 1
    one = ~skip[pc.often]
    often, often_counts = pc.often[one], pc.counts[one]
    first, second = order[pc.keys[one] // _DENSE], order[pc.keys[one] % _DENSE]
    if at.size == 0:
        return _Pairs(codes, n_codes, often, first, second, often_counts, distinct)
    exact = ids[at].astype(np.int64) * V + ids[at + 1]
    if not rare_can_score:  # too rare to score: only their number counts
        return _Pairs(codes, n_codes, often, first, second, often_counts, distinct + pd.unique(exact).size)
    exact_codes, exact_keys = pd.factorize(exact, sort=False)
    codes[at] = exact_codes + n_codes
    exact_counts = np.bincount(exact_codes, minlength=exact_keys.size)
    often_exact = np.flatnonzero(exact_counts > min_count)
    return _Pairs(
        codes,
        n_codes + exact_keys.size,
        np.concatenate([often, often_exact + n_codes]),
        np.concatenate([first, exact_keys[often_exact] // V]),
        np.concatenate([second, exact_keys[often_exact] % V]),
        np.concatenate([often_counts, exact_counts[often_exact]]),
        distinct + exact_keys.size,
    )


class _Codes(NamedTuple):
    """The pairs' keys, factorized."""

    codes: np.ndarray  # int32 per pair: its key's number (distinct keys numbered from 0)
    n_codes: int
    often: np.ndarray  # the codes of the keys seen more than min_count times, ascending
    keys: np.ndarray  # per code of ``often``: its key and its count
    counts: np.ndarray
    at: np.ndarray  # the pairs (ascending) that hold a word of the last rank and lie in one line


def _pair_codes(
    ids: np.ndarray, rank: np.ndarray, breaks: np.ndarray, gap: int, last: int | None, min_count: int
) -> _Codes:
    """``pd.factorize`` of the pairs' keys (``_keys``). Many keys are split by their low bits into
    ``_PARTS`` parts, factorized on their own, in threads: each part's hash table is small enough
    to stay in the cache (pandas sizes a table by the number of keys), and numpy and pandas
    release the GIL. Each thread first makes the keys of a chunk of the stream, then copies them,
    a block at a time, to their part's place in one array of all parts. The ranks, the keys and
    the codes take one array in turn, and the blocks' order is kept in 16 bits: new memory is slow."""
    n = ids.size - 1
    out = np.empty(n, np.uint32)
    codes = out.view(np.int32)  # fewer distinct pairs than 2**31
    if n < _PARALLEL_FROM:
        at = _keys(ids, rank, breaks, gap, last, out, 0, n)
        part = _count(out, min_count)
        codes[:] = part.codes
        return _Codes(codes, part.n_codes, part.often, part.keys, part.counts, at)
    workers = min(os.cpu_count() or 1, 4)
    cuts = np.linspace(0, n, workers + 1).astype(int).tolist()
    blocks = [[(a, min(a + _BLOCK, e)) for a in range(s, e, _BLOCK)] for s, e in zip(cuts, cuts[1:], strict=False)]
    first_block = np.cumsum([0] + [len(b) for b in blocks]).tolist()

    def keyed(i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Chunk i's keys (into ``out``), each one's part (its low bits) and each block's count per part."""
        s, e = cuts[i], cuts[i + 1]
        at = _keys(ids, rank, breaks, gap, last, out, s, e)
        part = np.bitwise_and(out[s:e], _PARTS - 1, dtype=np.uint8, casting="unsafe")
        counts = [np.bincount(part[a - s : b - s], minlength=_PARTS) for a, b in blocks[i]]
        return at, part, np.array(counts, np.int64).reshape(-1, _PARTS)

    def group(i: int) -> None:
        """Chunk i's keys copied, block by block, to their part's place in ``grouped``."""
        s = cuts[i]
        for g, (a, b) in enumerate(blocks[i], first_block[i]):
            o = np.argsort(parts_of[i][a - s : b - s], kind="stable")
            order[a:b] = o
            ordered = np.take(out[a:b], o, mode="clip")  # in range: the unchecked path
            at = 0
            for to, c in zip(dest[g], count[g], strict=True):
                grouped[to : to + c] = ordered[at : at + c]
                at += c

    def count_part(j: int) -> _Part:
        """Part j: its keys are replaced by their codes."""
        key = grouped[region[j] : region[j + 1]]
        part = _count(key, min_count)
        key.view(np.int32)[:] = part.codes
        return part

    def number(j: int) -> None:  # part j's codes follow the earlier parts'
        grouped.view(np.int32)[region[j] : region[j + 1]] += offsets[j]

    def scatter(i: int) -> None:
        """Chunk i's codes, block by block, back in stream order."""
        local = grouped.view(np.int32)
        for g, (a, b) in enumerate(blocks[i], first_block[i]):
            pieces = [local[to : to + c] for to, c in zip(dest[g], count[g], strict=True)]
            codes[a:b][order[a:b]] = np.concatenate(pieces)

    with ThreadPoolExecutor(workers) as pool:
        ats, parts_of, counts = zip(*pool.map(keyed, range(workers)), strict=True)
        per_block = np.vstack(counts)  # [blocks, parts], the blocks in stream order
        region = np.concatenate([[0], np.cumsum(per_block.sum(0))]).tolist()  # part j: grouped[region[j]:region[j + 1]]
        dest = (np.array(region[:-1])[None, :] + np.cumsum(per_block, 0) - per_block).tolist()
        count = per_block.tolist()
        grouped = np.empty(n, np.uint32)
        order = np.empty(n, np.uint16)  # within each block: its pairs in part order
        list(pool.map(group, range(workers)))
        parts = list(pool.map(count_part, range(_PARTS)))
        offsets = np.cumsum([0] + [p.n_codes for p in parts]).tolist()
        list(pool.map(number, range(_PARTS)))
        list(pool.map(scatter, range(workers)))
    return _Codes(
        codes,
        offsets[-1],
        np.concatenate([p.often + off for p, off in zip(parts, offsets, strict=False)]),
        np.concatenate([p.keys for p in parts]),
        np.concatenate([p.counts for p in parts]),
        np.concatenate(ats),
    )


class _Part(NamedTuple):
    codes: np.ndarray  # per key counted
    n_codes: int
    often: np.ndarray  # as in _Codes
    keys: np.ndarray
    counts: np.ndarray


def _count(key: np.ndarray, min_count: int) -> _Part:
    # sized for a third of the keys distinct (a table sized for all of them misses the cache more)
    codes, keys = pd.factorize(key, sort=False, size_hint=key.size // 3 + 1)
    counts = np.bincount(codes, minlength=keys.size)
    often = np.flatnonzero(counts > min_count)
    return _Part(codes, keys.size, often, keys[often], counts[often])


def _keys(
    ids: np.ndarray, rank: np.ndarray, breaks: np.ndarray, gap: int, last: int | None, out: np.ndarray, s: int, e: int
) -> np.ndarray:
    """Writes the keys of the pairs s..e-1, ``rank[ids[i]] * _DENSE + rank[ids[i + 1]]`` (``gap``
    where the pair crosses a line end), into ``out[s:e]``; returns where a pair holds a word of the
    shared rank ``last`` (``_Codes.at``; None: no word has it). The ranks are taken into ``out`` first."""
    key = out[s:e]
    if key.size == 0:
        return np.empty(0, np.int64)
    np.take(rank, ids[s:e], out=key)
    after = rank[ids[e]]  # the rank after the last pair's first word (another chunk's first)
    lo, hi = np.searchsorted(breaks, [s, e])
    cross = breaks[lo:hi] - s
    at = np.empty(0, np.int64)
    if last is not None:
        held = key == last
        held[:-1] |= held[1:]  # numpy reads the overlapping operand as it was
        held[-1] |= after == last
        held[cross] = False
        at = np.flatnonzero(held) + s
    step = 1 << 16  # in slices: key[i + 1] is read before it is overwritten
    for a in range(0, key.size, step):
        b = min(a + step, key.size) - 1
        key[a:b] = key[a:b] * np.uint32(_DENSE) + key[a + 1 : b + 1]
        key[b] = key[b] * np.uint32(_DENSE) + (key[b + 1] if b + 1 < key.size else after)
    key[cross] = gap
    return at
