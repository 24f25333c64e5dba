import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import EmbeddingSet, UnknownWordError, W2VError
from tests.helpers import random_set


def brute(es, word, k, metric):
    v = np.asarray(es.vectors, dtype=np.float64)
    q = v[es.index(word)]
    if metric == "cosine":
        s = v @ q / np.linalg.norm(v, axis=1) / np.linalg.norm(q)
    elif metric == "dot":
        s = v @ q
    else:
        s = -np.linalg.norm(v - q, axis=1)
    order = [i for i in np.argsort(-s, kind="stable") if es.words[i] != word][:k]
    return [es.words[i] for i in order]


@pytest.mark.parametrize("metric", ["cosine", "dot", "euclidean"])
def test_neighbours_match_brute_force_and_exclude_the_query(metric):
    es = random_set(n=200, dim=16)
    for w in ["w0", "w57", "w199"]:
        got = es.neighbors(w, k=7, metric=metric)
        assert [x for x, _ in got] == brute(es, w, 7, metric)
        assert w not in [x for x, _ in got]
        scores = [s for _, s in got]
        assert scores == sorted(scores, reverse=metric != "euclidean")


def test_vector_queries_and_k_larger_than_vocab():
    es = random_set(n=5)
    got = es.neighbors(es.vector("w1"), k=10)
    assert len(got) == 5 and got[0][0] == "w1" and got[0][1] == pytest.approx(1.0)
    with pytest.raises(W2VError, match="dimensions"):
        es.neighbors(np.zeros(3))
    with pytest.raises(W2VError, match="k must be"):
        es.neighbors("w1", k=0)
    with pytest.raises(W2VError, match="unknown metric"):
        es.neighbors("w1", metric="manhattan")


def planted_analogy_set():
    # royalty and gender as two orthogonal directions
    base = {
        "man": [1, 0, 0, 0],
        "woman": [0, 1, 0, 0],
        "king": [1, 0, 1, 0],
        "queen": [0, 1, 1, 0],
        "apple": [0, 0, 0, 1],
        "prince": [0.9, 0, 0.8, 0.2],
    }
    return EmbeddingSet(list(base), np.array(list(base.values()), dtype=np.float32))


@pytest.mark.parametrize("method", ["add", "mul"])
def test_analogy_excludes_the_query_words(method):
    es = planted_analogy_set()
    got = es.analogy("man", "king", "woman", k=3, method=method)
    assert got[0][0] == "queen"
    assert not {"man", "king", "woman"} & {w for w, _ in got}


def test_similarity_and_odd_one_out():
    es = planted_analogy_set()
    assert es.similarity("king", "queen") == pytest.approx(0.5)
    assert es.similarity("man", "man") == pytest.approx(1.0)
    assert es.doesnt_match(["man", "king", "prince", "apple"]) == "apple"
    with pytest.raises(W2VError, match="at least two"):
        es.doesnt_match(["man"])


def test_unknown_word_names_close_spellings():
    es = EmbeddingSet(["king", "kings", "queen", "Paris"], np.eye(4, dtype=np.float32))
    with pytest.raises(UnknownWordError) as e:
        es.neighbors("kng")
    assert e.value.suggestions[0] in ("king", "kings") and "did you mean" in str(e.value)
    with pytest.raises(UnknownWordError) as e:
        es.similarity("paris", "king")
    assert e.value.suggestions[0] == "Paris"
    with pytest.raises(KeyError):  # also a KeyError, like a dict
        es.index("zzzzzz")


def test_duplicate_and_ragged_sets_are_refused():
    from core.errors import FormatError

    with pytest.raises(FormatError, match="'a' appears more than once"):
        EmbeddingSet(["a", "a"], np.zeros((2, 2)))
    with pytest.raises(FormatError, match="2 words but 3 vector rows"):
        EmbeddingSet(["a", "b"], np.zeros((3, 2)))


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 40), st.integers(1, 12), st.integers(0, 2**31), st.integers(1, 50))
def test_cosine_neighbours_are_sorted_and_bounded(n, dim, seed, k):
    es = random_set(n=n, dim=dim, seed=seed)
    got = es.neighbors("w0", k=k)
    assert len(got) == min(k, n - 1)
    scores = [s for _, s in got]
    assert scores == sorted(scores, reverse=True)
    assert all(-1.0001 <= s <= 1.0001 for s in scores)
