"""Faithful to the text: windows stop at line ends (``sentences="lines"``), and phrases are
joined with gensim's rules (gensim itself is the reference here)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from gensim.models.phrases import Phrases
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core.corpus import read_corpus
from core.phrases import join_phrases
from core.train import TrainParams, train


def corpus_of(lines: list[str]):
    return read_corpus(("t.txt", io.BytesIO("\n".join(lines).encode())))


def lines_of(c) -> list[list[str]]:
    ends = [*c.line_starts[1:].tolist(), c.ids.size]
    return [[c.words[i] for i in c.ids[s:e]] for s, e in zip(c.line_starts.tolist(), ends, strict=True)]


def boundary_corpus(seed: int = 0) -> list[str]:
    """Lines of group a end with 'omega'; the next line, of group b, starts with 'alpha'."""
    rng = np.random.default_rng(seed)
    a, b = [f"a{i}" for i in range(8)], [f"b{i}" for i in range(8)]
    lines = []
    for _ in range(1000):
        lines.append(" ".join([*rng.choice(a, 6), "omega"]))
        lines.append(" ".join(["alpha", *rng.choice(b, 6)]))
    return lines


@pytest.mark.slow
def test_a_word_ending_every_line_and_one_starting_the_next_are_not_neighbours():
    c = corpus_of(boundary_corpus())
    p = dict(dim=16, epochs=3, min_count=1, sample=0, window=3, seed=3)
    apart = train(c, TrainParams(**p, sentences="lines"))
    across = train(c, TrainParams(**p, sentences="none"))
    # within lines, omega only ever sees group a and alpha group b: their neighbours are exactly
    # their own groups (alpha is not among omega's); across lines, each picks up the other's group
    assert {w for w, _ in apart.neighbors("omega", k=8)} == {f"a{i}" for i in range(8)}
    assert {w for w, _ in apart.neighbors("alpha", k=8)} == {f"b{i}" for i in range(8)}
    crossed = [w for w, _ in across.neighbors("omega", k=8) if w[0] == "b"]
    crossed += [w for w, _ in across.neighbors("alpha", k=8) if w[0] == "a"]
    assert crossed
    assert apart.meta["params"]["sentences"] == "lines" and apart.meta["corpus"]["lines"] == 2000


def test_line_starts_survive_dropping_rare_words():
    from core.vocab import encode_lines

    c = corpus_of(["rare a b", "rare", "c d rare e", "f"])
    remap = np.array([-1 if w == "rare" else i for i, w in enumerate(c.words)])
    ids, starts = encode_lines(c.ids, remap, c.line_starts)
    assert starts.tolist() == [0, 2, 5]  # "a b", "c d e", "f": the line of only "rare" vanishes
    assert ids.tolist() == [1, 2, 3, 4, 5, 6]  # a b c d e f: every word but the rare one


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(["new", "york", "san", "jose", "red", "big", "apple"]), max_size=9), min_size=1),
    st.integers(1, 3),
    st.sampled_from([0.5, 1.0, 5.0]),
    st.integers(1, 2),
    st.sampled_from([2, 1 << 16]),
    st.sampled_from([0, 1 << 20]),
)
# the second pass: "san" is left unused (every one joined), so gensim's vocabulary no longer counts it
@example([["san", "new"], ["san", "new", "new"], ["san", "new", "new"]], 1, 0.5, 2, 1 << 16, 1 << 20)
def test_phrases_match_gensim(lines, min_count, threshold, passes, dense, parallel_from):
    import core.phrases

    text = [" ".join(words) for words in lines]
    sentences = [line.split() for line in text]
    want = sentences
    for _ in range(passes):
        model = Phrases(want, min_count=min_count, threshold=threshold)
        want = [model[s] for s in want]
    if not any(sentences):
        return  # no words: read_corpus refuses it (tested elsewhere)
    # dense: pairs of words ranked below it take the 32-bit table; at 2, most pairs take the other.
    # parallel_from 0: the pairs are hashed in parts, in threads, as a big corpus's are (in blocks of 3
    # pairs put in part order, so that the chunks hold many blocks, the last one short)
    old = core.phrases._DENSE, core.phrases._PARALLEL_FROM, core.phrases._BLOCK
    core.phrases._DENSE, core.phrases._PARALLEL_FROM, core.phrases._BLOCK = dense, parallel_from, 3
    try:
        got = lines_of(join_phrases(corpus_of(text), passes, min_count, threshold))
    finally:
        core.phrases._DENSE, core.phrases._PARALLEL_FROM, core.phrases._BLOCK = old
    assert got == [s for s in want if s]


@pytest.mark.parametrize("dense", [8, 1 << 16])
def test_rare_words_pairs_count_for_the_vocabulary_as_in_gensim(dense):
    """Most pairs hold a word seen once or twice: they can never be joined, but gensim's score
    counts them (distinct) in its vocabulary. ``dense=8``: they share one 32-bit number."""
    import core.phrases

    rng = np.random.default_rng(5)
    common = ["new", "york", "san", "jose", "big", "apple"]
    text = [" ".join([*rng.choice(common, 4), *(f"f{i}" for i in rng.integers(0, 3000, 3))]) for _ in range(400)]
    sentences = [line.split() for line in text]
    old, core.phrases._DENSE = core.phrases._DENSE, dense
    try:
        for threshold in (0.4, 0.6, 0.8, 1.0, 1.2):  # around the scores of pairs of the common words
            want = Phrases(sentences, min_count=5, threshold=threshold)
            got = lines_of(join_phrases(corpus_of(text), 1, 5, threshold))
            assert got == [want[s] for s in sentences], threshold
    finally:
        core.phrases._DENSE = old


def test_planted_phrases_are_joined_and_trained_as_one_token():
    rng = np.random.default_rng(1)
    filler = [f"w{i}" for i in range(200)]
    lines = []
    for _ in range(2000):
        words = list(rng.choice(filler, 8))
        words[rng.integers(0, 8)] = "new york" if rng.random() < 0.5 else "los angeles"
        lines.append(" ".join(words))
    c = join_phrases(corpus_of(lines), 1, 5, 10.0)
    assert {"new_york", "los_angeles"} <= set(c.words)
    assert not {f"w{a}_w{b}" for a in range(200) for b in range(200)} & set(c.words)  # chance pairs stay apart
    counts = dict(zip(c.words, c.counts.tolist(), strict=True))
    assert counts["new"] == 0 and counts["new_york"] > 900
    es = train(corpus_of(lines), TrainParams(dim=8, epochs=1, phrases=1, min_count=5, seed=1))
    assert "new_york" in es and "york" not in es
    assert es.meta["corpus"]["phrases"] == 2
