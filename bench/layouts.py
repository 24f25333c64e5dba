"""t-SNE and UMAP speed on the Vector space page's sizes: openTSNE vs scikit-learn vs umap-learn.

    python3 bench/layouts.py [--sizes 5000 20000] [--quick]

Two kinds of input, both unit vectors compared by cosine (as the page does):
- "sample": the sample set's vectors resampled to n rows (drawn with replacement, plus a little
  noise so that copies do not coincide);
- "clustered": synthetic clustered vectors with a decaying spectrum (bench/big_sets.py).

For each input and n it times, in this process, one after the other:
- core: ``core.projection.layout(..., "tsne")`` as the page runs it (openTSNE; Barnes-Hut on one
  thread below 10,000 points, FFT on two threads from there);
- openTSNE fft x2: openTSNE forced to FFT interpolation with 2 threads (the other choice);
- sklearn: scikit-learn's ``TSNE`` (Barnes-Hut, ``n_jobs=2``, cosine);
- umap: ``core.projection.layout(..., "umap")`` (umap-learn), after one untimed warm-up run
  that compiles its numba code (its time is printed too: the first UMAP a server runs pays it).
Each row has the seconds and "kNN kept": the share of each point's 10 nearest neighbours in the
full space that are also among its 10 nearest on the map (1,000 points checked), a quick
quality check so that a fast but scrambled layout does not win. Targets (issue 15, 2 cores):
5,000 points in 20 s, 20,000 in 90 s. Prints a markdown table. ``--quick`` runs 500 points
only, to check that the script works.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.big_sets import make_vectors  # noqa: E402
from core import EmbeddingSet, load  # noqa: E402
from core.embeddings import normalize  # noqa: E402
from core.projection import layout  # noqa: E402

TARGETS = {5_000: 20.0, 20_000: 90.0}


def sample_resampled(n: int, seed: int = 0) -> np.ndarray:
    base = np.asarray(load(ROOT / "sample_data" / "sample").unit_vectors)
    rng = np.random.default_rng(seed)
    x = base[rng.integers(0, len(base), n)]
    return normalize(x + rng.normal(scale=0.05, size=x.shape).astype(np.float32))


def clustered(n: int, dim: int = 100, seed: int = 0) -> np.ndarray:
    return normalize(make_vectors(n, dim, seed))


def knn_kept(x: np.ndarray, y: np.ndarray, k: int = 10, checked: int = 1000, seed: int = 0) -> float:
    """Share of the k nearest neighbours (cosine in ``x``) kept on the map ``y`` (euclidean)."""
    from sklearn.neighbors import NearestNeighbors

    idx = np.random.default_rng(seed).choice(len(x), min(checked, len(x)), replace=False)
    high = NearestNeighbors(n_neighbors=k + 1, metric="cosine").fit(x).kneighbors(x[idx], return_distance=False)
    low = NearestNeighbors(n_neighbors=k + 1).fit(y).kneighbors(y[idx], return_distance=False)
    return float(np.mean([len(set(h[1:]) & set(lo[1:])) / k for h, lo in zip(high, low, strict=True)]))


def as_set(x: np.ndarray) -> EmbeddingSet:
    return EmbeddingSet([f"w{i}" for i in range(len(x))], x.astype(np.float32))


def run_core(method: str) -> Callable[[np.ndarray], np.ndarray]:
    def run(x: np.ndarray) -> np.ndarray:
        return layout(as_set(x), np.arange(len(x)), method, 2, seed=0).coords

    return run


def open_tsne_fft(x: np.ndarray) -> np.ndarray:
    from openTSNE import TSNE

    model = TSNE(n_components=2, metric="cosine", n_jobs=2, random_state=0, negative_gradient_method="fft")
    return np.asarray(model.fit(x))


def sklearn_tsne(x: np.ndarray) -> np.ndarray:
    from sklearn.manifold import TSNE

    model = TSNE(n_components=2, metric="cosine", init="pca", random_state=0, n_jobs=2, method="barnes_hut")
    return model.fit_transform(x)


METHODS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "core (openTSNE)": run_core("tsne"),
    "openTSNE fft x2": open_tsne_fft,
    "sklearn TSNE": sklearn_tsne,
    "umap (core)": run_core("umap"),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[5_000, 20_000])
    ap.add_argument("--quick", action="store_true", help="500 points only: check that the script runs")
    args = ap.parse_args()
    sizes = [500] if args.quick else args.sizes

    t = time.perf_counter()
    run_core("umap")(clustered(200, seed=9))  # numba compiles on the first call: paid once per process
    print(f"UMAP warm-up (numba compile + 200 points): {time.perf_counter() - t:.1f} s\n", flush=True)

    print("| data | points | method | seconds | kNN kept | target |")
    print("|---|---:|---|---:|---:|---|")
    for n in sizes:
        for kind, make in (("sample", sample_resampled), ("clustered", clustered)):
            x = make(n)
            for name, run in METHODS.items():
                t = time.perf_counter()
                y = run(x)
                s = time.perf_counter() - t
                target = TARGETS.get(n)
                verdict = "" if target is None else (f"≤ {target:.0f} s: " + ("met" if s <= target else "missed"))
                print(f"| {kind} | {n:,} | {name} | {s:.1f} | {knn_kept(x, y):.2f} | {verdict} |", flush=True)


if __name__ == "__main__":
    main()
