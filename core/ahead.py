"""Work ahead of its consumer, in background threads: numpy, pandas and TensorFlow release the GIL
inside their loops, so threads use every core. Errors raised in a thread are re-raised to the
consumer, never lost.

:class:`Ahead` runs an iterator in a thread (the trainer's producer, ``core.spans``);
:func:`mapped` applies a function to the items of an iterator in a few threads, in order (the
corpus reader's blocks, ``core.corpus``).
"""

from __future__ import annotations

import os
import queue
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
_END = object()


class Ahead(Generic[T]):
    """Iterates ``make()`` in a daemon thread, at most ``depth`` items waiting (and one being made).

    Iterating yields its items in order and re-raises its error; :meth:`close` (also on leaving a
    ``with`` block) stops the thread at its next item, so a consumer that stops early leaves no
    work running."""

    def __init__(self, make: Callable[[], Iterable[T]], depth: int = 1) -> None:
        self._q: queue.Queue = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(make,), daemon=True)
        self._thread.start()

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self, make: Callable[[], Iterable[T]]) -> None:
        try:
            for item in make():
                if not self._put(item):
                    return
            self._put(_END)
        except BaseException as exc:  # handed to the consumer, never lost in the thread
            self._put(exc)

    def __iter__(self) -> Iterator[T]:
        while True:
            item = self._q.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def __enter__(self) -> Ahead[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def mapped(
    fn: Callable[[T], R], items: Iterable[T], workers: int | None = None, ahead: int = 4
) -> Generator[R, None, None]:
    """``fn(item)`` for each of ``items``, in their order, computed in ``workers`` threads (default:
    the cores) with at most ``ahead`` items taken before their result is yielded: the items are
    consumed as the results are, never all at once. Leaving early cancels what has not started."""
    pending: deque[Future[R]] = deque()
    pool = ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1)
    try:
        for item in items:
            pending.append(pool.submit(fn, item))
            if len(pending) >= ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
