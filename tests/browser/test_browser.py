"""The real thing: start `streamlit run app.py`, drive Debian's Chromium with Playwright."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.helpers import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser]
CHROMIUM = "/usr/bin/chromium"
# no sandbox (root in a container), no GPU, and nothing that reaches for the network on its own
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
SHOTS = ROOT / "tests" / "browser" / "screenshots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(workspace: Path) -> Iterator[str]:
    """A fresh `streamlit run app.py` on a free port; yields its URL."""
    port = free_port()
    env = {**os.environ, "W2V_WORKSPACE": str(workspace), "TF_CPP_MIN_LOG_LEVEL": "3"}
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    cmd += ["--server.headless", "true", "--server.address", "127.0.0.1"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("streamlit did not start: " + proc.stdout.read().decode(errors="replace")[-2000:])
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with streamlit_server(tmp_path_factory.mktemp("ws")) as url:
        yield url


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
        )
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        yield pg
        browser.close()


def wait_for_app(page) -> None:
    """app.py's own navigation and set picker replace Streamlit's default page list."""
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text("Active embedding set").wait_for(timeout=60_000)
    sidebar.get_by_text("Vector space").wait_for(timeout=60_000)


def test_neighbours_of_king_include_queen(server, page):
    page.goto(f"{server}/neighbours?word=king", wait_until="networkidle")
    page.get_by_role("heading", name="Neighbours").wait_for(timeout=60_000)
    wait_for_app(page)
    # each neighbour is a button; queen is among king's first five
    page.locator("[class*='st-key-nb-'] button", has_text="queen").first.wait_for(timeout=60_000)
    words = [b.inner_text().strip() for b in page.locator("[class*='st-key-nb-'] button").all()]
    assert "queen" in words[:5]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "neighbours.png"), full_page=True)
    assert (SHOTS / "neighbours.png").stat().st_size > 10_000


def test_vector_space_shows_the_plotly_chart(server, page):
    page.goto(f"{server}/space?word=queen", wait_until="networkidle")
    wait_for_app(page)
    chart = page.locator(".js-plotly-plot").first
    chart.wait_for(timeout=60_000)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    page.wait_for_function(
        "() => document.querySelector('.js-plotly-plot').innerText.includes('queen and neighbours')", timeout=60_000
    )
    assert "explained variance" in chart.inner_text()
    page.screenshot(path=str(SHOTS / "space.png"), full_page=True)


def test_clicking_a_neighbour_explores_it(server, page):
    page.goto(f"{server}/neighbours?word=paris", wait_until="networkidle")
    wait_for_app(page)
    # the word itself is the thing to click
    button = page.locator(".st-key-nb-0 button")
    button.wait_for(timeout=60_000)
    first = button.inner_text().strip()
    button.click()
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('word') === '{first}'", timeout=30_000)
    page.get_by_role("heading", name="Neighbours").wait_for(timeout=30_000)
    assert first != "paris"


# the seven URL paths and the heading each page shows
URLS = {
    "": "Word2Vec Explorer",
    "corpus": "Corpus",
    "train": "Train",
    "library": "Library",
    "neighbours": "Neighbours",
    "space": "Vector space",
    "evaluate": "Evaluate",
    "compare": "Compare sets",
    "quiz": "Quiz",
}


@pytest.mark.parametrize("path", list(URLS))
def test_first_request_on_a_fresh_server_shows_the_apps_navigation(path, page, tmp_path):
    # a shared link opened first on a new server: Streamlit's legacy pages/ mode must not show
    with streamlit_server(tmp_path / "ws") as url:
        page.goto(f"{url}/{path}", wait_until="domcontentloaded")
        page.get_by_role("heading", name=URLS[path]).first.wait_for(timeout=60_000)
        wait_for_app(page)
        sidebar = page.locator("[data-testid='stSidebar']").inner_text()
        assert "Home" in sidebar and "Vector space" in sidebar and "Active embedding set" in sidebar
        assert "evaluate" not in sidebar  # the legacy list names pages by lower-case file name
        assert "Page not found" not in page.locator("body").inner_text()
