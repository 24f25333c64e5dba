"""Approximate nearest neighbours for big sets: 4-bit product-quantised codes (faiss fast scan).

Every unit vector is stored as a short code (4 bits for each dimension, or for each pair of
dimensions above 128), and a query scores all the codes with faiss's SIMD "fast scan" kernels, then
re-ranks the best few hundred by exact cosine on the stored vectors, so the scores are exact and
recall stays high. A full scan of codes does not depend on how the vectors are spread: an HNSW
graph (the index before this one) reached recall 0.83 on vectors with high intrinsic dimension
(low rank plus isotropic noise) and took 60-100 s to build for 400,000 x 300; the codes take a
few seconds and reach 0.99 on every kind measured (bench/RESULTS.md). A query costs time in
proportion to the set; a big set's codes are scanned as two halves at once, one on a helper thread
(faiss releases the GIL), because one core's scan is bound by that core's SIMD and memory traffic.

The index is built when a big set is saved (at import or after training), written inside the
bundle (``index.faiss`` + ``index.json``) and read when the set is opened (30 MB for 400,000 x
300). An index is used only if its sidecar names the same vectors (their sha256, shape and build
settings) and a spot check of stored rows agrees; otherwise it is refused and search is exact. A
bundle saved with an HNSW index by an earlier version still opens and uses it.
"""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from .embeddings import normalize
from .errors import BundleError

INDEX_FILE, INDEX_META = "index.faiss", "index.json"
MIN_WORDS = 50_000  # smaller sets are searched exactly (fast enough, and exact)
CANDIDATES, OVERFETCH = 200, 20  # codes' best, re-ranked exactly: at least 200, 20 per wanted neighbour
TRAIN_ROWS = 65_536  # rows the quantiser is fitted on
EXPANSION_SEARCH = 256  # for an HNSW index saved by an earlier version
_CHUNK = 65_536
SPLIT_ROWS = 100_000  # codes of at least this many rows are scanned as two halves at once
_helper: ThreadPoolExecutor | None = None


def subquantizers(dim: int) -> int:
    """Codes of 4 bits per dimension up to 128 dimensions, per pair of dimensions above (odd: per
    dimension): a query scans 64-150 bytes a word for the usual 100-300 dimensions."""
    return dim // 2 if dim > 128 and dim % 2 == 0 else dim


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

    def __init__(self, index, vectors, split: bool = False):
        """``split``: scan a big set's codes as two halves (an opened index, which is searched; a
        freshly built one is only saved)."""
        self._vectors = vectors
        self._halves = _halves(index) if split else []
        self._index = None if self._halves else index  # the halves hold its codes
        self._kind = "HNSW" if hasattr(index, "hnsw") else "4-bit codes"

    @property
    def kind(self) -> str:
        return self._kind

    @classmethod
    def build(cls, vectors, threads: int | None = None, progress=None) -> AnnIndex:
        """Fit the quantiser on up to ``TRAIN_ROWS`` rows and code every row (a few seconds for
        400k x 300 on 2 cores); ``progress(done, total)`` in rows."""
        faiss = _faiss(threads or os.cpu_count() or 1)
        n, dim = int(vectors.shape[0]), int(vectors.shape[1])
        index = faiss.IndexPQFastScan(dim, subquantizers(dim), 4, faiss.METRIC_INNER_PRODUCT)
        sample = np.sort(np.random.default_rng(0).choice(n, min(n, TRAIN_ROWS), replace=False))
        index.train(normalize(np.asarray(vectors[sample], dtype=np.float32)))
        for s in range(0, n, _CHUNK):
            index.add(_unit_rows(vectors, s, min(n, s + _CHUNK)))
            if progress:
                progress(min(n, s + _CHUNK), n)
        _faiss(1)
        return cls(index, vectors)

    def save(self, folder: Path, sha: str) -> None:
        index = self._index if self._index is not None else _joined(self._halves)
        _faiss().write_index(index, str(folder / INDEX_FILE))
        info = {
            "library": "faiss",
            "kind": "IndexPQFastScan, 4-bit codes of unit vectors, inner product",
            "words": int(self._vectors.shape[0]),
            "dimensions": int(self._vectors.shape[1]),
            "vectors_sha256": sha,
            "subquantizers": int(index.pq.M),
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
        # codes are read whole (75 bytes a word at 300 dimensions: scans of a copy in memory were
        # faster than of a memory map); an earlier version's HNSW graph is memory-mapped in place
        codes = info.get("kind", "").startswith("IndexPQFastScan")
        flags = 0 if codes else faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY
        try:
            index = faiss.read_index(str(folder / INDEX_FILE), flags)
        except RuntimeError:
            raise BundleError(f"{folder}: the search index is damaged; {rebuild}") from None
        if index.ntotal != vectors.shape[0] or index.d != vectors.shape[1]:
            raise BundleError(f"{folder}: the search index is damaged; {rebuild}")
        probe = np.unique(np.linspace(0, vectors.shape[0] - 1, 8).astype(np.int64))
        stored = np.vstack([index.reconstruct(int(i)) for i in probe])
        want = np.vstack([_unit_rows(vectors, int(i), int(i) + 1) for i in probe])
        if not hasattr(index, "hnsw"):  # codes: the stored rows must be the codes of these rows
            want = index.sa_decode(index.sa_encode(want))
        if not np.allclose(stored, want, atol=1e-5):
            raise BundleError(f"{folder}: the search index does not match vectors.npy; {rebuild}")
        return cls(index, vectors, split=True)

    def search(self, q_unit: np.ndarray, k: int) -> tuple[list[int], list[float]]:
        """Indices and exact cosine scores of the ``k`` best rows for a unit query vector."""
        want = min(self._vectors.shape[0], max(k * OVERFETCH, CANDIDATES))
        if self._index is not None and self._kind == "HNSW":
            self._index.hnsw.efSearch = max(EXPANSION_SEARCH, want)
        if q_unit.any():
            keys = self._candidates(q_unit.astype(np.float32)[None, :], want)
        else:  # every row scores 0 against a zero vector (the codes' scan finds none): the first, as exact search
            keys = np.arange(want, dtype=np.int64)
        scores = _cosines(np.asarray(np.take(self._vectors, keys, axis=0), dtype=np.float32), q_unit)
        order = np.argsort(-scores, kind="stable")[:k]
        return keys[order].tolist(), scores[order].tolist()

    def _candidates(self, q: np.ndarray, want: int) -> np.ndarray:
        """The rows of the ``want`` best approximate scores, sorted by row."""
        if self._index is not None:
            keys = self._index.search(q, want)[1][0].astype(np.int64)
            return np.sort(keys[keys >= 0])
        (first, _), (second, offset) = self._halves
        later = _helper_thread().submit(second.search, q, want)
        s1, k1 = first.search(q, want)
        s2, k2 = later.result()
        scores = np.concatenate([s1[0], s2[0]])
        keys = np.concatenate([k1[0], np.where(k2[0] >= 0, k2[0] + offset, -1)]).astype(np.int64)
        scores[keys < 0] = -np.inf
        best = np.argpartition(-scores, want - 1)[:want] if scores.size > want else np.arange(scores.size)
        keys = keys[best]
        return np.sort(keys[keys >= 0])


def _helper_thread() -> ThreadPoolExecutor:
    global _helper
    if _helper is None:
        _helper = ThreadPoolExecutor(1, thread_name_prefix="ann-scan")
    return _helper


def _halves(index) -> list:
    """A fast-scan index of many rows as two indexes over its first and second half of rows (split at
    a block of codes, with the second half's row offset), or [] to scan it whole."""
    if not hasattr(index, "bbs") or index.ntotal < SPLIT_ROWS or (os.cpu_count() or 1) < 2:
        return []
    split = int(index.ntotal) // 2 // index.bbs * index.bbs
    codes = _faiss().AlignedTable_to_array(index.codes)
    return [(_fast_scan(index, codes, 0, split), 0), (_fast_scan(index, codes, split, int(index.ntotal)), split)]


def _joined(halves: list):
    """The one index of both halves (as saved)."""
    (first, _), (second, offset) = halves
    faiss = _faiss()
    per_row = first.M2 // 2
    codes = np.concatenate(
        [faiss.AlignedTable_to_array(first.codes)[: offset * per_row], faiss.AlignedTable_to_array(second.codes)]
    )
    return _fast_scan(first, codes, 0, offset + int(second.ntotal))


def _fast_scan(like, codes: np.ndarray, start: int, stop: int):
    """An index like ``like`` holding rows ``start:stop`` of ``codes`` (packed in blocks of ``bbs``
    rows, half a byte a sub-quantiser; ``start`` at a block)."""
    faiss = _faiss()
    rows, per_row = int(like.bbs), like.M2 // 2
    part = faiss.IndexPQFastScan(like.d, like.pq.M, like.pq.nbits, like.metric_type, rows)
    part.pq = like.pq
    part.is_trained = True
    part.ntotal, part.ntotal2 = stop - start, -(-(stop - start) // rows) * rows
    end = start * per_row + part.ntotal2 * per_row
    faiss.copy_array_to_AlignedTable(np.ascontiguousarray(codes[start * per_row : end]), part.codes)
    return part


def _cosines(rows: np.ndarray, q_unit: np.ndarray) -> np.ndarray:
    """Each row's cosine with a unit vector: products divided by the rows' lengths (half the time of
    normalising the rows first), or :func:`normalize`'s careful path where a length is 0, tiny or
    overflows."""
    with np.errstate(over="ignore", under="ignore"):
        norms = np.sqrt(np.einsum("ij,ij->i", rows, rows))
    if np.all(np.isfinite(norms) & (norms > 1e-18)):
        return (rows @ q_unit) / norms
    return normalize(rows) @ q_unit


def wants_index(n_words: int) -> bool:
    return n_words >= MIN_WORDS
