"""The training time-lapse in a real Chromium (issue 16): the toggle gives the map plotly frames,
and Play animates them in the browser (no reruns): the slider's label runs from the random start
to 100 % and the points move on screen, then end where the static map has them."""

from __future__ import annotations

import pytest

from tests.browser.test_browser import SHOTS, page, server, wait_for_app  # noqa: F401 (fixtures)
from tests.browser.test_space_browser import GD, wait_for_map

pytestmark = [pytest.mark.slow, pytest.mark.browser]

FIRST_POINT = f"{GD}.querySelector('.scatterlayer .trace .points path')"
# the slider's current value (plotly gives it the class of the step labels too)
CURRENT = (
    "Array.from(document.querySelectorAll('.js-plotly-plot .slider-label'), e => e.textContent)"
    ".find(t => t.startsWith('Training done'))"
)


def test_play_animates_the_map_through_the_snapshots(server, page):  # noqa: F811 (fixtures)
    pg = page
    pg.goto(f"{server}/space?set=sample&n=300", wait_until="networkidle")
    wait_for_app(pg)
    wait_for_map(pg, "gd.layout.title.text.includes('explained variance')")
    static = pg.evaluate(f"() => Array.from({GD}._fullData[0].x.slice(0, 50))")

    pg.get_by_text("Show how training got here", exact=True).click()
    wait_for_map(
        pg,
        "gd._transitionData && gd._transitionData._frames.length === 10 && !!" + CURRENT,
    )
    label = "() => " + CURRENT
    assert pg.evaluate(label) == "Training done: 100%"
    # watch the animation from inside the page: frame names, slider labels, the first point's place
    pg.evaluate(
        f"""() => {{ const gd = {GD}; window.__seen = []; window.__labels = new Set(); window.__at = new Set();
            window.__done = false; gd.on('plotly_animated', () => {{ window.__done = true; }});
            gd.on('plotly_animatingframe', e => window.__seen.push(e.name));
            const look = () => {{
                window.__labels.add({CURRENT});
                const p = {FIRST_POINT}; if (p) window.__at.add(p.getAttribute('transform'));
                requestAnimationFrame(look); }};
            look(); }}"""
    )
    pg.locator(".js-plotly-plot .updatemenu-button").filter(has_text="Play").click()
    pg.wait_for_function("() => window.__seen.includes('9')", timeout=60_000)
    seen = pg.evaluate("() => window.__seen")
    assert seen[:10] == [str(i) for i in range(10)]  # every frame, from the random start on
    labels = pg.evaluate("() => Array.from(window.__labels)")
    assert "Training done: 0% (random start)" in labels and "Training done: 100%" in labels
    assert len(labels) >= 10
    assert pg.evaluate("() => window.__at.size") > 10  # the point moved through many places (tweened)
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / "space-timelapse.png"), full_page=True)

    # it ends on the static map
    pg.wait_for_function("() => window.__done", timeout=30_000)
    ended = pg.evaluate(f"() => Array.from({GD}._fullData[0].x.slice(0, 50))")
    assert ended == pytest.approx(static, abs=1e-6)
    assert pg.evaluate(label) == "Training done: 100%"
