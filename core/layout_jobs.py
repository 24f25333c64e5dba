"""Map layouts shared by every session of the server: slow ones (t-SNE, UMAP) run in background
threads, fast ones (PCA, semantic axes) inline; finished layouts are kept for reuse.

A layout is keyed by everything that decides its picture (the set and its save time, method,
dimensions, seed, a hash of the words), so two sessions asking for the same map share one run
and a second visit is instant. Background layouts run one at a time: on a 2-core server two
t-SNE runs side by side only halve each other's speed, and each one already uses both cores. A
session that moves on to other settings *releases* its layout; a layout no session wants any
more is stopped at its next progress report (t-SNE every 25 iterations; UMAP cannot be stopped
part way, so it runs to the end and is kept).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field

from .errors import CancelledError, W2VError
from .projection import Layout, LayoutProgress

WAITING, RUNNING, DONE, FAILED, CANCELLED = "waiting", "running", "done", "failed", "cancelled"
ACTIVE = (WAITING, RUNNING)

Key = tuple[Hashable, ...]


def words_key(words: Sequence[str]) -> str:
    """A short stable hash of a word list (its order counts: it is the layout's row order)."""
    return hashlib.sha1("\n".join(words).encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass
class LayoutJob:
    """One layout: its state, progress (0..1) and, once done, its result."""

    key: Key
    method: str
    points: int
    state: str = WAITING
    fraction: float = 0.0
    result: Layout | None = None
    error: str = ""
    submitted: float = field(default_factory=time.monotonic)
    started: float | None = None
    finished: float | None = None
    owners: set[str] = field(default_factory=set)
    cancel: threading.Event = field(default_factory=threading.Event)

    def elapsed(self) -> float:
        """Seconds since the layout started running (0 while it waits)."""
        if self.started is None:
            return 0.0
        return (self.finished or time.monotonic()) - self.started


class LayoutJobs:
    """The process-wide store; ``keep`` finished layouts are kept, the least recently used go."""

    def __init__(self, keep: int = 8, workers: int = 1):
        self.keep = keep
        self._lock = threading.Lock()
        self._jobs: OrderedDict[Key, LayoutJob] = OrderedDict()
        self._slots = threading.Semaphore(workers)
        self._methods_done: set[str] = set()

    def get(self, key: Key) -> LayoutJob | None:
        with self._lock:
            job = self._jobs.get(key)
            if job is not None:
                self._jobs.move_to_end(key)
            return job

    def has_run(self, method: str) -> bool:
        """Whether a ``method`` layout has finished in this process (UMAP's first run compiles its code)."""
        return method in self._methods_done

    def submit(
        self, key: Key, run: Callable[[LayoutProgress], Layout], owner: str, method: str = "", points: int = 0
    ) -> LayoutJob:
        """The job for ``key``: the running or finished one, else a new background run of
        ``run(progress)``. A stopped or failed layout is started afresh."""
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and job.state not in (FAILED, CANCELLED):
                job.owners.add(owner)
                self._jobs.move_to_end(key)
                return job
            job = LayoutJob(key, method, points, owners={owner})
            self._jobs[key] = job
        threading.Thread(target=self._run, args=(job, run), name=f"layout-{method}", daemon=True).start()
        return job

    def run_inline(self, key: Key, run: Callable[[], Layout], method: str = "", points: int = 0) -> Layout:
        """A fast layout, computed now (or taken from the store) and kept like the others."""
        job = self.get(key)
        if job is not None and job.state == DONE and job.result is not None:
            return job.result
        started = time.monotonic()
        result = run()  # errors go to the caller as they are
        job = LayoutJob(key, method, points, DONE, 1.0, result, started=started, finished=time.monotonic())
        with self._lock:
            self._jobs[key] = job
            self._trim()
        return result

    def release(self, key: Key, owner: str) -> None:
        """``owner`` no longer wants the layout; with no owner left, a running layout is stopped."""
        with self._lock:
            job = self._jobs.get(key)
            if job is None:
                return
            job.owners.discard(owner)
            if not job.owners and job.state in ACTIVE:
                job.cancel.set()

    def stop(self, key: Key) -> None:
        """Stop the layout whoever else watches it (the page's Stop button)."""
        job = self.get(key)
        if job is not None and job.state in ACTIVE:
            job.cancel.set()

    def _run(self, job: LayoutJob, run: Callable[[LayoutProgress], Layout]) -> None:
        def progress(fraction: float) -> bool:
            job.fraction = max(job.fraction, min(1.0, fraction))
            return job.cancel.is_set()

        with self._slots:  # one background layout at a time; the rest wait their turn
            if job.cancel.is_set():
                job.state, job.finished = CANCELLED, time.monotonic()
                return
            job.state, job.started = RUNNING, time.monotonic()
            try:
                job.result = run(progress)
                job.fraction, job.state = 1.0, DONE
                self._methods_done.add(job.method)
            except CancelledError:
                job.state = CANCELLED
            except W2VError as exc:
                job.state, job.error = FAILED, str(exc)
            except Exception as exc:  # a library failure must end the job, not leave it "running"
                job.state, job.error = FAILED, f"the {job.method} layout failed ({type(exc).__name__}: {exc})"
            finally:
                job.finished = time.monotonic()
        with self._lock:
            self._trim()

    def _trim(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.state not in ACTIVE]  # oldest first
        for k in finished[: max(0, len(finished) - self.keep)]:
            del self._jobs[k]


_STORE = LayoutJobs()


def store() -> LayoutJobs:
    """The server's one store of layouts."""
    return _STORE
