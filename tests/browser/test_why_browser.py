"""The "why" panel in a real browser: choosing one of king's neighbours shows the context words
the two share in the sample corpus, with counts, and example lines with each word in bold."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.test_browser import SHOTS, page, server, wait_for_app  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_why_panel_shows_shared_contexts_and_lines(server, page):  # noqa: F811
    page.goto(f"{server}/neighbours?set=sample&word=king", wait_until="networkidle")
    wait_for_app(page)
    page.get_by_role("heading", name="Why is it a neighbour?").wait_for(timeout=60_000)
    box = page.locator("[data-testid='stSelectbox']").filter(has_text="Why is this word a neighbour of")
    option = page.get_by_role("option", name="queen", exact=True)
    for _ in range(3):  # a rerun that redraws the box can close the list just opened: open it again
        box.locator("input").click()
        try:
            option.wait_for(timeout=15_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    option.click()
    page.get_by_text("Context words 'king' and 'queen' both have within").wait_for(timeout=60_000)
    table = page.locator("[data-testid='stDataFrame']").filter(has=page.locator("table td")).first
    table.wait_for(timeout=60_000)
    cells = [td.text_content() or "" for td in table.locator("table td").all()]
    counts = [int(c) for c in cells if c.strip().isdigit()]
    assert counts and all(c > 0 for c in counts), cells
    # example lines: the word itself in bold, for both words
    main = page.locator("[data-testid='stMain']")
    bold = {(s.text_content() or "").strip() for s in main.locator("strong").all()}
    assert {"king", "queen"} <= bold, bold
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "why.png"), full_page=True)
