"""The Neighbours and Vector space pages: typed words found as the set spells them, lists with
unknown words, bars that mean "closer" for every metric, clickable neighbour words, the word the
page opens on, and hiding common words."""

import json

import pytest
from streamlit.testing.v1 import AppTest

import core
from core.query import first_meaningful_word, is_stop_word
from tests.app.test_pages import open_page, plain
from tests.helpers import ROOT, SAMPLE_BUNDLE
from ui.tables import closeness

pytestmark = pytest.mark.slow
NEIGHBOURS, SPACE = "pages/views/neighbours.py", "pages/views/space.py"


@pytest.fixture(autouse=True)
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("W2V_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.chdir(ROOT)
    return tmp_path / "ws"


def neighbour_words(at: AppTest) -> list[str]:
    """The clickable words of the neighbour list (buttons keyed nb-0, nb-1, ...)."""
    return [plain(b.label) for b in at.button if (b.key or "").startswith("nb-")]


def warnings(at: AppTest) -> str:
    return plain(" ".join(w.value for w in at.warning))


def captions(at: AppTest) -> str:
    return plain(" ".join(c.value for c in at.caption))


def text_input(at: AppTest, label: str):
    return next(t for t in at.text_input if t.label.startswith(label))


def figure(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def test_a_capitalised_word_typed_in_the_word_box_is_found():
    at = open_page(NEIGHBOURS, set="sample", word="paris")
    box = at.selectbox[0]
    box.options.append("King")  # the box accepts new options: "King" + Enter ("Add: King") sends "King"
    box.set_value("King").run()
    assert not at.exception and not at.warning, warnings(at)
    assert at.selectbox[0].value == "king" and at.query_params["word"] == "king"
    assert "queen" in neighbour_words(at)[:5]


def test_a_word_from_the_url_is_normalised_too():
    at = open_page(NEIGHBOURS, word="Queen,")
    assert not at.warning and at.selectbox[0].value == "queen"


def test_odd_one_out_takes_a_comma_separated_list_and_skips_unknown_words():
    at = open_page(NEIGHBOURS)
    box = text_input(at, "words, separated")
    box.set_value("Dog, Cat, Paris").run()
    assert not at.warning, warnings(at)
    assert {m.label: m.value for m in at.metric}["does not match"] == "paris"

    box.set_value("Dog, Cat, Kingg, Paris, qqqzzz").run()
    assert {m.label: m.value for m in at.metric}["does not match"] == "paris"  # the known words still answer
    said = warnings(at)
    assert (
        "'kingg' (did you mean 'king'" in said and "'qqqzzz'" in said
    )  # every unknown word is named (lowercased, as the sample's text was)

    box.set_value("dog, cat").run()
    assert "does not match" not in {m.label for m in at.metric}
    assert "at least three" in captions(at)


def test_an_empty_analogy_box_waits_for_input():
    at = open_page(NEIGHBOURS)
    text_input(at, "a").set_value("").run()
    assert not at.exception and not at.error
    assert "not in the vocabulary" not in warnings(at)
    assert "Fill in a, b and c" in captions(at)
    text_input(at, "a").set_value("Man").run()  # capitals and all
    analogy = next(d.value for d in at.dataframe if "word" in d.value.columns)  # after the "why" panel's tables
    assert "queen" in list(analogy["word"][:3])


def test_euclidean_bars_are_longer_for_closer_words():
    at = open_page(NEIGHBOURS, word="king")
    next(s for s in at.selectbox if s.label == "Metric").set_value("euclidean").run()
    bars = at.get("progress")
    assert len(bars) == 10
    lengths = [b.proto.value for b in bars]
    distances = [float(b.proto.text) for b in bars]
    assert lengths[0] == 100 and lengths == sorted(lengths, reverse=True)  # best first, full bar
    assert distances == sorted(distances)  # the distance is still shown, smallest first
    assert "distance" in captions(at)


def test_closeness_reads_the_same_way_for_every_metric():
    assert closeness([0.8, 0.5, -0.1], "cosine") == [0.8, 0.5, 0.0]
    assert closeness([4.0, 2.0], "dot") == [1.0, 0.5]
    assert closeness([1.5, 3.0], "euclidean") == [1.0, 0.5]
    assert closeness([0.0, 2.0], "euclidean") == [1.0, 0.0]  # a duplicate vector: no division by zero
    assert closeness([], "euclidean") == []


def test_clicking_a_neighbour_word_explores_it():
    at = open_page(NEIGHBOURS, word="paris")
    first = neighbour_words(at)[0]
    at.button(key="nb-0").click().run()
    assert not at.exception
    assert at.selectbox[0].value == first and at.query_params["word"] == first
    assert first not in neighbour_words(at)


def test_the_page_opens_on_a_meaningful_word_and_can_hide_common_words():
    es = core.load(SAMPLE_BUNDLE)
    assert es.words[es.top_rows(1)[0]] == "the"
    at = open_page(NEIGHBOURS)
    assert at.selectbox[0].value == first_meaningful_word(es) and not is_stop_word(at.selectbox[0].value)
    at = open_page(NEIGHBOURS, word="the")
    next(s for s in at.slider if s.label == "How many").set_value(50).run()
    assert any(is_stop_word(w) for w in neighbour_words(at))
    next(t for t in at.toggle if t.label == "Hide common words").set_value(True).run()
    shown = neighbour_words(at)
    assert len(shown) == 50 and not any(is_stop_word(w) for w in shown)


def test_a_word_list_is_labelled_and_its_unknown_words_are_named_and_skipped():
    at = open_page(SPACE)
    next(r for r in at.radio if r.label == "Points").set_value("my word list").run()
    at.text_area[0].set_value("King, queen, Pariss man\nxyzzy woman").run()
    assert not at.exception
    said = warnings(at)
    assert "'pariss' (did you mean 'paris'" in said and "'xyzzy'" in said
    fig = figure(at)
    assert fig["data"][0]["text"] == ["king", "queen", "man", "woman"]
    # every word of a list is labelled (annotations placed so they do not pile up)
    assert sorted(a["text"] for a in fig["layout"]["annotations"]) == ["king", "man", "queen", "woman"]


def test_an_unknown_highlight_word_still_draws_the_map():
    at = open_page(SPACE, word="Pariss")
    assert "did you mean 'paris'" in warnings(at)
    assert not [t for t in figure(at)["data"] if t["name"].endswith("and neighbours")]
    text_input(at, "Highlight").set_value("Paris").run()
    assert figure(at)["data"][1]["text"][0] == "paris" and at.query_params["word"] == "paris"
    assert figure(at)["data"][1]["name"] == "paris and neighbours"


def test_the_map_can_hide_common_words():
    at = open_page(SPACE)
    assert any(is_stop_word(w) for w in figure(at)["data"][0]["text"])
    next(t for t in at.toggle if t.label == "Hide common words").set_value(True).run()
    words = figure(at)["data"][0]["text"]
    assert words and not any(is_stop_word(w) for w in words)
    assert "common words hidden" in captions(at)
