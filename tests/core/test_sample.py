"""The bundled sample answers the planted analogies, and the generator reproduces its corpus."""

import gzip

import pytest

import core
from sample_data.generate import make_corpus
from tests.helpers import ROOT, SAMPLE_BUNDLE


def test_bundled_sample_answers_the_planted_analogies():
    es = core.load(SAMPLE_BUNDLE)
    assert "queen" in [w for w, _ in es.analogy("man", "king", "woman", k=3)]
    assert "berlin" in [w for w, _ in es.analogy("france", "paris", "germany", k=3)]
    assert es.meta["source"] == "trained" and es.meta["params"]["model"] == "skipgram"


def test_sample_corpus_is_generated_by_the_script():
    with gzip.open(ROOT / "sample_data" / "corpus.txt.gz", "rt", encoding="utf-8") as f:
        assert f.read() == make_corpus()


@pytest.mark.slow
def test_retraining_the_sample_with_defaults_gives_the_same_answers():
    from core.corpus import read_corpus
    from core.train import TrainParams, train

    es = train(read_corpus(ROOT / "sample_data" / "corpus.txt.gz"), TrainParams(seed=5))
    assert "queen" in [w for w, _ in es.analogy("man", "king", "woman", k=3)]
    assert "berlin" in [w for w, _ in es.analogy("france", "paris", "germany", k=3)]


def test_the_sample_spells_its_plurals():
    from sample_data.generate import plural

    assert [plural(w) for w in ("fox", "mouse", "sheep", "cat", "goose")] == ["foxes", "mice", "sheep", "cats", "geese"]
    words = set(core.load(SAMPLE_BUNDLE).words)
    assert not words & {"mouses", "foxs", "sheeps", "gooses", "deers", "wolfs"}
    assert {"foxes", "mice"} <= words
