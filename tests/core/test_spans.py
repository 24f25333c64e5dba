"""The numpy side of training (core.spans): merge plans, window masks and the spans a step gets."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from core.params import TrainParams
from core.spans import chunks, mask_row, merge_plan, noise_table, window_masks
from core.vocab import Vocab


@pytest.mark.parametrize("n_words", [300, 70_000])
def test_noise_table_gives_each_word_its_share_of_slots(n_words):
    # up to 65,536 words the table holds uint16 ids (half the memory), above that int32
    counts = np.maximum(1, (1e6 / np.arange(1, n_words + 1)).astype(np.int64))
    vocab = Vocab([f"w{i}" for i in range(n_words)], counts)
    size = 1 << 20
    table = noise_table(vocab, size)
    assert table.dtype == (np.uint16 if n_words <= 65_536 else np.int32)
    share = np.bincount(table, minlength=n_words) / size
    assert np.abs(share - vocab.noise_distribution()).max() <= 1 / size
    assert table.max() == n_words - 1


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        np.int32,
        st.tuples(st.integers(1, 3), st.integers(1, 40)),
        elements=st.one_of(st.integers(0, 5), st.integers(0, 1 << 24)),
    )
)
def test_merge_plan_groups_every_use_under_its_row(rows):
    # ids above 65,536 take the two-pass radix order; small ones repeat, as frequent words do
    perm, seg, inv, uniq, n = merge_plan(rows)
    for s in range(rows.shape[0]):
        srt = rows[s, perm[s]]
        assert np.all(np.diff(srt.astype(np.int64)) >= 0)  # perm puts the uses in row order
        assert np.array_equal(uniq[s, seg[s]], srt)  # seg names each sorted use's distinct row
        assert np.array_equal(uniq[s, inv[s]], rows[s])  # inv names each use's distinct row
        assert n[s] == len(np.unique(rows[s])) == len(set(uniq[s, : n[s]]))


def test_merge_plan_sums_repeated_rows_as_scatter_add_would():
    rng = np.random.default_rng(0)
    rows = rng.zipf(1.5, size=(3, 200)).clip(max=50).astype(np.int32)  # many repeats, as in a step
    upd = rng.normal(size=(3, 200, 4)).astype(np.float32)
    perm, seg, inv, uniq, n = merge_plan(rows)
    for s in range(3):
        assert np.array_equal(uniq[s, inv[s]], rows[s])  # each use finds its row
        assert len(set(uniq[s, : n[s]])) == n[s] == len(set(rows[s]))
        merged = np.zeros((n[s], 4), np.float32)
        np.add.at(merged, seg[s], upd[s, perm[s]])
        want = np.zeros((51, 4), np.float32)
        np.add.at(want, rows[s], upd[s])
        assert np.allclose(want[uniq[s, : n[s]]], merged, atol=1e-5)


def test_window_masks_mark_the_contexts_of_each_drawn_window():
    p = TrainParams(span=6, window=3)
    masks = window_masks(p)
    assert masks.shape == (6 * 4 * 4, 6 + 2 * 3)
    for t in range(6):
        for back in range(4):
            for ahead in range(4):
                marked = np.flatnonzero(masks[mask_row(t, back, ahead, 3)])
                centre = t + 3  # a centre's own window position
                assert list(marked) == [q for q in range(centre - back, centre + ahead + 1) if q != centre]


def reaches(which: np.ndarray, w: int) -> tuple[np.ndarray, np.ndarray]:
    """(words back, words ahead) of each centre, from its row of window_masks."""
    return (which // (w + 1)) % (w + 1), which % (w + 1)


def test_chunks_train_each_inner_centre_once_with_contexts_inside_the_sequence():
    # token i has id i, so the ids a step reads say which positions it reads
    n, p = 203, TrainParams(span=8, window=3, batch=16, steps=2, sample=0, epochs=2)
    ids = np.arange(n, dtype=np.int32)
    seen = []
    for chunk in chunks(ids, np.ones(n), ids.copy(), p, np.random.default_rng(0)):
        which, lr, plan0 = chunk.arrays.which, chunk.arrays.lr, chunk.arrays.plan0
        win = np.take_along_axis(plan0.uniq, plan0.inv, 1).reshape(-1, p.span + 2 * p.window)
        back, ahead = (r.reshape(-1, p.span) for r in reaches(which, p.window))
        for span, b_row, a_row, lr_row in zip(win, back, ahead, lr.reshape(-1, p.span), strict=True):
            assert (lr_row > 0).tolist() == ((b_row + a_row) > 0).tolist()
            for t in np.flatnonzero(lr_row > 0):
                centre, b, a = span[t + p.window], b_row[t], a_row[t]
                assert b <= p.window and a <= p.window and (b == a or min(centre - b, n - 1 - centre - a) == 0)
                # the window's ids are exactly the neighbouring positions: none was clipped
                window = span[t + p.window - b : t + p.window + a + 1]
                assert list(window) == list(range(centre - b, centre + a + 1))
                seen.append((chunk.epoch, centre))
        assert 0 < chunk.done <= 1
    # every centre is trained once an epoch, the two ends of the corpus too (with one side only)
    assert sorted(seen) == [(e, c) for e in range(2) for c in range(n)]


def test_windows_stop_at_the_ends_of_sentences():
    n, p = 120, TrainParams(span=8, window=4, batch=16, steps=2, sample=0, epochs=1)
    ids = np.arange(n, dtype=np.int32)
    starts = np.array([0, 3, 4, 30, 31, 77], np.int64)  # sentences of 3, 1, 26, 1, 46 and 43 words
    sentence = np.searchsorted(starts, ids, side="right")
    seen = []
    for chunk in chunks(ids, np.ones(n), ids.copy(), p, np.random.default_rng(1), starts):
        win = np.take_along_axis(chunk.arrays.plan0.uniq, chunk.arrays.plan0.inv, 1).reshape(-1, p.span + 8)
        back, ahead = (r.reshape(-1, p.span) for r in reaches(chunk.arrays.which, p.window))
        for span, b_row, a_row, lr_row in zip(win, back, ahead, chunk.arrays.lr.reshape(-1, p.span), strict=True):
            for t in np.flatnonzero(lr_row > 0):
                centre = span[t + 4]
                context = [q for q in span[t + 4 - b_row[t] : t + 4 + a_row[t] + 1] if q != centre]
                assert {sentence[q] for q in context} == {sentence[centre]}
                seen.append(centre)
    # one-word sentences have no context and train nothing; every other word trains once
    assert sorted(seen) == [c for c in range(n) if c not in (3, 30)]
