"""Corpus and Evaluate pages: what a failed read, repeated uploads and results say."""

import pytest

from tests.app.test_pages import open_page, plain, texts, ws  # noqa: F401  (ws: the workspace fixture)

pytestmark = pytest.mark.slow


def read(at, files):
    at.file_uploader[0].set_value([(name, data, "text/plain") for name, data in files]).run()
    next(b for b in at.button if b.label == "Read the uploaded files").click().run()
    assert not at.exception
    return at


def test_a_failed_read_leaves_no_old_figures_behind():
    at = read(open_page("pages/views/corpus.py"), [("good.txt", b"the cat and the dog and the bird")])
    assert {m.label: m.value for m in at.metric}["Tokens"] == "8"
    at = read(at, [("bin.txt", b"\x00\x01\x02" * 50)])
    assert "NUL bytes" in plain(at.error[0].value)
    assert not at.metric and "No corpus yet" in texts(at)  # good.txt's counts are gone


def test_the_same_file_uploaded_twice_is_read_once_and_said_so():
    at = read(open_page("pages/views/corpus.py"), [("a.txt", b"one two three"), ("b.txt", b"one two three")])
    assert {m.label: m.value for m in at.metric}["Tokens"] == "3"
    assert "uploaded twice (same content): b.txt" in plain(at.warning[0].value)


def test_min_count_chosen_on_corpus_is_remembered():
    at = read(open_page("pages/views/corpus.py"), [("a.txt", b"one two three two three three")])
    next(n for n in at.number_input if n.label == "min_count").set_value(2).run()
    assert at.session_state["corpus_min_count"] == 2
    at = open_page("pages/views/corpus.py", at)
    assert next(n for n in at.number_input if n.label == "min_count").value == 2
    assert "**2** words occur at least 2 times" in texts(at)
    at = open_page("pages/views/train.py", at)  # Train starts from the same value
    assert next(n for n in at.number_input if n.label == "Min count").value == 2


def test_word_pairs_are_explained_and_missing_pairs_listed():
    at = open_page("pages/views/evaluate.py")
    data = b"king queen 9\nman woman 8\nparis berlin 7\nking apple 1\nzzzz king 3\n"
    at.file_uploader[0].set_value(("pairs.txt", data, "text/plain")).run()
    assert not at.exception
    assert "agreement with human judgement" in texts(at) and "WordSim-353" in texts(at)
    assert "outside the vocabulary (not counted) (1)" in at.expander[0].label
    assert at.dataframe[0].value.values.tolist() == [["zzzz", "king"]]


def test_analogy_accuracy_reads_the_same_in_the_headline_and_the_table():
    at = open_page("pages/views/evaluate.py")
    data = b": royal\nman king woman queen\nboy prince girl princess\n: capitals\nfrance paris germany berlin\n"
    at.file_uploader[0].set_value(("q.txt", data, "text/plain")).run()
    table = at.dataframe[0].value
    correct, covered = table["correct"].sum(), table["covered"].sum()
    headline = {m.label: m.value for m in at.metric}["Accuracy"]
    assert headline == f"{100 * correct / covered:.1f}%"
    assert at.dataframe[0].proto.columns and "%" in str(at.dataframe[0].proto.columns)
