"""The numpy side of training: what each TensorFlow step of ``core.train`` works on.

Runs in a producer thread (the other core): per epoch, subsampling; then spans of consecutive
centres with their window masks, learning rates and shared noise words, and for each step a plan
that merges its updates per distinct row. Nothing here imports TensorFlow.
"""
from __future__ import annotations

import queue
import threading
from typing import TYPE_CHECKING, Iterator

import numpy as np

if TYPE_CHECKING:
    from .train import TrainParams
    from .vocab import Vocab


def noise_table(vocab: Vocab, size: int = 1 << 22) -> np.ndarray:
    """Word ids laid out so that a uniform slot draws a word with its noise probability
    (word2vec.c's unigram table; 4M slots resolve probabilities down to 2.4e-7)."""
    # slot i belongs to the word whose cumulative probability interval holds (i + 0.5) / size;
    # laid out with repeat, which needs no size-long temporaries
    ends = np.clip(np.ceil(np.cumsum(vocab.noise_distribution()) * size - 0.5), 0, size).astype(np.int64)
    ends[-1] = size
    return np.repeat(np.arange(len(vocab), dtype=np.int32), np.diff(ends, prepend=0))


def merge_plan(rows: np.ndarray) -> tuple[np.ndarray, ...]:
    """For each step's row ids ``rows[s]``: ``perm`` puts them in row order, ``seg`` numbers the
    distinct rows in that order, ``inv`` gives each use its distinct row, ``uniq[:n]`` the rows."""
    perm = np.argsort(rows, axis=1)  # any order within a row works; this one is repeatable
    srt = np.take_along_axis(rows, perm, 1)
    new = np.ones(srt.shape, bool)
    new[:, 1:] = srt[:, 1:] != srt[:, :-1]
    seg = np.cumsum(new, 1) - 1
    inv = np.empty_like(seg)
    np.put_along_axis(inv, perm, seg, 1)
    uniq = np.zeros_like(rows)
    uniq[np.nonzero(new)[0], seg[new]] = srt[new]
    return tuple(a.astype(np.int32) for a in (perm, seg, inv, uniq, new.sum(1)))


class Producer:
    """Runs :func:`chunks` in a background thread (at most 2 chunks ahead) so that numpy and
    TensorFlow overlap; iterating yields its chunks, and re-raises its errors here."""

    def __init__(self, ids: np.ndarray, keep: np.ndarray, table: np.ndarray, p: TrainParams,
                 rng: np.random.Generator):
        self._q: queue.Queue = queue.Queue(maxsize=2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ids, keep, table, p, rng), daemon=True)
        self._thread.start()

    def _run(self, ids, keep, table, p, rng) -> None:
        try:
            for item in chunks(ids, keep, table, p, rng):
                while not self._stop.is_set():
                    try:
                        self._q.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if self._stop.is_set():
                    return
            self._q.put(None)
        except BaseException as exc:  # handed to the consumer, never lost in the thread
            self._q.put(exc)

    def __iter__(self) -> Iterator[tuple]:
        while True:
            item = self._q.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def chunks(ids: np.ndarray, keep: np.ndarray, table: np.ndarray, p: TrainParams, rng: np.random.Generator):
    """Per epoch: subsample, cut the sequence into spans of ``span`` consecutive centres, and hand
    them out shuffled over the whole epoch, ``batch // span`` spans a step.

    Spans from far apart share a step: neighbouring text repeats words, and summing many stale
    updates onto one row in a step hurts quality. Each centre draws its window (1..window) and
    gets its learning rate, which decays linearly with its position in the raw corpus (as in
    gensim); each span draws ``span_negatives`` noise words from the unigram table, shared by its
    centres. Yields ``(epoch, fraction done, *weights, plan0, plan1)`` for ``core.train``'s step: the
    weights are the pair masks and learning rates its step multiplies in.
    """
    L, w, kg, S = p.span, p.window, p.span_negatives, p.spans_per_step(keep.size)
    dist = np.abs(np.arange(L + 2 * w)[None, :] - np.arange(L)[:, None] - w)  # centre t to position p
    # masks[t * (w+1) + r]: which positions are contexts of centre t when it draws window r
    masks = np.stack([(dist > 0) & (dist <= r) for r in range(w + 1)], 1).reshape(L * (w + 1), -1)
    masks = masks.astype(np.float32)
    counts = masks.sum(1)
    t_idx = np.arange(L)[None, :] * (w + 1)
    per_chunk = S * p.steps_per_call(keep.size)  # spans per TensorFlow call
    total = float(ids.size) * p.epochs
    keep32 = keep.astype(np.float32)
    for epoch in range(p.epochs):
        kept = subsample(ids, keep32, rng) if p.sample > 0 else np.arange(ids.size, dtype=np.int32)
        seq, n = ids[kept], kept.size
        n_spans = -(-n // L)
        order = rng.permutation(n_spans)  # the whole epoch's spans, shuffled (see the docstring)
        for lo in range(0, n_spans, per_chunk):
            hi = min(n_spans, lo + per_chunk)
            steps = -(-(hi - lo) // S)
            starts = np.full(steps * S, -n - L - 2 * w)  # padding spans have no valid position
            starts[:hi - lo] = order[lo:hi] * L
            pos = starts[:, None] + np.arange(-w, L + w)  # [spans, P] positions in seq
            valid = (pos >= 0) & (pos < n)
            win = np.where(valid, seq[np.clip(pos, 0, n - 1)], 0)
            centre, cpos = win[:, w:w + L], np.clip(pos[:, w:w + L], 0, n - 1)
            lr = np.maximum(p.min_lr, p.lr - (p.lr - p.min_lr) * (epoch * ids.size + kept[cpos]) / total)
            lr = (lr * valid[:, w:w + L]).astype(np.float32)
            reach = rng.integers(1, w + 1, size=centre.shape)
            # each centre's context row, looked up by its drawn window (much faster than building
            # it by comparisons); only spans at the ends of the sequence have invalid positions
            mask, n_ctx = masks[t_idx + reach], counts[t_idx + reach]
            edge = np.flatnonzero(~valid.all(1))
            mask[edge] *= valid[edge, None, :]
            n_ctx[edge] = mask[edge].sum(2)
            negs = table[rng.integers(0, table.size, size=(starts.size, kg))]
            done = (epoch + hi / n_spans) * ids.size / total
            plans = (merge_plan(win.reshape(steps, -1)),
                     merge_plan(np.concatenate([centre, negs], 1).reshape(steps, -1)))
            # a noise word equal to its centre is skipped (word2vec.c); each stands for K/Kg of one
            neq = np.where(negs[:, None, :] == centre[:, :, None], np.float32(0), np.float32(p.negative / kg))
            if p.model == "skipgram":
                arrays = (mask * lr[:, :, None], neq)
            else:
                lr = lr * (n_ctx > 0)
                arrays = (mask / np.maximum(n_ctx, 1)[:, :, None], mask, lr, neq * lr[:, :, None])
            yield (epoch, done, *(a.reshape(steps, S, *a.shape[1:]) for a in arrays), *plans)


def subsample(ids: np.ndarray, keep: np.ndarray, rng: np.random.Generator, block: int = 1 << 20) -> np.ndarray:
    """Positions of the tokens kept this epoch; in blocks, so the temporaries stay small."""
    parts = [(lo + np.flatnonzero(rng.random(min(block, ids.size - lo), dtype=np.float32) < keep[ids[lo:lo + block]]))
             .astype(np.int32) for lo in range(0, ids.size, block)]
    return np.concatenate(parts)
