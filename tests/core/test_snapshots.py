"""Training snapshots: taken at evenly spaced moments from the random start to the end, aligned to
the final vectors by orthogonal Procrustes, kept in the bundle, and worse early than at the end on
a planted corpus; ``info`` reports them and ``neighbors --snapshot I`` answers from one."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core import bundle, evidence_bundle, load
from core.cli import main
from core.corpus import read_corpus
from core.errors import InvalidArgumentError, TrainingError
from core.params import TrainParams
from core.snapshots import ATOL, RTOL, Capture, neighbour_history
from core.vocab import build_vocab, encode_lines
from tests.helpers import planted_text


def test_a_capture_takes_each_due_snapshot_once_and_aligns_rotated_copies():
    rng = np.random.default_rng(0)
    final = rng.normal(size=(30, 6))
    cap = Capture(5, np.arange(20))
    q, _ = np.linalg.qr(rng.normal(size=(6, 6)))  # a random rotation
    reads = []

    def read(rows):
        reads.append(len(reads))
        return (final[rows] @ q.T) * 0.5  # the same shape, rotated and scaled: aligns onto final's direction

    cap.offer(0.0, read)
    cap.offer(0.1, read)  # not due: no read
    cap.offer(0.6, read)  # 0.25 and 0.5 due at once: one read, two snapshots
    cap.offer(1.0, read)  # 0.75 and 1.0
    cap.offer(1.0, read)  # all taken
    snaps = cap.finish(final)
    assert len(reads) == 3 and len(snaps) == 5
    assert snaps.fractions == [0.0, 0.6, 0.6, 1.0, 1.0]
    assert snaps.vectors.shape == (5, 20, 6) and snaps.vectors.dtype == np.float16
    np.testing.assert_allclose(snaps.vectors[-1], 0.5 * final[:20], rtol=RTOL, atol=ATOL * 10)
    with pytest.raises(InvalidArgumentError, match="at least 2"):
        Capture(1, np.arange(3))


@pytest.mark.parametrize("bad", [1, -1, 101, 2.5])
def test_the_snapshots_parameter_is_checked(bad):
    with pytest.raises(TrainingError, match="snapshots must be"):
        TrainParams(snapshots=bad).validate()


def group_recall(es, groups) -> float:
    hits = total = 0
    for g in groups:
        for w in g:
            near = {n for n, _ in es.neighbors(w, k=len(g) - 1)}
            hits += len(near & set(g))
            total += len(g) - 1
    return hits / total


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    from core.train import train

    text, groups = planted_text(sentences=2500, seed=2)
    folder = tmp_path_factory.mktemp("snap")
    (folder / "planted.txt").write_text(text, encoding="utf-8")
    corpus = read_corpus(folder / "planted.txt")
    # steps=10: many TensorFlow calls on a tiny corpus, so the snapshots are distinct moments
    params = TrainParams(dim=16, min_count=1, epochs=4, seed=5, steps=10, snapshots=6, threads=2)
    es = train(corpus, params)
    out = bundle.save(es, folder / "b", extras=evidence_bundle.extras(es))
    return corpus, es, out, groups


@pytest.mark.slow
def test_training_keeps_aligned_snapshots_and_its_corpus(trained):
    corpus, es, out, _ = trained
    snaps = es.snapshots
    assert snaps is not None and len(snaps) == 6
    assert snaps.fractions[0] == 0.0 and snaps.fractions[-1] == pytest.approx(1.0)
    assert snaps.fractions == sorted(snaps.fractions) and len(set(snaps.fractions)) == 6
    assert list(snaps.rows) == list(range(len(es)))  # 40 fillers + 40 group words: all under 2,000
    # the last snapshot is the final vectors (float16's precision)
    np.testing.assert_allclose(snaps.vectors[-1].astype(np.float32), es.vectors[snaps.rows], rtol=RTOL, atol=ATOL)
    # snapshot 0 is the start: the trainer's uniform initialisation, within +-0.5 / dim, rotated
    assert np.abs(snaps.vectors[0]).max() < 0.5 / 16 * np.sqrt(16) + 1e-3
    # the kept corpus is the encoded stream the trainer saw
    vocab, remap = build_vocab(corpus.words, corpus.counts, min_count=1)
    assert vocab.words == es.words
    assert np.array_equal(es.evidence.ids, encode_lines(corpus.ids, remap, corpus.line_starts).ids)
    assert es.evidence.window == 5 and es.evidence.sentences
    # in the bundle: the same snapshots, memory-mapped
    back = load(out)
    assert back.snapshots is not None and isinstance(back.snapshots.vectors, np.memmap)
    assert np.array_equal(back.snapshots.vectors, snaps.vectors)
    assert back.meta["snapshots"]["count"] == 6 and back.meta["snapshots"]["fractions"][0] == 0.0


@pytest.mark.slow
def test_early_snapshots_recover_the_planted_groups_worse(trained):
    _, es, _, groups = trained
    recall = [group_recall(es.snapshots.as_set(es, i), groups) for i in range(len(es.snapshots))]
    final = group_recall(es, groups)
    assert recall[-1] == pytest.approx(final, abs=0.05)
    assert final >= 0.6
    assert recall[0] < 0.3 and recall[0] < final - 0.3  # the random start knows nothing
    assert np.mean(recall[:2]) < np.mean(recall[-2:])
    history = neighbour_history(es, groups[0][0], k=3)
    assert [h.index for h in history] == list(range(6)) and all(len(h.neighbours) == 3 for h in history)


@pytest.mark.slow
def test_info_and_neighbors_from_a_snapshot(trained, capsys):
    _, es, out, groups = trained
    assert main(["info", str(out)]) == 0
    shown = capsys.readouterr().out
    assert "snapshots:  6 of the 80 most frequent words" in shown and "at 0%," in shown and "100%" in shown
    word = groups[1][0]
    assert main(["neighbors", str(out), word, "-k", "4", "--snapshot", "0", "--json"]) == 0
    first = [x["word"] for x in json.loads(capsys.readouterr().out)]
    assert first == [w for w, _ in es.snapshots.as_set(es, 0).neighbors(word, k=4)]
    assert main(["neighbors", str(out), word, "-k", "4", "--snapshot", "5", "--json"]) == 0
    last = [x["word"] for x in json.loads(capsys.readouterr().out)]
    assert last == [w for w, _ in es.neighbors(word, k=4)]  # the last snapshot answers as the final set
    assert main(["neighbors", str(out), word, "--snapshot", "6"]) == 1
    assert "snapshots 0 to 5" in capsys.readouterr().err


@pytest.mark.slow
def test_snapshots_off_keeps_none(tmp_path):
    from core.train import train

    text, _ = planted_text(sentences=300, seed=1)
    (tmp_path / "p.txt").write_text(text, encoding="utf-8")
    es = train(read_corpus(tmp_path / "p.txt"), TrainParams(dim=8, min_count=1, epochs=1, snapshots=0, threads=2))
    assert es.snapshots is None and es.evidence is not None
    back = load(bundle.save(es, tmp_path / "b", extras=evidence_bundle.extras(es)))
    assert back.snapshots is None and "snapshots" not in back.meta and back.evidence is not None
