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

from dataclasses import replace

import numpy as np
import pandas as pd

from .corpus import Corpus

DELIMITER = "_"  # never part of a token (core.tokens), so a joined token is always a phrase


def join_phrases(corpus: Corpus, passes: int = 1, min_count: int = 5, threshold: float = 10.0) -> Corpus:
    """``corpus`` with its phrases joined (``passes`` times); words and line starts follow."""
    for _ in range(passes):
        corpus = _one_pass(corpus, min_count, threshold)
    return corpus


def _one_pass(c: Corpus, min_count: int, threshold: float) -> Corpus:
    ids, n, V = c.ids, c.ids.size, len(c.words)
    if n < 2:
        return c
    same_line = np.ones(n - 1, bool)  # pair (i, i+1) lies in one line
    inner = c.line_starts[(c.line_starts > 0) & (c.line_starts < n)]
    same_line[inner - 1] = False
    where = np.flatnonzero(same_line)
    first = ids[where]
    key = first.astype(np.int64) * V + ids[where + 1]
    codes, pairs = pd.factorize(key, sort=False)
    pair_counts = np.bincount(codes, minlength=len(pairs))
    counts = np.asarray(c.counts, dtype=np.float64)
    pa, pb = pairs // V, pairs % V
    vocabulary = V + len(pairs)  # gensim's len(vocab): words and pairs alike
    with np.errstate(divide="ignore", invalid="ignore"):
        score = (pair_counts - min_count) / (counts[pa] * counts[pb]) * vocabulary
    good = np.nan_to_num(score, nan=-np.inf) > threshold
    cand = where[good[codes]]  # positions i whose pair (i, i+1) scores
    if cand.size == 0:
        return c
    # left to right: in a run of consecutive candidates, the 1st, 3rd, ... are joined
    run_start = np.ones(cand.size, bool)
    run_start[1:] = np.diff(cand) != 1
    start_idx = np.maximum.accumulate(np.where(run_start, np.arange(cand.size), 0))
    chosen = cand[(np.arange(cand.size) - start_idx) % 2 == 0]
    chosen_codes = codes[np.searchsorted(where, chosen)]
    made, new_ids = np.unique(chosen_codes, return_inverse=True)  # the pairs that become tokens
    out = ids.copy()
    out[chosen] = V + new_ids.astype(np.int32)
    drop = np.zeros(n, bool)
    drop[chosen + 1] = True
    words = list(c.words) + [c.words[a] + DELIMITER + c.words[b] for a, b in zip(pa[made], pb[made], strict=True)]
    kept = out[~drop]
    removed_before = np.cumsum(drop, dtype=np.int64) - drop  # dropped positions before each position
    starts = c.line_starts - removed_before[np.minimum(c.line_starts, n - 1)]
    return replace(
        c,
        words=words,
        counts=np.bincount(kept, minlength=len(words)).astype(np.int64),
        ids=kept,
        line_starts=starts,
    )
