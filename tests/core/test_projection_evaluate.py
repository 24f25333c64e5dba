import numpy as np
import pytest

from core import EmbeddingSet, W2VError
from core.evaluate import analogies, word_pairs
from core.projection import kmeans_labels, pca
from tests.helpers import random_set


def test_pca_of_top_words_and_of_a_word_list():
    es = random_set(n=300, dim=20)
    es.counts[:] = np.random.default_rng(1).permutation(300)
    p = pca(es, top_n=100, components=3)
    assert p.coords.shape == (100, 3) and len(p.words) == 100
    assert set(p.rows) == set(np.argsort(-es.counts)[:100])
    ev = p.explained_variance_ratio
    assert list(ev) == sorted(ev, reverse=True) and 0 < ev.sum() <= 1
    q = pca(es, words=["w5", "w9", "w7"], components=2)
    assert q.words == ["w5", "w9", "w7"] and q.coords.shape == (3, 2)
    with pytest.raises(W2VError, match="not in the vocabulary"):
        pca(es, words=["w5", "nope"])


def test_pca_finds_the_dominant_direction():
    rng = np.random.default_rng(0)
    x = np.outer(rng.normal(size=200), [3, 4, 0, 0]) + rng.normal(scale=0.01, size=(200, 4))
    p = pca(EmbeddingSet([f"w{i}" for i in range(200)], x.astype(np.float32)), top_n=200)
    assert p.explained_variance_ratio[0] > 0.99


def test_kmeans_separates_two_clouds():
    rng = np.random.default_rng(0)
    x = np.vstack(
        [rng.normal(size=(30, 5)) * 0.05 + [5, 0, 0, 0, 0], rng.normal(size=(30, 5)) * 0.05 + [0, 5, 0, 0, 0]]
    )
    es = EmbeddingSet([f"w{i}" for i in range(60)], x.astype(np.float32))
    labels = kmeans_labels(es, es.top_rows(60), k=2)
    assert len(set(labels[:30])) == 1 and len(set(labels[30:])) == 1 and labels[0] != labels[30]


def test_word_pairs_spearman_and_coverage():
    es = EmbeddingSet(["a", "b", "c", "d"], np.array([[1, 0], [1, 0.1], [0, 1], [-1, 0]], np.float32))
    text = b"# comment\nword1\tword2\tscore\na\tb\t9\na\tc\t5\na\td\t1\nA\tzzz\t3\n"
    r = word_pairs(es, text)
    assert r.spearman == pytest.approx(1.0) and r.pairs_used == 3 and r.pairs_total == 4
    assert r.coverage == pytest.approx(0.75)


def test_analogies_per_section():
    es = EmbeddingSet(
        ["man", "woman", "king", "queen", "apple"],
        np.array([[1, 0, 0], [0, 1, 0], [1, 0, 1], [0, 1, 1], [0.5, 0.5, -1]], np.float32),
    )
    text = b": royal\nman king woman queen\nMan Woman King Queen\n: fruit\nman apple woman pear\n"
    r = analogies(es, text)
    assert r.sections == {"royal": (2, 2), "fruit": (0, 0)}
    assert r.accuracy == 1.0 and r.total == 3 and r.coverage == pytest.approx(2 / 3)


def test_detect_kind():
    from core.evaluate import detect_kind

    assert detect_kind(b": capital\nathens greece baghdad iraq\n") == "analogies"
    assert detect_kind(b"a b c d\ne f g h\n") == "analogies"
    assert detect_kind(b"# x\nold new 1.58\nsmart clever 9.2\n") == "word pairs"
