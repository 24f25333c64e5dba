"""Maps of the vector space: which words, laid out how (PCA, t-SNE, UMAP), and colours.

Libraries were chosen by measurement (bench/layouts.py, figures in bench/RESULTS.md): openTSNE
for t-SNE (FFT-accelerated in 2-D with 2 threads from 10,000 words, Barnes-Hut on one thread
below; repeatable for a seed either way), umap-learn for UMAP
(repeatable for a seed, then single-threaded), scikit-learn for PCA and k-means. Layouts work
on unit vectors with cosine distances, as the neighbour tables do.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .embeddings import EmbeddingSet, normalize
from .errors import CancelledError, InvalidArgumentError

METHODS = ("pca", "tsne", "umap")
LayoutProgress = Callable[[float], bool | None]  # fraction done -> True to stop
FFT_FROM = 10_000  # t-SNE from this many points: FFT interpolation (2-D) and 2 threads; below, Barnes-Hut, 1 thread


@dataclass
class Layout:
    """Coordinates of ``words`` (rows ``rows`` of the set), one row each, as ``method`` placed them."""

    words: list[str]
    rows: np.ndarray
    coords: np.ndarray  # [n, dims], float64
    method: str
    seed: int = 0
    explained_variance_ratio: np.ndarray | None = None  # PCA only
    axis_titles: list[str] = field(default_factory=list)
    # the fitted model, for placing other vectors in this layout (core.timelapse): scikit-learn's
    # PCA always (small); openTSNE's embedding only when the set has training snapshots
    model: object | None = field(default=None, repr=False, compare=False)

    def to_csv(self) -> str:
        """``word,x,y[,z]``, one row per word, in layout order."""
        buf = io.StringIO()
        out = csv.writer(buf, lineterminator="\n")
        out.writerow(["word", *"xyz"[: self.coords.shape[1]]])
        for w, row in zip(self.words, self.coords, strict=True):
            out.writerow([w, *(f"{v:.6g}" for v in row)])
        return buf.getvalue()


def choose_rows(
    es: EmbeddingSet, top_n: int | None = 1000, words: Sequence[str] | None = None, include: Sequence[str] = ()
) -> np.ndarray:
    """Rows of ``words`` (in their order, each once; unknown ones raise), else of the ``top_n``
    most frequent words; ``include`` adds words that must be there (a word and its neighbours)."""
    if words:
        rows = np.array([es.index(w) for w in dict.fromkeys(words)], dtype=np.int64)
    else:
        rows = es.top_rows(top_n or len(es)).astype(np.int64)
    extra = [es.index(w) for w in include]
    if extra:
        rows = np.concatenate([rows, np.setdiff1d(np.array(extra, dtype=np.int64), rows)])
    return rows


def layout(
    es: EmbeddingSet,
    rows: np.ndarray,
    method: str = "pca",
    dims: int = 2,
    seed: int = 0,
    progress: LayoutProgress | None = None,
    perplexity: float = 30.0,
    n_neighbors: int = 15,
) -> Layout:
    """Lay out the given rows in ``dims`` (2 or 3) dimensions; the same seed gives the same picture.

    ``progress(fraction)`` is called now and then (t-SNE: every 25 iterations); returning True
    stops the layout with :class:`CancelledError`.
    """
    if method not in METHODS:
        raise InvalidArgumentError(f"unknown map method {method!r}; choose one of {', '.join(METHODS)}")
    if dims not in (2, 3):
        raise InvalidArgumentError(f"dims must be 2 or 3 (got {dims})")
    need = {"pca": dims, "tsne": 5, "umap": 5}[method]
    if rows.size < need:
        raise InvalidArgumentError(f"need at least {need} words for a {method} map, got {rows.size}")
    x = normalize(np.asarray(es.vectors[rows], dtype=np.float32))
    words = [es.words[i] for i in rows]
    if method == "pca":
        coords, ratio, model = _pca(x, dims, seed)
        return Layout(words, rows, coords, method, seed, ratio, [f"PC{i + 1}" for i in range(dims)], model)
    kept: object | None = None
    if method == "tsne":
        embedding = _tsne(x, dims, seed, progress, perplexity)
        coords = np.array(embedding, dtype=np.float64)  # a copy: openTSNE's transform re-centres the embedding
        if es.snapshots is not None:  # the time-lapse places the snapshots into this map with it
            embedding.gradient_descent_params["callbacks"] = None  # the progress report belongs to this run
            kept = embedding
    else:
        coords = _umap(x, dims, seed, progress, n_neighbors)
    if progress:
        progress(1.0)
    return Layout(words, rows, coords, method, seed, None, [f"{method} {i + 1}" for i in range(dims)], kept)


def pca(
    es: EmbeddingSet,
    top_n: int | None = 1000,
    words: Sequence[str] | None = None,
    components: int = 2,
    seed: int = 0,
    include: Sequence[str] = (),
) -> Layout:
    """PCA of the ``top_n`` most frequent words, or of ``words`` (see :func:`choose_rows`)."""
    if components not in (2, 3):
        raise InvalidArgumentError(f"components must be 2 or 3 (got {components})")
    rows = choose_rows(es, top_n, words, include)
    if rows.size < components:
        raise InvalidArgumentError(f"need at least {components} words to project, got {rows.size}")
    x = np.asarray(es.vectors[rows], dtype=np.float32)
    coords, ratio, model = _pca(x, components, seed)
    return Layout([es.words[i] for i in rows], rows, coords, "pca", seed, ratio, model=model)


def _pca(x: np.ndarray, dims: int, seed: int) -> tuple[np.ndarray, np.ndarray, object]:
    from sklearn.decomposition import PCA

    # "auto" takes the covariance eigen-solver when words >> dimensions (fast on big sets)
    model = PCA(n_components=dims, svd_solver="auto", random_state=seed)
    return model.fit_transform(x).astype(np.float64), model.explained_variance_ratio_, model


def _tsne(x: np.ndarray, dims: int, seed: int, progress: LayoutProgress | None, perplexity: float):
    """openTSNE's ``TSNEEmbedding`` (an array of the coordinates that can also place new points)."""
    from openTSNE import TSNE

    n = x.shape[0]
    # half openTSNE's default iterations (250 + 500): on 5,000 words the same share of each word's
    # 10 nearest neighbours stays near it on the map, in half the time (bench/RESULTS.md)
    early, main = 125, 250

    stopped: list[bool] = []
    phase = {"base": 0, "last": 0}  # the iteration count restarts with the second phase

    def report(iteration: int, error: float, embedding: object) -> bool:
        if iteration < phase["last"]:
            phase["base"] = early
        phase["last"] = iteration
        if progress and progress(min(0.99, (phase["base"] + iteration) / (early + main))):
            stopped.append(True)  # openTSNE ends the phase when a callback returns True
        return bool(stopped)

    model = TSNE(
        n_components=dims,
        perplexity=min(perplexity, (n - 1) / 3),
        metric="cosine",
        # two threads: 1.35x faster on an idle 2-core machine (on a busy one they wait on each other)
        n_jobs=2,
        random_state=seed,
        # FFT interpolation handles 1-D and 2-D and pays off on big inputs; below 10,000 points
        # (openTSNE's own "auto" rule) Barnes-Hut is much faster (300 words: 2 s against 33 s)
        negative_gradient_method="fft" if dims == 2 and n >= FFT_FROM else "bh",
        theta=0.8,  # a coarser Barnes-Hut: 1.4x faster, and no fewer neighbours kept (bench/RESULTS.md)
        early_exaggeration_iter=early,
        n_iter=main,
        callbacks=report if progress else None,
        callbacks_every_iters=25,
        verbose=False,
    )
    embedding = model.fit(x)
    if stopped:
        raise CancelledError("the layout was stopped")
    return embedding


def _umap(x: np.ndarray, dims: int, seed: int, progress: LayoutProgress | None, n_neighbors: float) -> np.ndarray:
    import warnings

    # umap's package __init__ imports TensorFlow for ParametricUMAP; the map never needs it
    sys.modules.setdefault("umap.parametric_umap", None)  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "n_jobs overridden by setting random_state": wanted
        import umap

        if progress and progress(0.05):
            raise CancelledError("the layout was stopped")
        model = umap.UMAP(
            n_components=dims,
            n_neighbors=int(min(n_neighbors, x.shape[0] - 1)),
            min_dist=0.1,
            metric="cosine",
            random_state=seed,
        )
        return np.asarray(model.fit_transform(x), dtype=np.float64)


def kmeans_labels(es: EmbeddingSet, rows: np.ndarray, k: int = 8, seed: int = 0) -> np.ndarray:
    """Cluster the given rows (cosine geometry: unit vectors) into ``k`` groups."""
    from sklearn.cluster import MiniBatchKMeans

    x = normalize(np.asarray(es.vectors[rows], dtype=np.float32))
    k = max(1, min(k, len(rows)))
    return MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=4096).fit_predict(x)
