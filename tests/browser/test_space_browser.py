"""The Vector space page in a real Chromium: t-SNE, a regular-expression search, semantic axes,
the CSV download, and lasso selections that become the word list and open in Neighbours
(issue 15). The map's state is read from plotly's own graph div (``gd._fullData``,
``gd.layout``), which is what the browser draws."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.browser.test_browser import SHOTS, page, server, wait_for_app  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.slow, pytest.mark.browser]

GD = "document.querySelector('.js-plotly-plot')"


def radio(pg, group: str, option: str) -> None:
    pg.locator("[data-testid='stRadio']").filter(has_text=group).get_by_text(option, exact=True).click()


def wait_for_map(pg, condition: str, timeout: int = 120_000) -> None:
    """Wait until plotly has drawn a map for which the JS ``condition`` (on ``gd``) holds."""
    pg.wait_for_function(
        f"() => {{ const gd = {GD}; return !!(gd && gd._fullData && gd._fullData.length && ({condition})); }}",
        timeout=timeout,
    )


def map_words(pg) -> dict[str, list[float]]:
    return pg.evaluate(
        f"""() => {{ const t = {GD}._fullData[0];
            return Object.fromEntries(Array.from(t.text, (w, i) => [w, [t.x[i], t.y[i]]])); }}"""
    )


def lasso(pg, x0: float, y0: float, x1: float, y1: float) -> None:
    """Drag a lasso along the rectangle (x0, y0)-(x1, y1), in page pixels."""
    pg.mouse.move(x0, y0)
    pg.mouse.down()
    for px, py in [(x1, y0), (x1, y1), (x0, y1), (x0, y0 + 2)]:
        pg.mouse.move(px, py, steps=8)
    pg.mouse.up()


def lasso_all(pg) -> None:
    box = pg.locator(".js-plotly-plot .nsewdrag").first.bounding_box()
    assert box is not None
    lasso(pg, box["x"] + 3, box["y"] + 3, box["x"] + box["width"] - 3, box["y"] + box["height"] - 3)


def test_tsne_search_axes_selection_and_csv(server, page):  # noqa: F811 (fixtures)
    pg = page
    pg.goto(f"{server}/space?set=sample&n=150", wait_until="networkidle")  # few words: a quick t-SNE
    wait_for_app(pg)
    wait_for_map(pg, "gd.layout.title.text.includes('explained variance')")

    # t-SNE: a progress bar while it runs in the background, then the map
    radio(pg, "Layout", "t-SNE")
    wait_for_map(pg, "gd.layout.title.text.includes('t-SNE of')", timeout=180_000)
    assert "method=tsne" in pg.url

    # a regular expression: the matches are marked and labelled, the rest dimmed (still drawn)
    search = pg.get_by_role("textbox", name="Search the map")
    search.fill("^th")
    search.press("Enter")
    pg.get_by_text("Regular expression", exact=True).click()
    wait_for_map(pg, "gd._fullData.some(t => t.name.endsWith(' matches'))")
    state = pg.evaluate(
        f"""() => {{ const gd = {GD}; const hits = gd._fullData.find(t => t.name.endsWith(' matches'));
            return {{ hits: Array.from(hits.text), labels: gd.layout.annotations.map(a => a.text),
                     all: Array.from(gd._fullData[0].text), dimmed: gd._fullData[0].marker.opacity }}; }}"""
    )
    assert state["hits"] and sorted(state["hits"]) == sorted(w for w in state["all"] if w.lower().startswith("th"))
    assert set(state["hits"]) <= set(state["labels"])
    assert state["dimmed"] < 0.3 and len(state["all"]) > len(state["hits"])  # the rest: drawn, dimmed
    pg.wait_for_function("() => new URLSearchParams(location.search).get('regex') === '1'", timeout=30_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / "space-tsne-search.png"), full_page=True)

    # semantic axes on a word list: x = man -> woman, y = boy,girl -> king,queen (the defaults)
    search.fill("")
    search.press("Enter")
    radio(pg, "Points", "my word list")
    pg.locator("[data-testid='stTextArea'] textarea").wait_for(timeout=60_000)
    radio(pg, "Layout", "semantic axes")
    wait_for_map(pg, "gd.layout.xaxis.title.text.includes('man → woman') && gd._fullData[0].text.length === 6")
    words = map_words(pg)
    assert words["queen"][0] > words["king"][0] and words["woman"][0] > words["man"][0]

    # the CSV: the map's words with the coordinates the map shows
    with pg.expect_download() as download:
        pg.get_by_role("button", name="Download coordinates (CSV)").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert rows[0] == ["word", "x", "y"] and sorted(r[0] for r in rows[1:]) == sorted(words)
    x = {r[0]: float(r[1]) for r in rows[1:]}
    assert x["queen"] > x["king"] and abs(x["queen"] - words["queen"][0]) < 1e-4

    # a lasso around the right half of the plot lists the words there, which become the word list
    box = pg.locator(".js-plotly-plot .nsewdrag").first.bounding_box()
    assert box is not None
    mid = pg.evaluate(f"() => {{ const xa = {GD}._fullLayout.xaxis; return xa.l2p((xa.range[0] + xa.range[1]) / 2); }}")
    lasso(pg, box["x"] + mid, box["y"] + 3, box["x"] + box["width"] - 3, box["y"] + box["height"] - 3)
    centre = (min(v[0] for v in words.values()) + max(v[0] for v in words.values())) / 2
    right = sorted(w for w, (wx, _) in words.items() if wx > centre)
    pg.get_by_text(f"{len(right)} selected words").first.wait_for(timeout=60_000)
    pg.get_by_role("button", name="Use as the word list").click()
    area = pg.locator("[data-testid='stTextArea'] textarea")
    pg.wait_for_function(
        "n => document.querySelector(\"[data-testid='stTextArea'] textarea\").value.split(/\\s+/).length === n",
        arg=len(right),
        timeout=60_000,
    )
    assert sorted(area.input_value().split()) == right

    # a selection on the new map opens one of its words in Neighbours
    wait_for_map(pg, f"gd._fullData[0].text.length === {len(right)}")
    lasso_all(pg)
    pg.get_by_text(f"{len(right)} selected words").first.wait_for(timeout=60_000)
    pg.get_by_role("button", name="Open in Neighbours").click()
    pg.get_by_role("heading", name="Neighbours").wait_for(timeout=60_000)
    pg.wait_for_function("() => location.pathname.endsWith('/neighbours')", timeout=30_000)
    opened = pg.evaluate("() => new URLSearchParams(location.search).get('word')")
    assert opened in right  # one of the selected words (the first, unless another is chosen)
    pg.locator("[class*='st-key-nb-'] button").first.wait_for(timeout=60_000)  # its neighbours are listed
