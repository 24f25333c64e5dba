"""The Compare and Quiz pages, and the Neighbours page's analogy explained, through app.py's
navigation (Streamlit's AppTest)."""

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import core
from core import EmbeddingSet, bundle
from core.compare import neighbour_overlap
from core.quiz import make_round
from tests.app.test_pages import open_page, plain
from tests.helpers import ROOT, SAMPLE_BUNDLE

pytestmark = pytest.mark.slow
COMPARE, QUIZ, NEIGHBOURS = "pages/views/compare.py", "pages/views/quiz.py", "pages/views/neighbours.py"


@pytest.fixture(autouse=True)
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("W2V_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.chdir(ROOT)
    return tmp_path / "ws"


@pytest.fixture
def other(ws) -> EmbeddingSet:
    """The sample, rotated, with 'paris' moved next to 'banana': saved as the set 'other'."""
    es = core.load(SAMPLE_BUNDLE)
    v = np.array(es.vectors, dtype=np.float64)
    v[es.index("paris")] = v[es.index("banana")] + 0.01
    q, _ = np.linalg.qr(np.random.default_rng(0).normal(size=(es.dim, es.dim)))
    moved = EmbeddingSet(es.words, (v @ q).astype(np.float32), es.counts)
    bundle.save(moved, ws / "other")
    return moved


def figures(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_compare_shows_the_mean_the_histogram_the_tables_and_the_joint_map(other):
    at = open_page(COMPARE)
    assert not at.error, [e.value for e in at.error]
    assert at.selectbox(key="cmp_a").value == "sample" and at.selectbox(key="cmp_b").value == "other"
    want = neighbour_overlap(core.load(SAMPLE_BUNDLE), other, k=10)
    got = metrics(at)
    assert got["mean overlap"] == f"{want.mean_overlap:.3f}" and float(got["mean overlap"]) < 1.0
    assert got["words compared"] == f"{len(want.vocab):,}"
    hist, joint = figures(at)
    assert sum(hist["data"][0]["y"]) == len(want.vocab) and len(hist["data"][0]["x"]) == 11
    most, least = at.dataframe[0].value, at.dataframe[1].value
    assert most["word"][0] == "paris" and list(most["word"]) == [e.word for e in want.most_changed(25)]
    assert list(least["overlap"]) == sorted(least["overlap"], reverse=True)
    assert "banana" in most["neighbours in B"][0]
    # the map: 30 words, an arrow each; paris has the longest arrow
    assert joint["data"][0]["text"] == [e.word for e in want.most_changed(30)]
    arrows = joint["layout"]["annotations"]
    assert len(arrows) == 30
    lengths = [np.hypot(a["x"] - a["ax"], a["y"] - a["ay"]) for a in arrows]
    assert int(np.argmax(lengths)) == 0

    at.radio[0].set_value("words I type").run()
    next(t for t in at.text_input if t.label.startswith("Words")).set_value("King, queen, paris, qqq").run()
    assert not at.exception
    assert figures(at)[1]["data"][0]["text"] == ["king", "queen", "paris"]
    assert "'qqq'" in plain(" ".join(w.value for w in at.warning))


def test_compare_checks_stability_and_a_too_large_k_is_one_message(other):
    at = open_page(COMPARE)
    box = at.text_input(key="stab_word")
    box.set_value("Paris").run()
    assert not at.exception
    assert metrics(at)["mean pairwise overlap"] == "0.000"  # paris moved: no neighbour in common
    box.set_value("king").run()
    assert float(metrics(at)["mean pairwise overlap"]) == 1.0
    seen = at.dataframe[-1].value
    assert set(seen["in sets"]) == {"2 of 2"}
    at.number_input(key="cmp_limit").set_value(20).run()
    at.number_input(key="cmp_k").set_value(30).run()
    assert not at.exception and len(at.error) == 1
    assert plain(at.error[0].value) == (
        "k=30 needs at least 31 shared words to compare, but there are 20; "
        "choose a smaller k or sets with more words in common"
    )


def test_compare_with_only_the_sample_says_what_to_do():
    at = open_page(COMPARE)
    assert "only one set" in plain(at.info[0].value) and metrics(at)["mean overlap"] == "1.000"


def test_quiz_rounds_reveal_the_model_and_move_on():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["quiz_seed"] = 7
    at.run()
    at = open_page(QUIZ, at)
    es = core.load(SAMPLE_BUNDLE)
    first = make_round(es, 7, 0)
    options = [b for b in at.button if (b.key or "").startswith("quiz-option-")]
    assert [plain(b.label) for b in options] == list(first.options)
    assert first.question in plain(at.subheader[0].value) and not at.dataframe
    wrong = next(i for i, w in enumerate(first.options) if w != first.answer)
    options[wrong].click().run()
    assert f"the answer is '{first.answer}'" in plain(at.warning[0].value)
    assert f"The model says '{first.model_answer}'" in plain(at.info[0].value)
    table = at.dataframe[0].value
    assert list(table["word"]) == list(first.options) and np.allclose(table[first.score_label], first.scores)
    assert all(b.disabled for b in at.button if (b.key or "").startswith("quiz-option-"))

    at.button(key="quiz-next").click().run()
    second = make_round(es, 7, 1)
    assert second.kind == "nearest" and second.question in plain(at.subheader[0].value) and not at.dataframe
    at.button(key=f"quiz-option-{second.options.index(second.answer)}").click().run()
    assert "right" in plain(at.success[0].value)

    at.number_input[0].set_value(8).run()  # another seed: the quiz starts again
    assert at.session_state["quiz_seed"] == 8 and at.session_state["quiz_round"] == 0
    assert [plain(b.label) for b in at.button if (b.key or "").startswith("quiz-option-")] == list(
        make_round(es, 8, 0).options
    )


def test_the_analogy_explained_ranks_the_inputs_and_draws_the_parallelogram():
    at = open_page(NEIGHBOURS, word="king")
    # the analogy's three tables (the "why" panel above them has tables of its own)
    add, mul, ranks = [d.value for d in at.dataframe if "word" in d.value.columns][:3]
    assert add["word"][0] == "queen" and mul["word"][0] == "queen"
    assert not {"man", "king", "woman"} & (set(add["word"]) | set(mul["word"]))  # the inputs are left out
    assert list(ranks["word"]) == ["man", "king", "woman"]
    assert ranks["rank (3CosAdd)"][1] < ranks["rank (3CosAdd)"][0]  # king itself is near king - man + woman
    fig = next(f for f in figures(at) if any(t.get("name") == "d = b − a + c" for t in f["data"]))
    by_name = {t["name"]: t for t in fig["data"]}
    (ax, bx, cx), (ay, by, cy) = by_name["a, b, c"]["x"], by_name["a, b, c"]["y"]
    d = by_name["d = b − a + c"]
    assert d["x"][0] == pytest.approx(bx - ax + cx) and d["y"][0] == pytest.approx(by - ay + cy)
    assert by_name["answers (3CosAdd)"]["text"] == list(add["word"])
    assert {"a → b", "a → c", "c → d (= a → b)", "b → d (= a → c)"} <= set(by_name)

    next(t for t in at.text_input if t.label == "b").set_value("man").run()  # b = a: no plane, still answers
    assert not at.exception and "no plane" in plain(at.info[0].value)
    assert len([d for d in at.dataframe if "word" in d.value.columns]) == 3
