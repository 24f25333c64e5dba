"""The corpus a bundle keeps: example lines, shared contexts (checked against a count made word by
word from the text), windows that stop at line ends, the bundle files (memory-mapped, optional,
damage set aside), attaching a corpus to an imported set, and the ``contexts`` command."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from core import EmbeddingSet, bundle, evidence, evidence_bundle, load
from core.cli import main
from core.corpus import read_corpus
from core.errors import CorpusError, MissingFileError, ReadOnlyError, UnknownWordError
from core.vocab import build_vocab, encode_lines
from tests.helpers import planted_text


def planted_set(
    folder: Path, sentences: int = 600, window: int = 5, sentences_mode: bool = True
) -> tuple[EmbeddingSet, str, list[list[str]]]:
    """A set over a planted corpus's vocabulary (random vectors: no training needed), with the
    corpus encoded as the trainer would keep it. Returns the set, the text and the groups."""
    text, groups = planted_text(sentences=sentences, seed=4)
    path = folder / "planted.txt"
    path.write_text(text, encoding="utf-8")
    corpus = read_corpus(path)
    vocab, remap = build_vocab(corpus.words, corpus.counts, min_count=1)
    rng = np.random.default_rng(0)
    es = EmbeddingSet(
        vocab.words, rng.normal(size=(len(vocab), 8)).astype(np.float32), vocab.counts, {"params": {"window": window}}
    )
    ids, starts = encode_lines(corpus.ids, remap, corpus.line_starts)
    es.evidence = evidence_bundle.from_stream(ids, starts, es, window, sentences_mode, corpus.name)
    return es, text, groups


def reference_counts(text: str, word: str, window: int) -> Counter:
    """Co-occurrence counts made word by word, windows within each line."""
    out: Counter = Counter()
    for line in text.splitlines():
        toks = line.split()
        for i, t in enumerate(toks):
            if t == word:
                out.update(toks[j] for j in range(max(0, i - window), min(len(toks), i + window + 1)) if j != i)
    return out


@pytest.fixture
def planted(tmp_path):
    return planted_set(tmp_path)


def test_example_lines_hold_the_word_and_are_lines_of_the_corpus(planted):
    es, text, groups = planted
    corpus_lines = set(text.splitlines())
    word = groups[2][1]
    lines = evidence.example_lines(es.evidence, word, n=5, width=20)
    assert len(lines) == 5
    assert len({x.line for x in lines}) == 5  # each line once
    for x in lines:
        assert x.tokens[x.hit] == word
        assert x.text in corpus_lines  # a planted line is 6 tokens: shown whole
    narrow = evidence.example_lines(es.evidence, word, n=3, width=1)
    assert all(len(x.tokens) <= 3 and x.tokens[x.hit] == word and x.text in text for x in narrow)


def test_shared_contexts_are_the_planted_groups_words_with_exact_counts(planted):
    es, text, groups = planted
    a, b = groups[0][0], groups[0][1]
    shared = evidence.shared_contexts(es.evidence, a, b, n=10)
    top = [c.word for c in shared.contexts[:3]]
    assert set(top) <= set(groups[0]) - {a, b}, top  # the group mates are what the two share most
    ra, rb = reference_counts(text, a, 5), reference_counts(text, b, 5)
    for c in shared.contexts:
        assert (c.count_a, c.count_b) == (ra[c.word], rb[c.word])
        assert c.count == min(ra[c.word], rb[c.word])
        assert c.word not in (a, b)
    counts = [c.count for c in shared.contexts]
    assert counts == sorted(counts, reverse=True)
    assert shared.occurrences_a == text.split().count(a)
    # with the group mates left out, only fillers remain
    rest = evidence.shared_contexts(es.evidence, a, b, n=5, exclude=groups[0])
    assert rest.contexts and all(c.word.startswith("filler") for c in rest.contexts)


def test_lines_with_shared_words_mark_them_within_the_window(planted):
    es, _, groups = planted
    a, mate = groups[1][0], groups[1][3]
    lines = evidence.example_lines(es.evidence, a, n=4, with_words=[mate], window=2)
    assert lines
    for x in lines:
        assert x.marks and all(x.tokens[m] == mate and abs(m - x.hit) <= 2 for m in x.marks)


def test_windows_stop_at_line_ends_unless_trained_across_them(tmp_path):
    path = tmp_path / "two.txt"
    path.write_text("alpha beta\ngamma delta\nalpha gamma\n", encoding="utf-8")
    corpus = read_corpus(path)
    vocab, remap = build_vocab(corpus.words, corpus.counts, min_count=1)
    es = EmbeddingSet(vocab.words, np.eye(len(vocab), dtype=np.float32), vocab.counts)
    ids, starts = encode_lines(corpus.ids, remap, corpus.line_starts)
    lines_ev = evidence_bundle.from_stream(ids, starts, es, 5, True)
    across = evidence_bundle.from_stream(ids, starts, es, 5, False)
    # within lines: beta's only context is alpha (line 1); gamma has delta (line 2) and alpha (line 3)
    within = {c.word: c.count for c in evidence.shared_contexts(lines_ev, "beta", "gamma").contexts}
    assert within == {"alpha": 1}
    # across lines the 6 tokens are one window: beta sees alpha twice and delta once; gamma (twice)
    # sees alpha four times and delta twice
    wide = {c.word: c.count for c in evidence.shared_contexts(across, "beta", "gamma").contexts}
    assert wide == {"alpha": 2, "delta": 1}
    assert [x.text for x in evidence.example_lines(lines_ev, "gamma", n=5)] == ["gamma delta", "alpha gamma"]


def test_unknown_words_and_bad_arguments_are_one_line_errors(planted):
    es, _, _ = planted
    with pytest.raises(UnknownWordError, match="did you mean"):
        evidence.example_lines(es.evidence, "g0w9x")
    with pytest.raises(ValueError, match="n must be"):
        evidence.example_lines(es.evidence, "g0w0", n=0)
    with pytest.raises(ValueError, match="window must be"):
        evidence.shared_contexts(es.evidence, "g0w0", "g0w1", window=-1)
    with pytest.raises(MissingFileError, match="keeps no corpus"):
        evidence.require(EmbeddingSet(["a", "b"], np.eye(2, dtype=np.float32)))


def test_the_bundle_keeps_the_corpus_memory_mapped_and_opens_without_it(planted, tmp_path):
    es, _, groups = planted
    out = bundle.save(es, tmp_path / "with", extras=evidence_bundle.extras(es))
    back = load(out)
    assert back.evidence is not None and isinstance(back.evidence.ids, np.memmap)
    assert np.array_equal(back.evidence.ids, es.evidence.ids)
    assert np.array_equal(back.evidence.line_starts, es.evidence.line_starts)
    assert back.evidence.ids.dtype == np.uint16  # a vocabulary of at most 65,536 words
    info = back.meta["evidence"]
    assert info["tokens"] == es.evidence.n_tokens and info["lines"] == es.evidence.n_lines
    assert info["bytes"] == (out / evidence_bundle.IDS).stat().st_size + (out / evidence_bundle.LINES).stat().st_size
    assert back.meta["vectors_sha256"] == bundle.read_meta(out)["vectors_sha256"]
    a, b = groups[0][:2]
    assert evidence.shared_contexts(back.evidence, a, b) == evidence.shared_contexts(es.evidence, a, b)
    # re-saved without extras: no files, and no entry claiming them
    plain = bundle.save(back, tmp_path / "plain")
    again = load(plain)
    assert again.evidence is None and "evidence" not in again.meta and not (plain / evidence_bundle.IDS).exists()
    # a damaged corpus file is set aside; the vectors still open
    (out / evidence_bundle.IDS).write_bytes(b"not a numpy file")
    damaged = load(out)
    assert damaged.evidence is None and "unreadable" in damaged.meta["evidence_problem"]


def test_attaching_a_corpus_to_an_imported_set(planted, tmp_path, monkeypatch):
    es, text, groups = planted
    imported = EmbeddingSet(es.words, es.vectors, None, {"source": "imported from npy"})
    monkeypatch.setenv("W2V_WORKSPACE", str(tmp_path / "ws"))
    from core import workspace

    target = bundle.save(imported, workspace.root() / "imp")
    sha = bundle.read_meta(target)["vectors_sha256"]
    corpus_file = tmp_path / "planted-again.txt"
    corpus_file.write_text(text.upper() + "unseen words here\n", encoding="utf-8")  # folded as the set's words
    ev = evidence_bundle.attach_to_set("imp", corpus_file)
    assert ev.n_tokens == len(text.split())  # the unseen words are dropped
    back = load(target)
    assert back.evidence is not None and back.meta["vectors_sha256"] == sha
    assert np.array_equal(back.vectors, es.vectors)
    assert np.array_equal(back.evidence.ids, es.evidence.ids)
    assert back.meta["evidence"]["corpus"] == "planted-again.txt"
    with pytest.raises(ReadOnlyError, match="read-only"):
        evidence_bundle.attach_to_set("sample", corpus_file)
    stranger = tmp_path / "other.txt"
    stranger.write_text("nothing in common at all\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="none of its words"):
        evidence_bundle.attach_to_set("imp", stranger)


def test_the_contexts_command(planted, tmp_path, capsys):
    es, text, groups = planted
    out = str(bundle.save(es, tmp_path / "b", extras=evidence_bundle.extras(es)))
    word = groups[3][2]
    assert main(["contexts", out, word, "-n", "4"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4 and all(word in line.split() and line in text for line in lines)

    a, b = groups[3][0], groups[3][1]
    assert main(["contexts", out, a, b, "-n", "2", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert set(got) == {"lines", "shared"}
    assert {s["word"] for s in got["shared"][:3]} <= set(groups[3]) - {a, b}
    assert all(set(s) == {"word", "count"} and s["count"] > 0 for s in got["shared"])
    assert len(got["lines"]) == 4
    assert all(a in x.split() for x in got["lines"][:2]) and all(b in x.split() for x in got["lines"][2:])

    assert main(["contexts", out, a, b, "-n", "1"]) == 0
    shown = capsys.readouterr().out
    assert shown.index("shared contexts") < shown.index("lines:") and got["shared"][0]["word"] in shown

    assert main(["contexts", out, word, "--json"]) == 0
    assert "shared" not in json.loads(capsys.readouterr().out)

    bare = str(bundle.save(es, tmp_path / "bare"))
    assert main(["contexts", bare, word]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "keeps no corpus" in err and err.count("\n") == 1

    assert main(["info", out]) == 0
    assert f"corpus kept: {es.evidence.n_tokens:,} tokens" in capsys.readouterr().out
