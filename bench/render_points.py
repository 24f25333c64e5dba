"""How long the Vector space page takes to draw 50,000 and 100,000 points in Chromium.

    python3 bench/render_points.py [--points 50000 100000] [--words 100000] [--quick]

Saves a synthetic set of --words words (clustered vectors, bench/big_sets.py; counts decaying
like a real vocabulary) into a temporary workspace, starts ``streamlit run app.py`` on it
(tests/browser/test_browser.py's ``streamlit_server``), and opens
``/space?set=synthetic&method=pca&n=N`` in Debian's Chromium through Playwright, three times per
N (the first run also pays the PCA; the later ones take it from the server's store of layouts).

When is the canvas drawn? Plotly draws a ``Scattergl`` trace with WebGL into the
``canvas.gl-canvas-context`` of the graph div, and fires ``plotly_afterplot`` when a plot call
has issued its draw calls. The page is polled (every animation frame) until the graph div
exists, its first trace holds N points (``gd._fullData[0]._length``) and the gl canvas has a
size; the time is then taken after two more animation frames (the frame with the draw calls,
then one composited frame), and the table says whether ``plotly_afterplot`` fired meanwhile
(plotly redraws once after the first plot). The figure is
``performance.now()`` at that moment: milliseconds since the navigation started, i.e. server
work + the ~N-point message + plotly's parsing and drawing. As a check that something was
really drawn, a screenshot of the plot area is taken afterwards and its non-white pixels counted.

``--quick`` uses a 2,000-word set and 500 points, to check that the script works. Chromium runs
with --disable-gpu, so WebGL is software-rendered (SwiftShader); a machine with a GPU is faster.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.big_sets import make_vectors  # noqa: E402
from core import EmbeddingSet, bundle  # noqa: E402
from tests.browser.test_browser import CHROMIUM, CHROMIUM_ARGS, streamlit_server, wait_for_app  # noqa: E402

DRAWN = """
(n) => new Promise((resolve) => {
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const poll = async () => {
    const gd = document.querySelector('.js-plotly-plot');
    const canvas = gd && gd.querySelector('canvas.gl-canvas-context');
    if (!(gd && gd._fullData && gd._fullData.length && gd._fullData[0]._length === n
          && canvas && canvas.width > 0)) {
      requestAnimationFrame(poll);
      return;
    }
    let after = false;
    gd.on('plotly_afterplot', () => { after = true; });
    await frame();
    await frame();
    resolve({ ms: performance.now(), afterplot: after });
  };
  poll();
})
"""


def synthetic_set(n: int, dim: int = 50) -> EmbeddingSet:
    counts = (1e6 / np.arange(1, n + 1)).astype(np.int64) + 1  # Zipf-like, most frequent first
    return EmbeddingSet([f"word{i}" for i in range(n)], make_vectors(n, dim), counts)


def ink(png: bytes) -> int:
    """Non-white pixels of a screenshot (the drawn points and axes)."""
    from PIL import Image

    img = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    return int((img < 250).sum())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--points", type=int, nargs="+", default=[50_000, 100_000])
    ap.add_argument("--words", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="2,000 words, 500 points: check that the script runs")
    args = ap.parse_args()
    words, points = (2_000, [500]) if args.quick else (args.words, args.points)

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        t = time.perf_counter()
        bundle.save(synthetic_set(words), ws / "synthetic")
        print(f"saved a {words:,}-word set in {time.perf_counter() - t:.1f} s", flush=True)
        with streamlit_server(ws) as url, sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=CHROMIUM_ARGS,
            )
            print("\n| points | run | ms to drawn | afterplot seen | non-white pixels |")
            print("|---:|---:|---:|---|---:|")
            for n in points:
                times = []
                for run in range(1, args.repeat + 1):
                    pg = browser.new_page(viewport={"width": 1400, "height": 1600})
                    pg.goto(f"{url}/space?set=synthetic&method=pca&n={n}", wait_until="commit")
                    drawn = pg.evaluate(DRAWN, n)
                    wait_for_app(pg)
                    box = pg.locator(".js-plotly-plot .nsewdrag").first.bounding_box()
                    pixels = ink(pg.screenshot(clip=box)) if box else 0
                    times.append(drawn["ms"])
                    print(f"| {n:,} | {run} | {drawn['ms']:.0f} | {drawn['afterplot']} | {pixels:,} |")
                    pg.close()
                print(f"| {n:,} | median | {statistics.median(times):.0f} | | |", flush=True)
            browser.close()


if __name__ == "__main__":
    main()
