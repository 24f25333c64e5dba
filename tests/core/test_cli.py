import json
import os
import subprocess
import sys

import numpy as np
import pytest

import core
from core import bundle
from tests.helpers import ROOT, planted_text, random_set


def cli(*args, check=True):
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}  # as a user runs it
    r = subprocess.run(
        [sys.executable, "-m", "core", *map(str, args)], cwd=ROOT, capture_output=True, text=True, env=env, timeout=300
    )
    if check:
        assert r.returncode == 0, r.stderr
    return r


@pytest.fixture
def small_bundle(tmp_path):
    es = random_set(n=40, dim=6)
    return bundle.save(es, tmp_path / "b"), es


def test_neighbors_json_matches_the_library(small_bundle):
    path, es = small_bundle
    r = cli("neighbors", path, "w3", "-k", "4", "--json")
    got = json.loads(r.stdout)
    want = es.neighbors("w3", k=4)
    assert [d["word"] for d in got] == [w for w, _ in want]
    assert np.allclose([d["score"] for d in got], [s for _, s in want])
    r = cli("neighbors", path, "w3", "-k", "2", "--metric", "euclidean")
    assert [line.split()[0] for line in r.stdout.splitlines()] == [w for w, _ in es.neighbors("w3", 2, "euclidean")]


def test_analogy_and_info(small_bundle):
    path, es = small_bundle
    got = json.loads(cli("analogy", path, "w1", "w2", "w3", "-k", "3", "--json").stdout)
    assert [d["word"] for d in got] == [w for w, _ in es.analogy("w1", "w2", "w3", k=3)]
    info = cli("info", path).stdout
    assert "words:      40" in info and "dimensions: 6" in info


def test_query_commands_do_not_import_tensorflow(small_bundle):
    path, _ = small_bundle
    p = str(path)
    code = (
        f"import sys; from core import cli; cli.main(['neighbors', {p!r}, 'w1', '--json']); "
        f"cli.main(['analogy', {p!r}, 'w1', 'w2', 'w3']); cli.main(['info', {p!r}]); "
        "sys.exit(int('tensorflow' in sys.modules))"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, "a query command imported TensorFlow"


def test_the_trainer_loads_tensorflow_without_keras_and_keras_still_loads_after():
    code = (
        "import sys; import core.train; assert 'keras' not in sys.modules, 'keras was loaded'; "
        "import keras; from core.quiet import import_tensorflow; tf = import_tensorflow(); "
        "assert tf.keras.layers.Dense is keras.layers.Dense"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]


def test_train_forks_its_reader_before_pandas_loads(tmp_path):
    """core.preread: pandas (0.3 s) is left to the reading child, so the parent starts on
    TensorFlow at once; the child's tokenizer still loads it."""
    corpus = tmp_path / "c.txt"
    corpus.write_text("a b c\n" * 50)
    code = f"""
import sys
import core.preread as pr
def spy(load, *args, **kwargs):
    print("parent had pandas:", "pandas" in sys.modules)
    from core.corpus import read_corpus
    print("words:", read_corpus(*args, **{{k: v for k, v in kwargs.items() if k != "progress"}}).words)
    print("then pandas:", "pandas" in sys.modules)
    sys.exit(0)
pr.read_while = spy
from core import cli
cli.main(["train", {str(corpus)!r}, "--out", {str(tmp_path / "out")!r}])
"""
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.splitlines() == ["parent had pandas: False", "words: ['a', 'b', 'c']", "then pandas: True"]


def test_the_trainer_loads_only_the_ops_it_uses_and_trains_with_them():
    """core.tf_lean: a fraction of TensorFlow's modules, the same functions as tf.*, training
    works, and a later `import tensorflow` still gets the whole package."""
    code = (
        "import sys, numpy as np; import core.train as t; from core.params import TrainParams; "
        "lean = sum(m.startswith('tensorflow') for m in sys.modules); "
        "ids = np.random.default_rng(0).integers(0, 30, 3000).astype(np.int32); "
        "from core.vocab import build_vocab; "
        "vocab, _ = build_vocab([f'w{i}' for i in range(30)], np.bincount(ids, minlength=30), 1, None); "
        "v = t.train_vectors(ids, vocab, TrainParams(dim=8, epochs=1, min_count=1)); "
        "assert v.shape == (30, 8) and np.isfinite(v).all() and v.std() > 0; "
        "import tensorflow as tf; "
        # the same objects, or those tf's weak-tensor wrappers call (the same unless NumPy-style
        # promotion is switched on)
        "same = lambda f, g: f is g or getattr(f, '__wrapped__', None) is g; "
        "names = ['matmul', 'gather', 'Variable', 'function', 'constant', 'reshape', 'concat', 'zeros', "
        "'shape', 'cast', 'reduce_sum', 'sigmoid', 'maximum', 'while_loop', 'TensorSpec', 'IndexedSlices']; "
        "assert all(same(getattr(tf, n), getattr(t.tf, n)) for n in names); "
        "assert same(tf.math.segment_sum, t.tf.math.segment_sum) and same(tf.math.softplus, t.tf.math.softplus); "
        "whole = sum(m.startswith('tensorflow') for m in sys.modules); "
        "assert lean < whole / 2, (lean, whole); print(lean, whole)"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]


def test_errors_are_one_line_without_traceback(small_bundle, tmp_path):
    path, _ = small_bundle
    for args, text in [
        (("neighbors", path, "w999"), "'w999' is not in the vocabulary; did you mean"),
        (("neighbors", tmp_path / "none", "x"), "no such bundle folder"),
        (("train", tmp_path / "missing.txt", "--out", tmp_path / "o"), "missing.txt: no such file"),
        (("export", path, "--format", "keras", "--out", tmp_path / "x"), "invalid choice"),
    ]:
        r = cli(*args, check=False)
        assert r.returncode != 0 and text in r.stderr
        assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert not (tmp_path / "o").exists() and not (tmp_path / "x").exists()


def test_export_then_import_round_trips(small_bundle, tmp_path):
    path, es = small_bundle
    for fmt, out in [
        ("word2vec", "v.txt"),
        ("word2vec-bin", "v.bin"),
        ("glove", "g.txt"),
        ("tsv", "proj"),
        ("npy", "m.npy"),
    ]:
        cli("export", path, "--format", fmt, "--out", tmp_path / out)
        cli("import", tmp_path / out, "--format", fmt, "--out", tmp_path / f"re-{fmt}")
        back = core.load(tmp_path / f"re-{fmt}")
        assert back.words == es.words and np.array_equal(back.vectors, es.vectors), fmt


@pytest.mark.slow
def test_train_command_builds_a_bundle(tmp_path):
    text, groups = planted_text()
    (tmp_path / "c.txt").write_text(text)
    r = cli(
        "train",
        tmp_path / "c.txt",
        "--out",
        tmp_path / "b",
        "--dim",
        "32",
        "--min-count",
        "1",
        "--model",
        "cbow",
        "--epochs",
        "5",
        "--seed",
        "4",
    )
    assert "saved" in r.stderr
    es = core.load(tmp_path / "b")
    assert es.meta["params"]["model"] == "cbow" and es.meta["params"]["seed"] == 4
    assert es.meta["corpus"]["name"] == "c.txt" and len(es.meta["corpus"]["sha256"]) == 64
    near = {w for w, _ in es.neighbors("g2w0", k=4)}
    assert len(near & set(groups[2])) >= 3
    # an output folder that is not a bundle is never overwritten
    (tmp_path / "keep").mkdir()
    (tmp_path / "keep" / "mine.txt").write_text("precious")
    r = cli("train", tmp_path / "c.txt", "--out", tmp_path / "keep", check=False)
    assert r.returncode != 0 and "not a bundle" in r.stderr
    assert (tmp_path / "keep" / "mine.txt").read_text() == "precious"


@pytest.mark.slow
def test_training_errors_and_results_are_alone_on_stderr(tmp_path):
    # TensorFlow's own start-up log (oneDNN, CUDA probing) must not surround the one line
    (tmp_path / "tiny.txt").write_text("a b c\n")
    r = cli("train", tmp_path / "tiny.txt", "--out", tmp_path / "x", check=False)
    assert r.returncode == 1
    assert r.stderr.startswith("error: no word occurs at least 5 times") and r.stderr.count("\n") == 1
    assert not (tmp_path / "x").exists()
    r = cli("train", tmp_path / "tiny.txt", "--out", tmp_path / "y", "--min-count", "1", "--dim", "4")
    assert r.stderr.startswith("saved 3 words x 4 dims") and r.stderr.count("\n") == 1, r.stderr


def test_usage_errors_name_the_real_command():
    r = cli("nope", check=False)
    assert r.returncode == 2 and r.stderr.rstrip().endswith("(see `python -m core --help`)")
    r = cli("train", "x.txt", check=False)
    assert r.returncode == 2 and "--out" in r.stderr and "(see `python -m core train --help`)" in r.stderr
    assert "core core" not in r.stderr


def test_training_options_come_from_the_parameters():
    from core.params import TrainParams

    text = " ".join(cli("train", "--help").stdout.split())
    for name, default, help_text in TrainParams.options():
        assert "--" + name.replace("_", "-") in text
        assert " ".join(help_text.split()) in text
        if default is not None:
            assert f"(default {default})" in text, name
