"""The TensorFlow word2vec trainer: skip-gram and CBOW with negative sampling.

How the work is batched (the reason it is fast):
- the subsampled corpus is cut into *spans* of ``span`` (16) consecutive centre words. A span
  reads the input rows of its window positions once (16 + 2*window rows, not ~6 per centre)
  and its centres share ``0.3 * span * negative`` noise words (HogBatch, Ji et al. 2016, widened
  from one centre's contexts to a span's), so a span's whole update is three small matrix
  products; a weight matrix keeps exactly the (centre, context) pairs that word2vec trains,
  each with its learning rate (looked up here from each centre's drawn window: numpy sends
  one index per centre, not a matrix);
- a step takes ``batch / span`` spans, shuffled over the whole epoch; its updates are summed
  per distinct row (segment_sum, in row order) and written once per row, because TensorFlow's
  scatter-add is slow per row and slower still on repeated rows;
- numpy prepares all of that in a producer thread (``core.spans``), and ``steps`` training
  steps run inside one ``tf.function`` call, so Python is visited rarely: each return to Python
  waits for the GIL, which the producer holds between its numpy operations.
The learning rate decays linearly per centre word with its position in the raw corpus, as in
gensim. Nothing here writes files; ``core.bundle`` saves the result.
"""
from __future__ import annotations

import os
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Callable

import numpy as np

from .errors import CancelledError, TrainingError
from .spans import Producer, noise_table, window_masks
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
    call (0 = about 131,072 centres per call). span: consecutive centre words that share one read
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
    span: int = 16
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
        # each noise word of a span stands in for about 3 centres' draws (24 for 16 centres):
        # one per 4 cost CBOW 0.007 of analogy accuracy, one per 16 cost 0.04 (bench/RESULTS.md)
        return max(self.negative, self.span * self.negative * 3 // 10)

    def steps_per_call(self, n_vocab: int) -> int:
        # few calls: each return to Python waits for the GIL, which the producer thread holds
        # between numpy operations (8x fewer calls: CBOW 2.9 s an epoch, not 3.7; bench/RESULTS.md)
        return self.steps or max(1, 131_072 // (self.span * self.spans_per_step(n_vocab)))

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

    chunks = Producer(ids, vocab.keep_probs(p.sample), noise_table(vocab), p, rng)
    total = float(ids.size) * p.epochs
    start, last_report = time.perf_counter(), 0.0
    loss_sum, loss_n = 0.0, 0
    try:
        step_fn = _make_step(p, syn0, syn1)  # traced while the producer makes the first chunk
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


def _snapshot(done: float, total: float, loss: float, epoch: int, elapsed: float) -> Progress:
    return Progress(done, done * total / max(elapsed, 1e-9), loss, elapsed * (1 - done) / max(done, 1e-9),
                    epoch + 1, elapsed)


def _configure_threads(n: int) -> None:
    # every core across ops: a step's input-side and output-side ops run at once (CBOW alone on
    # 2 cores: 2.05 s an epoch, 3.3 s with one op at a time); one core fewer inside each op:
    # small ops gain nothing from splitting, and the numpy producer needs time (bench/RESULTS.md)
    try:  # only possible before TensorFlow's first op; later calls keep the first setting
        tf.config.threading.set_intra_op_parallelism_threads(max(1, n - 1))
        tf.config.threading.set_inter_op_parallelism_threads(n)
    except RuntimeError:
        pass


def _make_step(p: TrainParams, syn0: tf.Variable, syn1: tf.Variable):
    """The TensorFlow side: ``steps`` training steps per call, over the arrays ``spans.chunks`` makes.

    A step holds S spans. Per span, x [P, d] are the input rows of its P window positions and
    yn [L+Kg, d] the output rows of its L centres then its Kg shared noise words. Skip-gram: one
    matrix product scores every (output, position) pair, the weights keep only the pairs word2vec
    trains (each times its learning rate), and the gradients are two more products. CBOW: one
    product averages each centre's window, which is scored against its own word (element-wise)
    and the span's noise words (a product). Updates are merged per distinct row, then written.
    """
    L, d, kg = p.span, p.dim, p.span_negatives
    P = L + 2 * p.window
    masks = window_masks(p)
    # looked up here by index, not sent from numpy: the step's arrays are 40x smaller, and CPU
    # time the producer spends competes with the step's two op threads (bench/RESULTS.md)
    mask_table = tf.constant(masks)

    def read(var, plan):
        """The step's distinct rows of ``var``, each read once (kept for ``write``)."""
        rows = plan[3][:plan[4]]
        return rows, tf.gather(var, rows)

    def uses(held, inv, shape):
        """Every use of the rows ``held`` (``inv`` gives each its distinct row), shaped."""
        return tf.reshape(tf.gather(held[1], inv), shape)

    def noise_weights(plan1):
        # [S, L, Kg]: a noise word equal to its centre is skipped (word2vec.c); each stands for
        # K/Kg of one centre's draws
        ids = tf.reshape(tf.gather(plan1[3], plan1[2]), [-1, L + kg])
        return tf.cast(ids[:, :L, None] != ids[:, None, L:], tf.float32) * (p.negative / kg)

    def write(var, plan, held, upd):
        # scatter_add is slow per row and slower on repeated rows, so the step's updates are put in
        # row order, summed per row and written once per distinct row
        (perm, seg), (rows, block) = plan[:2], held
        merged = tf.math.segment_sum(tf.gather(tf.reshape(upd, [-1, d]), perm), seg)
        var.scatter_update(tf.IndexedSlices(block + merged, rows))

    if p.model == "skipgram":
        label = tf.constant(np.r_[np.ones(L), np.zeros(kg)][:, None], tf.float32)

        def step(which, lr, plan0, plan1, with_loss=False):  # which, lr [S, L]
            ml = tf.gather(mask_table, which) * lr[:, :, None]  # [S, L, P]
            neq = noise_weights(plan1)
            held0, held1 = read(syn0, plan0), read(syn1, plan1)
            x, yn = uses(held0, plan0[2], [-1, P, d]), uses(held1, plan1[2], [-1, L + kg, d])
            # the weight of each (output, position) pair: a centre's own contexts, and for a noise
            # word every (centre, context) pair of the span that uses it
            wt = tf.concat([ml, tf.matmul(neq, ml, transpose_a=True)], 1)
            z = tf.matmul(yn, x, transpose_b=True)  # centre t (or noise word) predicted from position p
            g = (label - tf.sigmoid(z)) * wt
            write(syn0, plan0, held0, tf.matmul(g, yn, transpose_a=True))
            write(syn1, plan1, held1, tf.matmul(g, x))
            if not with_loss:
                return 0.0
            # mean loss per trained (centre, context) pair, learning-rate weighted
            per = tf.math.softplus((1.0 - 2.0 * label) * z)
            return tf.reduce_sum(per * wt) / tf.maximum(tf.reduce_sum(label * wt), 1e-12)
    else:
        mean_table = tf.constant(masks / np.maximum(masks.sum(1, keepdims=True), 1))

        def step(which, wpos, plan0, plan1, with_loss=False):
            # which [S, L]: each centre's window (a row of the tables); wpos [S, L] and wneg
            # [S, L, Kg]: the learning rate of each (centre, own word or noise word) pair
            mean, mask = tf.gather(mean_table, which), tf.gather(mask_table, which)  # [S, L, P]
            wneg = noise_weights(plan1) * wpos[:, :, None]
            held0, held1 = read(syn0, plan0), read(syn1, plan1)
            x = uses(held0, plan0[2], [-1, P, d])
            # own words and noise words gathered apart: slicing them out of one gather copies them
            inv1 = tf.reshape(plan1[2], [-1, L + kg])
            y, noise = uses(held1, inv1[:, :L], [-1, L, d]), uses(held1, inv1[:, L:], [-1, kg, d])
            h = tf.matmul(mean, x)  # [S, L, d]: the mean of each centre's context
            zp = tf.reduce_sum(h * y, 2)  # each centre scores only its own word...
            zn = tf.matmul(h, noise, transpose_b=True)  # ...and the span's noise words
            gp = (1.0 - tf.sigmoid(zp)) * wpos
            gn = -tf.sigmoid(zn) * wneg
            dh = gp[:, :, None] * y + tf.matmul(gn, noise)
            # each context word receives the whole error (gensim's cbow_mean): mask, not mean
            write(syn0, plan0, held0, tf.matmul(mask, dh, transpose_a=True))
            write(syn1, plan1, held1, tf.concat([gp[:, :, None] * h, tf.matmul(gn, h, transpose_a=True)], 1))
            if not with_loss:
                return 0.0
            neg = tf.reduce_sum(wneg * tf.math.softplus(zn))
            return (tf.reduce_sum(wpos * tf.math.softplus(-zp)) + neg) / tf.maximum(tf.reduce_sum(wpos), 1e-12)

    # shapes left open: one trace serves every chunk, the short last one of an epoch too; written
    # without autograph, whose source conversion made the trace 0.35 s instead of 0.11 s
    plan = (tf.TensorSpec([None, None], tf.int32),) * 4 + (tf.TensorSpec([None], tf.int32),)
    grid = [tf.TensorSpec([None, None, None], dtype) for dtype in (tf.int32, tf.float32)]

    @tf.function(input_signature=[*grid, plan, plan], autograph=False)
    def run(*arrays):  # the step's arguments, each with a leading [steps] axis
        def at(s):
            return tf.nest.map_structure(lambda t: t[s], arrays)
        loss = step(*at(0), with_loss=True)  # progress only: the first step's loss
        n_steps = tf.shape(arrays[0])[0]

        def body(s):
            step(*at(s))
            return (s + 1,)
        tf.while_loop(lambda s: s < n_steps, body, (tf.constant(1),))
        return loss

    run.get_concrete_function()
    return run


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
