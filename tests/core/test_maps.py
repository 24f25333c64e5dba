"""Maps of the vector space: PCA, t-SNE, UMAP and semantic axes, in core and through the CLI."""

import csv
import io

import numpy as np
import pytest

import core
from core.axes import axes_layout, parse_axis
from core.corpus import read_corpus
from core.errors import InvalidArgumentError
from core.labels import matches, read_labels
from core.params import TrainParams
from core.projection import choose_rows, layout
from tests.core.test_cli import cli
from tests.helpers import SAMPLE_BUNDLE, planted_text


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    from core.train import train

    text, groups = planted_text(sentences=3000)
    path = tmp_path_factory.mktemp("c") / "planted.txt"
    path.write_text(text, encoding="utf-8")
    return train(read_corpus(path), TrainParams(dim=16, min_count=1, seed=3)), groups


def group_mates_near(result, groups, k=4) -> float:
    """Share of each group word's k nearest points on the map that are its group mates."""
    where = {w: i for i, w in enumerate(result.words)}
    hits = total = 0
    for g in groups:
        for w in g:
            d = np.linalg.norm(result.coords - result.coords[where[w]], axis=1)
            near = {result.words[i] for i in np.argsort(d)[1 : k + 1]}
            hits, total = hits + len(near & set(g)), total + k
    return hits / total


@pytest.mark.slow
@pytest.mark.parametrize("method", ["pca", "tsne", "umap"])
@pytest.mark.parametrize("dims", [2, 3])
def test_every_method_gives_one_finite_row_per_word_and_repeats_for_a_seed(planted, method, dims):
    es, _ = planted
    rows = choose_rows(es, top_n=60)
    a, b = layout(es, rows, method, dims, seed=4), layout(es, rows, method, dims, seed=4)
    assert a.coords.shape == (60, dims) and np.isfinite(a.coords).all()
    assert a.words == [es.words[i] for i in rows]
    assert np.array_equal(a.coords, b.coords)


@pytest.mark.slow
@pytest.mark.parametrize("method", ["tsne", "umap"])
def test_planted_groups_stay_together_in_2d(planted, method):
    es, groups = planted
    result = layout(es, choose_rows(es, top_n=len(es)), method, 2, seed=1)
    assert group_mates_near(result, groups) >= 0.8
    shuffled = type(result)(result.words, result.rows, np.random.default_rng(0).permutation(result.coords), method)
    assert group_mates_near(shuffled, groups) < 0.3  # the contrast: the same points, scrambled


def test_progress_is_reported_and_stopping_stops():
    es = core.load(SAMPLE_BUNDLE)
    seen = []
    layout(es, choose_rows(es, 200), "tsne", 2, seed=0, progress=seen.append)
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)
    with pytest.raises(core.CancelledError):
        layout(es, choose_rows(es, 200), "tsne", 2, seed=0, progress=lambda f: True)


def test_semantic_axes_put_queen_farther_along_gender_than_king():
    es = core.load(SAMPLE_BUNDLE)
    rows = choose_rows(es, words=["king", "queen", "man", "woman", "prince", "princess"])
    got = axes_layout(es, rows, parse_axis(es, "man:woman"), parse_axis(es, "boy, girl -> king, queen"))
    x = dict(zip(got.words, got.coords[:, 0], strict=True))
    y = dict(zip(got.words, got.coords[:, 1], strict=True))
    assert x["queen"] > x["king"] and x["princess"] > x["prince"] and x["woman"] > x["man"]
    assert y["king"] > y["man"] and y["queen"] > y["woman"]  # royalty up
    assert np.all(np.abs(got.coords) <= 1 + 1e-6)  # cosines
    formula = parse_axis(es, "king - man + woman")
    assert formula.vector @ es.unit_vectors[es.index("queen")] > formula.vector @ es.unit_vectors[es.index("man")]


@pytest.mark.parametrize(
    "spec, error, message",
    [
        ("man:wommn", KeyError, "did you mean 'woman'"),
        ("man:", ValueError, "empty side"),
        ("man:man", ValueError, "no direction"),
        ("a:b:c", ValueError, "more than one"),
    ],
)
def test_bad_axes_say_what_is_wrong(spec, error, message):
    es = core.load(SAMPLE_BUNDLE)
    with pytest.raises(error, match=message):
        parse_axis(es, spec)


def test_metadata_files_and_search():
    table = read_labels(b"word\ttheme\tsize\nking\troyal\tbig\ncat\tanimal\tsmall\n")
    assert table.columns == ["theme", "size"] and table.labels(["cat", "dog"], "theme") == ["animal", "(none)"]
    plain = read_labels(b"king\troyal\ncat\tanimal\n")
    assert plain.columns == ["label"] and plain.labels(["king"], "label") == ["royal"]
    with pytest.raises(ValueError, match="line 2: 1 columns, expected 2 like line 1"):
        read_labels(b"king\troyal\ncat\n")
    words = ["king", "queen", "kingdom", "cat"]
    assert matches(words, "KING") == [True, False, True, False]
    assert matches(words, r"^(king|cat)$", regex=True) == [True, False, False, True]
    with pytest.raises(InvalidArgumentError, match="not a valid regular expression"):
        matches(words, "(", regex=True)


def read_csv(path):
    return list(csv.reader(io.StringIO(path.read_text())))


@pytest.mark.slow
def test_map_and_axes_commands_write_the_csv_contract(tmp_path):
    (tmp_path / "w.txt").write_text("queen\nKing\nman\nwoman\nparis\nberlin\nqueen\n")
    cli("map", SAMPLE_BUNDLE, "--method", "pca", "--words", tmp_path / "w.txt", "--out", tmp_path / "m.csv")
    rows = read_csv(tmp_path / "m.csv")
    assert rows[0] == ["word", "x", "y"] and [r[0] for r in rows[1:]] == [
        "queen",
        "king",
        "man",
        "woman",
        "paris",
        "berlin",
    ]
    cli(
        "map",
        SAMPLE_BUNDLE,
        "--method",
        "tsne",
        "--top",
        "40",
        "--dims",
        "3",
        "--seed",
        "2",
        "--out",
        tmp_path / "t.csv",
    )
    rows = read_csv(tmp_path / "t.csv")
    es = core.load(SAMPLE_BUNDLE)
    assert rows[0] == ["word", "x", "y", "z"] and [r[0] for r in rows[1:]] == [es.words[i] for i in es.top_rows(40)]
    assert all(np.isfinite(float(v)) for r in rows[1:] for v in r[1:])
    cli(
        "axes",
        SAMPLE_BUNDLE,
        "--x",
        "man:woman",
        "--y",
        "boy,girl:king,queen",
        "--words",
        tmp_path / "w.txt",
        "--out",
        tmp_path / "a.csv",
    )
    x = {r[0]: float(r[1]) for r in read_csv(tmp_path / "a.csv")[1:]}
    assert x["queen"] > x["king"]

    r = cli("axes", SAMPLE_BUNDLE, "--x", "man:wommn", "--y", "a:b", "--out", tmp_path / "b.csv", check=False)
    assert r.returncode == 1 and r.stderr.startswith("error: 'wommn' is not in the vocabulary; did you mean 'woman'")
    assert r.stderr.count("\n") == 1 and not (tmp_path / "b.csv").exists()
    r = cli("map", SAMPLE_BUNDLE, "--method", "pca", "--out", tmp_path / "m.csv", check=False)
    assert r.returncode == 1 and "exists; pass --force" in r.stderr
    cli("map", SAMPLE_BUNDLE, "--method", "pca", "--out", tmp_path / "m.csv", "--force")
    assert len(read_csv(tmp_path / "m.csv")) == 1 + min(1000, len(es))


# -- the store of layouts the Vector space page shares between sessions (core.layout_jobs) -----


def wait_until(job, states=("done", "failed", "cancelled"), timeout=60.0):
    import time

    deadline = time.monotonic() + timeout
    while job.state not in states:
        assert time.monotonic() < deadline, f"layout still {job.state}"
        time.sleep(0.02)
    return job


def fake_layout(n=3):
    return core.projection.Layout([f"w{i}" for i in range(n)], np.arange(n), np.zeros((n, 2)), "tsne")


def test_two_sessions_asking_for_one_layout_share_one_run():
    import threading

    from core.layout_jobs import LayoutJobs

    jobs, calls, gate = LayoutJobs(), [], threading.Event()

    def run(progress):
        calls.append(1)
        progress(0.5)
        gate.wait(10)
        return fake_layout()

    a = jobs.submit(("set", "tsne", 1), run, owner="A", method="tsne", points=3)
    b = jobs.submit(("set", "tsne", 1), run, owner="B", method="tsne", points=3)
    assert a is b and a.owners == {"A", "B"}
    wait_until(a, states=("running",))
    gate.set()
    assert wait_until(a).state == "done" and a.result.words == ["w0", "w1", "w2"] and len(calls) == 1
    assert jobs.submit(("set", "tsne", 1), run, owner="C") is a and len(calls) == 1  # kept: no new run
    assert jobs.has_run("tsne") and not jobs.has_run("umap")


def test_a_layout_no_session_wants_stops_and_one_still_wanted_runs_on():
    es = core.load(SAMPLE_BUNDLE)
    from core.layout_jobs import LayoutJobs

    jobs = LayoutJobs()
    rows = choose_rows(es, 250)

    def run(progress):
        return layout(es, rows, "tsne", 2, seed=0, progress=progress)

    job = jobs.submit(("s", 1), run, owner="A", method="tsne")
    jobs.submit(("s", 1), run, owner="B", method="tsne")
    jobs.release(("s", 1), "A")
    assert not job.cancel.is_set()  # B still watches it
    jobs.release(("s", 1), "B")
    assert wait_until(job).state == "cancelled" and job.result is None
    again = jobs.submit(("s", 1), run, owner="A", method="tsne")  # asked for again: a fresh run
    assert again is not job and wait_until(again).state == "done" and again.fraction == 1.0
    assert again.result.coords.shape == (250, 2)


def test_failures_are_reported_and_only_the_last_layouts_are_kept():
    from core.layout_jobs import LayoutJobs

    jobs = LayoutJobs(keep=3)

    def bad(progress):
        raise InvalidArgumentError("need at least 5 words for a tsne map, got 2")

    def broken(progress):
        raise RuntimeError("boom")

    assert wait_until(jobs.submit(("bad",), bad, owner="A")).error.startswith("need at least 5 words")
    failed = wait_until(jobs.submit(("broken",), broken, owner="A", method="umap"))
    assert failed.state == "failed" and "RuntimeError: boom" in failed.error
    calls = []
    for i in range(5):
        jobs.run_inline(("pca", i), lambda i=i: calls.append(i) or fake_layout(i + 1), method="pca")
    assert jobs.get(("pca", 4)).result.words == [f"w{i}" for i in range(5)]
    assert jobs.get(("pca", 0)) is None and jobs.get(("bad",)) is None  # the oldest went
    jobs.run_inline(("pca", 4), lambda: calls.append("again") or fake_layout(), method="pca")
    assert calls == [0, 1, 2, 3, 4]  # a kept layout is not computed again


def test_words_key_follows_the_words_and_their_order():
    from core.layout_jobs import words_key

    assert words_key(["a", "b"]) == words_key(["a", "b"]) != words_key(["b", "a"])
    assert words_key(["a,b"]) != words_key(["a", "b"])
