"""The Vector space map as a training time-lapse: plotly animation frames, one per snapshot
(``core.timelapse``), with plotly's own Play / Pause buttons and slider, so the animation runs in
the browser without reruns.

The animated figure holds the map's words the snapshots keep. Its traces are SVG ``Scatter``
(plotly tweens only those between frames; 3-D frames are redrawn, not tweened) with ``ids`` set
to the words, so each point keeps its identity from frame to frame; ``customdata`` still holds
each point's row in the page's layout, so a box or lasso selection means the same words.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import replace

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from core.axes import Axis, parse_axis
from core.embeddings import EmbeddingSet
from core.layout_jobs import words_key
from core.projection import Layout
from core.timelapse import OWN_FRAMES, Frame, animated_words, frames
from ui.feedback import literal
from ui.space_controls import METHODS
from ui.space_figure import Colours, MapView, build_figure, plot_text
from ui.space_layouts import method_map

TOGGLE = "Show how training got here"
FRAME_MS, TWEEN_MS = 800, 600  # per frame on Play, of which the points travel for TWEEN_MS
BELOW = -0.2  # the buttons and slider, in plot heights below the plot: under the axis title and legend


@st.cache_data(max_entries=6, show_spinner=False)
def _frames(
    skey: tuple[Hashable, ...],
    settings: tuple[Hashable, ...],
    _es: EmbeddingSet,
    _words: list[str],
    _lay: Layout,
    _axes: tuple[Axis, Axis] | None,
) -> list[Frame]:
    """Frames cached per set and settings (method, dimensions, seed, axes, the words)."""
    return frames(_es, _words, _lay, _axes)


def _sub_view(view: MapView, keep: np.ndarray, words: list[str]) -> MapView:
    """``view`` for the points ``keep`` (positions in the page's layout) only."""
    inv = {int(m): i for i, m in enumerate(keep)}
    c = view.colours
    colours = Colours(
        values=None if c.values is None else np.asarray(c.values)[keep],
        title=c.title,
        categories=None if c.categories is None else [c.categories[i] for i in keep],
    )
    held = set(words)
    highlight = view.highlight if view.highlight and view.highlight[0] in held else []  # the word itself, or none
    highlight = [w for w in highlight if w in held]
    required = view.labelled[: view.required] if highlight else []
    rest = view.labelled[view.required :]
    labelled = [inv[i] for i in required if i in inv]
    return replace(
        view,
        colours=colours,
        hover=[view.hover[i] for i in keep],
        highlight=highlight,
        matches=None if view.matches is None else np.asarray(view.matches)[keep],
        labelled=labelled + [inv[i] for i in rest if i in inv],
        required=len(labelled),
        svg=True,
    )


def _padded(lo: float, hi: float) -> list[float]:
    pad = (hi - lo) * 0.06 or 1.0
    return [lo - pad, hi + pad]


def animate(fig: go.Figure, words: list[str], timeline: list[Frame]) -> None:
    """Add a frame per snapshot, the Play / Pause buttons and the slider to ``fig``, a figure of
    ``words`` whose point traces carry their positions among ``words`` as ``customdata``."""
    dims = timeline[-1].coords.shape[1]
    names = "xyz"[:dims]
    index = {plot_text(w): i for i, w in enumerate(words)}  # plot_text is one-to-one
    movers: list[tuple[int, np.ndarray]] = []
    for t, trace in enumerate(fig.data):
        if trace.customdata is not None:
            movers.append((t, np.asarray(trace.customdata, dtype=np.int64)))
        elif trace.name == "labels":  # the 3-D labels: text marks at the points
            movers.append((t, np.array([index[s] for s in trace.text], dtype=np.int64)))
    for t, idx in movers:
        fig.data[t].ids = [plot_text(words[i]) for i in idx]
    notes = [(a, index[a.text]) for a in fig.layout.annotations or () if a.text in index]
    out = []
    for k, f in enumerate(timeline):
        data = [{"type": fig.data[t].type, **{a: f.coords[idx, j] for j, a in enumerate(names)}} for t, idx in movers]
        layout = {}
        if notes:  # the 2-D labels follow their points
            layout["annotations"] = [{**a.to_plotly_json(), "x": f.coords[i, 0], "y": f.coords[i, 1]} for a, i in notes]
        out.append(go.Frame(name=str(k), data=data, traces=[t for t, _ in movers], layout=layout))
    fig.frames = out
    every = np.concatenate([f.coords for f in timeline])
    ranges = [_padded(float(every[:, j].min()), float(every[:, j].max())) for j in range(dims)]
    if dims == 2:  # fixed axes over the whole time-lapse, so the points travel, not the axes
        fig.update_layout(xaxis_range=ranges[0], yaxis_range=ranges[1])
    else:
        fig.update_layout(scene=dict(xaxis_range=ranges[0], yaxis_range=ranges[1], zaxis_range=ranges[2]))
    redraw = dims == 3  # SVG points tween without a redraw; 3-D traces only redraw
    step = dict(mode="immediate", frame=dict(duration=0, redraw=redraw), transition=dict(duration=0))
    play = dict(
        mode="immediate",
        fromcurrent=False,  # always from the random start
        frame=dict(duration=FRAME_MS, redraw=redraw),
        transition=dict(duration=TWEEN_MS, easing="cubic-in-out"),
    )
    fig.update_layout(
        height=760,
        margin=dict(l=0, r=0, t=40, b=170),  # room for the legend, then the buttons and the slider
        updatemenus=[
            dict(
                type="buttons",
                direction="left",
                showactive=False,
                x=0,
                y=BELOW,
                xanchor="left",
                yanchor="top",
                pad=dict(t=38, r=10),
                buttons=[
                    dict(label="▶ Play", method="animate", args=[None, play]),
                    dict(label="❚❚ Pause", method="animate", args=[[None], step]),
                ],
            )
        ],
        sliders=[
            dict(
                active=len(timeline) - 1,  # the figure opens on the final map
                x=0.16,
                len=0.84,
                y=BELOW,
                yanchor="top",
                pad=dict(t=10),
                currentvalue=dict(prefix="Training done: "),
                steps=[dict(method="animate", label=f.label, args=[[str(k)], step]) for k, f in enumerate(timeline)],
            )
        ],
    )


def timelapse_figure(
    es: EmbeddingSet, skey: tuple[Hashable, ...], lay: Layout, view: MapView, axis_specs: tuple[str, str]
) -> go.Figure | None:
    """The map animated through the set's snapshots, or None (with a note) when it cannot be."""
    snaps = es.snapshots
    if snaps is None:
        return None
    words = animated_words(es, lay.words)
    if not words:
        st.info(f"None of the map's words is among the {snaps.rows.size:,} words the training snapshots keep.")
        return None
    base: Layout | None = lay
    own = lay.method in OWN_FRAMES and (lay.method != "tsne" or lay.model is not None)
    if not own:  # UMAP: its transform takes longer than the map (see core.timelapse)
        base = method_map(es, skey, lay.rows, "pca", lay.coords.shape[1], 0)
        st.caption(
            f"The time-lapse uses PCA for this method ({METHODS[lay.method]} cannot place the snapshots quickly)."
        )
    assert base is not None  # PCA is computed inline
    axes = None
    if base.method == "axes":
        axes = (parse_axis(es, axis_specs[0]), parse_axis(es, axis_specs[1]))
    settings = (base.method, base.coords.shape[1], base.seed, *axis_specs, words_key(base.words), words_key(words))
    with st.spinner(f"Placing {len(snaps) - 1} training snapshots of {len(words):,} words into the map..."):
        timeline = _frames(skey, settings, es, words, base, axes)
    where = {w: i for i, w in enumerate(base.words)}
    keep = np.array([where[w] for w in words], dtype=np.int64)
    sub = Layout(
        words,
        base.rows[keep],
        timeline[-1].coords,
        base.method,
        base.seed,
        base.explained_variance_ratio,
        base.axis_titles,
    )
    sub_view = _sub_view(view, keep, words)
    if not own:
        sub_view = replace(sub_view, title=f"PCA of {len(words):,} words: how training got here")
    else:
        sub_view = replace(sub_view, title=f"{view.title}: how training got here")
    fig = build_figure(sub, sub_view)
    animate(fig, words, timeline)
    for trace in fig.data:  # selections come back as rows of the page's layout
        if trace.customdata is not None:
            trace.customdata = keep[np.asarray(trace.customdata, dtype=np.int64)]
    shown = f"{len(words):,} of the map's {len(lay.words):,} words" if len(words) < len(lay.words) else "every word"
    st.caption(
        literal(
            f"Time-lapse: {shown} (those the {len(snaps)} training snapshots keep), from the random start to the "
            "end of training. Press Play under the map, or drag the slider."
        )
    )
    return fig
