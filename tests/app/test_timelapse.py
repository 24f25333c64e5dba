"""The Vector space page's training time-lapse (issue 16): off by default; on, the figure the page
sends has a plotly frame per snapshot, a Play button and a slider labelled by training progress,
the points keep their identity (ids), and the last frame is the static map."""

from __future__ import annotations

import numpy as np
import pytest

import core
from core import workspace
from core.layout_jobs import store, words_key
from core.projection import Layout, choose_rows, layout
from core.query import frequent_words
from tests.app.test_pages import open_page
from tests.app.test_space import SPACE, by_label, captions, figure, points, top, values, wait_for_map, ws  # noqa: F401
from tests.helpers import SAMPLE_BUNDLE

pytestmark = pytest.mark.slow
TOGGLE = "Show how training got here"


def frame_points(frame: dict, trace: int = 0) -> np.ndarray:
    data = frame["data"][frame["traces"].index(trace)]
    return np.stack([values(data[a]) for a in "xyz" if a in data], axis=1)


def test_the_toggle_animates_the_pca_map_through_the_snapshots():
    snaps = core.load(SAMPLE_BUNDLE).snapshots
    assert snaps is not None and len(snaps) == 10
    at = open_page(SPACE, word="queen")
    static = figure(at)
    assert "frames" not in static and not static["layout"].get("sliders")  # off by default: no animation
    assert static["data"][0]["type"] == "scattergl"
    before = points(at)

    by_label(at.toggle, TOGGLE).set_value(True).run()
    assert not at.exception and not at.error
    fig = figure(at)
    frames = fig["frames"]
    assert len(frames) == 10 and [f["name"] for f in frames] == [str(i) for i in range(10)]
    steps = fig["layout"]["sliders"][0]["steps"]
    labels = [s["label"] for s in steps]
    assert labels[0] == "0% (random start)" and labels[-1] == "100%" and len(labels) == 10
    assert labels[1:-1] == [f"{f:.0%}" for f in snaps.fractions[1:-1]]
    assert [s["args"][0] for s in steps] == [[str(i)] for i in range(10)]
    buttons = fig["layout"]["updatemenus"][0]["buttons"]
    assert [b["label"] for b in buttons] == ["▶ Play", "❚❚ Pause"] and buttons[0]["method"] == "animate"

    trace = fig["data"][0]
    assert trace["type"] == "scatter"  # SVG: plotly tweens its points between frames
    assert trace["ids"] == trace["text"] and list(trace["text"]) == list(before)  # every word, same order
    final = frame_points(frames[-1])
    assert np.allclose(final, [before[w] for w in trace["text"]])  # the last frame is the static map
    start = frame_points(frames[0])
    assert start.shape == final.shape and np.linalg.norm(start - final, axis=1).mean() > 0.05
    assert np.allclose(frame_points(frames[-1]), np.stack([values(trace["x"]), values(trace["y"])], axis=1))
    # the highlighted word and its neighbours travel too, and the labels follow their points
    near = next(i for i, t in enumerate(fig["data"]) if t.get("name") == "queen and neighbours")
    assert all(near in f["traces"] for f in frames)
    assert len(frames[0]["layout"]["annotations"]) == len(fig["layout"]["annotations"]) > 0
    assert "every word (those the 10 training snapshots keep)" in captions(at)

    by_label(at.toggle, TOGGLE).set_value(False).run()
    assert "frames" not in figure(at)


def test_a_tsne_map_animates_with_its_own_method():
    at = top(open_page(SPACE), 60)
    by_label(at.radio, "Layout").set_value("tsne").run()
    wait_for_map(at)
    before = points(at)
    by_label(at.toggle, TOGGLE).set_value(True).run()
    assert not at.exception and not at.error
    fig = figure(at)
    assert len(fig["frames"]) == 10 and fig["layout"]["title"]["text"].startswith("t-SNE of 60 words")
    assert "uses PCA" not in captions(at)
    assert np.allclose(frame_points(fig["frames"][-1]), [before[w] for w in fig["data"][0]["text"]])
    assert not np.allclose(frame_points(fig["frames"][0]), frame_points(fig["frames"][-1]))


def test_3d_and_semantic_axes_maps_animate_too():
    at = open_page(SPACE)
    by_label(at.toggle, TOGGLE).set_value(True).run()
    by_label(at.radio, "Dimensions").set_value(3).run()
    fig = figure(at)
    assert fig["data"][0]["type"] == "scatter3d" and len(fig["frames"]) == 10
    labels = next(i for i, t in enumerate(fig["data"]) if t.get("name") == "labels")
    assert all(labels in f["traces"] for f in fig["frames"])  # the 3-D labels move with their points
    assert frame_points(fig["frames"][0]).shape[1] == 3 and "range" in fig["layout"]["scene"]["zaxis"]
    by_label(at.radio, "Layout").set_value("axes").run()
    fig = figure(at)
    assert len(fig["frames"]) == 10 and fig["layout"]["xaxis"]["title"]["text"] == "man → woman"
    assert np.allclose(frame_points(fig["frames"][-1]), np.stack([values(fig["data"][0][a]) for a in "xy"], axis=1))


def test_a_umap_map_animates_a_pca_map_and_says_so():
    at = top(open_page(SPACE), 40)
    es = core.load(SAMPLE_BUNDLE)
    rows = choose_rows(es, None, frequent_words(es, 40))
    # a finished UMAP layout in the store (umap-learn's first run compiles for a minute): the page takes it
    p = workspace.path_of("sample")
    key = (str(p), (p / "meta.json").stat().st_mtime, "umap", 2, 0, words_key([es.words[i] for i in rows]))
    fake = Layout([es.words[i] for i in rows], rows, np.random.default_rng(0).normal(size=(40, 2)), "umap")
    store().run_inline(key, lambda: fake, "umap", 40)
    by_label(at.radio, "Layout").set_value("umap").run()
    assert figure(at)["layout"]["title"]["text"] == "UMAP of 40 words, seed 0"
    by_label(at.toggle, TOGGLE).set_value(True).run()
    assert "The time-lapse uses PCA for this method" in captions(at)
    fig = figure(at)
    assert fig["layout"]["title"]["text"] == "PCA of 40 words: how training got here" and len(fig["frames"]) == 10
    pca = layout(es, rows, "pca", 2)
    assert np.allclose(frame_points(fig["frames"][-1]), pca.coords)  # it ends on the PCA map of the same words
