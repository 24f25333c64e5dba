"""The Vector space figure, from a layout and what to show on it; plotly only, no Streamlit.

Trace 0 holds every point (WebGL ``Scattergl`` in 2-D, so 100,000 points stay interactive);
its ``customdata`` is each point's row in the layout, which is how a box or lasso selection
comes back to words. Then, when there are any, the highlighted word and its neighbours, and the
search matches; a legend entry per colour label comes last (legend-only traces, so trace 0 keeps
every point). Labels are annotations placed by :mod:`ui.space_labels` (2-D) or text (3-D).

Words are data: every text given to plotly passes :func:`plot_text`, which writes ``&``, ``<``
and ``>`` as entities, so plotly shows them and never reads them as its HTML-like tags.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import plotly.graph_objects as go
from plotly.colors import qualitative

from core.projection import Layout
from ui.space_labels import place_labels, to_pixels

PALETTE = qualitative.Dark24 + qualitative.Light24
NONE_LABEL, OTHER_LABEL, GREY = "(none)", "(other)", "#b0b0b0"
PLOT_SIZE = (1000.0, 580.0)  # the plot area the label placement assumes (height 650 minus margins)
MAX_LABELS = 300  # beyond this many, annotations slow the browser and cover the map anyway


def plot_text(text: str) -> str:
    """``text`` as plotly should show it: literally (plotly reads a few HTML tags and entities)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass
class Colours:
    """How points are coloured: continuous ``values`` with a colour bar, or one ``category`` each."""

    values: np.ndarray | None = None
    title: str = ""
    categories: list[str] | None = None


@dataclass
class MapView:
    """What the figure shows besides the layout."""

    colours: Colours
    hover: list[str]
    highlight: list[str] = field(default_factory=list)  # the word first, then its neighbours
    matches: np.ndarray | None = None  # bool per point: the search; others are dimmed
    labelled: list[int] = field(default_factory=list)  # points to label, in priority order
    required: int = 0  # the first `required` labels are always drawn
    font_size: int = 12
    title: str = ""
    svg: bool = False  # 2-D points as SVG, not WebGL: plotly tweens only SVG points between animation frames


def category_colours(categories: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """A colour per point and the legend (label -> colour): the most common labels get the
    palette's colours, the rest are "(other)", words without a label grey."""
    counts = Counter(c for c in categories if c != NONE_LABEL)
    room = len(PALETTE) - 1 if len(counts) > len(PALETTE) else len(PALETTE)
    legend = {c: PALETTE[i] for i, (c, _) in enumerate(counts.most_common(room))}
    if len(counts) > room:
        legend[OTHER_LABEL] = "#707070"
    if NONE_LABEL in categories:
        legend[NONE_LABEL] = GREY
    colours = [legend.get(c, legend.get(OTHER_LABEL, GREY)) for c in categories]
    return colours, legend


def _padded(v: np.ndarray) -> tuple[float, float]:
    lo, hi = float(v.min()), float(v.max())
    pad = (hi - lo) * 0.06 or 1.0
    return lo - pad, hi + pad


def build_figure(lay: Layout, view: MapView) -> go.Figure:
    """The scatter of ``lay`` with colours, highlight, search matches and labels."""
    dims = lay.coords.shape[1]
    n = len(lay.words)
    Scatter = (go.Scatter if view.svg else go.Scattergl) if dims == 2 else go.Scatter3d
    axes = {a: lay.coords[:, i] for i, a in enumerate("xyz"[:dims])}
    searching = view.matches is not None and bool(np.any(view.matches))
    marker: dict = dict(size=4 if dims == 2 else 2.5, opacity=0.15 if searching else 0.7)
    legend: dict[str, str] = {}
    c = view.colours
    if c.categories is not None:
        marker["color"], legend = category_colours(c.categories)
    elif c.values is not None:
        marker.update(color=c.values, colorscale="Viridis", colorbar=dict(title=c.title), showscale=True)
    words = [plot_text(w) for w in lay.words]
    fig = go.Figure(
        Scatter(
            **axes,
            mode="markers",
            marker=marker,
            text=words,
            hovertext=[plot_text(h) for h in view.hover],
            hoverinfo="text",
            customdata=np.arange(n),
            name="words",
            showlegend=False,
        )
    )
    where = {w: i for i, w in enumerate(lay.words)}
    if view.highlight:
        hl = [where[w] for w in view.highlight if w in where]
        fig.add_trace(
            Scatter(
                **{a: v[hl] for a, v in axes.items()},
                mode="markers" if dims == 2 else "markers+text",
                text=[words[i] for i in hl],
                hovertext=[plot_text(view.hover[i]) for i in hl],
                hoverinfo="text",
                customdata=np.array(hl),
                name=f"{plot_text(view.highlight[0])} and neighbours",
                marker=dict(size=10 if dims == 2 else 5, color=["red"] + ["orange"] * (len(hl) - 1)),
            )
        )
    if searching:
        assert view.matches is not None
        hit = np.flatnonzero(view.matches)
        fig.add_trace(
            Scatter(
                **{a: v[hit] for a, v in axes.items()},
                mode="markers",
                text=[words[i] for i in hit],
                hovertext=[plot_text(view.hover[i]) for i in hit],
                hoverinfo="text",
                customdata=hit,
                name=f"{len(hit):,} matches",
                marker=dict(size=7 if dims == 2 else 4, color="#1f3fbf", line=dict(width=1, color="white")),
            )
        )
    for label, colour in legend.items():  # legend entries only: trace 0 keeps every point
        fig.add_trace(
            Scatter(
                **{a: [None] for a in axes}, mode="markers", marker=dict(color=colour, size=8), name=plot_text(label)
            )
        )
    _labels(fig, lay, view, axes)
    layout: dict = dict(
        height=650,
        margin=dict(l=0, r=0, t=40, b=0),
        legend=dict(orientation="h"),
        title=view.title,
        dragmode="lasso" if dims == 2 else "orbit",
    )
    titles = [plot_text(t) for t in lay.axis_titles]
    if dims == 2:
        ranges = (_padded(lay.coords[:, 0]), _padded(lay.coords[:, 1]))
        layout["xaxis"] = dict(range=ranges[0], title=titles[0] if titles else None, zeroline=lay.method == "axes")
        layout["yaxis"] = dict(range=ranges[1], title=titles[1] if titles else None, zeroline=lay.method == "axes")
    elif titles:
        layout["scene"] = dict(xaxis_title=titles[0], yaxis_title=titles[1], zaxis_title=titles[2])
    fig.update_layout(**layout)
    return fig


def _labels(fig: go.Figure, lay: Layout, view: MapView, axes: dict) -> None:
    chosen = list(dict.fromkeys(view.labelled))[:MAX_LABELS]
    if not chosen:
        return
    texts = [lay.words[i] for i in chosen]
    if lay.coords.shape[1] == 3:  # a 3-D view turns: no fixed screen positions to plan
        fig.add_trace(
            go.Scatter3d(
                **{a: v[chosen] for a, v in axes.items()},
                mode="text",
                text=[plot_text(t) for t in texts],
                textfont=dict(size=view.font_size),
                hoverinfo="skip",
                name="labels",
                showlegend=False,
            )
        )
        return
    ranges = (_padded(lay.coords[:, 0]), _padded(lay.coords[:, 1]))
    pixels = to_pixels(lay.coords[chosen], ranges, PLOT_SIZE)
    offsets = place_labels(pixels, texts, view.font_size, PLOT_SIZE, required=view.required)
    first = set(chosen[: view.required])
    for i, text, off in zip(chosen, texts, offsets, strict=True):
        if off is None:
            continue
        fig.add_annotation(
            x=lay.coords[i, 0],
            y=lay.coords[i, 1],
            text=plot_text(text),
            ax=off[0],
            ay=off[1],
            showarrow=True,
            arrowhead=0,
            arrowwidth=1,
            arrowcolor="#888",
            font=dict(size=view.font_size, color="#c00000" if i in first else "#222"),
            bgcolor="rgba(255,255,255,0.6)",
            borderpad=1,
        )


def selected_points(points: Sequence[dict]) -> list[int]:
    """Layout rows of the points a box or lasso selected (from their ``customdata``), each once,
    in selection order; legend-only and label traces carry no customdata and are skipped."""
    rows: dict[int, None] = {}
    for p in points:
        data = p.get("customdata")
        if isinstance(data, list):
            data = data[0] if data else None
        if data is not None:
            rows[int(data)] = None
    return list(rows)


def frequency_order(counts: np.ndarray | None, rows: np.ndarray) -> np.ndarray:
    """Positions of a map's points, most frequent first (the set's row order without counts)."""
    if counts is None:
        return np.argsort(rows, kind="stable")
    return np.argsort(-counts[rows], kind="stable")
