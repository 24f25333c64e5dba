"""Issue 17, vector files and bundles: each bad input ends in a one-line message (an exception of
the project's own, one line on stderr and a non-zero exit in the CLI, a box on the page in the
app) and nothing half-written. The per-line cases of the text formats, TSV and npy are in
test_bad_inputs.py; here: .keras models that would run code, zero vectors, words an export
format cannot hold, damaged bundles and bundles from the future (two saves of one name: in
test_concurrent_saves.py).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

import core
from core import EmbeddingSet, bundle, cli, formats, search
from core.embeddings import normalize
from core.errors import BundleError, FormatError
from core.evaluate import analogies, word_pairs
from tests.helpers import ROOT, random_set


def one_line(exc: BaseException) -> str:
    message = str(exc)
    assert message and "\n" not in message, repr(message)
    return message


def cli_error(capsys, *argv) -> str:
    """Run the CLI; it must fail with exactly one line on stderr (no traceback, no 'unexpected')."""
    code = cli.main([str(a) for a in argv])
    err = capsys.readouterr().err
    assert code != 0, err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and "unexpected" not in err, err
    return err


# -- .keras models: no Embedding layer, a Lambda layer, a custom registered class ---------------

RAN: list[str] = []  # what the custom layer's own code did, if it ever ran


@pytest.fixture(scope="module")
def keras_files(tmp_path_factory) -> Path:
    import keras

    d = tmp_path_factory.mktemp("keras")
    inp = keras.Input(shape=(2,), dtype="int32")
    out = keras.layers.Lambda(lambda t: t * 2, name="lam")(keras.layers.Embedding(3, 2, name="emb")(inp))
    keras.Model(inp, out).save(d / "lambda.keras")

    @keras.saving.register_keras_serializable(package="w2v_test")
    class Spy(keras.layers.Layer):  # registered in this very process: Keras would happily build it
        def __init__(self, **kwargs):
            RAN.append("__init__")
            super().__init__(**kwargs)

        def call(self, t):
            RAN.append("call")
            return t

        @classmethod
        def from_config(cls, config):
            RAN.append("from_config")
            return cls(**config)

    inp = keras.Input(shape=(2,), dtype="int32")
    keras.Model(inp, Spy(name="spy")(keras.layers.Embedding(3, 2, name="emb")(inp))).save(d / "custom.keras")
    keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)]).save(d / "dense.keras")
    (d / "notzip.keras").write_bytes(b"not a zip at all")
    (d / "v.txt").write_text("a\nb\nc\n")
    RAN.clear()
    return d


KERAS_CASES = {
    "lambda": r"lambda\.keras: the model has a Lambda layer, whose Python code is never run \(unsafe\)",
    "custom": r"custom\.keras: the model uses custom code \('w2v_test>Spy'\), which is never run \(unsafe\)",
    "dense": r"dense\.keras: the model has no Embedding layer; nothing to import",
    "notzip": r"notzip\.keras: not a \.keras model",
}


@pytest.mark.parametrize("case", list(KERAS_CASES))
def test_keras_models_that_cannot_be_imported_are_refused_without_running_their_code(
    keras_files, tmp_path, capsys, case
):
    path = keras_files / f"{case}.keras"
    with pytest.raises(FormatError, match=KERAS_CASES[case]) as e:
        formats.read(path, "keras", vocab=keras_files / "v.txt")
    one_line(e.value)
    err = cli_error(
        capsys, "import", path, "--format", "keras", "--vocab", keras_files / "v.txt", "--out", tmp_path / "o"
    )
    assert f"{case}.keras" in err
    assert not (tmp_path / "o").exists() and list(tmp_path.iterdir()) == []
    assert RAN == []  # not one line of the custom layer ran


def test_a_plain_keras_model_still_imports(tmp_path):
    import keras

    tv = keras.layers.TextVectorization(vocabulary=["cat", "dog"])
    keras.Sequential([keras.Input(shape=(1,), dtype="string"), tv, keras.layers.Embedding(4, 3)]).save(
        tmp_path / "m.keras"
    )
    assert formats.read(tmp_path / "m.keras", "keras").words == ["[UNK]", "cat", "dog"]


# -- zero vectors: cosine never divides by zero ----------------------------------------------------


@pytest.fixture
def zero_set() -> EmbeddingSet:
    rng = np.random.default_rng(3)
    words = ["zero"] + [f"w{i}" for i in range(58)] + ["zero2"]
    v = rng.normal(size=(len(words), 8)).astype(np.float32)
    v[0] = 0  # a zero-vector word, and a zero row among the others
    v[-1] = 0
    return EmbeddingSet(words, v, np.arange(len(words), 0, -1))


def finite(pairs) -> list[float]:
    scores = [s for _, s in pairs]
    assert scores and np.isfinite(scores).all(), pairs
    return scores


@pytest.fixture
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a divide-by-zero or invalid-value warning fails the test
        yield


@pytest.mark.parametrize("metric", ["cosine", "dot", "euclidean"])
def test_neighbours_of_a_zero_vector_word_are_finite(zero_set, no_warnings, metric):
    scores = finite(zero_set.neighbors("zero", k=10, metric=metric))
    if metric != "euclidean":
        assert scores == [0.0] * 10
    finite(search.neighbors(zero_set, np.zeros(8, np.float32), k=5, metric=metric))


def test_a_zero_row_among_others_scores_zero(zero_set, no_warnings):
    pairs = dict(zero_set.neighbors("w1", k=len(zero_set) - 1))
    assert pairs["zero"] == 0.0 and pairs["zero2"] == 0.0
    finite(pairs.items())


def test_analogy_similarity_and_odd_one_out_with_zero_vectors(zero_set, no_warnings):
    for method in ("add", "mul"):
        finite(zero_set.analogy("zero", "w1", "w2", k=5, method=method))
        finite(zero_set.analogy("zero", "zero2", "w3", k=5, method=method))
        finite(zero_set.analogy("w1", "zero", "zero2", k=5, method=method))
    assert zero_set.similarity("zero", "w1") == 0.0 and zero_set.similarity("zero", "zero2") == 0.0
    assert zero_set.doesnt_match(["zero", "w1", "w2"]) in ("zero", "w1", "w2")
    assert zero_set.doesnt_match(["zero", "zero2"]) in ("zero", "zero2")


def test_evaluation_with_zero_vectors(zero_set, no_warnings):
    r = word_pairs(zero_set, b"zero w1 3\nw1 w2 4\nw3 zero2 1\nw4 w5 2\n")
    assert np.isfinite(r.spearman) and r.pairs_used == 4
    # every model score is 0 (all pairs touch a zero vector): undefined, said as NaN, no scipy warning
    assert np.isnan(word_pairs(zero_set, b"zero w1 3\nzero w2 4\nzero2 w3 1\n").spearman)
    a = analogies(zero_set, b": s\nzero w1 w2 w3\nw1 zero w2 w3\nw1 w2 zero zero2\nw1 w2 w3 w4\n")
    assert a.covered == 4 and 0.0 <= a.accuracy <= 1.0


def test_the_ann_index_with_zero_vectors(zero_set, tmp_path, no_warnings):
    bundle.save(zero_set, tmp_path / "b", index=True)
    es = core.load(tmp_path / "b")
    assert es.ann is not None and "index_problem" not in es.meta
    assert finite(es.neighbors("zero", k=5)) == [0.0] * 5
    approx, exact = dict(es.neighbors("w1", k=10)), dict(es.neighbors("w1", k=10, exact=True))
    finite(approx.items())
    assert set(approx) & set(exact)
    finite(es.analogy("zero", "w1", "w2", k=5))


def test_unit_vectors_of_extreme_rows_are_finite_and_of_length_one(no_warnings):
    m = np.array([[3e38, 3e38], [-3.4e38, 1], [1e-30, 1e-30], [1e-45, 0], [3, 4], [0, 0]], np.float32)
    u = normalize(m)
    assert np.isfinite(u).all()
    assert np.allclose(np.linalg.norm(u[:5], axis=1), 1) and not u[5].any()
    assert np.allclose(u[4], [0.6, 0.8])
    es = EmbeddingSet(["a", "b", "c", "d", "e", "f"], m)
    finite(es.neighbors("a", k=5))


# -- words an export format cannot hold -------------------------------------------------------------


@pytest.mark.parametrize(
    "fmt, word, message",
    [
        ("word2vec", "new york", r"the word 'new york' is empty or contains whitespace; word2vec files cannot hold it"),
        ("glove", "a\tb", r"'a\\tb' is empty or contains whitespace; glove files cannot hold it"),
        ("word2vec-bin", "new york", r"word2vec-bin files cannot hold it"),
        ("word2vec", "", r"the word '' is empty"),
        ("tsv", "a\tb", r"the word 'a\\tb' contains a tab or line break; the Projector format cannot hold it"),
        ("npy", "a\nb", r"the word 'a\\nb' contains a line break; it cannot be written one per line"),
    ],
)
def test_export_refuses_words_the_format_cannot_hold(tmp_path, fmt, word, message):
    es = EmbeddingSet(["ok", word], np.ones((2, 3), np.float32))
    with pytest.raises(FormatError, match=message) as e:
        formats.write(es, tmp_path / "out", fmt)
    one_line(e.value)
    assert list(tmp_path.iterdir()) == []  # nothing written, no temporary left


def test_cli_export_of_a_word_with_a_space(tmp_path, capsys):
    es = EmbeddingSet(["new york", "paris"], np.ones((2, 3), np.float32))
    bundle.save(es, tmp_path / "b")  # a bundle holds it (word<TAB>count)
    assert core.load(tmp_path / "b").words == ["new york", "paris"]
    err = cli_error(capsys, "export", tmp_path / "b", "--format", "word2vec", "--out", tmp_path / "v.txt")
    assert "the word 'new york' is empty or contains whitespace; word2vec files cannot hold it" in err
    assert not (tmp_path / "v.txt").exists()
    cli_error(capsys, "export", tmp_path / "b", "--format", "glove", "--out", tmp_path / "g.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b"]
    formats.write(core.load(tmp_path / "b"), tmp_path / "proj", "tsv")  # the Projector format can hold a space
    assert formats.read(tmp_path / "proj", "tsv").words == ["new york", "paris"]


def test_a_bundle_refuses_a_word_with_a_tab(tmp_path):
    with pytest.raises(BundleError, match=r"the word 'a\\tb' contains a tab or line break") as e:
        bundle.save(EmbeddingSet(["a\tb"], np.ones((1, 2), np.float32)), tmp_path / "b")
    one_line(e.value)
    assert list(tmp_path.iterdir()) == []


# -- damaged bundles ----------------------------------------------------------------------------------


def _truncate(p: Path) -> None:
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])


def _garbage(p: Path) -> None:
    p.write_bytes(np.random.default_rng(0).integers(0, 256, max(p.stat().st_size, 64), dtype=np.uint8).tobytes())


DAMAGES = {
    "missing": lambda p: p.unlink(),
    "truncated": _truncate,
    "garbage": _garbage,
    "empty": lambda p: p.write_bytes(b""),
}


@pytest.fixture(scope="module")
def good_bundle(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("good") / "b"
    bundle.save(random_set(n=60), d, index=True)  # with its search index files
    return d


def damaged(good: Path, tmp_path: Path, name: str, damage: str) -> Path:
    import shutil

    d = tmp_path / "b"
    shutil.copytree(good, d)
    DAMAGES[damage](d / name)
    return d


@pytest.mark.parametrize("damage", list(DAMAGES))
@pytest.mark.parametrize("name", [bundle.VECTORS, bundle.VOCAB, bundle.META])
def test_a_damaged_bundle_file_is_refused_in_one_line(good_bundle, tmp_path, capsys, name, damage):
    d = damaged(good_bundle, tmp_path, name, damage)
    with pytest.raises(BundleError) as e:
        core.load(d)
    message = one_line(e.value)
    assert name in message or (damage == "truncated" and name == bundle.VOCAB)  # "28 words but 60 vector rows"
    assert "re-save" in message or "not a saved bundle" in message  # and what to do
    assert "allow_pickle" not in message  # numpy's advice is not for a damaged bundle
    cli_error(capsys, "info", d)
    cli_error(capsys, "neighbors", d, "w1")


@pytest.mark.parametrize("damage", list(DAMAGES))
@pytest.mark.parametrize("name", ["index.faiss", "index.json"])
def test_a_damaged_search_index_is_set_aside_and_search_is_exact(good_bundle, tmp_path, capsys, name, damage):
    d = damaged(good_bundle, tmp_path, name, damage)
    es = core.load(d)  # the vectors are fine: the set opens
    assert es.ann is None
    if not (damage == "missing" and name == "index.faiss"):  # no index at all is no problem
        problem = one_line(es.meta["index_problem"])
        assert "python -m core index" in problem  # says how to rebuild it
    good = core.load(good_bundle)
    assert es.neighbors("w1", k=5) == good.neighbors("w1", k=5, exact=True)
    assert cli.main(["info", str(d)]) == 0
    out = capsys.readouterr().out
    assert "search:     exact" in out


@pytest.mark.parametrize(
    "change, message",
    [
        ({"format_version": 2}, r"bundle format 2 is newer than this program understands \(1\); upgrade"),
        ({"format_version": 99}, r"bundle format 99 is newer"),
        ({"format_version": "2"}, r"format_version '2' is not a whole number"),
        ({"format_version": None}, r"format_version None is not a whole number"),
        ({"corpus": "text8"}, r"'corpus' is not a JSON object"),
        ({"params": [1, 2]}, r"'params' is not a JSON object"),
        ({"words": 7}, r"meta\.json says 7 x 8 but the files hold 60 x 8"),
    ],
)
def test_meta_json_from_the_future_or_of_the_wrong_shape(good_bundle, tmp_path, capsys, change, message):
    d = damaged(good_bundle, tmp_path, "meta.json", "missing")
    meta = json.loads((good_bundle / "meta.json").read_text())
    (d / "meta.json").write_text(json.dumps({**meta, **change}))
    with pytest.raises(BundleError, match=message) as e:
        core.load(d)
    assert one_line(e.value) in cli_error(capsys, "info", d)


def test_a_meta_json_that_is_not_an_object(good_bundle, tmp_path):
    d = damaged(good_bundle, tmp_path, "meta.json", "missing")
    (d / "meta.json").write_text("[1, 2]")
    with pytest.raises(BundleError, match="not a JSON object"):
        core.load(d)


@pytest.mark.slow
def test_the_app_says_why_a_damaged_or_future_set_cannot_be_used(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    ws = tmp_path / "ws"
    monkeypatch.setenv("W2V_WORKSPACE", str(ws))
    monkeypatch.chdir(ROOT)
    bundle.save(random_set(), ws / "broken")
    _truncate(ws / "broken" / bundle.VECTORS)
    bundle.save(random_set(), ws / "noindex", index=True)
    _garbage(ws / "noindex" / "index.faiss")
    bundle.save(random_set(), ws / "future")
    meta = json.loads((ws / "future" / bundle.META).read_text())
    (ws / "future" / bundle.META).write_text(json.dumps({**meta, "format_version": 2}))

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params["set"] = "broken"
    at.run()
    at.switch_page("pages/views/neighbours.py").run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "The set 'broken' cannot be opened" in errors[0], errors
    assert "vectors.npy" in errors[0] and "\n" not in errors[0]

    at.query_params["set"] = "noindex"  # opens; its damaged index is named, and search is exact
    at.switch_page("pages/views/neighbours.py").run()
    assert not at.exception and not at.error
    notes = [w.value for w in at.warning]
    assert any("the search index is damaged" in n and "exactly" in n for n in notes), notes
    assert [b for b in at.button if (b.key or "").startswith("nb-")]  # the neighbours are there

    at.switch_page("pages/views/library.py").run()
    assert not at.exception
    notes = " ".join(w.value for w in at.warning)
    assert "future" in notes and "newer than this program understands" in notes, notes
