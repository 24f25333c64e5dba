import numpy as np
import pytest

import core
from core import EmbeddingSet
from core.query import (
    STOP_WORDS,
    common_words,
    describe_unknown,
    first_meaningful_word,
    frequent_words,
    keeps_case,
    lookup,
    normalize_word,
    split_words,
)
from tests.helpers import SAMPLE_BUNDLE


def make(words, meta=None, counts=None):
    rng = np.random.default_rng(0)
    return EmbeddingSet(words, rng.normal(size=(len(words), 4)).astype(np.float32), counts, meta)


def test_case_is_folded_only_when_the_typed_form_is_unknown():
    es = make(["king", "queen", "Paris", "paris", "u.s."])
    assert normalize_word(es, "King") == "king"
    assert normalize_word(es, "  QUEEN ") == "queen"
    assert normalize_word(es, "Paris") == "Paris"  # both spellings exist: the typed one is kept
    assert normalize_word(es, "U.S.") == "u.s."  # a vocabulary word made with punctuation


def test_surrounding_punctuation_is_stripped():
    es = make(["dog", "cat", "don't", "well-known"])
    assert normalize_word(es, "Dog,") == "dog"
    assert normalize_word(es, "(cat)") == "cat"
    assert normalize_word(es, '"Don\'t!"') == "don't"  # inner apostrophes and hyphens stay
    assert normalize_word(es, "well-known.") == "well-known"
    assert normalize_word(es, "   ") == ""
    assert normalize_word(es, "?!") == "?!"  # nothing left to strip down to


def test_an_unknown_word_comes_back_cleaned_so_its_error_suggests_the_right_words():
    es = make(["king", "queen"])
    assert normalize_word(es, "Kingg,") == "Kingg"
    lowered = make(["king", "queen"], meta={"corpus": {"lowercase": True}})
    assert normalize_word(lowered, "Kingg,") == "kingg"


def test_a_set_that_kept_case_is_not_lowercased():
    es = make(["King", "king", "Queen"], meta={"params": {"lowercase": False}})
    assert keeps_case(es) is True
    assert normalize_word(es, "KING") == "KING"  # not folded to "king": case is meaningful here
    assert normalize_word(es, "Queen.") == "Queen"
    assert keeps_case(make(["a"], meta={"params": {"dim": 4}})) is None
    assert keeps_case(make(["a"], meta={"corpus": {"keep_case": True}})) is True


def test_lists_split_on_commas_and_spaces():
    assert split_words("Dog, Cat, Paris") == ["Dog", "Cat", "Paris"]
    assert split_words(" king\nqueen;man ,, woman ") == ["king", "queen", "man", "woman"]
    assert split_words("  ") == []


def test_lookup_reports_every_unknown_word_with_suggestions_and_keeps_the_rest():
    es = make(["king", "queen", "paris", "berlin"])
    known, unknown = lookup(es, split_words("King, Queen, Pariss, xyzzy, king"))
    assert known == ["king", "queen"]  # in order, each once
    assert [e.word for e in unknown] == ["Pariss", "xyzzy"]
    assert "paris" in unknown[0].suggestions
    line = describe_unknown(unknown)
    assert "2 words" in line and "'Pariss' (did you mean 'paris'?)" in line and "'xyzzy'" in line


def test_the_first_meaningful_word_skips_stop_words_short_words_and_numbers():
    words = ["the", "of", "a", "to", "1990", "ox", "it's", "people", "city"]
    es = make(words, counts=np.arange(len(words), 0, -1))
    assert first_meaningful_word(es) == "people"
    assert first_meaningful_word(make(["the", "of"])) == "the"  # nothing better: still a word


def test_common_words_and_frequent_words_hide_stop_words_in_the_sets_spelling():
    words = ["The", "the", "city", "of", "people", "And", "river"]
    es = make(words, counts=np.arange(len(words), 0, -1))
    assert set(common_words(es)) == {"The", "the", "of", "And"}
    assert frequent_words(es, 3) == ["The", "the", "city"]
    assert frequent_words(es, 3, hide_common=True) == ["city", "people", "river"]  # the next words fill in
    assert {"the", "of", "and", "she"} <= STOP_WORDS


@pytest.mark.parametrize("typed", ["king", "King", "KING", " king,"])
def test_typed_forms_of_a_sample_word_find_it(typed):
    es = core.load(SAMPLE_BUNDLE)
    assert es.index(normalize_word(es, typed)) == es.index("king")
