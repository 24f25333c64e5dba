"""The Vector space page's controls and their URL state.

``?set=&method=&n=&dims=&seed=&x=&y=&q=&regex=&word=`` reopen a view: each control starts from its
URL parameter the first time the page runs in a session (or after the control was dropped), and
the page writes the current values back, leaving out those that do not apply.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from core.embeddings import EmbeddingSet

METHODS = {"pca": "PCA", "tsne": "t-SNE", "umap": "UMAP", "axes": "semantic axes"}
SLOW = ("tsne", "umap")
SOURCES = ("most frequent words", "my word list")
COLOURS = ("cluster (k-means)", "frequency", "metadata file")
MAX_POINTS = 100_000  # WebGL keeps this many points interactive
MAX_SLOW_POINTS = 20_000  # t-SNE / UMAP beyond this take minutes on 2 cores
DEFAULT_LIST = "king queen man woman paris berlin"


@dataclass
class Controls:
    method: str
    dims: int
    seed: int
    x_axis: str
    y_axis: str
    source: str
    top_n: int
    hide_common: bool
    typed_list: str
    word: str
    query: str
    regex: bool
    labels: int
    font_size: int
    colour: str
    clusters: int
    timelapse: bool = False  # animate the map through the training snapshots (ui.space_timelapse)


def _from_url(key: str, param: str, default: Any, parse: Callable[[str], Any] = str) -> None:
    if key in st.session_state:
        return
    raw = st.query_params.get(param)
    try:
        st.session_state[key] = default if raw is None else parse(raw)
    except ValueError:  # a hand-edited link: fall back to the default
        st.session_state[key] = default


def _choice(options: tuple[str, ...] | list[str]) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw not in options:
            raise ValueError(raw)
        return raw

    return parse


def _default(key: str, value: Any) -> dict[str, Any]:
    """A widget's default, unless the page set its value already (Streamlit warns about both)."""
    return {} if key in st.session_state else {"value": value}


def _default_axes(es: EmbeddingSet) -> tuple[str, str]:
    """The issue's example axes when the set has those words (the sample does), else empty."""
    if all(w in es for w in ("man", "woman", "boy", "girl", "king", "queen")):
        return "man:woman", "boy,girl:king,queen"
    return "", ""


def controls(es: EmbeddingSet) -> Controls:
    """Draw the controls (at the top of the page) and return their values."""
    x0, y0 = _default_axes(es)
    _from_url("sp_method", "method", "pca", _choice(list(METHODS)))
    _from_url("sp_dims", "dims", 2, lambda r: int(_choice(["2", "3"])(r)))
    _from_url("sp_seed", "seed", 0, lambda r: max(0, int(r)))
    _from_url("sp_x", "x", x0)
    _from_url("sp_y", "y", y0)
    _from_url("sp_q", "q", "")
    _from_url("sp_regex", "regex", False, lambda r: r == "1")
    _from_url("sp_word", "word", "")
    if "sp_top" not in st.session_state and st.query_params.get("n", "").isdigit():  # else the slider's default
        st.session_state["sp_top"] = max(1, int(st.query_params["n"]))

    c1, c2, c3 = st.columns([3, 1, 1])
    method = c1.radio("Layout", list(METHODS), format_func=METHODS.__getitem__, key="sp_method", horizontal=True)
    dims = c2.radio("Dimensions", [2, 3], key="sp_dims", horizontal=True, disabled=method == "axes")
    seed = c3.number_input(
        "Seed",
        min_value=0,
        max_value=2**31 - 1,
        step=1,
        key="sp_seed",
        disabled=method not in SLOW,
        help="t-SNE and UMAP start from random positions: the same seed gives the same picture.",
    )
    x_axis = y_axis = ""
    if method == "axes":
        a1, a2 = st.columns(2)
        tip = (
            "FROM:TO, each side a word or a comma-separated list (boy,girl:king,queen); "
            "or a formula (king - man + woman)"
        )
        x_axis = a1.text_input("x axis", key="sp_x", help=tip)
        y_axis = a2.text_input("y axis", key="sp_y", help=tip)
        dims = 2

    p1, p2 = st.columns([1, 3])
    source = p1.radio("Points", SOURCES, key="sp_source")
    top_n, hide, typed = 0, False, ""
    if source == SOURCES[0]:
        cap = min(len(es), MAX_SLOW_POINTS if method in SLOW else MAX_POINTS)
        if "sp_top" in st.session_state:  # the slider's range shrinks for t-SNE and UMAP
            st.session_state["sp_top"] = max(min(10, cap), min(st.session_state["sp_top"], cap))
        top_n = p2.slider(
            "Number of words (the most frequent)",
            min(10, cap),
            cap,
            **_default("sp_top", min(1000, cap)),
            key="sp_top",
            help=f"Up to {MAX_POINTS:,} words for PCA and semantic axes, {MAX_SLOW_POINTS:,} for t-SNE and UMAP.",
        )
        hide = p2.toggle(
            "Hide common words", key="sp_hide", help="Leave words such as 'the', 'of' and 'she' off the map."
        )
    else:
        typed = p2.text_area(
            "Words, separated by spaces, commas or new lines", **_default("sp_list", DEFAULT_LIST), key="sp_list"
        )

    w1, w2, w3 = st.columns([2, 2, 1])
    word = w1.text_input("Highlight a word and its neighbours", key="sp_word")
    query = w2.text_input("Search the map", key="sp_q", help="Words containing this text (case ignored) are marked.")
    regex = w3.toggle("Regular expression", key="sp_regex", help="Search with a Python regular expression, e.g. ^king")

    l1, l2, l3 = st.columns(3)
    labels = l1.slider(
        "Label the most frequent points",
        0,
        200,
        20,
        key="sp_labels",
        help="0 = none. The highlighted word, its neighbours and search matches are always labelled.",
    )
    font = l2.slider("Label font size", 8, 24, 12, key="sp_font")
    colour = l3.radio("Colour by", COLOURS, key="sp_colour", horizontal=True)
    k = l3.slider("Clusters", 2, 20, 8, key="sp_k") if colour == COLOURS[0] else 8
    timelapse = es.snapshots is not None and st.toggle(
        "Show how training got here",
        key="sp_timelapse",
        help=f"Animate the map through the set's {len(es.snapshots or ())} training snapshots, from the random "
        "start to the end (Play under the map). Off by default: placing the snapshots takes a moment.",
    )
    return Controls(
        method,
        int(dims),
        int(seed),
        x_axis,
        y_axis,
        source,
        top_n,
        hide,
        typed,
        word,
        query,
        regex,
        labels,
        font,
        colour,
        k,
        timelapse=timelapse,
    )


def write_url(name: str, c: Controls, word: str) -> None:
    """The view into the URL, so that a link reopens it."""
    wanted = {"set": name, "method": c.method}
    if c.source == SOURCES[0]:
        wanted["n"] = str(c.top_n)
    if c.method != "axes":
        wanted["dims"] = str(c.dims)
    if c.method in SLOW:
        wanted["seed"] = str(c.seed)
    if c.method == "axes":
        wanted |= {"x": c.x_axis, "y": c.y_axis}
    if c.query:
        wanted["q"] = c.query
        if c.regex:
            wanted["regex"] = "1"
    if word:
        wanted["word"] = word
    for k in ("set", "method", "n", "dims", "seed", "x", "y", "q", "regex", "word"):
        if k in wanted:
            if st.query_params.get(k) != wanted[k]:
                st.query_params[k] = wanted[k]
        elif k in st.query_params:
            del st.query_params[k]
