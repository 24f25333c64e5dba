import numpy as np
import pytest

from core.errors import TrainingError
from core.vocab import build_vocab, encode_lines


def test_min_count_max_vocab_and_order():
    words = ["a", "b", "c", "d", "e"]
    counts = np.array([5, 9, 1, 5, 7])
    v, remap = build_vocab(words, counts, min_count=5)
    assert v.words == ["b", "e", "a", "d"]  # by count, ties in first-seen order
    assert list(v.counts) == [9, 7, 5, 5]
    assert list(remap) == [2, 0, -1, 3, 1]
    v2, _ = build_vocab(words, counts, min_count=1, max_vocab=2)
    assert v2.words == ["b", "e"]
    assert list(encode_lines(np.array([0, 2, 1, 4]), remap, np.array([0])).ids) == [2, 0, 1]


def test_subsampling_matches_mikolov_formula_as_in_gensim():
    v, _ = build_vocab(["x", "y"], np.array([9000, 1000]), min_count=1)
    sample = 1e-3
    t = sample * 10000
    expected = [(np.sqrt(c / t) + 1) * t / c for c in (9000, 1000)]
    assert np.allclose(v.keep_probs(sample), np.minimum(expected, 1))
    assert (v.keep_probs(0) == 1).all()
    p = v.noise_distribution()
    assert p.sum() == pytest.approx(1) and p[0] / p[1] == pytest.approx(9**0.75)


def test_nothing_left_is_a_clear_error():
    with pytest.raises(TrainingError, match="no word occurs at least 10 times"):
        build_vocab(["a"], np.array([3]), min_count=10)
