"""The Vector space page through app.py's navigation: each view (PCA, t-SNE, UMAP, semantic
axes), search, colour by an uploaded metadata file, the CSV download and the URL state."""

from __future__ import annotations

import base64
import csv
import io
import json
import time

import numpy as np
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

import core
from core.layout_jobs import store
from core.projection import choose_rows, layout
from core.query import frequent_words
from tests.app.test_pages import open_page, plain
from tests.helpers import ROOT, SAMPLE_BUNDLE

pytestmark = pytest.mark.slow
SPACE = "pages/views/space.py"


@pytest.fixture(autouse=True)
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("W2V_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.chdir(ROOT)
    return tmp_path / "ws"


@pytest.fixture(scope="module")
def es():
    return core.load(SAMPLE_BUNDLE)


def values(v) -> np.ndarray:
    """A plotly array from the chart's JSON (plotly sends numbers as base64 typed arrays)."""
    if isinstance(v, dict) and "bdata" in v:
        out = np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
        return out.reshape(v["shape"]) if "shape" in v else out
    return np.asarray(v)


def figure(at: AppTest) -> dict:
    charts = at.get("plotly_chart")
    assert charts, "no map on the page"
    return json.loads(charts[0].proto.spec)


def points(at: AppTest) -> dict[str, tuple[float, ...]]:
    """Every word of the map (trace 0) and its coordinates."""
    t = figure(at)["data"][0]
    axes = [values(t[a]) for a in "xyz" if a in t]
    return {w: tuple(float(a[i]) for a in axes) for i, w in enumerate(t["text"])}


def annotations(at: AppTest) -> list[str]:
    return [a["text"] for a in figure(at)["layout"].get("annotations", [])]


def captions(at: AppTest) -> str:
    return plain(" ".join(c.value for c in at.caption))


def by_label(widgets, label: str):
    return next(w for w in widgets if w.label.startswith(label))


def wait_for_map(at: AppTest, timeout: float = 180) -> list[str]:
    """Rerun (as the page's polling fragment would) until the background layout is drawn;
    returns the progress texts seen on the way."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while not at.get("plotly_chart"):
        seen += [p.proto.text for p in at.get("progress")]
        assert not at.error, [e.value for e in at.error]
        assert time.monotonic() < deadline, f"no map after {timeout} s: {seen[-1:]}"
        time.sleep(0.5)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return seen


def top(at: AppTest, n: int) -> AppTest:
    by_label(at.slider, "Number of words").set_value(n).run()
    return at


def test_pca_in_2d_and_3d(es):
    at = open_page(SPACE)
    fig = figure(at)
    assert fig["data"][0]["type"] == "scattergl" and len(points(at)) == min(1000, len(es))
    assert "explained variance" in fig["layout"]["title"]["text"]
    assert f"PCA of the {min(1000, len(es)):,} most frequent of {len(es):,} words" in captions(at)
    assert len(annotations(at)) == 20  # the 20 most frequent words labelled by default
    by_label(at.slider, "Label the most frequent").set_value(0).run()
    assert annotations(at) == []
    by_label(at.radio, "Dimensions").set_value(3).run()
    fig = figure(at)
    assert fig["data"][0]["type"] == "scatter3d" and len(next(iter(points(at).values()))) == 3
    assert at.query_params["dims"] == "3" and at.query_params["method"] == "pca"


def test_tsne_runs_in_the_background_and_repeats_for_a_seed(es):
    at = top(open_page(SPACE), 60)
    by_label(at.radio, "Layout").set_value("tsne").run()
    seen = wait_for_map(at)
    assert all(s.startswith("t-SNE of 60 words") for s in seen)
    assert "t-SNE (seed 0) of the 60 most frequent" in captions(at)
    expected = layout(es, choose_rows(es, words=frequent_words(es, 60)), "tsne", 2, seed=0)
    got = points(at)
    assert list(got) == expected.words
    assert np.allclose([got[w] for w in expected.words], expected.coords)  # same seed, same picture
    by_label(at.number_input, "Seed").set_value(1).run()
    wait_for_map(at)
    assert not np.allclose([points(at)[w] for w in expected.words], expected.coords)
    assert at.query_params["seed"] == "1" and at.query_params["method"] == "tsne"


def test_umap_says_it_compiles_on_its_first_run():
    first = not store().has_run("umap")
    at = top(open_page(SPACE), 40)
    by_label(at.radio, "Layout").set_value("umap").run()
    seen = wait_for_map(at, timeout=400)
    if first and seen:  # the first UMAP of this process compiles numba code
        assert "compiles its code" in seen[0]
    assert len(points(at)) == 40 and "UMAP (seed 0) of the 40 most frequent" in captions(at)
    assert figure(at)["layout"]["title"]["text"] == "UMAP of 40 words, seed 0"


def test_semantic_axes_put_queen_farther_along_man_to_woman_than_king():
    at = open_page(SPACE, method="axes")
    assert by_label(at.text_input, "x axis").value == "man:woman"
    by_label(at.radio, "Points").set_value("my word list").run()
    at.text_area[0].set_value("king queen man woman paris berlin").run()
    got = points(at)
    assert got["queen"][0] > got["king"][0] and got["woman"][0] > got["man"][0]
    assert got["king"][1] > got["man"][1]  # y = boy,girl -> king,queen: royalty up
    fig = figure(at)
    assert fig["layout"]["xaxis"]["title"]["text"] == "man → woman"
    assert sorted(annotations(at)) == sorted(got)  # a word list is labelled
    by_label(at.text_input, "x axis").set_value("man:wommn").run()
    assert "'wommn' is not in the vocabulary; did you mean 'woman'" in plain(at.warning[0].value)
    assert not at.get("plotly_chart")
    by_label(at.text_input, "x axis").set_value("king - man + woman").run()
    assert at.query_params["x"] == "king - man + woman" and at.query_params["method"] == "axes"
    assert figure(at)["layout"]["xaxis"]["title"]["text"] == "king - man + woman"


def test_a_regex_search_marks_and_labels_matches_and_dims_the_rest():
    at = open_page(SPACE)
    by_label(at.slider, "Label the most frequent").set_value(0).run()
    by_label(at.text_input, "Search").set_value("^(king|queen)$").run()
    assert figure(at)["data"][0]["marker"]["opacity"] > 0.5  # a plain search for that text: no match
    assert "no word on the map matches" in captions(at)
    by_label(at.toggle, "Regular expression").set_value(True).run()
    fig = figure(at)
    marked = next(t for t in fig["data"] if t["name"] == "2 matches")
    assert sorted(marked["text"]) == ["king", "queen"] and sorted(annotations(at)) == ["king", "queen"]
    assert fig["data"][0]["marker"]["opacity"] < 0.3 and len(fig["data"][0]["text"]) == len(points(at))
    assert at.query_params["q"] == "^(king|queen)$" and at.query_params["regex"] == "1"
    by_label(at.text_input, "Search").set_value("(").run()
    assert "not a valid regular expression" in plain(at.error[0].value)
    assert at.get("plotly_chart")  # the map is still drawn


def test_colour_by_an_uploaded_metadata_file(es):
    at = open_page(SPACE)
    by_label(at.radio, "Colour by").set_value("metadata file").run()
    assert "Upload a metadata file" in plain(at.info[0].value)
    data = b"word\ttheme\tkind\nking\troyal\tperson\nqueen\troyal\tperson\nparis\tcity\tplace\n"
    at.file_uploader[0].set_value([("metadata.tsv", data, "text/tab-separated-values")]).run()
    assert not at.exception
    names = [t["name"] for t in figure(at)["data"][1:]]
    assert names == ["royal", "city", "(none)"]
    n = len(points(at))
    assert f"3 of the {n:,} words on the map have a label" in captions(at)
    by_label(at.selectbox, "Label column").set_value("kind").run()
    assert [t["name"] for t in figure(at)["data"][1:]] == ["person", "place", "(none)"]
    colours = figure(at)["data"][0]["marker"]["color"]
    words = figure(at)["data"][0]["text"]
    assert colours[words.index("king")] == colours[words.index("queen")] != colours[words.index("paris")]
    at.file_uploader[0].set_value([("bad.tsv", b"king\troyal\nqueen\n", "text/plain")]).run()
    assert "bad.tsv, line 2: 1 columns, expected 2" in plain(at.error[0].value)


def test_the_csv_download_holds_the_maps_words_and_coordinates(monkeypatch):
    files: dict = {}
    add = MediaFileManager.add

    def keep(self, data, mimetype, coordinates, file_name=None, is_for_static_download=False):
        if file_name:
            files[file_name] = data
        return add(self, data, mimetype, coordinates, file_name, is_for_static_download)

    monkeypatch.setattr(MediaFileManager, "add", keep)
    deferred = MediaFileManager.add_deferred

    def keep_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        files[file_name or ""] = data_callable  # built when the button is clicked
        return deferred(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep_deferred)
    at = open_page(SPACE, word="queen")
    by_label(at.radio, "Points").set_value("my word list").run()
    at.text_area[0].set_value("paris berlin france germany").run()
    rows = list(csv.reader(io.StringIO(files["sample-pca.csv"].decode())))
    assert rows[0] == ["word", "x", "y"]
    got = points(at)
    assert [r[0] for r in rows[1:]] == list(got)  # the list, then queen and its neighbours
    assert rows[1][0] == "paris" and "queen" in got
    assert np.allclose([[float(v) for v in r[1:]] for r in rows[1:]], list(got.values()), atol=1e-5)
    labels = {b.label for b in at.get("download_button")}
    assert {"Download coordinates (CSV)", "Download the figure (HTML)"} <= labels
    page = files["sample-pca.html"]()  # the figure as a page of its own, plotly.js inside
    assert page.startswith("<!doctype html>") and "Plotly.newPlot" in page and '"paris and neighbours"' not in page
    assert '"queen and neighbours"' in page and len(page) > 1_000_000


def test_a_link_reopens_the_view():
    at = open_page(SPACE, method="axes", n="50", x="boy:girl", y="man:king", q="que", word="Queen")
    assert by_label(at.slider, "Number of words").value == 50
    assert by_label(at.radio, "Layout").value == "axes"
    assert by_label(at.text_input, "x axis").value == "boy:girl"
    assert figure(at)["layout"]["yaxis"]["title"]["text"] == "man → king"
    names = [t["name"] for t in figure(at)["data"]]
    assert names[1] == "queen and neighbours" and any(n.endswith("matches") for n in names)
    assert dict(at.query_params) == {
        "set": "sample",
        "method": "axes",
        "n": "50",
        "x": "boy:girl",
        "y": "man:king",
        "q": "que",
        "word": "queen",
    }
    at = open_page(SPACE, method="nonsense", dims="7", seed="-3")  # a mangled link opens the defaults
    assert by_label(at.radio, "Layout").value == "pca" and by_label(at.radio, "Dimensions").value == 2
