"""The Vector space page's plain parts, without Streamlit: label placement, the figure, selection."""

import numpy as np
import pytest

from core.projection import Layout
from ui.space_figure import (
    NONE_LABEL,
    OTHER_LABEL,
    PALETTE,
    Colours,
    MapView,
    build_figure,
    category_colours,
    frequency_order,
    plot_text,
    selected_points,
)
from ui.space_labels import label_box, place_labels, to_pixels


def boxes(points, texts, offsets, font):
    out = []
    for (x, y), t, off in zip(points, texts, offsets, strict=True):
        if off is None:
            continue
        w, h = label_box(t, font)
        cx, cy = x + off[0], y + off[1]
        out.append((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
    return out


def overlaps(a, b) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def test_labels_of_a_crowded_cluster_do_not_pile_up():
    rng = np.random.default_rng(0)
    points = 500 + rng.normal(scale=8, size=(12, 2))  # twelve points within a few pixels
    texts = [f"word{i}" for i in range(12)]
    offsets = place_labels(points, texts, 12, (1000, 1000), required=12)
    placed = boxes(points, texts, offsets, 12)
    assert len(placed) == 12
    assert not [(i, j) for i in range(12) for j in range(i) if overlaps(placed[i], placed[j])]
    # the contrast: every label straight above its point (what "top center" text does) piles up
    naive = boxes(points, texts, [(0.0, -12.0)] * 12, 12)
    assert any(overlaps(naive[i], naive[j]) for i in range(12) for j in range(i))


def test_optional_labels_without_room_are_left_out_but_required_ones_stay():
    points = np.full((40, 2), 50.0)  # all on one spot in a small plot
    texts = ["a-long-label"] * 40
    offsets = place_labels(points, texts, 12, (200, 120), required=2)
    assert offsets[0] is not None and offsets[1] is not None
    optional = offsets[2:]
    assert any(o is None for o in optional) and any(o is not None for o in optional)
    kept = boxes(points, texts, offsets, 12)[2:]  # the optional labels drawn overlap nothing
    assert not [(i, j) for i in range(len(kept)) for j in range(i) if overlaps(kept[i], kept[j])]


def test_a_label_near_the_edge_turns_inwards():
    (off,) = place_labels(np.array([[995.0, 300.0]]), ["edge"], 12, (1000, 600))
    assert off is not None and off[0] < 0  # to the left of a point at the right edge
    pixels = to_pixels(np.array([[0.0, 0.0], [1.0, 1.0]]), ((0, 1), (0, 1)), (100, 50))
    assert pixels.tolist() == [[0.0, 50.0], [100.0, 0.0]]  # screen y grows downwards


def small_layout(n=30, dims=2, method="pca"):
    words = [f"w{i}" for i in range(n)]
    words[3] = "<b>bold</b>"
    coords = np.random.default_rng(1).normal(size=(n, dims))
    return Layout(words, np.arange(n), coords, method, 0, None, ["a → b", "c", "d"][:dims])


def test_trace_zero_holds_every_point_with_its_row_and_words_stay_literal():
    lay = small_layout()
    cats = ["x"] * 10 + ["y"] * 15 + [NONE_LABEL] * 5
    view = MapView(Colours(categories=cats), hover=list(lay.words), highlight=["w5", "w6"], labelled=[5, 6], required=2)
    fig = build_figure(lay, view)
    points = fig.data[0]
    assert list(points.customdata) == list(range(30)) and len(points.x) == 30
    assert points.text[3] == "&lt;b&gt;bold&lt;/b&gt;"  # shown as typed, not as bold
    names = [t.name for t in fig.data]
    assert names[1] == "w5 and neighbours" and list(fig.data[1].customdata) == [5, 6]
    assert names[2:] == ["y", "x", NONE_LABEL]  # a legend entry per label, the most common first
    assert points.marker.color[0] != points.marker.color[10] and points.marker.color[-1] == "#b0b0b0"
    assert [a.text for a in fig.layout.annotations] == ["w5", "w6"]


def test_a_search_marks_its_matches_and_dims_the_rest():
    lay = small_layout()
    hits = np.array([w.startswith("w1") for w in lay.words])
    fig = build_figure(lay, MapView(Colours(), list(lay.words), matches=hits, labelled=list(np.flatnonzero(hits))))
    assert fig.data[0].marker.opacity < 0.3 and len(fig.data[0].x) == 30  # dimmed, not hidden
    assert fig.data[1].name == f"{hits.sum()} matches" and list(fig.data[1].customdata) == list(np.flatnonzero(hits))
    assert sorted(a.text for a in fig.layout.annotations) == sorted(w for w in lay.words if w.startswith("w1"))
    plain = build_figure(lay, MapView(Colours(), list(lay.words)))
    assert plain.data[0].marker.opacity > 0.5 and len(plain.data) == 1


def test_3d_labels_are_text_and_axes_titles_are_literal():
    lay = small_layout(dims=3, method="tsne")
    fig = build_figure(lay, MapView(Colours(values=np.arange(30.0), title="n"), list(lay.words), labelled=[0, 3]))
    labels = next(t for t in fig.data if t.name == "labels")
    assert list(labels.text) == ["w0", "&lt;b&gt;bold&lt;/b&gt;"] and not fig.layout.annotations
    assert fig.layout.scene.xaxis.title.text == "a → b"
    assert fig.data[0].marker.showscale


def test_many_categories_share_an_other_colour():
    cats = [f"c{i}" for i in range(len(PALETTE) + 5)] * 2
    colours, legend = category_colours(cats)
    assert len(legend) == len(PALETTE) and OTHER_LABEL in legend
    assert len(set(colours)) == len(PALETTE)


def test_selected_points_map_back_to_rows_through_customdata():
    points = [
        {"curve_number": 0, "point_index": 4, "customdata": 4},
        {"curve_number": 1, "point_index": 0, "customdata": [4]},  # the same word in the highlight trace
        {"curve_number": 2, "point_index": 1, "customdata": [9]},
        {"curve_number": 5, "point_index": 0},  # a legend-only trace: no row
    ]
    assert selected_points(points) == [4, 9]
    assert selected_points([]) == []


def test_frequency_order_puts_the_most_frequent_first():
    counts = np.array([5, 50, 1, 20])
    assert frequency_order(counts, np.array([0, 2, 3, 1])).tolist() == [3, 2, 0, 1]
    assert frequency_order(None, np.array([7, 2, 5])).tolist() == [1, 2, 0]


@pytest.mark.parametrize("text", ["a<b", "&lt;", "<a href='x'>y</a>"])
def test_plot_text_round_trips_through_entities(text):
    import html

    assert html.unescape(plot_text(text)) == text and "<" not in plot_text(text)
