"""Vocabulary: counting, min_count / max_vocab pruning, subsampling and the noise distribution."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .errors import TrainingError


class Encoded(NamedTuple):
    """An id stream in a vocabulary's ids (:func:`encode_lines`)."""

    ids: np.ndarray  # the in-vocabulary tokens' ids
    line_starts: np.ndarray  # where each line begins in ``ids``


@dataclass(frozen=True)
class Vocab:
    """Words kept for training, most frequent first, with their corpus counts."""

    words: list[str]
    counts: np.ndarray  # int64, descending

    def __len__(self) -> int:
        return len(self.words)

    @property
    def total(self) -> int:
        """Number of corpus tokens that belong to the vocabulary."""
        return int(self.counts.sum())

    def keep_probs(self, sample: float) -> np.ndarray:
        """Probability of keeping each occurrence of a word (Mikolov's subsampling, as gensim).

        ``sample`` is the frequency threshold (default 1e-3); 0 disables subsampling.
        """
        if sample <= 0:
            return np.ones(len(self), dtype=np.float64)
        threshold = sample * self.total
        c = self.counts.astype(np.float64)
        return np.minimum(1.0, (np.sqrt(c / threshold) + 1.0) * threshold / c)

    def noise_distribution(self, power: float = 0.75) -> np.ndarray:
        """Negative-sampling distribution: unigram counts raised to ``power``, normalised."""
        p = self.counts.astype(np.float64) ** power
        return p / p.sum()


def build_vocab(
    words: list[str], counts: np.ndarray, min_count: int = 5, max_vocab: int | None = None
) -> tuple[Vocab, np.ndarray]:
    """Prune and sort a counted corpus vocabulary.

    Returns the :class:`Vocab` and ``remap``: for each input word id, its new id or -1 if dropped.
    Ties in count keep first-seen order (as gensim does).
    """
    if min_count < 1:
        raise TrainingError(f"min_count must be at least 1 (got {min_count})")
    if max_vocab is not None and max_vocab < 1:
        raise TrainingError(f"max_vocab must be at least 1 (got {max_vocab})")
    counts = np.asarray(counts, dtype=np.int64)
    kept = np.flatnonzero(counts >= min_count)
    kept = kept[np.argsort(-counts[kept], kind="stable")]
    if max_vocab is not None:
        kept = kept[:max_vocab]
    if kept.size == 0:
        top = int(counts.max()) if counts.size else 0
        raise TrainingError(
            f"no word occurs at least {min_count} times (the most frequent occurs {top}); "
            "lower min_count or use a larger corpus"
        )
    remap = np.full(counts.size, -1, dtype=np.int32)
    remap[kept] = np.arange(kept.size, dtype=np.int32)
    return Vocab([words[i] for i in kept], counts[kept]), remap


def encode_lines(ids: np.ndarray, remap: np.ndarray, line_starts: np.ndarray) -> Encoded:
    """A corpus id stream mapped through ``remap`` (-1: out of the vocabulary, dropped), with where
    each line begins in the stream this makes: out-of-vocabulary tokens are dropped before windows
    are drawn (as gensim does), and lines left empty vanish."""
    mapped = remap[ids]  # once for both (new memory is slow to touch, bench/RESULTS.md)
    known = mapped >= 0
    stream = mapped[known]
    if ids.size == 0 or line_starts.size == 0:
        return Encoded(stream, np.zeros(0, np.int64))
    kept = np.add.reduceat(known, line_starts, dtype=np.int64)  # in-vocabulary words per line
    starts = np.concatenate([[0], np.cumsum(kept[:-1])])
    return Encoded(stream, starts[kept > 0])
