"""The TensorFlow word2vec trainer: skip-gram and CBOW with negative sampling.

How the work is batched (the reason it is fast):
- numpy, in a producer thread, subsamples each epoch and lays every centre word out with its
  dynamic-window contexts as one padded row (``[centres, 2*window]`` plus a mask);
- each training step takes ``batch`` centres; the contexts of one centre share one set of
  target + negative output rows (HogBatch, Ji et al. 2016), so a step is two small batched
  matrix products plus one gather and one scatter-add per matrix;
- ``steps`` training steps run inside one ``tf.function`` call, so Python is visited rarely.
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
    batch: centre words per training step (0 = by model: 256 for skip-gram, 1024 for CBOW, the
    largest that keep gensim's quality; see bench/RESULTS.md). steps: training steps per
    TensorFlow call (0 = about 65,536 centres per call). threads: CPU threads TensorFlow may use.
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
    threads: int = field(default_factory=lambda: os.cpu_count() or 1)

    def validate(self) -> "TrainParams":
        if self.model not in ("skipgram", "cbow"):
            raise TrainingError(f"model must be 'skipgram' or 'cbow' (got {self.model!r})")
        for name in ("dim", "window", "epochs", "min_count", "batch", "steps", "threads"):
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

    @property
    def step_batch(self) -> int:
        return self.batch or (256 if self.model == "skipgram" else 1024)

    @property
    def call_steps(self) -> int:
        return self.steps or max(1, 65_536 // self.step_batch)

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
    syn0 = tf.Variable(((rng.random((n_vocab, p.dim), dtype=np.float32) - 0.5) / p.dim), name="syn0")
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
            loss = step_fn(*(tf.constant(t) for t in tensors))
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
    cum = np.cumsum(vocab.noise_distribution())
    table = np.searchsorted(cum, (np.arange(size) + 0.5) / size).astype(np.int32)
    return np.minimum(table, len(vocab) - 1)


def _snapshot(done: float, total: float, loss: float, epoch: int, elapsed: float) -> Progress:
    return Progress(done, done * total / max(elapsed, 1e-9), loss, elapsed * (1 - done) / max(done, 1e-9),
                    epoch + 1, elapsed)


def _configure_threads(n: int) -> None:
    try:  # only possible before TensorFlow's first op; later calls keep the first setting
        tf.config.threading.set_intra_op_parallelism_threads(n)
        tf.config.threading.set_inter_op_parallelism_threads(n)
    except RuntimeError:
        pass


def _make_step(p: TrainParams, syn0: tf.Variable, syn1: tf.Variable):
    d = p.dim
    labels = tf.constant([1.0] + [0.0] * p.negative, tf.float32)

    def scatter(var, ids, upd):
        # duplicates are summed (as sequential SGD would add them); see bench/RESULTS.md for why
        # neither capping nor averaging them helps
        var.scatter_add(tf.IndexedSlices(tf.reshape(upd, [-1, d]), tf.reshape(ids, [-1])))

    # ctx [B, C] and mask [B, C]: contexts; targets [B, T]: the centre + negatives; tw [B, T]: the
    # learning rate of each target (0 for a negative equal to its centre, and for padding)
    def skipgram(ctx, mask, targets, tw):
        inp = tf.gather(syn0, ctx)  # [B, C, d]   contexts are the inputs
        out = tf.gather(syn1, targets)  # [B, T, d]   the centre + negatives are predicted
        logits = tf.matmul(inp, out, transpose_b=True)  # [B, C, T]
        w = mask[:, :, None] * tw[:, None, :]
        g = (labels - tf.sigmoid(logits)) * w
        scatter(syn0, ctx, tf.matmul(g, out))
        scatter(syn1, targets, tf.matmul(g, inp, transpose_a=True))
        return logits, tf.cast(w > 0, tf.float32), tf.reduce_sum(mask)

    def cbow(ctx, mask, targets, tw):
        inp = tf.gather(syn0, ctx)  # [B, C, d]
        n_ctx = tf.reduce_sum(mask, 1, keepdims=True)  # [B, 1]
        h = tf.reduce_sum(inp * mask[:, :, None], 1) / tf.maximum(n_ctx, 1.0)  # [B, d]
        out = tf.gather(syn1, targets)  # [B, T, d]
        logits = tf.einsum("btd,bd->bt", out, h)
        g = (labels - tf.sigmoid(logits)) * tw  # [B, T]
        dh = tf.einsum("bt,btd->bd", g, out)  # each context word receives the whole error
        scatter(syn0, ctx, dh[:, None, :] * mask[:, :, None])
        scatter(syn1, targets, g[:, :, None] * h[:, None, :])
        w = tf.cast(tw > 0, tf.float32)
        return logits, w, tf.reduce_sum(w[:, :1])

    one_step = skipgram if p.model == "skipgram" else cbow

    def loss_of(logits, w, n):
        loss = tf.nn.sigmoid_cross_entropy_with_logits(tf.broadcast_to(labels, tf.shape(logits)), logits)
        return tf.reduce_sum(loss * w) / tf.maximum(n, 1.0)

    @tf.function(reduce_retracing=True)
    def run(ctx, mask, targets, tw):  # [S, B, C], [S, B, C], [S, B, T], [S, B, T]
        # the loss (for progress only) is measured on the first step of each call
        loss = loss_of(*one_step(ctx[0], mask[0], targets[0], tw[0]))
        for s in tf.range(1, tf.shape(ctx)[0]):
            one_step(ctx[s], mask[s], targets[s], tw[s])
        return loss

    return run


class _Producer:
    """Makes training chunks in a background thread so numpy and TensorFlow overlap.

    Yields ``(epoch, fraction done, ctx[S,B,C], mask[S,B,C], targets[S,B,T], tw[S,B,T])``: the
    numpy work of a step (windows, negatives, learning rates) runs here, on the other core.
    """

    def __init__(self, ids: np.ndarray, keep: np.ndarray, table: np.ndarray, p: TrainParams,
                 rng: np.random.Generator):
        self._q: queue.Queue = queue.Queue(maxsize=3)
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
    """Per epoch: subsample, then cut the sequence into chunks of ``batch * steps`` centres.

    Within a chunk the centres are shuffled (neighbouring centres share most of their contexts,
    and summing their stale updates in one step hurts quality) and grouped by their drawn window
    ``b`` (1..window), so a group's rows are ``2*b`` wide instead of ``2*window``: less padding.
    Each centre gets ``negative`` noise words from the unigram table and its learning rate, which
    decays linearly with the centre's position in the raw corpus (as in gensim).
    """
    w, b, k = p.window, p.step_batch, p.negative
    per_chunk = b * p.call_steps
    total = float(ids.size) * p.epochs
    keep32 = keep.astype(np.float32)
    for epoch in range(p.epochs):  # 32-bit temporaries: this runs on the whole corpus each epoch
        kept = (np.flatnonzero(rng.random(ids.size, dtype=np.float32) < keep32[ids]) if p.sample > 0
                else np.arange(ids.size)).astype(np.int32)
        seq = ids[kept]
        n = seq.size
        for lo in range(0, n, per_chunk):
            hi = min(n, lo + per_chunk)
            reach = rng.integers(1, w + 1, size=hi - lo)
            order = rng.permutation(hi - lo)
            done = (epoch * ids.size + kept[hi - 1] + 1) / total
            for r in range(1, w + 1):
                at = lo + order[reach[order] == r]
                if at.size == 0:
                    continue
                offsets = np.r_[-r:0, 1:r + 1]
                pos = at[:, None] + offsets
                valid = (pos >= 0) & (pos < n)
                ctx = seq[np.clip(pos, 0, n - 1)]
                centres = seq[at]
                lr = np.maximum(p.min_lr, p.lr - (p.lr - p.min_lr) * (epoch * ids.size + kept[at]) / total)
                negs = table[rng.integers(0, table.size, size=(at.size, k))]
                targets = np.concatenate([centres[:, None], negs], axis=1)
                # a negative equal to its centre is skipped, as in word2vec.c
                tw = np.concatenate([np.ones((at.size, 1)), negs != centres[:, None]], axis=1) * lr[:, None]
                tw *= valid.any(axis=1)[:, None]
                pad = -at.size % b
                if pad:  # padding centres: no contexts, learning rate 0
                    ctx, valid, targets, tw = (np.pad(a, ((0, pad), (0, 0))) for a in (ctx, valid, targets, tw))
                steps = ctx.shape[0] // b
                yield (epoch, done, ctx.reshape(steps, b, 2 * r).astype(np.int32),
                       valid.reshape(steps, b, 2 * r).astype(np.float32),
                       targets.reshape(steps, b, k + 1).astype(np.int32), tw.reshape(steps, b, k + 1).astype(np.float32))


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
