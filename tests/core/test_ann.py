import json

import numpy as np
import pytest

import core
from bench.big_sets import make_vectors
from core import ann, bundle, cli
from core.embeddings import EmbeddingSet


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    x = make_vectors(3000, 32, seed=3)
    es = EmbeddingSet([f"w{i}" for i in range(3000)], x)
    path = tmp_path_factory.mktemp("ann") / "b"
    bundle.save(es, path, index=True)
    return path, es


def test_index_results_agree_with_exact_search(big):
    path, es = big
    opened = core.load(path)
    assert opened.ann is not None and (path / ann.INDEX_FILE).exists()
    hits = 0
    for w in [f"w{i}" for i in range(0, 3000, 30)]:
        approx = opened.neighbors(w, k=10)
        exact = opened.neighbors(w, k=10, exact=True)
        hits += len({a for a, _ in approx} & {a for a, _ in exact})
        common = dict(exact)
        for word, score in approx:  # scores are exact cosines, re-ranked
            if word in common:
                assert score == pytest.approx(common[word], abs=1e-5)
    assert hits / (100 * 10) >= 0.98
    got = opened.analogy("w1", "w2", "w3", k=5)
    assert [w for w, _ in got][:3] == [w for w, _ in es.analogy("w1", "w2", "w3", k=5)][:3]


def test_reopening_uses_the_saved_index_without_rebuilding(big, monkeypatch):
    path, _ = big

    def no_build(*a, **k):
        raise AssertionError("the index was rebuilt on open")

    monkeypatch.setattr(ann.AnnIndex, "build", no_build)
    assert core.load(path).ann is not None


def test_small_sets_stay_exact(tmp_path):
    es = EmbeddingSet(["a", "b", "c"], np.eye(3, dtype=np.float32))
    bundle.save(es, tmp_path / "s")
    assert core.load(tmp_path / "s").ann is None and not (tmp_path / "s" / ann.INDEX_FILE).exists()


def test_an_index_that_does_not_match_is_refused_then_rebuilt(big, tmp_path, capsys):
    import shutil

    path = tmp_path / "copy"
    shutil.copytree(big[0], path)
    other = make_vectors(3000, 32, seed=4)
    np.save(path / "vectors.npy", other)  # new vectors, stale index and meta fingerprint
    es = core.load(path)
    assert es.ann is None and "does not match" in es.meta["index_problem"]
    assert [w for w, _ in es.neighbors("w5", k=5)] == [
        w for w, _ in EmbeddingSet(es.words, other).neighbors("w5", k=5)
    ]  # exact, on the new vectors
    assert cli.main(["info", str(path)]) == 0 and "does not match" in capsys.readouterr().out
    assert cli.main(["index", str(path)]) == 0
    fresh = core.load(path)
    assert fresh.ann is not None and "index_problem" not in fresh.meta

    meta = json.loads((path / "meta.json").read_text())
    meta["vectors_sha256"] = "0" * 64
    (path / "meta.json").write_text(json.dumps(meta))
    assert core.load(path).ann is None


def _write_word2vec(path, words, x):
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"{len(words)} {x.shape[1]}\n")
        for w, row in zip(words, x, strict=True):
            f.write(w + " " + " ".join(f"{v:.5f}" for v in row) + "\n")


def test_a_big_import_is_searchable_at_once_and_its_index_arrives_in_the_background(tmp_path):
    import subprocess
    import sys
    import time

    from tests.helpers import ROOT

    n = ann.MIN_WORDS
    x = make_vectors(n, 4, seed=5)
    words = [f"w{i}" for i in range(n)]
    _write_word2vec(tmp_path / "big.txt", words, x)
    out = tmp_path / "b"
    cmd = [sys.executable, "-m", "core", "import", str(tmp_path / "big.txt"), "--format", "word2vec", "--out", str(out)]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "building in the background" in r.stderr
    now = core.load(out)  # at once: searched exactly until the index is there
    exact = EmbeddingSet(words, x.astype(np.float32)).neighbors("w7", k=5)
    assert [w for w, _ in now.neighbors("w7", k=5, exact=True)] == [w for w, _ in exact]
    deadline = time.monotonic() + 240
    while not bundle.index_ready(out) or bundle.index_building(out):
        assert time.monotonic() < deadline, "the background index never arrived"
        time.sleep(0.5)
    later = core.load(out)
    assert later.ann is not None and "index_problem" not in later.meta
    assert len({w for w, _ in later.neighbors("w7", k=5)} & {w for w, _ in exact}) >= 4
    assert not list(out.glob(".index.tmp-*"))  # nothing of the build left behind


def test_index_now_and_none_at_import(tmp_path):
    n = ann.MIN_WORDS
    x = make_vectors(n, 4, seed=6)
    _write_word2vec(tmp_path / "big.txt", [f"w{i}" for i in range(n)], x)
    base = ["import", str(tmp_path / "big.txt"), "--format", "word2vec", "--out"]
    assert cli.main([*base, str(tmp_path / "now"), "--index", "now"]) == 0
    assert core.load(tmp_path / "now").ann is not None  # built before the command returned
    assert cli.main([*base, str(tmp_path / "none"), "--index", "none"]) == 0
    assert not bundle.index_ready(tmp_path / "none") and not bundle.index_building(tmp_path / "none")


def test_the_index_holds_codes_a_fraction_of_the_vectors_size(big):
    path, es = big
    # 32 dimensions: 4 bits each, 16 bytes a word against 128 for the float32 row
    assert (path / ann.INDEX_FILE).stat().st_size < (path / "vectors.npy").stat().st_size / 4
    assert json.loads((path / ann.INDEX_META).read_text())["subquantizers"] == ann.subquantizers(32) == 32
    assert ann.subquantizers(300) == 150 and ann.subquantizers(301) == 301  # pairs of dimensions above 128


def test_an_hnsw_index_saved_by_an_earlier_version_still_opens_and_is_used(big, tmp_path, capsys):
    import shutil

    import faiss

    path = tmp_path / "old"
    shutil.copytree(big[0], path)
    es = core.load(path)
    graph = faiss.IndexHNSWFlat(32, 16, faiss.METRIC_INNER_PRODUCT)
    graph.add(es.unit_vectors)
    faiss.write_index(graph, str(path / ann.INDEX_FILE))
    info = json.loads((path / ann.INDEX_META).read_text())
    info = {k: v for k, v in info.items() if k != "subquantizers"} | {"kind": "IndexHNSWFlat", "connectivity": 16}
    (path / ann.INDEX_META).write_text(json.dumps(info))
    old = core.load(path)
    assert old.ann is not None and old.ann.kind == "HNSW" and "index_problem" not in old.meta
    exact = [w for w, _ in old.neighbors("w9", k=10, exact=True)]
    assert len({w for w, _ in old.neighbors("w9", k=10)} & set(exact)) >= 9
    assert cli.main(["info", str(path)]) == 0 and "approximate (HNSW, exact re-ranking)" in capsys.readouterr().out


def test_rerank_cosines_match_normalised_rows_also_for_zero_tiny_and_huge_rows():
    from core.embeddings import normalize

    rng = np.random.default_rng(4)
    rows = rng.normal(size=(50, 16)).astype(np.float32)
    q = normalize(rng.normal(size=16).astype(np.float32))
    assert np.allclose(ann._cosines(rows, q), normalize(rows) @ q, atol=1e-6)  # the fast path
    for odd in (np.zeros(16), np.full(16, 1e-30), np.full(16, 3e37)):  # length 0, underflow, overflow
        mixed = np.vstack([rows, odd.astype(np.float32)])
        got = ann._cosines(mixed, q)
        assert np.isfinite(got).all() and np.allclose(got, normalize(mixed) @ q, atol=1e-6)


def test_a_big_sets_codes_are_scanned_as_two_halves_holding_the_same_codes(big, monkeypatch, tmp_path):
    import faiss

    path, es = big
    monkeypatch.setattr(ann, "SPLIT_ROWS", 1000)
    opened = core.load(path)
    whole = faiss.read_index(str(path / ann.INDEX_FILE))
    (first, start), (second, offset) = opened.ann._halves
    assert start == 0 and offset % whole.bbs == 0 and first.ntotal == offset
    assert first.ntotal + second.ntotal == whole.ntotal == 3000
    for i in (0, 1, offset - 1):  # each half decodes to the whole index's rows, the last partial block too
        assert np.array_equal(first.reconstruct(i), whole.reconstruct(i))
    for i in (0, 31, second.ntotal - 1):
        assert np.array_equal(second.reconstruct(i), whole.reconstruct(offset + i))
    hits = 0
    for w in [f"w{i}" for i in range(0, 3000, 30)]:
        q = opened.unit_vectors[opened.index(w)][None, :]
        keys = opened.ann._candidates(q, 200)
        assert keys.size == 200 and np.all(np.diff(keys) > 0)  # distinct rows, in order
        assert len(set(keys.tolist()) & set(whole.search(q, 200)[1][0].tolist())) >= 190  # ties at the edge
        exact = opened.neighbors(w, k=10, exact=True)
        hits += len({a for a, _ in opened.neighbors(w, k=10)} & {a for a, _ in exact})
    assert hits / (100 * 10) >= 0.98
    opened.ann.save(tmp_path, "sha")  # saved again whole: the same codes
    again = faiss.read_index(str(tmp_path / ann.INDEX_FILE))
    assert again.ntotal == 3000 and np.array_equal(
        faiss.AlignedTable_to_array(again.codes), faiss.AlignedTable_to_array(whole.codes)
    )
