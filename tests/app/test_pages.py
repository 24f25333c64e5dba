"""One parametrised AppTest drives every page through app.py's navigation, then each page's work."""

import re
import time

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import core
from core import formats, workspace
from tests.helpers import ROOT, planted_text, random_set

pytestmark = pytest.mark.slow

PAGES = {
    "pages/views/home.py": "Word2Vec Explorer",
    "pages/views/corpus.py": "Corpus",
    "pages/views/train.py": "Train",
    "pages/views/library.py": "Library",
    "pages/views/neighbours.py": "Neighbours",
    "pages/views/space.py": "Vector space",
    "pages/views/evaluate.py": "Evaluate",
    "pages/views/compare.py": "Compare sets",
    "pages/views/quiz.py": "Quiz",
}


@pytest.fixture(autouse=True)
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("W2V_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.chdir(ROOT)
    return tmp_path / "ws"


def open_page(page: str, at: AppTest | None = None, **query) -> AppTest:
    if at is None:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
        for k, v in query.items():
            at.query_params[k] = v
        at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def plain(markdown: str) -> str:
    """What the reader sees of a message: Markdown escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def texts(at: AppTest) -> str:
    return plain(
        " ".join(
            [m.value for m in at.markdown]
            + [w.value for w in at.warning]
            + [e.value for e in at.error]
            + [s.value for s in at.success]
            + [i.value for i in at.info]
            + [c.value for c in at.caption]
        )
    )


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_and_explains_itself(page):
    at = open_page(page)
    assert at.title[0].value == PAGES[page]
    assert not at.error
    first = at.markdown[0].value
    assert len(first.split()) >= 12, "each page explains itself in a sentence or two"


def test_corpus_upload_shows_counts_and_bad_files_get_a_message():
    at = open_page("pages/views/corpus.py")
    at.file_uploader[0].set_value([("a.txt", b"the cat and the dog and the bird", "text/plain")]).run()
    at.button[0].click().run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tokens"] == "8" and metrics["Distinct words"] == "5"
    assert "words occur at least 5 times" in texts(at)
    at.file_uploader[0].set_value([("bin.txt", b"\x00\x01\x02" * 50, "text/plain")]).run()
    at.button[0].click().run()
    assert not at.exception and "NUL bytes" in plain(at.error[0].value)


def test_training_a_tiny_corpus_to_completion(ws):
    text, groups = planted_text(sentences=2500)
    at = open_page("pages/views/corpus.py")
    at.file_uploader[0].set_value([("tiny.txt", text.encode(), "text/plain")]).run()
    at.button[0].click().run()
    at = open_page("pages/views/train.py", at)
    at.text_input[0].set_value("tiny")
    inputs = {n.label: n for n in at.number_input}
    inputs["Dimensions"].set_value(16)
    inputs["Min count"].set_value(1)
    at.button[0].click().run()  # the form's submit button
    deadline = time.time() + 120
    while time.time() < deadline and not at.success:
        time.sleep(1)
        at.run()
    assert not at.exception and at.success, texts(at)
    assert "'tiny' is saved" in plain(at.success[0].value)
    es = core.load(ws / "tiny")
    assert es.meta["params"]["dim"] == 16 and len(es) == 40 + 40  # group words + fillers
    assert at.session_state["active_set"] == "tiny"


def test_import_export_and_bad_import(ws, tmp_path):
    src = random_set(n=20, dim=4)
    formats.write(src, tmp_path / "v.txt", "word2vec")
    at = open_page("pages/views/library.py")
    at.file_uploader[0].set_value([("v.txt", (tmp_path / "v.txt").read_bytes(), "text/plain")]).run()
    fmt = next(s for s in at.selectbox if s.label == "Format")
    assert fmt.value == "word2vec"  # guessed from the header
    next(t for t in at.text_input if t.label == "Name").set_value("mine").run()
    next(b for b in at.button if b.label == "Import").click().run()
    assert not at.exception and "Imported as 'mine'" in plain(at.success[0].value)
    assert np.array_equal(core.load(ws / "mine").vectors, src.vectors)

    at.file_uploader[0].set_value([("bad.txt", b"2 3\na 1 2 3\nb 1 2\n", "text/plain")]).run()
    next(t for t in at.text_input if t.label == "Name").set_value("bad").run()
    next(b for b in at.button if b.label == "Import").click().run()
    assert "line 3: 2 numbers, expected 3" in plain(at.error[0].value)
    assert not (ws / "bad").exists()

    name, data = workspace.export_bytes("mine", "glove")
    assert name == "mine.glove.txt" and data.startswith(b"w0 ")  # GloVe: no header; the page offers it:
    next(s for s in at.selectbox if s.label == "Set").set_value("mine").run()
    next(
        s for s in at.selectbox if s.label == "Format" and "glove" in s.options and "keras" not in s.options
    ).set_value("glove").run()
    next(b for b in at.button if b.label == "Prepare download").click().run()
    assert not at.exception
    assert at.session_state["download"] == ("mine.glove.txt", data)


def neighbour_words(at: AppTest) -> list[str]:
    """The neighbour list's words, best first (each is a button)."""
    return [plain(b.label) for b in at.button if (b.key or "").startswith("nb-")]


def test_neighbours_from_the_url_analogy_and_unknown_word():
    at = open_page("pages/views/neighbours.py", word="king", set="sample")
    assert "queen" in neighbour_words(at)[:5]
    analogy = next(d.value for d in at.dataframe if "word" in d.value.columns)  # after the "why" panel's tables
    assert "queen" in list(analogy["word"][:3])  # man : king :: woman : ?
    at = open_page("pages/views/neighbours.py", word="kingg")
    assert "did you mean" in plain(at.warning[0].value)
    next(b for b in at.button if b.label == "king").click().run()
    assert not at.exception and "queen" in neighbour_words(at)[:5]


def test_vector_space_scatter_highlights_the_word():
    at = open_page("pages/views/space.py", word="paris")
    import json

    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    named = {t.get("name"): t for t in fig["data"]}  # the words, the highlighted ones, a legend entry per cluster
    assert named["paris and neighbours"]["text"][0] == "paris" and "paris" in named["words"]["text"]
    assert "explained variance" in fig["layout"]["title"]["text"]
    assert "full space" in at.markdown[0].value


def test_evaluate_an_analogy_file():
    at = open_page("pages/views/evaluate.py")
    data = b": royal\nman king woman queen\nboy prince girl princess\n: capitals\nfrance paris germany berlin\n"
    at.file_uploader[0].set_value(("q.txt", data, "text/plain")).run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Coverage"] == "100.0%" and metrics["Accuracy"].endswith("%")
    assert list(at.dataframe[0].value["section"]) == ["royal", "capitals"]
