"""Quiz rounds (core.quiz), without Streamlit: real answers, distinct options, replayable."""

import numpy as np
import pytest

from core import EmbeddingSet, bundle, search
from core.errors import InvalidArgumentError
from core.query import is_stop_word
from core.quiz import KINDS, make_round, quiz_words
from tests.helpers import SAMPLE_BUNDLE


@pytest.fixture(scope="module")
def sample():
    return bundle.open_bundle(SAMPLE_BUNDLE)


def mean_cosine_with_the_others(es: EmbeddingSet, words) -> list[float]:
    u = es.unit_vectors[[es.index(w) for w in words]].astype(np.float64)
    sims = u @ u.T
    return [(sims[i].sum() - sims[i, i]) / (len(words) - 1) for i in range(len(words))]


@pytest.mark.parametrize("number", range(0, 20, 2))
def test_the_odd_one_out_is_least_similar_to_the_others(sample, number):
    r = make_round(sample, seed=3, number=number)
    assert r.kind == "odd_one_out" and len(r.options) == 4 == len(set(r.options)) and r.answer in r.options
    means = mean_cosine_with_the_others(sample, r.options)
    odd = r.options.index(r.answer)
    assert all(means[odd] < m for i, m in enumerate(means) if i != odd)
    assert np.allclose(r.scores, means, atol=1e-6)
    assert search.doesnt_match(sample, list(r.options)) == r.answer == r.model_answer
    # three words of one tight neighbourhood: each is closer to the other two than the odd one is
    mates = [w for w in r.options if w != r.answer]
    for w in mates:
        near = {x for x, _ in search.neighbors(sample, w, k=len(sample) - 1, exact=True)[:40]}
        assert set(mates) - {w} <= near


@pytest.mark.parametrize("number", range(1, 20, 2))
def test_one_option_is_the_true_nearest_neighbour(sample, number):
    r = make_round(sample, seed=3, number=number)
    assert r.kind == "nearest" and r.target and r.target not in r.options
    assert len(r.options) == 4 == len(set(r.options))
    pool = quiz_words(sample)
    # the true nearest among the quiz's words, computed here by core.search over that pool
    sub = sample.subset([sample.index(w) for w in pool])
    assert r.answer == search.neighbors(sub, r.target, k=1, exact=True)[0][0] == r.model_answer
    cos = [sample.similarity(r.target, w) for w in r.options]
    assert np.allclose(r.scores, cos, atol=1e-5)
    assert r.options[int(np.argmax(cos))] == r.answer and sorted(cos)[-2] < max(cos)
    assert r.target in r.question


def test_same_seed_same_round_other_seed_other_rounds(sample):
    for number in range(4):
        assert make_round(sample, 11, number) == make_round(sample, 11, number)
    assert [make_round(sample, 11, n) for n in range(6)] != [make_round(sample, 12, n) for n in range(6)]
    assert make_round(sample, 11, 0, kind="nearest").kind == "nearest"


def test_quiz_words_are_frequent_and_not_common_words(sample):
    words = quiz_words(sample, 50)
    assert len(words) == 50 and not any(is_stop_word(w) for w in words)
    freq = [int(sample.counts[sample.index(w)]) for w in words]
    assert freq == sorted(freq, reverse=True)
    r = make_round(sample, 5, 0, pool=50)
    assert set(r.options) <= set(words)


def test_a_set_too_small_or_a_bad_kind_is_a_clear_error():
    tiny = EmbeddingSet(["the", "of", "cat", "dog", "red"], np.eye(5, dtype=np.float32))
    with pytest.raises(InvalidArgumentError, match="a quiz needs at least"):
        make_round(tiny, 0)
    rng = np.random.default_rng(0)
    es = EmbeddingSet([f"word{i}" for i in range(30)], rng.normal(size=(30, 6)).astype(np.float32))
    with pytest.raises(InvalidArgumentError, match="unknown quiz kind"):
        make_round(es, 0, kind="riddle")
    for kind in KINDS:
        assert make_round(es, 0, kind=kind).kind == kind
