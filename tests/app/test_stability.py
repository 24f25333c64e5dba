"""Check stability: sets trained like each other but for the seed are found, the Neighbours page
says how many seeds agree on each neighbour, and the Train page queues the extra seeds."""

import numpy as np
import pytest

from core import bundle, jobs
from core.compare import same_training
from tests.app.test_pages import open_page  # noqa: F401 (the fixture)
from tests.app.test_pages import ws as ws
from tests.helpers import random_set

NEIGHBOURS = "pages/views/neighbours.py"
CORPUS = {"name": "c.txt", "sha256": "ab" * 32, "tokens": 100}


def trained_meta(seed: int, **params) -> dict:
    return {"source": "trained", "corpus": CORPUS, "params": {"model": "skipgram", "dim": 8, "seed": seed, **params}}


def test_same_training_ignores_only_the_seed_and_threads():
    a = trained_meta(1, threads=2)
    assert same_training(a, trained_meta(2, threads=1))
    assert not same_training(a, trained_meta(2, dim=16))  # other settings
    assert not same_training(a, {**trained_meta(2), "corpus": {**CORPUS, "sha256": "cd" * 32}})  # another corpus
    assert not same_training(a, {**trained_meta(2), "source": "imported from glove"})


def test_neighbours_say_how_many_seeds_agree(ws):
    base = random_set(60, seed=0)
    noisy = base.vectors + np.random.default_rng(1).normal(scale=0.3, size=base.vectors.shape).astype(np.float32)
    bundle.save(base, ws / "run", meta=trained_meta(1))
    bundle.save(type(base)(base.words, noisy, base.counts), ws / "run-seed2", meta=trained_meta(2))
    bundle.save(random_set(60, seed=5), ws / "other", meta=trained_meta(1, dim=16))  # not a sibling
    at = open_page(NEIGHBOURS, set="run", word="w3")
    (box,) = [e for e in at.expander if "How stable" in e.label]
    assert "2 seeds agree on" in box.label
    table = box.dataframe[0].value
    assert set(table["found by"]) <= {"1 of 2 seeds", "2 of 2 seeds"} and "2 of 2 seeds" in set(table["found by"])
    assert "other" not in " ".join(table["sets"])


def test_no_stability_box_without_other_seeds(ws):
    bundle.save(random_set(60), ws / "alone", meta=trained_meta(1))
    at = open_page(NEIGHBOURS, set="alone", word="w3")
    assert not [e for e in at.expander if "How stable" in e.label]


@pytest.mark.slow
def test_the_train_page_queues_the_extra_seeds(ws):
    from core import workspace
    from core.corpus import read_corpus
    from core.params import TrainParams
    from tests.app.test_train_page import fill, with_sample

    q = jobs.queue()
    corpus = read_corpus(workspace.SAMPLE_PATH.parent / "corpus.txt.gz")
    blocking = q.submit("blocker", corpus, TrainParams(dim=8, min_count=1, epochs=100, batch=16, steps=4))
    try:
        at = with_sample()
        next(n for n in at.number_input if n.label.startswith("Check stability")).set_value(2)
        fill(at, "st")
        at.run()
        queued = [q.snapshot(i) for i in at.session_state["train_jobs"]]
        assert [(j.name, j.params.seed) for j in queued] == [("st", 1), ("st-seed2", 2), ("st-seed3", 3)]
        for j in queued:
            q.cancel(j.id)
    finally:
        q.cancel(blocking)
