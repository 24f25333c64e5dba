"""Approximate nearest neighbours for big sets: an HNSW graph (faiss) over the unit vectors.

The index is built when a big set is saved (at import or after training), written inside the bundle
(``index.faiss`` + ``index.json``) and opened memory-mapped, so reopening costs nothing. Each
query asks the graph for a few times more candidates than wanted and re-ranks them by exact cosine
on the stored vectors, so the scores are exact and recall stays high.

An index is used only if its sidecar names the same vectors (their sha256, shape and build
settings) and a spot check of stored rows agrees; otherwise it is refused and search is exact.
See bench/RESULTS.md for why faiss (vs hnswlib and usearch).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np

from .embeddings import normalize
from .errors import BundleError

INDEX_FILE, INDEX_META = "index.faiss", "index.json"
MIN_WORDS = 50_000  # smaller sets are searched exactly (fast enough, and exact)
CONNECTIVITY, EXPANSION_ADD, EXPANSION_SEARCH = 16, 128, 256
OVERFETCH = 3  # candidates per wanted neighbour, re-ranked exactly
_CHUNK = 65_536


def vectors_sha256(vectors) -> str:
    """A fingerprint of the matrix bytes (float32, row-major)."""
    h = hashlib.sha256()
    for s in range(0, vectors.shape[0], _CHUNK):
        h.update(np.ascontiguousarray(vectors[s : s + _CHUNK], dtype=np.float32).data)  # no copy
    return h.hexdigest()


def _unit_rows(vectors, start: int, stop: int) -> np.ndarray:
    return normalize(np.asarray(vectors[start:stop], dtype=np.float32))


def _faiss(threads: int = 1):
    import faiss

    faiss.omp_set_num_threads(threads)  # one query at a time: OpenMP only adds overhead
    return faiss


class AnnIndex:
    """Cosine search over an embedding matrix; ``search`` returns exact scores of ANN candidates."""

    def __init__(self, index, vectors):
        self._index = index
        self._vectors = vectors

    @classmethod
    def build(cls, vectors, threads: int | None = None, progress=None) -> AnnIndex:
        """Build the graph (about 90 s for 400k x 300 on 2 cores); ``progress(done, total)`` in rows."""
        faiss = _faiss(threads or os.cpu_count() or 1)
        index = faiss.IndexHNSWFlat(int(vectors.shape[1]), CONNECTIVITY, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = EXPANSION_ADD
        n = vectors.shape[0]
        for s in range(0, n, _CHUNK // 4):
            index.add(_unit_rows(vectors, s, min(n, s + _CHUNK // 4)))
            if progress:
                progress(min(n, s + _CHUNK // 4), n)
        _faiss(1)
        return cls(index, vectors)

    def save(self, folder: Path, sha: str) -> None:
        _faiss().write_index(self._index, str(folder / INDEX_FILE))
        info = {
            "library": "faiss",
            "kind": "IndexHNSWFlat, inner product of unit vectors",
            "words": int(self._vectors.shape[0]),
            "dimensions": int(self._vectors.shape[1]),
            "vectors_sha256": sha,
            "connectivity": CONNECTIVITY,
            "expansion_add": EXPANSION_ADD,
        }
        (folder / INDEX_META).write_text(json.dumps(info, indent=2), encoding="utf-8")

    @classmethod
    def open(cls, folder: Path, vectors, meta: dict) -> AnnIndex | None:
        """The bundle's index, or None if it has none. A mismatched index raises BundleError."""
        if not (folder / INDEX_FILE).exists():
            return None
        rebuild = f"rebuild it with `python -m core index {folder}`"
        try:
            info = json.loads((folder / INDEX_META).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise BundleError(f"{folder}: the search index has no readable {INDEX_META}; {rebuild}") from None
        expected = (meta.get("vectors_sha256"), int(vectors.shape[0]), int(vectors.shape[1]))
        if (info.get("vectors_sha256"), info.get("words"), info.get("dimensions")) != expected:
            raise BundleError(f"{folder}: the search index was built for other vectors; {rebuild}")
        faiss = _faiss()
        try:  # memory-mapped in place: nothing is read until a query touches it
            index = faiss.read_index(str(folder / INDEX_FILE), faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY)
        except RuntimeError:
            raise BundleError(f"{folder}: the search index is damaged; {rebuild}") from None
        if index.ntotal != vectors.shape[0] or index.d != vectors.shape[1]:
            raise BundleError(f"{folder}: the search index is damaged; {rebuild}")
        probe = np.unique(np.linspace(0, vectors.shape[0] - 1, 8).astype(np.int64))
        stored = np.vstack([index.reconstruct(int(i)) for i in probe])
        want = np.vstack([_unit_rows(vectors, int(i), int(i) + 1) for i in probe])
        if not np.allclose(stored, want, atol=1e-5):
            raise BundleError(f"{folder}: the search index does not match vectors.npy; {rebuild}")
        return cls(index, vectors)

    def search(self, q_unit: np.ndarray, k: int) -> tuple[list[int], list[float]]:
        """Indices and exact cosine scores of the ``k`` best rows for a unit query vector."""
        want = min(self._vectors.shape[0], max(k * OVERFETCH, 30))
        self._index.hnsw.efSearch = max(EXPANSION_SEARCH, want)
        keys = self._index.search(q_unit.astype(np.float32)[None, :], want)[1][0].astype(np.int64)
        keys = np.sort(keys[keys >= 0])
        scores = normalize(np.asarray(self._vectors[keys], dtype=np.float32)) @ q_unit
        order = np.argsort(-scores, kind="stable")[:k]
        return keys[order].tolist(), scores[order].tolist()


def wants_index(n_words: int) -> bool:
    return n_words >= MIN_WORDS
