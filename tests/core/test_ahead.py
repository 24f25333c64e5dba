"""core.ahead: work done ahead in threads comes back in order, lazily, with its errors."""

from __future__ import annotations

import itertools
import random
import threading
import time

import pytest

from core.ahead import Ahead, mapped


def _slow_square(x: int) -> int:
    time.sleep(random.random() * 0.003)  # finishing out of order, as blocks of different sizes do
    return x * x


def test_mapped_keeps_the_order_of_the_items():
    assert list(mapped(_slow_square, range(60), workers=3)) == [x * x for x in range(60)]


def _endless(taken: list[int]):
    """0, 1, 2, ... without end, each noted in ``taken`` as it is drawn."""
    for i in itertools.count():
        taken.append(i)
        yield i


def test_mapped_takes_items_only_a_few_ahead_of_the_consumer():
    taken: list[int] = []
    out = mapped(lambda x: x, _endless(taken), workers=2, ahead=4)
    assert [next(out) for _ in range(3)] == [0, 1, 2]
    assert len(taken) <= 3 + 4  # an endless input is never drained
    out.close()


def test_mapped_raises_the_error_where_it_happened_and_stops():
    calls = []

    def fn(x: int) -> int:
        calls.append(x)
        if x == 5:
            raise ValueError("bad item 5")
        return x

    got = []
    with pytest.raises(ValueError, match="bad item 5"):
        for y in mapped(fn, range(1000), workers=2, ahead=3):
            got.append(y)
    assert got == [0, 1, 2, 3, 4]
    assert len(calls) < 20  # what was not started is cancelled


def test_mapped_leaves_no_work_running_after_an_early_stop():
    running = threading.Event()
    done = []

    def fn(x: int) -> int:
        running.set()
        time.sleep(0.01)
        done.append(x)
        return x

    out = mapped(fn, range(100), workers=2, ahead=4)
    next(out)
    out.close()  # waits for what had started and cancels the rest
    settled = len(done)
    time.sleep(0.05)
    assert len(done) == settled < 100


def test_ahead_yields_in_order_and_reraises_the_threads_error():
    def items():
        yield from range(10)
        raise KeyError("gone")

    got = []
    with Ahead(items, depth=2) as ahead, pytest.raises(KeyError, match="gone"):
        for x in ahead:
            got.append(x)
    assert got == list(range(10))


def test_ahead_close_stops_an_endless_producer():
    made: list[int] = []
    ahead = Ahead(lambda: _endless(made), depth=1)
    it = iter(ahead)
    assert next(it) == 0
    ahead.close()
    assert not ahead._thread.is_alive()
    n = len(made)
    time.sleep(0.05)
    assert len(made) == n
