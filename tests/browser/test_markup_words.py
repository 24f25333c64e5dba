"""Words are data, never markup: a set whose words look like HTML, Markdown, LaTeX or Streamlit's
colour directives shows them literally on every page, in a real browser (issue 17, part 3).

The set is saved with ``core.bundle.save`` into the server's workspace and made active with
``?set=markup``. On each page the literal text must appear, and none of the markup may take
effect: no image (nor a request to example.invalid), no bold, no KaTeX, no coloured text, no
script run (an ``alert`` would open a dialog).
"""

from __future__ import annotations

import re
import time
import urllib.parse
from pathlib import Path

import numpy as np
import pytest

from core import EmbeddingSet, bundle
from tests.browser.test_browser import CHROMIUM, CHROMIUM_ARGS, SHOTS, streamlit_server, wait_for_app

pytestmark = [pytest.mark.slow, pytest.mark.browser]

IMG = "<img src=x onerror=alert(1)>"
PICTURE = "![x](http://example.invalid/a.png)"
BOLD, MATH, RED = "**bold**", "$x$", ":red[x]"
# the most frequent first: the Neighbours page's default boxes (analogy, similarity, odd one out) use them
MARKUP = [BOLD, MATH, RED, PICTURE, IMG]
# none of the Neighbours page's own defaults (man, king, woman...), so its boxes start from the markup words
ORDINARY = ["paris", "berlin", "rome"] + [f"w{i}" for i in range(30)]
CORPUS_NAME = " ".join(MARKUP)  # shown on Home ("from ...") and in the Library's table


def markup_set() -> EmbeddingSet:
    words = MARKUP + ORDINARY
    vectors = np.random.default_rng(17).normal(size=(len(words), 8)).astype(np.float32)
    return EmbeddingSet(words, vectors, np.arange(len(words), 0, -1) * 10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    ws = tmp_path_factory.mktemp("ws")
    bundle.save(markup_set(), ws / "markup", meta={"corpus": {"name": CORPUS_NAME}})
    with streamlit_server(ws) as url:
        yield url


REQUESTS: list[str] = []  # every URL the page asked for
DIALOGS: list[str] = []  # every dialog (a script run by a word would open one)


@pytest.fixture(scope="module")
def browser_page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
        )
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        pg.on("request", lambda r: REQUESTS.append(r.url))
        pg.on("dialog", lambda d: (DIALOGS.append(d.message), d.dismiss()))
        yield pg
        browser.close()


def open_page(pg, server: str, path: str, word: str | None = None) -> None:
    query = "?set=markup" + (f"&word={urllib.parse.quote(word)}" if word else "")
    REQUESTS.clear()
    pg.goto(f"{server}/{path}{query}", wait_until="networkidle")
    wait_for_app(pg)


def wait_for_text(pg, text: str, timeout: float = 60) -> None:
    """Until ``text`` is in the main area: its inner text, a table cell, an input or a chart label."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if text in shown_text(pg):
            return
        time.sleep(0.5)
    raise AssertionError(f"{text!r} never appeared; the page shows: {shown_text(pg)[:2000]}")


def shown_text(pg) -> str:
    main = pg.locator("[data-testid='stMain']")
    parts = [main.inner_text()]
    parts += [td.inner_text() for td in main.locator("[data-testid='stDataFrame'] table td").all()]
    parts += [i.input_value() for i in main.locator("input[type='text'], input:not([type]), textarea").all()]
    parts += [t.text_content() or "" for t in main.locator(".js-plotly-plot text").all()]
    return "\n".join(parts)


def assert_no_markup(pg, name: str) -> None:
    main = pg.locator("[data-testid='stMain']")
    html = main.inner_html()
    # the image: neither an element nor a request
    srcs = [img.get_attribute("src") or "" for img in pg.locator("img").all()]
    assert not [s for s in srcs if "example.invalid" in s], srcs
    assert not [u for u in REQUESTS if urllib.parse.urlsplit(u).hostname == "example.invalid"], REQUESTS
    assert pg.locator("[onerror]").count() == 0
    assert not DIALOGS, DIALOGS  # alert(1) never ran
    # **bold** is not bold
    assert "<strong>bold</strong>" not in html and "<b>bold</b>" not in html
    assert not [s for s in main.locator("strong, b").all() if (s.text_content() or "").strip() == "bold"]
    # $x$ is not LaTeX
    assert main.locator(".katex, .katex-display, math, mjx-container").count() == 0
    # :red[x] is not red text (Streamlit draws it as a coloured span holding "x")
    coloured = [
        s
        for s in main.locator("span[style*='color'], span[class*='olor']").all()
        if (s.text_content() or "").strip() == "x"
    ]
    assert not coloured, [c.evaluate("e => e.parentElement.parentElement.outerHTML") for c in coloured]
    assert not re.search(r"<span[^>]*color[^>]*>x</span>", html)
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"markup-{name}.png"), full_page=True)


def test_home_shows_the_corpus_name_literally(server, browser_page):
    open_page(browser_page, server, "")
    wait_for_text(browser_page, f"from {CORPUS_NAME}")
    assert_no_markup(browser_page, "home")


def test_library_table_shows_the_name_literally(server, browser_page):
    pg = browser_page
    open_page(pg, server, "library")
    wait_for_text(pg, CORPUS_NAME)  # the "corpus / file" cell of the table mirror
    pg.get_by_text("Parameters of this set").click()  # st.json of the set's meta.json
    pg.locator("[data-testid='stJson']").first.wait_for(timeout=30_000)
    wait_for_text(pg, CORPUS_NAME)
    assert_no_markup(pg, "library")


@pytest.mark.parametrize("word", [IMG, BOLD, PICTURE], ids=["img", "bold", "picture"])
def test_neighbours_of_a_markup_word(server, browser_page, word):
    pg = browser_page
    open_page(pg, server, "neighbours", word=word)
    from playwright.sync_api import expect

    # the table's buttons are drawn one after another: wait for all ten, not the first
    expect(pg.locator("[class*='st-key-nb-'] button")).to_have_count(10, timeout=60_000)
    buttons = [b.inner_text().strip() for b in pg.locator("[class*='st-key-nb-'] button").all()]
    assert len(buttons) == 10 and word not in buttons  # the query word itself is not its own neighbour
    others = [w for w in MARKUP if w != word]
    assert [w for w in buttons if w in others], buttons  # some markup neighbours, shown as typed
    assert pg.locator("[data-testid='stMain'] [data-testid='stSelectbox'] input").first.input_value() in ("", word)
    wait_for_text(pg, word)  # the word box shows it
    # the boxes below start from the set's first words: the markup ones
    for text in (BOLD, MATH, RED):
        wait_for_text(pg, text)
    assert_no_markup(pg, "neighbours-" + {IMG: "img", BOLD: "bold", PICTURE: "picture"}[word])


def test_neighbours_odd_one_out_and_suggestions_show_markup_words_literally(server, browser_page):
    pg = browser_page
    open_page(pg, server, "neighbours", word="x**bold**")  # unknown: its end's "**" is stripped, then
    wait_for_text(pg, "'x**bold' is not in the vocabulary; did you mean '**bold**'?")
    pg.get_by_role("button", name=BOLD).first.wait_for(timeout=30_000)
    # the odd-one-out box starts with the four markup words without spaces; the answer is a metric
    metric = pg.locator("[data-testid='stMetricValue']").last
    metric.wait_for(timeout=30_000)
    assert metric.inner_text().strip() in MARKUP
    assert_no_markup(pg, "neighbours-suggestions")


def test_vector_space_labels_are_literal(server, browser_page):
    pg = browser_page
    open_page(pg, server, "space", word=IMG)
    pg.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    wait_for_text(pg, f"{IMG} and neighbours")  # the legend, as plotly drew it
    pg.get_by_text("my word list").click()
    box = pg.locator("[data-testid='stTextArea'] textarea")
    box.wait_for(timeout=30_000)
    box.fill(" ".join([BOLD, MATH, RED, PICTURE, "paris", "berlin", "rome"]))
    box.press("Control+Enter")
    # until the rerun ends, the previous map can still be on the page beside the new one: wait for
    # a map that holds all four labels, then read every map's labels
    labels = (
        "() => [...document.querySelectorAll('.js-plotly-plot')]"
        ".flatMap(d => (d.data || []).flatMap(t => t.text || []))"
    )
    want = [BOLD, MATH, RED, PICTURE]
    pg.wait_for_function(
        f"(want) => {{ const got = ({labels})(); return want.every(w => got.includes(w)); }}", arg=want, timeout=60_000
    )
    texts = pg.evaluate(labels)
    assert set(want) <= set(texts)  # labels as the words are (plotly draws them as text)
    assert_no_markup(pg, "space")


def test_evaluate_lists_markup_words_literally(server, browser_page, tmp_path):
    pg = browser_page
    pairs = tmp_path / "pairs.txt"
    pairs.write_text(f"{BOLD} {RED} 5\n{MATH} paris 3\nberlin rome 4\n__nope__ {BOLD} 2\n<b>gone</b> {MATH} 1\n")
    open_page(pg, server, "evaluate")
    pg.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(pairs))
    pg.get_by_text("Pairs with a word outside the vocabulary").wait_for(timeout=60_000)
    pg.get_by_text("Pairs with a word outside the vocabulary").click()
    for text in ("__nope__", BOLD, "<b>gone</b>", MATH):
        wait_for_text(pg, text)
    assert_no_markup(pg, "evaluate")
    assert "<b>gone</b>" not in pg.locator("[data-testid='stMain']").inner_html()


def test_the_words_were_saved_as_given(tmp_path):
    # the fixture's set itself: the bundle keeps every markup word byte for byte
    bundle.save(markup_set(), Path(tmp_path) / "m")
    assert bundle.open_bundle(tmp_path / "m").words[: len(MARKUP)] == MARKUP


def test_quiz_rounds_show_markup_words_literally(server, browser_page):
    pg = browser_page
    open_page(pg, server, "quiz")
    pg.get_by_role("button", name="Next round").wait_for(timeout=60_000)
    for _ in range(8):  # rounds draw from the set's frequent words, the markup words first among them
        if any(w in shown_text(pg) for w in MARKUP):
            break
        pg.get_by_role("button", name="Next round").click()
        pg.wait_for_timeout(1500)
    assert any(w in shown_text(pg) for w in MARKUP), shown_text(pg)[:1000]
    assert_no_markup(pg, "quiz")
