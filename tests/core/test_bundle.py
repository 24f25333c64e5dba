import json

import numpy as np
import pytest

import core
from core import bundle
from core.errors import BundleError
from tests.helpers import random_set


def test_round_trip_is_exact_and_memory_mapped(tmp_path):
    es = random_set()
    bundle.save(es, tmp_path / "b", meta={"corpus": {"name": "x"}})
    back = core.load(tmp_path / "b")
    assert back.words == es.words and np.array_equal(back.vectors, es.vectors)
    assert list(back.counts) == list(es.counts)
    assert isinstance(back.vectors, np.memmap) and back.vectors.dtype == np.float32
    meta = json.loads((tmp_path / "b" / "meta.json").read_text())
    assert meta["format_version"] == 1 and meta["dimensions"] == 8 and meta["corpus"]["name"] == "x"
    assert "created" in meta


def test_unknown_counts_round_trip_as_none(tmp_path):
    bundle.save(random_set(counts=False), tmp_path / "b")
    assert core.load(tmp_path / "b").counts is None


def test_interrupted_save_keeps_the_previous_bundle(tmp_path, monkeypatch):
    old = random_set(seed=1)
    bundle.save(old, tmp_path / "b")

    def crash(es, path):
        path.write_bytes(b"half a matrix")
        raise KeyboardInterrupt  # as if the user pressed Ctrl-C midway

    monkeypatch.setattr(bundle, "_write_vectors", crash)
    with pytest.raises(KeyboardInterrupt):
        bundle.save(random_set(seed=2), tmp_path / "b")
    back = core.load(tmp_path / "b")
    assert np.array_equal(back.vectors, old.vectors)
    assert [p.name for p in tmp_path.iterdir()] == ["b"]  # no temporary folder left


def test_a_save_stopped_between_renames_is_recovered_on_open(tmp_path):
    es = random_set()
    bundle.save(es, tmp_path / "b")
    (tmp_path / "b").rename(tmp_path / ".b.old-xyz")  # the state between the two renames
    assert np.array_equal(core.load(tmp_path / "b").vectors, es.vectors)


def test_replacing_a_bundle(tmp_path):
    bundle.save(random_set(seed=1), tmp_path / "b")
    new = random_set(seed=2, n=30)
    bundle.save(new, tmp_path / "b")
    assert len(core.load(tmp_path / "b")) == 30
    assert [p.name for p in tmp_path.iterdir()] == ["b"]


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda d: np.save(d / "vectors.npy", np.full((50, 8), np.nan, np.float32)), "NaN or infinite"),
        (lambda d: np.save(d / "vectors.npy", np.zeros((49, 8), np.float32)), "50 words but 49 vector rows"),
        (lambda d: (d / "vocab.tsv").unlink(), "no vocab.tsv"),
        (lambda d: (d / "meta.json").write_text("{oops"), "meta.json: damaged"),
        (lambda d: np.save(d / "vectors.npy", np.zeros((50, 8), np.float64)), "dtype float64"),
        (lambda d: (d / "vocab.tsv").write_text("w0\t1\n"), "header"),
    ],
)
def test_damaged_bundles_are_refused_with_a_clear_message(tmp_path, damage, message):
    bundle.save(random_set(), tmp_path / "b")
    damage(tmp_path / "b")
    with pytest.raises(BundleError, match=message) as e:
        core.load(tmp_path / "b")
    assert "\n" not in str(e.value)


def test_missing_bundle(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such bundle"):  # a MissingFileError
        core.load(tmp_path / "nothing")
