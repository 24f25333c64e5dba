"""A time-lapse of training: the vectors of the most frequent words at evenly spaced moments.

The trainer hands a :class:`Capture` the rows of the chosen words between its TensorFlow calls
(the first before any update, the last the final vectors); :meth:`Capture.finish` rotates each
snapshot onto the final vectors by orthogonal Procrustes (``core.compare.procrustes``), so that a
word's path shows how it moved, not the arbitrary rotation training drifts through. Rotations keep
every snapshot's own cosines, so its neighbours are as they were when it was taken.

In a bundle: ``snapshots.npy`` ([snapshots, words, dim], float16 unless a value is too large for
it), ``snapshot_rows.npy`` (int64 rows of the set's words) and ``meta["snapshots"]`` (count, words,
fractions of the training done, bytes). Snapshots are taken between TensorFlow calls (about
131,000 centre words each), so on a small corpus two consecutive snapshots may be the same moment;
``fractions`` says when each was really taken.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .errors import BundleError, InvalidArgumentError

if TYPE_CHECKING:
    from .embeddings import EmbeddingSet

MAX_WORDS = 2_000  # rows kept per snapshot: the bundle grows by count x 2,000 x dim x 2 bytes at most
VECTORS, ROWS = "snapshots.npy", "snapshot_rows.npy"
# float16 keeps about 3 significant digits: the last snapshot equals the final vectors within this
# relative tolerance (plus _ATOL for values near 0)
RTOL, ATOL = 1e-3, 1e-6
_FLOAT16_MAX = 60_000.0


@dataclass(frozen=True)
class Snapshots:
    """Snapshot ``i`` holds ``vectors[i]``: the rows ``rows`` of the set, aligned to the final
    vectors, taken when ``fractions[i]`` of the training was done."""

    vectors: np.ndarray  # [count, len(rows), dim]
    rows: np.ndarray  # int64, rows of the set's words (most frequent first)
    fractions: list[float]

    def __len__(self) -> int:
        return int(self.vectors.shape[0])

    @property
    def nbytes(self) -> int:
        return int(self.vectors.nbytes + self.rows.nbytes)

    def as_set(self, es: EmbeddingSet, i: int) -> EmbeddingSet:
        """Snapshot ``i`` (0-based; negative counts from the end) as a set of its words."""
        from .embeddings import EmbeddingSet

        n = len(self)
        if not isinstance(i, (int, np.integer)) or not -n <= i < n:
            raise InvalidArgumentError(f"snapshot {i!r} does not exist; this set has snapshots 0 to {n - 1}")
        words = [es.words[r] for r in self.rows]
        counts = None if es.counts is None else es.counts[self.rows]
        meta = {**es.meta, "snapshot": int(i) % n, "snapshot_fraction": self.fractions[i]}
        return EmbeddingSet(words, np.asarray(self.vectors[i], dtype=np.float32), counts, meta)


@dataclass(frozen=True)
class SnapshotNeighbours:
    """One row of a word's history: snapshot ``index``, taken at ``fraction``, and its neighbours."""

    index: int
    fraction: float
    neighbours: list[str]


class Capture:
    """Collects ``count`` snapshots of ``rows`` during training (see the module docstring)."""

    def __init__(self, count: int, rows: np.ndarray):
        if count < 2:
            raise InvalidArgumentError(f"snapshots need at least 2 (the start and the end), got {count}")
        self.rows = np.asarray(rows, dtype=np.int64)
        self._targets = np.linspace(0.0, 1.0, count)
        self._taken: list[np.ndarray] = []
        self._fractions: list[float] = []

    @classmethod
    def for_vocab(cls, count: int, n_vocab: int) -> Capture:
        """The ``MAX_WORDS`` most frequent words of a trainer's vocabulary (sorted by count)."""
        return cls(count, np.arange(min(MAX_WORDS, n_vocab)))

    def offer(self, done: float, read: Callable[[np.ndarray], np.ndarray]) -> None:
        """Called between TensorFlow calls with the fraction done; ``read(rows)`` copies the rows
        of the input vectors, called at most once, and only when a snapshot is due."""
        due = int(np.searchsorted(self._targets, done + 1e-9, side="right")) - len(self._taken)
        if due <= 0:
            return
        block = np.array(read(self.rows), dtype=np.float32)  # a copy: training goes on changing the rows
        for _ in range(due):  # several due at once when one call spans more than a step between them
            self._taken.append(block)
            self._fractions.append(float(min(done, 1.0)))

    def finish(self, final: np.ndarray) -> Snapshots:
        """The snapshots taken, each rotated onto the final vectors of the same rows."""
        from .compare import rotation_matrix

        # float32: the result is stored as float16 (below); a training run waits for this
        target = np.asarray(final[self.rows], dtype=np.float32)
        aligned = np.stack([s @ rotation_matrix(target, s) for s in self._taken])  # float32 blocks (train.py)
        dtype = np.float16 if np.abs(aligned).max(initial=0.0) < _FLOAT16_MAX else np.float32
        return Snapshots(aligned.astype(dtype), self.rows, list(self._fractions))


def write(snaps: Snapshots, folder: Path) -> dict:
    """Write the snapshots into a bundle folder; returns their ``meta["snapshots"]`` entry."""
    np.save(folder / VECTORS, np.ascontiguousarray(snaps.vectors), allow_pickle=False)
    np.save(folder / ROWS, np.asarray(snaps.rows, dtype=np.int64), allow_pickle=False)
    size = (folder / VECTORS).stat().st_size + (folder / ROWS).stat().st_size
    return {
        "count": len(snaps),
        "words": int(snaps.rows.size),
        "fractions": [round(f, 6) for f in snaps.fractions],
        "dtype": str(snaps.vectors.dtype),
        "bytes": int(size),
    }


def open_snapshots(folder: Path, n_words: int, dim: int, meta: dict) -> Snapshots | None:
    """The bundle's snapshots, memory-mapped; None when it has none. Raises BundleError if damaged."""
    if not (folder / VECTORS).is_file():
        return None
    from .formats._util import DAMAGED_NPY

    try:
        vectors = np.load(folder / VECTORS, mmap_mode="r", allow_pickle=False)
        rows = np.load(folder / ROWS, allow_pickle=False)
    except FileNotFoundError:
        raise BundleError(f"{folder}: {VECTORS} without {ROWS}; re-save the bundle") from None
    except (ValueError, *DAMAGED_NPY) as exc:
        raise BundleError(f"{folder}: the snapshots are unreadable ({exc}); re-save the bundle") from None
    fractions = meta.get("fractions") if isinstance(meta, dict) else None
    if (
        not isinstance(vectors, np.ndarray)
        or vectors.ndim != 3
        or vectors.dtype not in (np.float16, np.float32)
        or vectors.shape[2] != dim
        or not isinstance(rows, np.ndarray)
        or rows.dtype != np.int64
        or rows.shape != (vectors.shape[1],)
        or (rows.size and (rows.min() < 0 or rows.max() >= n_words))
        or not isinstance(fractions, list)
        or len(fractions) != vectors.shape[0]
        or not all(isinstance(f, (int, float)) for f in fractions)
    ):
        raise BundleError(f"{folder}: the snapshots do not match the vectors; re-save the bundle")
    return Snapshots(vectors, rows, [float(f) for f in fractions])


def _snapshots_of(es: EmbeddingSet) -> Snapshots:
    if es.snapshots is None:
        raise InvalidArgumentError(
            "this set has no training snapshots (imported, or trained with --snapshots 0); retrain with --snapshots 10"
        )
    return es.snapshots


def snapshot_set(es: EmbeddingSet, word: str, i: int) -> EmbeddingSet:
    """Snapshot ``i`` as a set, checked to hold ``word`` (a vocabulary word may be too rare)."""
    snaps = _snapshots_of(es)
    es.index(word)  # an unknown word: its usual error, with suggestions
    snap = snaps.as_set(es, i)
    if word not in snap:
        raise InvalidArgumentError(
            f"{word!r} is not among the {len(snap):,} most frequent words the snapshots keep; pick a more frequent word"
        )
    return snap


def neighbour_history(es: EmbeddingSet, word: str, k: int = 5) -> list[SnapshotNeighbours]:
    """``word``'s ``k`` nearest words (cosine, among the snapshots' words) in every snapshot."""
    snaps = _snapshots_of(es)
    out = []
    for i in range(len(snaps)):
        near = snapshot_set(es, word, i).neighbors(word, k=k)
        out.append(SnapshotNeighbours(i, snaps.fractions[i], [w for w, _ in near]))
    return out
