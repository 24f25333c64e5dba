"""The TensorFlow word2vec trainer: skip-gram and CBOW with negative sampling.

The step's maths runs in TensorFlow ops over the arrays ``core.spans`` prepares in a producer
thread; how the work is batched (spans, shared noise words, merged row updates, many steps per
call) is explained once, in docs/DESIGN.md, "How the trainer batches its work". Nothing here
writes files; ``core.bundle`` saves the result.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from .errors import CancelledError, TrainingError
from .params import Progress, ProgressFn, TrainParams
from .quiet import import_tensorflow
from .snapshots import Capture
from .spans import MergePlan, Producer, StepArrays, noise_table, window_masks
from .vocab import Vocab, build_vocab, encode_lines

# Many updates of one row summed in one step can overshoot (a word that is the context of
# nearly every other one, in a small vocabulary); fewer centres per step or a lower rate help.
DIVERGED = (
    "training diverged (the vectors became NaN); keep subsampling on (--sample 1e-3), "
    "or try a lower learning rate (--lr 0.005) or fewer centre words per step (--batch 256)"
)

if TYPE_CHECKING:
    import tensorflow as tf
else:
    tf = import_tensorflow(lean=True)  # imported here only: queries never load TensorFlow


def train_vectors(
    ids: np.ndarray,
    vocab: Vocab,
    params: TrainParams,
    progress: ProgressFn | None = None,
    cancel: Callable[[], bool] | threading.Event | None = None,
    line_starts: np.ndarray | None = None,
    snapshots: Capture | None = None,
) -> np.ndarray:
    """Train on an encoded id stream (ids index ``vocab``); returns the [len(vocab), dim] matrix.

    The batching scheme is docs/DESIGN.md's "How the trainer batches its work".

    ``line_starts``: where sentences begin in ``ids`` (windows never cross them); None: one.
    ``progress`` is called about twice a second; ``cancel`` (an Event or a callable) is checked
    between TensorFlow calls and stops training with :class:`CancelledError`.
    ``snapshots`` is offered the input vectors' chosen rows before the first update, between
    TensorFlow calls and at the end (``core.snapshots``); a gather of a few thousand rows per call.
    """
    p = params.validate()
    if ids.size < 2:
        raise TrainingError("the corpus has fewer than 2 in-vocabulary words; use a larger corpus")
    is_cancelled = cancel.is_set if isinstance(cancel, threading.Event) else (cancel or (lambda: False))
    _configure_threads(p.threads)
    rng = np.random.default_rng(p.seed)
    n_vocab = len(vocab)
    init = rng.random((n_vocab, p.dim), dtype=np.float32)
    init -= 0.5  # in place: peak memory matters (a target, bench/RESULTS.md)
    init /= p.dim
    syn0 = tf.Variable(init, name="syn0")
    del init
    syn1 = tf.Variable(tf.zeros((n_vocab, p.dim), tf.float32), name="syn1neg")

    chunks = Producer(ids, vocab.keep_probs(p.sample), noise_table(vocab), p, rng, line_starts)
    total = float(ids.size) * p.epochs
    start, last_report = time.perf_counter(), 0.0
    loss_sum, loss_n = 0.0, 0

    def rows_now(rows: np.ndarray) -> np.ndarray:
        return tf.gather(syn0, rows).numpy()

    try:
        step_fn = _make_step(p, syn0, syn1)  # traced while the producer makes the first chunk
        if snapshots is not None:
            snapshots.offer(0.0, rows_now)  # the starting vectors, before any update
        for chunk in chunks:
            if is_cancelled():
                raise CancelledError("training was stopped; nothing was saved")
            loss = float(step_fn(chunk.arrays))
            if not np.isfinite(loss):  # diverged: every later step only spreads the NaN
                raise TrainingError(DIVERGED)
            loss_sum, loss_n = loss_sum + loss, loss_n + 1
            if snapshots is not None:
                snapshots.offer(chunk.done, rows_now)
            now = time.perf_counter()
            if progress and now - last_report > 0.5:
                progress(_snapshot(chunk.done, total, loss_sum / loss_n, chunk.epoch, now - start))
                last_report, loss_sum, loss_n = now, 0.0, 0
    finally:
        chunks.close()
    if progress:
        progress(_snapshot(1.0, total, loss_sum / max(loss_n, 1), p.epochs - 1, time.perf_counter() - start))
    if snapshots is not None:
        snapshots.offer(1.0, rows_now)  # the final vectors, if the last call ended just short of 1.0
    vectors = syn0.numpy()
    if not np.isfinite(vectors).all():
        raise TrainingError(DIVERGED)
    return vectors


def _snapshot(done: float, total: float, loss: float, epoch: int, elapsed: float) -> Progress:
    return Progress(
        done, done * total / max(elapsed, 1e-9), loss, elapsed * (1 - done) / max(done, 1e-9), epoch + 1, elapsed
    )


def _configure_threads(n: int) -> None:
    # every core across ops: a step's input-side and output-side ops run at once; one core fewer
    # inside each op: small ops gain little from splitting, and the numpy producer needs time
    try:  # only possible before TensorFlow's first op; later calls keep the first setting
        tf.config.threading.set_intra_op_parallelism_threads(max(1, n - 1))
        tf.config.threading.set_inter_op_parallelism_threads(n)
    except RuntimeError:
        pass


def _make_step(p: TrainParams, syn0: tf.Variable, syn1: tf.Variable) -> Callable[[StepArrays], tf.Tensor]:
    """The TensorFlow side: one call runs the steps of one :class:`core.spans.StepArrays`.

    A step holds S spans. Per span, x [P, d] are the input rows of its P window positions and
    yn [L+Kg, d] the output rows of its L centres then its Kg shared noise words. Skip-gram: one
    matrix product scores every (output, position) pair, the weights keep only the pairs word2vec
    trains (each times its learning rate), and the gradients are two more products. CBOW: one
    product averages each centre's window, which is scored against its own word (element-wise)
    and its group's share of the span's noise words (a product; ``noise_groups``). Updates are
    merged per distinct row, then written.
    """
    L, d, kg = p.span, p.dim, p.span_negatives
    P = L + 2 * p.window
    masks = window_masks(p)
    # looked up here by index, not sent from numpy: the step's arrays stay small, and CPU time
    # the producer spends competes with the step's op threads
    mask_table = tf.constant(masks)

    def read(var, plan: MergePlan):
        """The step's distinct rows of ``var``, each read once (kept for ``write``)."""
        rows = plan.uniq[: plan.n_rows]
        return rows, tf.gather(var, rows)

    def uses(held, inv, shape):
        """Every use of the rows ``held`` (``inv`` gives each its distinct row), shaped."""
        return tf.reshape(tf.gather(held[1], inv), shape)

    def noise_weights(plan1: MergePlan, groups: int = 1):
        # [S * groups, L / groups, Kg / groups]: each group of centres against its group of noise
        # words; a noise word equal to its centre is skipped (word2vec.c), each stands for
        # K / (Kg / groups) of one centre's draws
        ids = tf.reshape(tf.gather(plan1.uniq, plan1.inv), [-1, L + kg])
        own, noise = tf.reshape(ids[:, :L], [-1, L // groups, 1]), tf.reshape(ids[:, L:], [-1, 1, kg // groups])
        return tf.cast(own != noise, tf.float32) * (p.negative * groups / kg)

    def write(var, plan: MergePlan, held, upd):
        # scatter_add is slow per row and slower on repeated rows, so the step's updates are put in
        # row order, summed per row and written once per distinct row
        rows, block = held
        merged = tf.math.segment_sum(tf.gather(tf.reshape(upd, [-1, d]), plan.perm), plan.seg)
        var.scatter_update(tf.IndexedSlices(block + merged, rows))

    if p.model == "skipgram":
        label = tf.constant(np.r_[np.ones(L), np.zeros(kg)][:, None], tf.float32)

        def step(a: StepArrays, with_loss: bool = False):
            which, lr, plan0, plan1 = a  # which, lr [S, L]
            ml = tf.gather(mask_table, which) * lr[:, :, None]  # [S, L, P]
            neq = noise_weights(plan1)  # [S, L, Kg]
            held0, held1 = read(syn0, plan0), read(syn1, plan1)
            x, yn = uses(held0, plan0.inv, [-1, P, d]), uses(held1, plan1.inv, [-1, L + kg, d])
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
        G = p.noise_groups
        Lg, kgg = L // G, kg // G

        def step(a: StepArrays, with_loss: bool = False):
            which, wpos, plan0, plan1 = a
            # which [S, L]: each centre's window (a row of the tables); wpos [S, L] and wneg
            # [S * G, L / G, Kg / G]: the learning rate of each (centre, own or noise word) pair
            mean, mask = tf.gather(mean_table, which), tf.gather(mask_table, which)  # [S, L, P]
            wneg = noise_weights(plan1, G) * tf.reshape(wpos, [-1, Lg, 1])
            held0, held1 = read(syn0, plan0), read(syn1, plan1)
            x = uses(held0, plan0.inv, [-1, P, d])
            # own words and noise words gathered apart: slicing them out of one gather copies them
            inv1 = tf.reshape(plan1.inv, [-1, L + kg])
            y, noise = uses(held1, inv1[:, :L], [-1, L, d]), uses(held1, inv1[:, L:], [-1, kgg, d])
            h = tf.matmul(mean, x)  # [S, L, d]: the mean of each centre's context
            hg = tf.reshape(h, [-1, Lg, d])  # the span's centres in G groups (no copy)
            zp = tf.reduce_sum(h * y, 2)  # each centre scores only its own word...
            zn = tf.matmul(hg, noise, transpose_b=True)  # ...and its group's noise words
            gp = (1.0 - tf.sigmoid(zp)) * wpos
            gn = -tf.sigmoid(zn) * wneg
            dh = gp[:, :, None] * y + tf.reshape(tf.matmul(gn, noise), [-1, L, d])
            # each context word receives the whole error (gensim's cbow_mean): mask, not mean
            write(syn0, plan0, held0, tf.matmul(mask, dh, transpose_a=True))
            to_noise = tf.reshape(tf.matmul(gn, hg, transpose_a=True), [-1, kg, d])
            write(syn1, plan1, held1, tf.concat([gp[:, :, None] * h, to_noise], 1))
            if not with_loss:
                return 0.0
            neg = tf.reduce_sum(wneg * tf.math.softplus(zn))
            return (tf.reduce_sum(wpos * tf.math.softplus(-zp)) + neg) / tf.maximum(tf.reduce_sum(wpos), 1e-12)

    # shapes left open: one trace serves every chunk, the short last one of an epoch too; written
    # without autograph, whose source conversion triples the trace time
    rows = tf.TensorSpec([None, None], tf.int32)
    plan = MergePlan(rows, rows, rows, rows, tf.TensorSpec([None], tf.int32))
    spec = StepArrays(
        tf.TensorSpec([None, None, None], tf.int32), tf.TensorSpec([None, None, None], tf.float32), plan, plan
    )

    @tf.function(input_signature=[spec], autograph=False)
    def run(arrays: StepArrays):  # every field has a leading [steps] axis
        def at(s):
            return tf.nest.map_structure(lambda t: t[s], arrays)

        loss = step(at(0), with_loss=True)  # progress only: the first step's loss
        n_steps = tf.shape(arrays.which)[0]

        def body(s):
            step(at(s))
            return (s + 1,)

        tf.while_loop(lambda s: s < n_steps, body, (tf.constant(1),))
        return loss

    run.get_concrete_function()
    return run


def train(corpus, params: TrainParams | None = None, progress: ProgressFn | None = None, cancel=None):
    """Train on a :class:`core.corpus.Corpus`; returns an :class:`EmbeddingSet` with metadata, the
    encoded corpus as ``evidence`` and, if ``params.snapshots``, its ``snapshots``; save them with
    ``core.bundle.save(es, path, extras=core.evidence_bundle.extras(es))``."""
    from . import evidence_bundle
    from .embeddings import EmbeddingSet

    p = (params or TrainParams()).validate()
    n_words = len(corpus.words)
    if p.phrases:
        from .phrases import join_phrases

        corpus = join_phrases(corpus, p.phrases, p.phrase_min_count, p.phrase_threshold)
    vocab, remap = build_vocab(corpus.words, corpus.counts, p.min_count, p.max_vocab)
    ids, lines = encode_lines(corpus.ids, remap, corpus.line_starts)  # lines: kept for the evidence either way
    starts = lines if p.sentences == "lines" else None
    capture = Capture.for_vocab(p.snapshots, len(vocab)) if p.snapshots else None
    start = time.perf_counter()
    vectors = train_vectors(ids, vocab, p, progress, cancel, line_starts=starts, snapshots=capture)
    meta = {
        "params": p.to_dict(),
        "corpus": {
            "name": corpus.name,
            "sha256": corpus.sha256,
            "tokens": corpus.n_tokens,
            "lowercase": corpus.lowercase,
            "lines": corpus.n_lines,
            "phrases": len(corpus.words) - n_words if p.phrases else 0,  # joined tokens made
        },
        "tensorflow_version": tf.__version__,
        "training_seconds": round(time.perf_counter() - start, 3),
        "source": "trained",
    }
    es = EmbeddingSet(vocab.words, vectors, vocab.counts, meta)
    # the stream as trained, for the bundle: uint16 (half the trainer's copy) for vocabularies up to 65,536
    es.evidence = evidence_bundle.from_stream(ids, lines, es, p.window, p.sentences == "lines", corpus.name)
    if capture is not None:
        es.snapshots = capture.finish(vectors)
    return es
