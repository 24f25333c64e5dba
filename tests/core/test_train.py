import threading

import numpy as np
import pytest

from core.corpus import Corpus, read_corpus
from core.errors import CancelledError, TrainingError
from core.train import TrainParams, train
from tests.helpers import planted_text

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    text, groups = planted_text()
    path = tmp_path_factory.mktemp("c") / "planted.txt"
    path.write_text(text, encoding="utf-8")
    return read_corpus(path), groups


def group_recall(es, groups) -> float:
    """Share of each word's top-(size-1) neighbours that are its group mates."""
    hits = total = 0
    for g in groups:
        for w in g:
            near = {n for n, _ in es.neighbors(w, k=len(g) - 1)}
            hits += len(near & set(g))
            total += len(g) - 1
    return hits / total


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_planted_groups_become_neighbours(planted, model):
    corpus, groups = planted
    es = train(corpus, TrainParams(model=model, dim=32, min_count=1, seed=3))
    assert group_recall(es, groups) >= 0.9
    # the contrast: untrained (random) vectors of the same shape do far worse
    from core import EmbeddingSet

    rnd = EmbeddingSet(es.words, np.random.default_rng(0).normal(size=es.vectors.shape))
    assert group_recall(rnd, groups) < 0.3
    assert es.meta["params"]["model"] == model and es.meta["corpus"]["name"] == "planted.txt"
    assert es.meta["corpus"]["lowercase"] is True  # queries are normalised the same way
    assert list(es.counts) == sorted(es.counts, reverse=True)


def test_same_seed_same_vectors_other_seed_other_vectors(planted):
    corpus, _ = planted
    p = TrainParams(dim=16, min_count=1, epochs=2, seed=11)
    a, b = train(corpus, p), train(corpus, p)
    assert np.array_equal(a.vectors, b.vectors)
    c = train(corpus, TrainParams(dim=16, min_count=1, epochs=2, seed=12))
    assert not np.array_equal(a.vectors, c.vectors)


def test_progress_reports_and_cancel_stops(planted):
    corpus, _ = planted
    seen = []
    train(corpus, TrainParams(dim=8, min_count=1, epochs=3, batch=16, steps=4), progress=seen.append)
    assert seen and seen[-1].fraction == pytest.approx(1.0, abs=1e-3)
    assert all(0 <= p.fraction <= 1 and p.words_per_sec > 0 and np.isfinite(p.loss) for p in seen)
    assert [p.fraction for p in seen] == sorted(p.fraction for p in seen)

    stop = threading.Event()
    calls = []

    def report(p):
        calls.append(p)
        stop.set()

    with pytest.raises(CancelledError, match="stopped"):
        train(corpus, TrainParams(dim=8, min_count=1, epochs=50, batch=16, steps=4), progress=report, cancel=stop)
    assert calls[-1].fraction < 0.5


@pytest.mark.parametrize(
    "bad, message",
    [
        (dict(model="glove"), "model must be"),
        (dict(dim=0), "dim must be"),
        (dict(sample=2.0), "sample must be"),
        (dict(lr=-1.0), "lr"),
        (dict(window=1.5), "window must be"),
        (dict(span=0), "span must be"),
        (dict(phrases=1, phrase_threshold=0.0), "phrase_threshold must be a number above 0"),
    ],
)
def test_bad_parameters_are_refused(planted, bad, message):
    with pytest.raises(TrainingError, match=message):
        train(planted[0], TrainParams(**bad))


def test_tiny_corpus_is_a_clear_error():
    c = Corpus(["a"], np.array([5]), np.zeros(1, np.int32), "t", "", 1)
    with pytest.raises(TrainingError, match="fewer than 2"):
        train(c, TrainParams(min_count=1))


def test_centres_per_step_shrink_on_a_tiny_vocabulary():
    p = TrainParams()
    assert p.spans_per_step(70_000) * p.span == 1024
    assert TrainParams(model="cbow").spans_per_step(70_000) * p.span == 2048
    assert p.spans_per_step(300) * p.span == 288  # at most one centre per vocabulary word
    assert p.spans_per_step(5) == 1
    assert TrainParams(batch=4096).spans_per_step(300) * p.span == 4096  # an explicit batch is kept


def test_training_that_diverges_is_a_clear_error_not_nan_vectors():
    import io
    import random

    rng = random.Random(0)
    words = [f"w{i}" for i in range(300)]
    # "the" is the context of every other word: without subsampling, its summed updates overshoot
    text = "\n".join(" ".join("the " + w for w in rng.choices(words, k=50)) for _ in range(400))
    c = read_corpus(("t.txt", io.BytesIO(text.encode())))
    with pytest.raises(TrainingError, match=r"training diverged.*--sample 1e-3"):
        train(c, TrainParams(epochs=1, dim=32, sample=0))
    es = train(c, TrainParams(epochs=1, dim=32))  # the advice works here
    assert np.isfinite(es.vectors).all()
