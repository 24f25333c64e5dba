"""Two saves of one bundle name at once, in threads and in processes: exclusive saves never
replace, of two one wins and the other is told, and one that finds a bundle appearing while it
writes loses (issue 17)."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import numpy as np
import pytest

import core
from core import EmbeddingSet, bundle
from core.errors import OutputExistsError, W2VError
from tests.core.test_bad_vectors_bundles import one_line
from tests.helpers import random_set


def _race(tmp_path: Path, monkeypatch, exclusive: bool) -> list:
    """Two threads save different sets as tmp_path/b; both are past their checks and have written
    their files before either renames (a barrier in the vector writer)."""
    barrier = threading.Barrier(2, timeout=60)
    real = bundle._write_vectors

    def write_then_wait(es, path):
        real(es, path)
        barrier.wait()

    monkeypatch.setattr(bundle, "_write_vectors", write_then_wait)
    sets = [random_set(seed=1), random_set(seed=2, n=30)]
    results: list = [None, None]

    def run(i: int) -> None:
        try:
            bundle.save(sets[i], tmp_path / "b", exclusive=exclusive)
            results[i] = sets[i]
        except Exception as exc:  # noqa: BLE001 - the test looks at what was raised
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_two_exclusive_saves_of_one_name_one_wins_the_other_is_told(tmp_path, monkeypatch):
    results = _race(tmp_path, monkeypatch, exclusive=True)
    winners = [r for r in results if isinstance(r, EmbeddingSet)]
    losers = [r for r in results if isinstance(r, BaseException)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], OutputExistsError) and isinstance(losers[0], FileExistsError)
    assert "exists already (another session may have just saved it); choose another name" in one_line(losers[0])
    back = core.load(tmp_path / "b")  # the winner's set, whole
    assert back.words == winners[0].words and np.array_equal(back.vectors, winners[0].vectors)
    assert [p.name for p in tmp_path.iterdir()] == ["b"]  # the loser's temporary folder is gone


def _save_in_process(path: str, seed: int, n: int, barrier) -> str:
    real = bundle._write_vectors

    def write_then_wait(es, p):
        real(es, p)
        barrier.wait()

    bundle._write_vectors = write_then_wait
    try:
        bundle.save(random_set(seed=seed, n=n), path, exclusive=True)
        return "saved"
    except W2VError as exc:
        return f"{type(exc).__name__}: {exc}"


def _process_main(path: str, seed: int, n: int, barrier, results) -> None:
    results.put((seed, _save_in_process(path, seed, n, barrier)))


def test_two_processes_saving_one_name(tmp_path):
    ctx = multiprocessing.get_context("spawn")  # a fresh interpreter each, as two servers would be
    barrier, results = ctx.Barrier(2, timeout=120), ctx.Queue()
    procs = [
        ctx.Process(target=_process_main, args=(str(tmp_path / "b"), seed, n, barrier, results))
        for seed, n in ((1, 50), (2, 30))
    ]
    for p in procs:
        p.start()
    outcome = dict(results.get(timeout=180) for _ in procs)
    for p in procs:
        p.join(60)
    assert sorted(v.split(":")[0] for v in outcome.values()) == ["OutputExistsError", "saved"], outcome
    winner = next(seed for seed, v in outcome.items() if v == "saved")
    expected = random_set(seed=winner, n=50 if winner == 1 else 30)
    back = core.load(tmp_path / "b")
    assert back.words == expected.words and np.array_equal(back.vectors, expected.vectors)
    assert [p.name for p in tmp_path.iterdir()] == ["b"]


def test_an_exclusive_save_never_replaces(tmp_path):
    first = random_set(seed=1)
    bundle.save(first, tmp_path / "b", exclusive=True)
    with pytest.raises(OutputExistsError, match="exists already"):
        bundle.save(random_set(seed=2), tmp_path / "b", exclusive=True)
    assert np.array_equal(core.load(tmp_path / "b").vectors, first.vectors)
    (tmp_path / "empty").mkdir()  # even an empty folder is not taken over
    with pytest.raises(OutputExistsError):
        bundle.save(first, tmp_path / "empty", exclusive=True)
    (tmp_path / "b").rename(tmp_path / ".b.old-x")  # a replace stopped between its two renames
    with pytest.raises(OutputExistsError):
        bundle.save(random_set(seed=3), tmp_path / "b", exclusive=True)
    assert np.array_equal(core.load(tmp_path / "b").vectors, first.vectors)  # put back, not lost
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b", "empty"]
    bundle.save(random_set(seed=4), tmp_path / "b")  # the default still replaces, as before
    assert np.array_equal(core.load(tmp_path / "b").vectors, random_set(seed=4).vectors)


def test_an_exclusive_save_loses_to_a_bundle_that_appears_while_it_writes(tmp_path, monkeypatch):
    other = random_set(seed=9, n=20)
    real = bundle._write_vectors

    def meanwhile(es, path):
        real(es, path)
        monkeypatch.setattr(bundle, "_write_vectors", real)
        bundle.save(other, tmp_path / "b")  # another session saves the name first

    monkeypatch.setattr(bundle, "_write_vectors", meanwhile)
    with pytest.raises(OutputExistsError):
        bundle.save(random_set(seed=1), tmp_path / "b", exclusive=True)
    assert core.load(tmp_path / "b").words == other.words
    assert [p.name for p in tmp_path.iterdir()] == ["b"]


# -- in the app: the message is on the page ----------------------------------------------------------
