"""The TensorFlow word2vec trainer: skip-gram and CBOW with negative sampling.

How the work is batched (the reason it is fast):
- the subsampled corpus is cut into *spans* of ``span`` (32) consecutive centre words. A span
  reads the input rows of its window positions once (32 + 2*window rows, not ~6 per centre)
  and its centres share ``span * negative / 4`` noise words (HogBatch, Ji et al. 2016, widened
  from one centre's contexts to a span's), so a span's whole update is three small matrix
  products; a weight matrix from numpy keeps exactly the (centre, context) pairs that word2vec
  trains, each with its learning rate;
- a step takes ``batch / span`` spans from far apart in a shuffled chunk; its updates are summed
  per distinct row (segment_sum, in row order) and written once per row, because TensorFlow's
  scatter-add is slow per row and slower still on repeated rows;
- numpy prepares all of that in a producer thread (the other core), and ``steps`` training
  steps run inside one ``tf.function`` call, so Python is visited rarely.
The learning rate decays linearly per centre word with its position in the raw corpus, as in
gensim. Nothing here writes files; ``core.bundle`` saves the result.
"""
from __future__ import annotations

import os
import queue
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Callable, Iterator

import numpy as np

from .errors import CancelledError, TrainingError
from .vocab import Vocab, build_vocab, encode

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import tensorflow as tf  # noqa: E402  (imported here only: queries never load TensorFlow)

tf.get_logger().setLevel("ERROR")  # a new trainer per run retraces on purpose; no warning wanted


@dataclass
class TrainParams:
    """Training parameters; the defaults are gensim's.

    model: "skipgram" or "cbow". dim: vector size. window: largest distance between a centre and
    a context word (each centre draws its window from 1..window). negative: noise words per centre.
    min_count: drop words seen fewer times. max_vocab: keep at most this many words (None = all).
    sample: subsampling threshold for frequent words (0 = off). epochs: passes over the corpus.
    lr / min_lr: learning rate, decayed linearly from lr to min_lr. seed: for repeatable runs.
    batch: centre words per training step, in whole spans (0 = 1024 for skip-gram, 2048 for
    CBOW, at most one per vocabulary word; see bench/RESULTS.md). steps: training steps per TensorFlow
    call (0 = about 16,384 centres per call). span: consecutive centre words that share one read
    of their window and one set of noise words. threads: CPU threads TensorFlow may use.
    """

    model: str = "skipgram"
    dim: int = 100
    window: int = 5
    negative: int = 5
    min_count: int = 5
    max_vocab: int | None = None
    sample: float = 1e-3
    epochs: int = 5
    lr: float = 0.025
    min_lr: float = 1e-4
    seed: int = 1
    batch: int = 0
    steps: int = 0
    span: int = 32
    threads: int = field(default_factory=lambda: os.cpu_count() or 1)

    def validate(self) -> "TrainParams":
        if self.model not in ("skipgram", "cbow"):
            raise TrainingError(f"model must be 'skipgram' or 'cbow' (got {self.model!r})")
        for name in ("dim", "window", "epochs", "min_count", "batch", "steps", "span", "threads"):
            v = getattr(self, name)
            if not isinstance(v, (int, np.integer)) or v < (0 if name in ("batch", "steps") else 1):
                raise TrainingError(f"{name} must be a whole number of at least 1 (got {v!r})")
        if not isinstance(self.negative, (int, np.integer)) or self.negative < 1:
            raise TrainingError(f"negative must be at least 1 (got {self.negative!r})")
        if not 0 <= self.sample < 1:
            raise TrainingError(f"sample must be between 0 and 1 (got {self.sample!r}); 1e-3 is usual")
        if not 0 < self.lr <= 1 or not 0 <= self.min_lr <= self.lr:
            raise TrainingError(f"need 0 < lr <= 1 and 0 <= min_lr <= lr (got {self.lr}, {self.min_lr})")
        return self

    def spans_per_step(self, n_vocab: int) -> int:
        # by default 1024 centres (CBOW 2048), but at most 1 per vocabulary word: on a tiny
        # vocabulary every row is "frequent", and many summed updates per row and step make
        # training diverge (the 305-word sample loses its analogies at 608, an 80-word corpus at 768)
        default = 1024 if self.model == "skipgram" else 2048
        return max(1, (self.batch or min(default, n_vocab)) // self.span)

    @property
    def span_negatives(self) -> int:
        # each noise word of a span stands in for 4 centres' draws: fewer (one per 16 centres)
        # cost 0.04 of analogy accuracy; more cost time (bench/RESULTS.md)
        return max(self.negative, self.span * self.negative // 4)

    def steps_per_call(self, n_vocab: int) -> int:
        return self.steps or max(1, 16_384 // (self.span * self.spans_per_step(n_vocab)))

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Progress:
    """A snapshot handed to the progress callback."""

    fraction: float  # of the whole training, 0..1
    words_per_sec: float  # raw corpus words per second
    loss: float  # mean negative-sampling loss of the latest steps
    eta_sec: float
    epoch: int  # 1-based
    elapsed_sec: float


ProgressFn = Callable[[Progress], None]


def train_vectors(ids: np.ndarray, vocab: Vocab, params: TrainParams,
                  progress: ProgressFn | None = None,
                  cancel: Callable[[], bool] | threading.Event | None = None) -> np.ndarray:
    """Train on an encoded id stream (ids index ``vocab``); returns the [len(vocab), dim] matrix.

    ``progress`` is called about twice a second; ``cancel`` (an Event or a callable) is checked
    between TensorFlow calls and stops training with :class:`CancelledError`.
    """
    p = params.validate()
    if ids.size < 2:
        raise TrainingError("the corpus has fewer than 2 in-vocabulary words; use a larger corpus")
    is_cancelled = cancel.is_set if isinstance(cancel, threading.Event) else (cancel or (lambda: False))
    _configure_threads(p.threads)
    rng = np.random.default_rng(p.seed)
    n_vocab = len(vocab)
    init = rng.random((n_vocab, p.dim), dtype=np.float32)
    init -= 0.5  # in place: peak memory matters (the target is at most 2x gensim's)
    init /= p.dim
    syn0 = tf.Variable(init, name="syn0")
    del init
    syn1 = tf.Variable(tf.zeros((n_vocab, p.dim), tf.float32), name="syn1neg")
    step_fn = _make_step(p, syn0, syn1)

    chunks = _Producer(ids, vocab.keep_probs(p.sample), noise_table(vocab), p, rng)
    total = float(ids.size) * p.epochs
    start, last_report = time.perf_counter(), 0.0
    loss_sum, loss_n = 0.0, 0
    try:
        for epoch, done, *tensors in chunks:
            if is_cancelled():
                raise CancelledError("training was stopped; nothing was saved")
            loss = step_fn(*tensors)
            loss_sum, loss_n = loss_sum + float(loss), loss_n + 1
            now = time.perf_counter()
            if progress and now - last_report > 0.5:
                progress(_snapshot(done, total, loss_sum / loss_n, epoch, now - start))
                last_report, loss_sum, loss_n = now, 0.0, 0
    finally:
        chunks.close()
    if progress:
        progress(_snapshot(1.0, total, loss_sum / max(loss_n, 1), p.epochs - 1, time.perf_counter() - start))
    return syn0.numpy()


def noise_table(vocab: Vocab, size: int = 1 << 22) -> np.ndarray:
    """Word ids laid out so that a uniform slot draws a word with its noise probability
    (word2vec.c's unigram table; 4M slots resolve probabilities down to 2.4e-7)."""
    # slot i belongs to the word whose cumulative probability interval holds (i + 0.5) / size;
    # laid out with repeat, which needs no size-long temporaries
    ends = np.clip(np.ceil(np.cumsum(vocab.noise_distribution()) * size - 0.5), 0, size).astype(np.int64)
    ends[-1] = size
    return np.repeat(np.arange(len(vocab), dtype=np.int32), np.diff(ends, prepend=0))


def _snapshot(done: float, total: float, loss: float, epoch: int, elapsed: float) -> Progress:
    return Progress(done, done * total / max(elapsed, 1e-9), loss, elapsed * (1 - done) / max(done, 1e-9),
                    epoch + 1, elapsed)


def _configure_threads(n: int) -> None:
    # one core fewer inside each op: the numpy producer needs one, and TensorFlow's spinning
    # op threads fight it otherwise (10-12% slower on 2 cores, bench/RESULTS.md)
    try:  # only possible before TensorFlow's first op; later calls keep the first setting
        tf.config.threading.set_intra_op_parallelism_threads(max(1, n - 1))
        tf.config.threading.set_inter_op_parallelism_threads(n)
    except RuntimeError:
        pass


def _make_step(p: TrainParams, syn0: tf.Variable, syn1: tf.Variable):
    """The TensorFlow side: ``steps`` training steps per call, over the arrays ``_chunks`` makes.

    A step holds S spans. Per span, x [P, d] are the input rows of its P window positions and
    yn [L+Kg, d] the output rows of its L centres then its Kg shared noise words. Skip-gram: one
    matrix product scores every (output, position) pair, the weights keep only the pairs word2vec
    trains (each times its learning rate), and the gradients are two more products. CBOW: one
    product averages each centre's window, which is scored against its own word (element-wise)
    and the span's noise words (a product). Updates are merged per distinct row, then written.
    """
    L, d = p.span, p.dim
    P = L + 2 * p.window

    def rows_of(var, plan):
        _, _, inv, uniq, n = plan
        rows = uniq[:n]
        block = tf.gather(var, rows)  # the step's distinct rows, read once
        return rows, block, tf.gather(block, inv)

    def update(var, plan, rows, block, upd):
        # scatter_add is slow per row and slower on repeated rows, so the step's updates are put in
        # row order, summed per row and written once per distinct row
        perm, seg = plan[0], plan[1]
        merged = tf.math.segment_sum(tf.gather(tf.reshape(upd, [-1, d]), perm), seg)
        var.scatter_update(tf.IndexedSlices(block + merged, rows))

    if p.model == "skipgram":
        label = tf.constant(np.r_[np.ones(L), np.zeros(p.span_negatives)][:, None], tf.float32)

        def step(ml, neq, plan0, plan1, with_loss=False):  # ml [S, L, P], neq [S, L, Kg]
            rows0, block0, x = rows_of(syn0, plan0)
            rows1, block1, yn = rows_of(syn1, plan1)
            x, yn = tf.reshape(x, [-1, P, d]), tf.reshape(yn, [-1, L + p.span_negatives, d])
            # the weight of each (output, position) pair: a centre's own contexts, and for a noise
            # word every (centre, context) pair of the span that uses it
            wt = tf.concat([ml, tf.matmul(neq, ml, transpose_a=True)], 1)
            z = tf.matmul(yn, x, transpose_b=True)  # centre t (or noise word) predicted from position p
            g = (label - tf.sigmoid(z)) * wt
            update(syn0, plan0, rows0, block0, tf.matmul(g, yn, transpose_a=True))
            update(syn1, plan1, rows1, block1, tf.matmul(g, x))
            return _loss(z, label, wt) if with_loss else 0.0
    else:
        def step(mean, mask, wpos, wneg, plan0, plan1, with_loss=False):
            # mean / mask [S, L, P]: each centre's context, averaged / as 0-1; wpos [S, L] and
            # wneg [S, L, Kg]: the learning rate of each (centre, own word or noise word) pair
            rows0, block0, x = rows_of(syn0, plan0)
            rows1, block1, yn = rows_of(syn1, plan1)
            x, yn = tf.reshape(x, [-1, P, d]), tf.reshape(yn, [-1, L + p.span_negatives, d])
            y, noise = yn[:, :L], yn[:, L:]
            h = tf.matmul(mean, x)  # [S, L, d]: the mean of each centre's context
            zp = tf.reduce_sum(h * y, 2)  # each centre scores only its own word...
            zn = tf.matmul(h, noise, transpose_b=True)  # ...and the span's noise words
            gp = (1.0 - tf.sigmoid(zp)) * wpos
            gn = -tf.sigmoid(zn) * wneg
            dh = gp[:, :, None] * y + tf.matmul(gn, noise)
            # each context word receives the whole error (gensim's cbow_mean): mask, not mean
            update(syn0, plan0, rows0, block0, tf.matmul(mask, dh, transpose_a=True))
            update(syn1, plan1, rows1, block1, tf.concat([gp[:, :, None] * h, tf.matmul(gn, h, transpose_a=True)], 1))
            if not with_loss:
                return 0.0
            neg = tf.reduce_sum(wneg * tf.math.softplus(zn))
            return (tf.reduce_sum(wpos * tf.math.softplus(-zp)) + neg) / tf.maximum(tf.reduce_sum(wpos), 1e-12)

    @tf.function(reduce_retracing=True)
    def run(*arrays):  # the step's arguments, each with a leading [steps] axis
        def at(s):
            return tf.nest.map_structure(lambda t: t[s], arrays)
        loss = step(*at(0), with_loss=True)  # progress only: the first step's loss
        for s in tf.range(1, tf.shape(arrays[0])[0]):
            step(*at(s))
        return loss

    return run


def _loss(z, label, wt):
    """Mean negative-sampling loss per trained (centre, context) pair, learning-rate weighted."""
    per = tf.math.softplus((1.0 - 2.0 * label) * z)
    return tf.reduce_sum(per * wt) / tf.maximum(tf.reduce_sum(label * wt), 1e-12)


def _merge_plan(rows: np.ndarray) -> tuple[np.ndarray, ...]:
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


class _Producer:
    """Makes training chunks in a background thread so numpy and TensorFlow overlap.

    Yields ``(epoch, fraction done, ctx[S,B,C], mask[S,B,C], targets[S,B,T], tw[S,B,T])``: the
    numpy work of a step (windows, negatives, learning rates) runs here, on the other core.
    """

    def __init__(self, ids: np.ndarray, keep: np.ndarray, table: np.ndarray, p: TrainParams,
                 rng: np.random.Generator):
        self._q: queue.Queue = queue.Queue(maxsize=2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ids, keep, table, p, rng), daemon=True)
        self._thread.start()

    def _run(self, ids, keep, table, p, rng) -> None:
        try:
            for item in _chunks(ids, keep, table, p, rng):
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


def _chunks(ids: np.ndarray, keep: np.ndarray, table: np.ndarray, p: TrainParams, rng: np.random.Generator):
    """Per epoch: subsample, cut the sequence into spans of ``span`` consecutive centres, and hand
    them out shuffled over the whole epoch, ``batch // span`` spans a step.

    Spans from far apart share a step: neighbouring text repeats words, and summing many stale
    updates onto one row in a step hurts quality. Each centre draws its window (1..window) and
    gets its learning rate, which decays linearly with its position in the raw corpus (as in
    gensim); each span draws ``span_negatives`` noise words from the unigram table, shared by its
    centres. Yields ``(epoch, fraction done, *weights, plan0, plan1)`` for ``_make_step``: the
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
        kept = _subsample(ids, keep32, rng) if p.sample > 0 else np.arange(ids.size, dtype=np.int32)
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
            plans = (_merge_plan(win.reshape(steps, -1)),
                     _merge_plan(np.concatenate([centre, negs], 1).reshape(steps, -1)))
            # a noise word equal to its centre is skipped (word2vec.c); each stands for K/Kg of one
            neq = np.where(negs[:, None, :] == centre[:, :, None], np.float32(0), np.float32(p.negative / kg))
            if p.model == "skipgram":
                arrays = (mask * lr[:, :, None], neq)
            else:
                lr = lr * (n_ctx > 0)
                arrays = (mask / np.maximum(n_ctx, 1)[:, :, None], mask, lr, neq * lr[:, :, None])
            yield (epoch, done, *(a.reshape(steps, S, *a.shape[1:]) for a in arrays), *plans)


def _subsample(ids: np.ndarray, keep: np.ndarray, rng: np.random.Generator, block: int = 1 << 20) -> np.ndarray:
    """Positions of the tokens kept this epoch; in blocks, so the temporaries stay small."""
    parts = [(lo + np.flatnonzero(rng.random(min(block, ids.size - lo), dtype=np.float32) < keep[ids[lo:lo + block]]))
             .astype(np.int32) for lo in range(0, ids.size, block)]
    return np.concatenate(parts)


def train(corpus, params: TrainParams | None = None, progress: ProgressFn | None = None,
          cancel=None):
    """Train on a :class:`core.corpus.Corpus`; returns an :class:`EmbeddingSet` with metadata."""
    from .embeddings import EmbeddingSet

    p = (params or TrainParams()).validate()
    vocab, remap = build_vocab(corpus.words, corpus.counts, p.min_count, p.max_vocab)
    ids = encode(corpus.ids, remap)
    start = time.perf_counter()
    vectors = train_vectors(ids, vocab, p, progress, cancel)
    meta = {
        "params": p.to_dict(),
        "corpus": {"name": corpus.name, "sha256": corpus.sha256, "tokens": corpus.n_tokens},
        "tensorflow_version": tf.__version__,
        "training_seconds": round(time.perf_counter() - start, 3),
        "source": "trained",
    }
    return EmbeddingSet(vocab.words, vectors, vocab.counts, meta)
