"""A map's training time-lapse: where each training snapshot (``core.snapshots``) puts the map's
words, placed by the map's own method, so that an animation shows the points travel.

- PCA: each snapshot projected with the final map's PCA (its mean and components, fitted on the
  final vectors), so the axes stay fixed and only the points move.
- Semantic axes: each snapshot's cosines with the axis directions of the final vectors.
- t-SNE: each snapshot placed into the final map by openTSNE's out-of-sample
  ``TSNEEmbedding.transform`` (the layout keeps its embedding when the set has snapshots). New
  points are optimised against the map only, never against each other, so all snapshots go in
  one call. 100 iterations instead of openTSNE's 250: 10 snapshots of 1,000 words took 8 s (16 s
  with 250) on a busy 2-core machine, and the final snapshot lands within 0.2 % of the map's
  spread of its own place.
- UMAP has no frames of its own (:data:`OWN_FRAMES`): umap-learn's ``transform`` took 40-55 s
  for 9 snapshots of 1,000 words, longer than the map itself; callers use a PCA map instead.

The last frame is always the map itself: the last snapshot is the final vectors stored in
float16, so the map's coordinates stand for it (a snapshot taken before the end gets a frame of
its own first). Vectors are made unit length first, as :func:`core.projection.layout` does.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .axes import Axis
from .embeddings import EmbeddingSet, normalize
from .errors import InvalidArgumentError
from .projection import Layout

OWN_FRAMES = ("pca", "axes", "tsne")  # methods whose frames use the method itself
TSNE_ITERATIONS = 100
_END = 1.0 - 1e-6  # a snapshot at this fraction or later is the end of training
_TSNE_LOCK = threading.Lock()  # transform re-centres the shared embedding in place


@dataclass(frozen=True)
class Frame:
    """The map's animated words (in the order asked for) as snapshot ``index`` places them."""

    index: int  # the snapshot's number; the final map's frame has the last snapshot's number
    fraction: float  # of the training done
    label: str  # "0% (random start)", "12%", ..., "100%"
    coords: np.ndarray  # [words, dims], float64


def progress_label(fraction: float, first: bool) -> str:
    """How a frame is named on the slider."""
    return "0% (random start)" if first and fraction <= 0.0 else f"{fraction:.0%}"


def animated_words(es: EmbeddingSet, words: Sequence[str]) -> list[str]:
    """The words (in their order) that the set's snapshots hold; none when it has no snapshots."""
    if es.snapshots is None:
        return []
    held = {es.words[int(r)] for r in es.snapshots.rows}
    return [w for w in words if w in held]


def place(lay: Layout, unit: np.ndarray, axes: tuple[Axis, Axis] | None = None) -> np.ndarray:
    """Unit vectors ``unit`` ([n, dim]) placed in ``lay`` by its method ([n, dims], float64)."""
    if lay.method == "axes":
        if axes is None:
            raise InvalidArgumentError("a semantic-axes time-lapse needs the two axes")
        return np.stack([unit @ axes[0].vector, unit @ axes[1].vector], axis=1).astype(np.float64)
    if lay.method not in OWN_FRAMES:
        raise InvalidArgumentError(f"the time-lapse cannot place snapshots into a {lay.method} map; use a PCA map")
    if lay.model is None:
        raise InvalidArgumentError(f"this {lay.method} map kept no model to place the snapshots with; lay it out again")
    if lay.method == "pca":
        return np.asarray(lay.model.transform(unit), dtype=np.float64)  # type: ignore[attr-defined]
    emb = lay.model
    with _TSNE_LOCK:
        placed = emb.transform(unit, n_iter=TSNE_ITERATIONS)  # type: ignore[attr-defined]
        # transform works on a re-centred copy of the map; shift its answer back onto the map
        shift = lay.coords.mean(axis=0) - np.asarray(emb, dtype=np.float64).mean(axis=0)
    return np.asarray(placed, dtype=np.float64) + shift


def frames(es: EmbeddingSet, words: Sequence[str], lay: Layout, axes: tuple[Axis, Axis] | None = None) -> list[Frame]:
    """One :class:`Frame` per snapshot of ``words`` (all on the map ``lay`` and held by the
    snapshots, see :func:`animated_words`), the last one the map's own coordinates."""
    snaps = es.snapshots
    if snaps is None:
        raise InvalidArgumentError("this set has no training snapshots; retrain it with --snapshots 10")
    if not words:
        raise InvalidArgumentError("no word to animate: none of the map's words is in the snapshots")
    on_map = {w: i for i, w in enumerate(lay.words)}
    in_snaps = {int(r): i for i, r in enumerate(snaps.rows)}
    missing = [w for w in words if w not in on_map or es.index(w) not in in_snaps]
    if missing:
        raise InvalidArgumentError(f"{len(missing)} words are not both on the map and in the snapshots: {missing[:5]}")
    cols = np.array([in_snaps[es.index(w)] for w in words], dtype=np.int64)
    final = np.asarray(lay.coords[[on_map[w] for w in words]], dtype=np.float64)
    fractions = list(snaps.fractions)
    moments = len(snaps) - 1 if fractions[-1] >= _END else len(snaps)  # the end is the map itself
    out: list[Frame] = []
    if moments:
        # every snapshot in one call: t-SNE searches its neighbours and optimises once
        stacked = np.concatenate(
            [normalize(np.asarray(snaps.vectors[i][cols], dtype=np.float32)) for i in range(moments)]
        )
        placed = place(lay, stacked, axes).reshape(moments, len(words), -1)
        out = [Frame(i, fractions[i], progress_label(fractions[i], i == 0), placed[i]) for i in range(moments)]
    out.append(Frame(len(snaps) - 1, 1.0, progress_label(1.0, False), final))
    return out
