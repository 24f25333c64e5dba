"""Where a map's word labels go so that they do not pile up: a greedy placement in screen pixels.

Labels are placed in priority order (the highlighted word first). Each label tries the eight
directions around its point at three distances, nearest first, and takes the first spot that
overlaps no label placed before it, no labelled point and stays inside the plot; a line joins
it to its point. A *required* label (the highlighted word and its neighbours) that finds no free
spot takes the least crowded one; any other label is then left out. No Streamlit here: this is
plain geometry, tested on its own.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# right, left, up, down first (short leader lines read best), then the diagonals
_DIRECTIONS = [(1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (-1, -1), (1, 1), (-1, 1)]
_DISTANCES = (1.0, 2.5, 4.5)  # in units of the font size
_POINT = 3.0  # half the side of the square kept free around each labelled point, in pixels


def label_box(text: str, font_size: float) -> tuple[float, float]:
    """Width and height in pixels of a one-line label (an estimate: 0.6 em a character)."""
    return 0.6 * font_size * max(1, len(text)) + 4, 1.4 * font_size


def to_pixels(xy: np.ndarray, ranges: tuple[tuple[float, float], tuple[float, float]], size: tuple[float, float]):
    """Data coordinates as screen pixels (y grows downwards) of a plot ``size`` = (width, height)."""
    (x0, x1), (y0, y1) = ranges
    w, h = size
    px = (xy[:, 0] - x0) / ((x1 - x0) or 1) * w
    py = (y1 - xy[:, 1]) / ((y1 - y0) or 1) * h
    return np.stack([px, py], axis=1)


def _overlap(box: np.ndarray, boxes: np.ndarray) -> float:
    """Total area of ``box`` (x0, y0, x1, y1) covered by ``boxes`` ([n, 4])."""
    if not len(boxes):
        return 0.0
    w = np.minimum(box[2], boxes[:, 2]) - np.maximum(box[0], boxes[:, 0])
    h = np.minimum(box[3], boxes[:, 3]) - np.maximum(box[1], boxes[:, 1])
    return float(np.sum(np.clip(w, 0, None) * np.clip(h, 0, None)))


def place_labels(
    points: np.ndarray,
    texts: Sequence[str],
    font_size: float,
    size: tuple[float, float],
    required: int = 0,
) -> list[tuple[float, float] | None]:
    """For each label (in priority order), the offset (dx, dy) in pixels from its point to the
    label's centre, or None when it is left out. ``points`` are pixel positions ([n, 2], y
    down, see :func:`to_pixels`); the first ``required`` labels are always placed."""
    n = len(texts)
    w_plot, h_plot = size
    around = np.concatenate([points - _POINT, points + _POINT], axis=1) if n else np.zeros((0, 4))
    placed = np.zeros((0, 4))
    out: list[tuple[float, float] | None] = []
    for i, text in enumerate(texts):
        w, h = label_box(text, font_size)
        others = np.delete(around, i, axis=0)
        best: tuple[float, tuple[float, float]] | None = None
        for dist in _DISTANCES:
            for ux, uy in _DIRECTIONS:
                dx = ux * (dist * font_size + w / 2)
                dy = uy * (dist * font_size * 0.6 + h / 2)
                cx, cy = points[i, 0] + dx, points[i, 1] + dy
                box = np.array([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
                cost = _overlap(box, placed) + _overlap(box, others)
                outside = max(0.0, -box[0]) + max(0.0, box[2] - w_plot) + max(0.0, -box[1]) + max(0.0, box[3] - h_plot)
                cost += outside * h  # a label cut by the plot's edge counts as covered
                if best is None or cost < best[0]:
                    best = (cost, (float(dx), float(dy)))
                if cost == 0:
                    break
            if best is not None and best[0] == 0:
                break
        assert best is not None
        if best[0] > 0 and i >= required:
            out.append(None)
            continue
        dx, dy = best[1]
        cx, cy = points[i, 0] + dx, points[i, 1] + dy
        placed = np.vstack([placed, [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2]])
        out.append((dx, dy))
    return out
