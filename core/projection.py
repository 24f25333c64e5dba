"""Projections for the vector-space view: PCA to 2-D/3-D and k-means colouring (scikit-learn)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .embeddings import EmbeddingSet, normalize
from .errors import InvalidArgumentError


@dataclass
class Projection:
    words: list[str]
    coords: np.ndarray  # [n, components]
    explained_variance_ratio: np.ndarray  # [components]
    rows: np.ndarray  # row of each word in the embedding set


def pca(
    es: EmbeddingSet,
    top_n: int | None = 1000,
    words: Sequence[str] | None = None,
    components: int = 2,
    seed: int = 0,
    include: Sequence[str] = (),
) -> Projection:
    """PCA of the ``top_n`` most frequent words, or of ``words`` (unknown ones raise).

    ``include`` adds words that must appear in the projection (e.g. a word and its neighbours).
    """
    from sklearn.decomposition import PCA

    if components not in (2, 3):
        raise InvalidArgumentError(f"components must be 2 or 3 (got {components})")
    rows = (
        np.array([es.index(w) for w in dict.fromkeys(words)], dtype=np.int64)
        if words
        else es.top_rows(top_n or len(es))
    )
    extra = [es.index(w) for w in include]
    if extra:
        rows = np.concatenate([rows, np.setdiff1d(np.array(extra, dtype=np.int64), rows)])
    if rows.size < components:
        raise InvalidArgumentError(f"need at least {components} words to project, got {rows.size}")
    x = np.asarray(es.vectors[rows], dtype=np.float32)
    # "auto" takes the covariance eigen-solver when words >> dimensions (fast on big sets)
    model = PCA(n_components=components, svd_solver="auto", random_state=seed)
    coords = model.fit_transform(x)
    return Projection([es.words[i] for i in rows], coords, model.explained_variance_ratio_, rows)


def kmeans_labels(es: EmbeddingSet, rows: np.ndarray, k: int = 8, seed: int = 0) -> np.ndarray:
    """Cluster the given rows (cosine geometry: unit vectors) into ``k`` groups."""
    from sklearn.cluster import MiniBatchKMeans

    x = normalize(np.asarray(es.vectors[rows], dtype=np.float32))
    k = max(1, min(k, len(rows)))
    return MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=4096).fit_predict(x)
