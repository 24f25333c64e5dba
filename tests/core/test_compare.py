"""Two sets compared (core.compare, the `compare` command) and the analogy explained
(core.analogy_plane): overlaps, Procrustes, the joint map, stability, the plane."""

import json
import random

import numpy as np
import pytest

from core import EmbeddingSet, bundle, search
from core.analogy_plane import explain, input_ranks, plane, scores
from core.compare import (
    align,
    fit_rotation,
    joint_map,
    neighbour_overlap,
    procrustes,
    shared_vocab,
    stability,
    top_k_within,
)
from core.embeddings import normalize
from core.errors import InvalidArgumentError, UnknownWordError
from tests.core.test_cli import cli
from tests.helpers import SAMPLE_BUNDLE, random_set


def rotation(dim: int, seed: int = 1) -> np.ndarray:
    q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(dim, dim)))
    return q


def rotated_copy(es: EmbeddingSet, q: np.ndarray) -> EmbeddingSet:
    return EmbeddingSet(es.words, (np.asarray(es.vectors, dtype=np.float64) @ q).astype(np.float32), es.counts)


def farthest(es: EmbeddingSet, word: str) -> str:
    return es.words[int(np.argmin(es.unit_vectors @ es.unit_vectors[es.index(word)]))]


def moved(es: EmbeddingSet, word: str, to: str = "", seed: int = 0) -> EmbeddingSet:
    """A copy where ``word`` sits next to ``to`` (default: the word furthest from it), its old
    neighbourhood left behind."""
    to = to or farthest(es, word)
    v = np.array(es.vectors, dtype=np.float32)
    v[es.index(word)] = v[es.index(to)] + 0.05 * np.random.default_rng(seed).normal(size=es.dim)
    return EmbeddingSet(es.words, v, es.counts)


# -- synthetic vectors -------------------------------------------------------------------------
def test_a_rotated_copy_has_overlap_one_and_procrustes_recovers_the_rotation():
    from scipy.linalg import orthogonal_procrustes

    a = random_set(n=300, dim=20, seed=4)
    q = rotation(20)
    b = rotated_copy(a, q)
    report = neighbour_overlap(a, b, k=10)
    assert len(report.vocab) == 300 and report.mean_overlap == 1.0 and set(report.overlaps) == {1.0}
    rot = procrustes(a.unit_vectors, b.unit_vectors)  # b @ R = a  ->  R = q.T
    assert np.allclose(rot.matrix, q.T, atol=1e-5) and rot.residual < 1e-5
    assert np.allclose(rot.matrix, orthogonal_procrustes(b.unit_vectors, a.unit_vectors)[0], atol=1e-6)
    back = align(b, a)
    assert back.words == a.words and np.allclose(back.vectors, a.vectors, atol=1e-4)


def test_a_moved_word_is_the_most_changed_and_ties_go_by_frequency():
    a = random_set(n=200, dim=16, seed=2)
    far = farthest(a, "w7")
    b = moved(a, "w7", far)
    report = neighbour_overlap(a, b, k=10)
    worst = report.most_changed(5)
    assert worst[0].word == "w7" and worst[0].overlap <= 0.2
    assert far in worst[0].neighbours_b and far not in worst[0].neighbours_a
    values = [e.overlap for e in report.most_changed()]
    assert values == sorted(values)
    # ties: the more frequent word (a lower row here: counts fall with the row) first
    for x, y in zip(report.most_changed(), report.most_changed()[1:], strict=False):
        if x.overlap == y.overlap:
            assert a.index(x.word) < a.index(y.word)
    best = report.least_changed()
    assert [e.overlap for e in best] == sorted(values, reverse=True)
    hist = report.histogram()
    assert [v for v, _ in hist] == [j / 10 for j in range(11)] and sum(c for _, c in hist) == 200
    assert report.to_json(3)["words"] == [{"word": e.word, "overlap": e.overlap} for e in worst[:3]]


def test_batched_neighbours_match_core_search_within_the_compared_words():
    es = random_set(n=500, dim=12, seed=5)
    vocab = shared_vocab(es, es, limit=117)  # not a whole number of column groups (of 10)
    assert vocab.words == [f"w{i}" for i in range(117)]  # the most frequent first
    pool = es.subset(vocab.rows_a)
    got = top_k_within(normalize(np.asarray(pool.vectors)), 7, block=50)  # several blocks
    for i, w in enumerate(pool.words):
        assert [pool.words[j] for j in got[i]] == [n for n, _ in search.neighbors(pool, w, k=7, exact=True)]


def test_only_shared_words_are_compared_and_the_limit_keeps_the_most_frequent():
    a = random_set(n=100, dim=8, seed=1)
    b = EmbeddingSet(a.words[20:] + ["new1", "new2"], np.random.default_rng(0).normal(size=(82, 8)))
    vocab = shared_vocab(a, b, limit=0)
    assert vocab.total_shared == 80 and vocab.words == a.words[20:]
    limited = neighbour_overlap(a, b, k=5, limit=30)
    assert limited.words == a.words[20:50] and limited.vocab.total_shared == 80
    chosen = neighbour_overlap(a, b, k=3, words=["w30", "w40", "w50", "w60", "w30"])
    assert chosen.words == ["w30", "w40", "w50", "w60"]
    with pytest.raises(UnknownWordError):
        neighbour_overlap(a, b, k=2, words=["w1", "w30", "w40", "w50"])  # w1 is not in B
    with pytest.raises(InvalidArgumentError, match="at least 81 shared words"):
        neighbour_overlap(a, b, k=80)


def test_different_dimensions_align_through_a_semi_orthogonal_map():
    a = random_set(n=150, dim=10, seed=3)
    w = rotation(16)[:10]  # 10 x 16 with orthonormal rows
    b = EmbeddingSet(a.words, (np.asarray(a.vectors, dtype=np.float64) @ w).astype(np.float32), a.counts)
    rot = fit_rotation(b, a)
    assert rot.matrix.shape == (16, 10) and np.allclose(rot.matrix, w.T, atol=1e-5)
    assert neighbour_overlap(a, b, k=5).mean_overlap == 1.0  # cosines are unchanged by w


def test_the_joint_map_puts_unchanged_words_on_their_place_and_moves_the_moved_one():
    a = random_set(n=200, dim=16, seed=2)
    far = farthest(a, "w7")
    b = rotated_copy(moved(a, "w7", far), rotation(16, seed=9))
    words = ["w7", far, *(f"w{i}" for i in range(20, 40) if f"w{i}" != far)]
    m = joint_map(a, b, words)
    assert m.words == words and m.coords_a.shape == (len(words), 2) == m.coords_b.shape
    arrows = np.linalg.norm(m.coords_b - m.coords_a, axis=1)
    assert int(np.argmax(m.shift)) == 0 and int(np.argmax(arrows)) == 0
    assert np.median(arrows[2:]) < 0.05 < arrows[0]  # the rotation undid itself for the others
    assert 0 < m.explained_variance_ratio.sum() <= 1
    with pytest.raises(InvalidArgumentError, match="at least 3 words"):
        joint_map(a, b, ["w1", "w2"])


def test_stability_counts_in_how_many_sets_each_neighbour_is():
    a = random_set(n=120, dim=8, seed=6)
    b = rotated_copy(a, rotation(8))
    far = farthest(a, "w3")
    c = moved(a, "w3", far)
    s = stability({"a": a, "b": b, "c": c}, "w3", k=5)
    assert s.pairwise[("a", "b")] == 1.0 and s.pairwise[("a", "c")] < 0.5
    assert s.mean_overlap == pytest.approx(np.mean(list(s.pairwise.values())))
    top_a = [w for w, _ in s.neighbours["a"]]
    sets_of = {ap.word: ap.sets for ap in s.appearances}
    assert all({"a", "b"} <= set(sets_of[w]) for w in top_a)
    assert far in sets_of and "a" not in sets_of[far] and "c" in sets_of[far]
    assert [len(ap.sets) for ap in s.appearances] == sorted((len(ap.sets) for ap in s.appearances), reverse=True)
    with pytest.raises(InvalidArgumentError):
        stability({"a": a}, "w3")


# -- trained sets ------------------------------------------------------------------------------
def planted(groups: list[list[str]], sentences: int = 2500, seed: int = 0) -> str:
    """Sentences of 4 words of one group and 2 fillers (as tests.helpers.planted_text)."""
    rng = random.Random(seed)
    fill = [f"filler{i}" for i in range(20)]
    lines = []
    for _ in range(sentences):
        words = rng.choices(rng.choice(groups), k=4) + rng.choices(fill, k=2)
        rng.shuffle(words)
        lines.append(" ".join(words))
    return "\n".join(lines) + "\n"


GROUPS = [[f"g{g}w{i}" for i in range(5)] for g in range(6)]


def trained(tmp_path, groups: list[list[str]], seed: int, name: str) -> EmbeddingSet:
    from core.corpus import read_corpus
    from core.params import TrainParams
    from core.train import train

    path = tmp_path / f"{name}.txt"
    path.write_text(planted(groups), encoding="utf-8")
    return train(read_corpus(path), TrainParams(dim=16, min_count=1, epochs=5, seed=seed, threads=2))


@pytest.mark.slow
def test_two_seeds_agree_and_a_word_moved_to_another_group_changes_most(tmp_path):
    group_words = [w for g in GROUPS for w in g]
    one, two = trained(tmp_path, GROUPS, 1, "a"), trained(tmp_path, GROUPS, 2, "a")
    seeds = neighbour_overlap(one, two, k=4, words=group_words)
    assert seeds.mean_overlap >= 0.8
    # g0w0 now keeps company with group 1
    moved_groups = [GROUPS[0][1:], GROUPS[1] + ["g0w0"], *GROUPS[2:]]
    other = trained(tmp_path, moved_groups, 1, "b")
    report = neighbour_overlap(one, other, k=4, words=group_words)
    worst = report.most_changed(3)
    assert worst[0].word == "g0w0" and worst[0].overlap <= 0.25
    assert sum(w.startswith("g1") for w in worst[0].neighbours_b) >= 3
    m = joint_map(one, other, group_words)
    assert m.words[int(np.argmax(m.shift))] == "g0w0"


# -- the command -------------------------------------------------------------------------------
@pytest.fixture
def two_bundles(tmp_path):
    a = random_set(n=60, dim=8, seed=3)
    b = moved(a, "w5")
    return bundle.save(a, tmp_path / "a"), bundle.save(b, tmp_path / "b"), neighbour_overlap(a, b, k=4)


def test_compare_prints_the_mean_then_the_most_changed(two_bundles):
    pa, pb, report = two_bundles
    out = cli("compare", pa, pb, "-k", "4", "--top", "5").stdout.splitlines()
    worst = report.most_changed(5)
    width = max(len(e.word) for e in worst)
    assert out == [
        "shared words: all 60; k = 4, neighbours searched among the compared words",
        f"mean overlap: {report.mean_overlap:.4f}",
        "most changed (5, lowest overlap first):",
        *(f"{e.word:<{width}}  {e.overlap:.4f}" for e in worst),
    ]
    assert out[3].split()[0] == "w5"
    limited = cli("compare", pa, pb, "--words", "20", "-k", "3").stdout.splitlines()
    assert (
        limited[0]
        == "shared words: the 20 most frequent (in A) of 60; k = 3, neighbours searched among the compared words"
    )
    assert len(limited) == 3 + 20  # --top 50, but only 20 words were compared


def test_compare_json(two_bundles):
    pa, pb, report = two_bundles
    got = json.loads(cli("compare", pa, pb, "-k", "4", "--top", "3", "--json").stdout)
    assert set(got) == {"shared_words", "mean_overlap", "words"}
    assert got["shared_words"] == 60 and got["mean_overlap"] == pytest.approx(report.mean_overlap)
    assert got["words"] == [{"word": e.word, "overlap": e.overlap} for e in report.most_changed(3)]
    assert got["words"][0]["word"] == "w5"
    every = json.loads(cli("compare", pa, pb, "-k", "4", "--top", "0", "--json").stdout)["words"]
    assert len(every) == 60 and [d["overlap"] for d in every] == sorted(d["overlap"] for d in every)


@pytest.mark.parametrize("which", ["a", "b"])
def test_compare_with_a_missing_folder_is_one_line_on_stderr(two_bundles, tmp_path, which):
    pa, pb, _ = two_bundles
    missing = tmp_path / "nowhere"
    r = cli("compare", *((missing, pb) if which == "a" else (pa, missing)), check=False)
    assert r.returncode != 0 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "nowhere" in lines[0]


def test_compare_usage_errors_are_one_line(two_bundles):
    pa, pb, _ = two_bundles
    for args in (["-k", "60"], ["--top", "-1"], []):
        r = cli("compare", pa, *([pb] if args else []), *args, check=False)
        assert r.returncode != 0 and r.stdout == "" and len(r.stderr.strip().splitlines()) == 1, r.stderr


# -- the analogy, explained ----------------------------------------------------------------------
def test_d_lies_at_b_minus_a_plus_c_in_the_plane():
    es = random_set(n=80, dim=12, seed=8)
    p = plane(es, "w1", "w2", "w3", ["w10", "w11"])
    a, b, c, d = (p.point(x) for x in "abcd")
    assert (a.x, a.y) == (0.0, 0.0) and abs(b.y) < 1e-12 and b.x > 0  # origin a, first axis b - a
    assert d.x == pytest.approx(b.x - a.x + c.x) and d.y == pytest.approx(b.y - a.y + c.y)
    assert max(q.off_plane for q in (a, b, c, d)) < 1e-9
    u = es.unit_vectors.astype(np.float64)
    assert np.hypot(b.x, b.y) == pytest.approx(np.linalg.norm(u[2] - u[1]))  # distances are kept
    assert np.hypot(c.x - b.x, c.y - b.y) == pytest.approx(np.linalg.norm(u[3] - u[2]))
    assert [q.word for q in p.answers] == ["w10", "w11"] and all(q.off_plane > 0 for q in p.answers)
    with pytest.raises(InvalidArgumentError, match="no plane"):
        plane(es, "w1", "w1", "w3")


def test_input_ranks_say_where_the_left_out_words_would_be():
    es = bundle.open_bundle(SAMPLE_BUNDLE)
    for method in ("add", "mul"):
        s = scores(es, "man", "king", "woman", method)
        order = [es.words[i] for i in np.argsort(-s, kind="stable")]
        ranks = input_ranks(es, "man", "king", "woman", method)
        assert [r.role for r in ranks] == ["a", "b", "c"]
        for r in ranks:
            assert order.index(r.word) + 1 == r.rank and r.score == pytest.approx(float(s[es.index(r.word)]))
        # the answer left the inputs out: it is the best of the rest
        best = next(w for w in order if w not in ("man", "king", "woman"))
        assert search.analogy(es, "man", "king", "woman", k=1, method=method)[0][0] == best
    e = explain(es, "man", "king", "woman", k=5)
    assert e.add[0][0] == "queen" and e.mul[0][0] == "queen" and len(e.add) == len(e.mul) == 5
    assert e.add_ranks[1].rank < e.add_ranks[0].rank  # king itself is close to king - man + woman
    assert e.plane is not None and [q.word for q in e.plane.answers] == [w for w, _ in e.add]
    flat = explain(es, "king", "king", "woman")
    assert flat.plane is None and "no plane" in flat.plane_problem
