"""The numpy side of training: what each TensorFlow step of ``core.train`` works on.

Runs in a producer thread: per epoch, subsampling; then spans of consecutive centres with their
drawn windows (as rows of a small mask table), learning rates and shared noise words, and for
each step a plan that merges its updates per distinct row. docs/DESIGN.md, "How the trainer
batches its work", explains why. Nothing here imports TensorFlow.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from .ahead import Ahead
from .params import TrainParams
from .vocab import Vocab


class MergePlan(NamedTuple):
    """How a call's steps merge their updates to one matrix per distinct row; each field has a
    leading [steps] axis and N = the rows each step uses."""

    perm: np.ndarray  # [steps, N]: puts the step's uses in row order
    seg: np.ndarray  # [steps, N]: the distinct row of each use, in that order
    inv: np.ndarray  # [steps, N]: the distinct row of each use, in use order
    uniq: np.ndarray  # [steps, N]: the distinct rows, first ``n_rows`` of them valid
    n_rows: np.ndarray  # [steps]


class StepArrays(NamedTuple):
    """One TensorFlow call's work: ``steps`` training steps of S spans of L centres each."""

    which: np.ndarray  # [steps, S, L] int32: each centre's row of ``window_masks`` (its reach left and right)
    lr: np.ndarray  # [steps, S, L] float32: each centre's learning rate (0 = trains nothing)
    plan0: MergePlan  # input matrix: the rows of each span's window positions
    plan1: MergePlan  # output matrix: each span's centres, then its shared noise words


class Chunk(NamedTuple):
    """What the producer hands the trainer: the arrays of one call and where training stands."""

    epoch: int  # 0-based
    done: float  # fraction of the whole run done after this chunk
    arrays: StepArrays


def noise_table(vocab: Vocab, size: int = 1 << 22) -> np.ndarray:
    """Word ids laid out so that a uniform slot draws a word with its noise probability
    (word2vec.c's unigram table; 4M slots resolve probabilities down to 2.4e-7)."""
    # slot i belongs to the word whose cumulative probability interval holds (i + 0.5) / size;
    # laid out with repeat, which needs no size-long temporaries
    ends = np.clip(np.ceil(np.cumsum(vocab.noise_distribution()) * size - 0.5), 0, size).astype(np.int64)
    ends[-1] = size
    small = len(vocab) <= np.iinfo(np.uint16).max + 1  # then half the memory
    return np.repeat(np.arange(len(vocab), dtype=np.uint16 if small else np.int32), np.diff(ends, prepend=0))


def merge_plan(rows: np.ndarray) -> MergePlan:
    """The :class:`MergePlan` of each step's row ids ``rows[s]`` (``rows`` is [steps, N])."""
    steps, N = rows.shape
    perm = _row_order(rows).astype(np.int32)
    flat = (perm + (np.arange(steps, dtype=np.int32) * N)[:, None]).ravel()  # perm into rows.ravel()
    srt = np.take(rows.ravel(), flat, mode="clip").reshape(steps, N)  # in range: the unchecked path
    new = np.empty(srt.shape, bool)
    new[:, 0] = True
    np.not_equal(srt[:, 1:], srt[:, :-1], out=new[:, 1:])
    seg = np.cumsum(new, 1, dtype=np.int32)
    seg -= 1
    inv = np.empty(steps * N, np.int32)
    inv[flat] = seg.ravel()
    uniq = np.zeros_like(rows)
    for s in range(steps):  # faster than one 2-d scatter (bench/RESULTS.md)
        first = srt[s][new[s]]
        uniq[s, : first.size] = first
    return MergePlan(perm, seg, inv.reshape(steps, N), uniq, seg[:, -1] + 1)


def _row_order(rows: np.ndarray) -> np.ndarray:
    # numpy's stable sort is a radix sort on 16-bit keys (much faster than sorting int32), so
    # ids are sorted by their low 16 bits, then, for vocabularies over 65,536 words, their high bits
    perm = np.argsort((rows & 0xFFFF).astype(np.uint16), axis=1, kind="stable")
    if rows.max(initial=0) > 0xFFFF:
        high = np.take_along_axis(rows >> 16, perm, 1).astype(np.uint16)
        perm = np.take_along_axis(perm, np.argsort(high, axis=1, kind="stable"), 1)
    return perm


def window_masks(p: TrainParams) -> np.ndarray:
    """[span * (window+1)**2, span + 2*window] 0/1 rows: row ``mask_row(t, left, right)`` marks
    the window positions that are contexts of a span's centre ``t`` reaching ``left`` words back
    and ``right`` words ahead (a drawn window, cut at the ends of its sentence)."""
    L, w = p.span, p.window
    off = np.arange(L + 2 * w)[None, :] - np.arange(L)[:, None] - w  # position minus centre t
    reach = np.arange(w + 1)
    back = (off[:, None, None, :] < 0) & (-off[:, None, None, :] <= reach[None, :, None, None])
    ahead = (off[:, None, None, :] > 0) & (off[:, None, None, :] <= reach[None, None, :, None])
    return (back | ahead).reshape(L * (w + 1) ** 2, -1).astype(np.float32)


def mask_row(t: np.ndarray | int, left: np.ndarray | int, right: np.ndarray | int, window: int) -> np.ndarray:
    """The row of :func:`window_masks` for centre ``t`` of a span reaching ``left`` and ``right``."""
    return np.asarray((np.asarray(t) * (window + 1) + left) * (window + 1) + right, dtype=np.int32)


def sentence_bounds(kept: np.ndarray, line_starts: np.ndarray | None, block: int = 1 << 20) -> np.ndarray:
    """Where the sentences of this epoch's sequence (the ``kept`` positions of the stream) begin,
    plus its length at the end: windows never reach across them. ``line_starts`` None: one
    sentence (windows run across lines)."""
    n = kept.size
    if line_starts is None or line_starts.size <= 1 or n == 0:
        return np.array([0, n], dtype=np.int64)
    parts, prev = [np.zeros(1, np.int64)], None
    for lo in range(0, n, block):  # in blocks: the sentence of every kept token is never held at once
        sid = np.searchsorted(line_starts, kept[lo : lo + block], side="right")
        change = np.flatnonzero(sid[1:] != sid[:-1]) + 1
        if prev is not None and sid[0] != prev:
            parts.append(np.array([lo], np.int64))
        parts.append(lo + change.astype(np.int64))
        prev = sid[-1]
    parts.append(np.array([n], np.int64))
    return np.concatenate(parts)


class Producer(Ahead[Chunk]):
    """Runs :func:`chunks` in a background thread (at most 2 chunks ahead: one waiting, one being
    made; each chunk is ~10 MB) so that numpy and TensorFlow overlap; iterating yields its chunks,
    and re-raises its errors here."""

    def __init__(
        self,
        ids: np.ndarray,
        keep: np.ndarray,
        table: np.ndarray,
        p: TrainParams,
        rng: np.random.Generator,
        line_starts: np.ndarray | None = None,
    ):
        super().__init__(lambda: chunks(ids, keep, table, p, rng, line_starts), depth=1)


def chunks(
    ids: np.ndarray,
    keep: np.ndarray,
    table: np.ndarray,
    p: TrainParams,
    rng: np.random.Generator,
    line_starts: np.ndarray | None = None,
) -> Iterator[Chunk]:
    """Per epoch: subsample, cut the sequence into spans of ``span`` consecutive centres, and hand
    them out shuffled over the whole epoch, ``batch // span`` spans a step.

    Spans from far apart share a step: neighbouring text repeats words, and summing many stale
    updates onto one row in a step hurts quality. Each centre draws its window (1..window), cut
    on each side at the ends of its sentence (``line_starts``: where sentences begin in ``ids``;
    None: the whole stream is one); a span's learning rate decays linearly with its first
    centre's position in the raw corpus (as in gensim);
    each span draws ``span_negatives`` noise words from the unigram table, shared by its
    centres. Yields a :class:`Chunk` per TensorFlow call.
    """
    L, w, kg, S = p.span, p.window, p.span_negatives, p.spans_per_step(keep.size)
    per_chunk = S * p.steps_per_call(keep.size)  # spans per TensorFlow call
    total = float(ids.size) * p.epochs
    keep32 = keep.astype(np.float32)
    for epoch in range(p.epochs):
        kept = subsample(ids, keep32, rng) if p.sample > 0 else np.arange(ids.size, dtype=np.int32)
        seq, n = ids[kept], kept.size
        bounds = sentence_bounds(kept, line_starts)
        n_spans = -(-n // L)
        order = rng.permutation(n_spans)  # the whole epoch's spans, shuffled (see the docstring)
        for lo in range(0, n_spans, per_chunk):
            hi = min(n_spans, lo + per_chunk)
            steps = -(-(hi - lo) // S)
            starts = np.full(steps * S, -n - L - 2 * w)  # padding spans: no centre is in the sequence
            starts[: hi - lo] = order[lo:hi] * L
            pos = starts[:, None] + np.arange(-w, L + w)  # [spans, P] positions in seq
            inside = np.clip(pos, 0, n - 1)
            win = np.take(seq, inside, mode="clip")  # in range: "clip" skips numpy's slower checked path
            cpos = pos[:, w : w + L]
            # each centre draws its window, cut on each side at the ends of its sentence (the rows
            # beyond them are never used); padding centres get none
            real = inside[:, w : w + L]
            sent = np.searchsorted(bounds, real, side="right") - 1
            pad = (cpos < 0) | (cpos >= n)
            back = np.where(pad, 0, np.clip(real - bounds[sent], 0, w))
            ahead = np.where(pad, 0, np.clip(bounds[sent + 1] - 1 - real, 0, w))
            reach = rng.integers(1, w + 1, size=cpos.shape)
            back, ahead = np.minimum(reach, back), np.minimum(reach, ahead)
            # the learning rate at each span's first centre (its place in the whole run): over a span
            # it would fall by about 1e-6 of itself
            raw = epoch * ids.size + np.take(kept, real[:, 0], mode="clip")
            lr = np.maximum(p.min_lr, p.lr - (p.lr - p.min_lr) * raw / total).astype(np.float32)
            lr = lr[:, None] * ((back + ahead) > 0)  # a centre without context trains nothing
            which = mask_row(np.arange(L), back, ahead, w)  # its row of window_masks
            negs = np.take(table, rng.integers(0, table.size, size=(starts.size, kg)), mode="clip")
            done = (epoch + hi / n_spans) * ids.size / total
            arrays = StepArrays(
                which.reshape(steps, S, L),
                lr.reshape(steps, S, L),
                merge_plan(win.reshape(steps, -1)),
                merge_plan(np.concatenate([win[:, w : w + L], negs], 1).reshape(steps, -1)),
            )
            yield Chunk(epoch, done, arrays)


def subsample(ids: np.ndarray, keep: np.ndarray, rng: np.random.Generator, block: int = 1 << 20) -> np.ndarray:
    """Positions of the tokens kept this epoch; in blocks, so the temporaries stay small."""
    parts = [
        (
            lo + np.flatnonzero(rng.random(min(block, ids.size - lo), dtype=np.float32) < keep[ids[lo : lo + block]])
        ).astype(np.int32)
        for lo in range(0, ids.size, block)
    ]
    return np.concatenate(parts)
