"""The TensorFlow step against word2vec's per-pair update rule, written out plainly in numpy.

One step on a 12-word vocabulary (dim 3) with fixed windows (some cut on one side), learning rates and noise words.
The reference applies word2vec's negative-sampling update pair by pair, every pair reading the
vectors as they were before the step (the step is one batch), each noise word weighted by
negative / span_negatives and skipped where it equals the centre word (the trainer's noise
weighting, docs/DESIGN.md); CBOW splits a span's centres and noise words into ``noise_groups``
groups, each centre scored against its own group's words. Both matrices must agree to 1e-6.
"""

import numpy as np
import pytest
import tensorflow as tf

from core.params import TrainParams
from core.spans import StepArrays, mask_row, merge_plan
from core.train import _make_step

pytestmark = pytest.mark.slow

V, DIM = 12, 3
P = TrainParams(dim=DIM, span=4, window=2, negative=5)
L, W = P.span, P.window
MODELS = {m: TrainParams(**{**P.to_dict(), "model": m}) for m in ("skipgram", "cbow")}
KG = {m: p.span_negatives for m, p in MODELS.items()}  # 6 for both
GROUPS = {m: p.noise_groups for m, p in MODELS.items()}  # 1 and 2
# two spans of 4 centres; each row lists the ids at the span's 4 + 2*2 window positions
WIN = np.array([[0, 1, 2, 3, 1, 4, 5, 6], [7, 8, 9, 1, 10, 11, 2, 3]], np.int32)
# each centre's window: words back and ahead (they differ where a sentence ends inside the window)
BACK = np.array([[1, 2, 0, 1], [2, 1, 2, 2]])
AHEAD = np.array([[1, 1, 2, 0], [2, 1, 2, 1]])
LR = np.array([[0.05, 0.04, 0.0, 0.03], [0.02, 0.05, 0.04, 0.01]], np.float32)  # 0: trains nothing
# span 0's centres are ids 2, 3, 1, 4: its noise word 3 is skipped for centre 3 only (a model
# with fewer shared noise words takes the first ones)
NEGS = np.array([[5, 3, 11, 0, 7, 5], [1, 6, 6, 2, 9, 4]], np.int32)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def reference(model: str, syn0: np.ndarray, syn1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    d0, d1 = np.zeros_like(syn0), np.zeros_like(syn1)
    kg, groups = KG[model], GROUPS[model]
    scale = P.negative * groups / kg
    for s in range(WIN.shape[0]):
        for t in range(L):
            lr, centre = float(LR[s, t]), WIN[s, W + t]
            ctx = [WIN[s, W + t + o] for o in range(-BACK[s, t], AHEAD[s, t] + 1) if o != 0]
            # (output word, label, weight): the centre itself, then the span's noise words
            g = t // (L // groups)  # the centre's group: its share of the span's noise words
            own_noise = NEGS[s, :kg][g * kg // groups : (g + 1) * kg // groups]
            targets = [(centre, 1.0, 1.0)] + [(n, 0.0, scale) for n in own_noise if n != centre]
            if model == "skipgram":  # each context word's input vector predicts the centre
                for c in ctx:
                    for out, label, weight in targets:
                        g = lr * weight * (label - sigmoid(syn1[out] @ syn0[c]))
                        d0[c] += g * syn1[out]
                        d1[out] += g * syn0[c]
            else:  # CBOW: the mean of the context predicts the centre; each context word gets it all
                h = np.mean([syn0[c] for c in ctx], axis=0)
                neu1e = np.zeros(DIM)
                for out, label, weight in targets:
                    g = lr * weight * (label - sigmoid(syn1[out] @ h))
                    neu1e += g * syn1[out]
                    d1[out] += g * h
                for c in ctx:
                    d0[c] += neu1e
    return syn0 + d0, syn1 + d1


def one_step(model: str, syn0: np.ndarray, syn1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p = TrainParams(**{**P.to_dict(), "model": model})
    v0, v1 = tf.Variable(syn0.astype(np.float32)), tf.Variable(syn1.astype(np.float32))
    which = mask_row(np.arange(L), BACK, AHEAD, W)  # each centre's row of window_masks
    arrays = StepArrays(
        which[None],
        LR[None],
        merge_plan(WIN.reshape(1, -1)),
        merge_plan(np.concatenate([WIN[:, W : W + L], NEGS[:, : KG[model]]], 1).reshape(1, -1)),
    )
    _make_step(p, v0, v1)(arrays)
    return v0.numpy(), v1.numpy()


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_one_step_matches_the_per_pair_update_rule(model):
    rng = np.random.default_rng(4)
    syn0, syn1 = rng.normal(size=(V, DIM)) * 0.8, rng.normal(size=(V, DIM)) * 0.8
    syn0, syn1 = syn0.astype(np.float32).astype(np.float64), syn1.astype(np.float32).astype(np.float64)
    want0, want1 = reference(model, syn0, syn1)
    got0, got1 = one_step(model, syn0, syn1)
    assert np.abs(want0 - syn0).max() > 1e-3 and np.abs(want1 - syn1).max() > 1e-3  # the step moves both
    np.testing.assert_allclose(got0, want0, rtol=0, atol=1e-6)
    np.testing.assert_allclose(got1, want1, rtol=0, atol=1e-6)
