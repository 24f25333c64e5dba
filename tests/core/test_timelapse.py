"""A map's training time-lapse: each snapshot placed by the map's own method (PCA with the final
map's components, semantic axes with the final directions, t-SNE by openTSNE's transform), the
words in the order asked for, the random start far from the map and the last frame the map."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.decomposition import PCA

from core import EmbeddingSet
from core.axes import axes_layout, parse_axis
from core.embeddings import normalize
from core.errors import InvalidArgumentError
from core.projection import Layout, layout
from core.snapshots import Snapshots
from core.timelapse import animated_words, frames, place, progress_label

FRACTIONS = [0.0, 0.25, 0.5, 0.75, 1.0]
HELD = 40  # the snapshots keep the 40 most frequent of the 60 words


def with_snapshots(fractions: list[float] = FRACTIONS, n: int = 60, dim: int = 8) -> EmbeddingSet:
    """Words in 4 clusters; snapshot i is the random start moved a fraction of the way to the end."""
    rng = np.random.default_rng(3)
    centres = rng.normal(size=(4, dim)) * 3
    final = (centres[np.arange(n) % 4] + rng.normal(size=(n, dim)) * 0.4).astype(np.float32)
    es = EmbeddingSet([f"w{i}" for i in range(n)], final, np.arange(n, 0, -1) * 5)
    start = rng.normal(size=(HELD, dim)) * 0.05
    snaps = np.stack([(1 - f) * start + f * final[:HELD] for f in fractions]).astype(np.float16)
    es.snapshots = Snapshots(snaps, np.arange(HELD, dtype=np.int64), list(fractions))
    return es


def snapshot_units(es: EmbeddingSet, i: int, words: list[str]) -> np.ndarray:
    assert es.snapshots is not None
    return normalize(np.asarray(es.snapshots.vectors[i][[es.index(w) for w in words]], dtype=np.float32))


def spread(coords: np.ndarray) -> float:
    return float(np.linalg.norm(coords.max(axis=0) - coords.min(axis=0)))


def test_animated_words_are_the_maps_words_the_snapshots_keep_in_map_order():
    es = with_snapshots()
    assert animated_words(es, ["w50", "w3", "w39", "w40", "w0"]) == ["w3", "w39", "w0"]
    plain = EmbeddingSet(es.words, es.vectors, es.counts)
    assert animated_words(plain, es.words) == []
    with pytest.raises(InvalidArgumentError, match="no training snapshots"):
        frames(plain, ["w0"], layout(plain, np.arange(10), "pca"))


def test_pca_frames_use_the_final_maps_components_and_end_on_the_map():
    es = with_snapshots()
    rows = np.arange(50)
    lay = layout(es, rows, "pca", 2)
    words = animated_words(es, lay.words)
    got = frames(es, words, lay)
    assert [f.label for f in got] == ["0% (random start)", "25%", "50%", "75%", "100%"]
    assert [f.index for f in got] == [0, 1, 2, 3, 4] and got[-1].fraction == 1.0
    final = lay.coords[:HELD]
    np.testing.assert_allclose(got[-1].coords, final, atol=1e-3)
    # the float16 last snapshot, placed as the others are, lands where the map has it
    np.testing.assert_allclose(place(lay, snapshot_units(es, 4, words)), final, atol=1e-3)
    # the same mean and components as a PCA fitted on the final unit vectors of the map's words
    fit = PCA(n_components=2, svd_solver="full").fit(normalize(es.vectors[rows]))
    expected = fit.transform(snapshot_units(es, 1, words))
    signs = np.sign(np.sum(fit.components_ * lay.model.components_, axis=1))  # type: ignore[attr-defined]
    np.testing.assert_allclose(got[1].coords, expected * signs, atol=1e-4)
    # the random start is far from the map; later snapshots come nearer, step by step
    gaps = [float(np.linalg.norm(f.coords - final, axis=1).mean()) for f in got]
    assert gaps[0] > 0.2 * spread(final)
    assert all(a > b for a, b in zip(gaps, gaps[1:], strict=False))


def test_points_keep_the_order_they_were_asked_in():
    es = with_snapshots()
    lay = layout(es, np.arange(HELD), "pca", 3)
    words = animated_words(es, lay.words)
    forward, backward = frames(es, words, lay), frames(es, words[::-1], lay)
    assert all(f.coords.shape == (HELD, 3) for f in forward)
    for a, b in zip(forward, backward, strict=True):
        np.testing.assert_allclose(a.coords, b.coords[::-1])
    with pytest.raises(InvalidArgumentError, match="not both on the map and in the snapshots"):
        frames(es, ["w1", "w45"], layout(es, np.arange(50), "pca"))


def test_axes_frames_are_each_snapshots_cosines_with_the_final_directions():
    es = with_snapshots()
    x, y = parse_axis(es, "w0:w1"), parse_axis(es, "w2 - w3")
    lay = axes_layout(es, np.arange(HELD), x, y)
    got = frames(es, lay.words, lay, (x, y))
    unit = snapshot_units(es, 2, lay.words)
    np.testing.assert_allclose(
        got[2].coords[:, 0], unit @ normalize(normalize(es.vectors[1]) - normalize(es.vectors[0])), atol=1e-5
    )
    np.testing.assert_allclose(got[-1].coords, lay.coords, atol=1e-3)
    assert np.abs(got[0].coords - lay.coords).mean() > 0.1
    with pytest.raises(InvalidArgumentError, match="needs the two axes"):
        frames(es, lay.words, lay)


def test_a_snapshot_before_the_end_gets_its_own_frame_before_the_map():
    es = with_snapshots([0.0, 0.5, 0.9])
    lay = layout(es, np.arange(HELD), "pca", 2)
    got = frames(es, lay.words, lay)
    assert [f.label for f in got] == ["0% (random start)", "50%", "90%", "100%"]
    np.testing.assert_allclose(got[-1].coords, lay.coords)
    assert progress_label(0.0, first=False) == "0%" and progress_label(0.124, first=False) == "12%"


def test_tsne_frames_place_each_snapshot_into_the_final_map():
    es = with_snapshots()
    lay = layout(es, np.arange(50), "tsne", 2, seed=0)
    assert lay.model is not None  # kept: the set has snapshots
    before = lay.coords.copy()
    words = animated_words(es, lay.words)
    got = frames(es, words, lay)
    np.testing.assert_array_equal(lay.coords, before)  # the transform re-centres its embedding, not the map
    final = lay.coords[:HELD]
    assert len(got) == 5 and all(f.coords.shape == (HELD, 2) and np.isfinite(f.coords).all() for f in got)
    np.testing.assert_array_equal(got[-1].coords, final)
    # the float16 last snapshot lands near its own place on the map (the transform is consistent)
    near = np.linalg.norm(place(lay, snapshot_units(es, 4, words)) - final, axis=1)
    assert np.median(near) < 0.05 * spread(final)
    # the random start does not: its points sit elsewhere (the transform is not the identity)
    assert np.linalg.norm(got[0].coords - final, axis=1).mean() > 0.1 * spread(final)
    lo, hi = lay.coords.min(axis=0), lay.coords.max(axis=0)
    assert np.all(got[2].coords > lo - 0.5 * (hi - lo)) and np.all(got[2].coords < hi + 0.5 * (hi - lo))
    plain = EmbeddingSet(es.words, es.vectors, es.counts)
    assert layout(plain, np.arange(50), "tsne", 2).model is None  # no snapshots: not kept


def test_umap_maps_have_no_frames_of_their_own():
    es = with_snapshots()
    lay = Layout(es.words[:HELD], np.arange(HELD), np.zeros((HELD, 2)), "umap")
    with pytest.raises(InvalidArgumentError, match="use a PCA map"):
        frames(es, lay.words, lay)
    no_model = Layout(es.words[:HELD], np.arange(HELD), np.zeros((HELD, 2)), "tsne")
    with pytest.raises(InvalidArgumentError, match="kept no model"):
        frames(es, lay.words, no_model)
