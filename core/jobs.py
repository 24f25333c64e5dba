"""Background training: one worker thread per process trains one job at a time; other jobs wait
in line. Any session can read a job's snapshot (state, progress, loss curve, place in line).

The worker is owned by the process (the Streamlit server), not by a page's script run, so page
switches and reruns do not stop it.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from dataclasses import dataclass, field, replace

from .corpus import Corpus
from .errors import CancelledError, SetExistsError, W2VError
from .params import Progress, TrainParams


@dataclass
class Job:
    id: int
    name: str  # bundle name to write in the workspace
    params: TrainParams
    corpus: Corpus | None = field(repr=False)  # already read; dropped when the job ends
    state: str = "queued"  # queued | running | done | failed | cancelled
    fraction: float = 0.0
    words_per_sec: float = 0.0
    eta_sec: float = 0.0
    epoch: int = 0
    losses: list[tuple[float, float]] = field(default_factory=list)  # (fraction, loss)
    error: str = ""
    place: int = 0  # 1 = next to run; 0 when running or finished
    started: float = 0.0
    finished: float = 0.0
    cancel: threading.Event = field(default_factory=threading.Event, repr=False)


class JobQueue:
    """A FIFO of training jobs served by one daemon worker thread."""

    def __init__(self):
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._waiting: deque[Job] = deque()
        self._jobs: dict[int, Job] = {}
        self._ids = itertools.count(1)
        self._worker = threading.Thread(target=self._serve, name="w2v-trainer", daemon=True)
        self._worker.start()

    def submit(self, name: str, corpus: Corpus, params: TrainParams) -> int:
        """Queue a job that trains on ``corpus`` and saves bundle ``name``; returns its id."""
        from . import workspace

        workspace.check_name(name)
        with self._lock:
            taken = {j.name for j in self._jobs.values() if j.state in ("queued", "running")}
            if name in taken or workspace.exists(name):
                raise SetExistsError(f"a set named {name!r} already exists or is being trained; choose another name")
            job = Job(next(self._ids), name, params, corpus)
            self._jobs[job.id] = job
            self._waiting.append(job)
            self._renumber()
            self._wake.notify()
        return job.id

    def snapshot(self, job_id: int) -> Job | None:
        """A copy of the job's current state (safe to read from any thread)."""
        with self._lock:
            job = self._jobs.get(job_id)
            return None if job is None else replace(job, losses=list(job.losses), corpus=None)

    def cancel(self, job_id: int) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return
            job.cancel.set()
            if job.state == "queued":
                self._waiting.remove(job)
                job.state, job.error = "cancelled", "stopped before it started"
                self._renumber()

    def _renumber(self) -> None:
        for i, job in enumerate(self._waiting, start=1):
            job.place = i

    def _serve(self) -> None:
        while True:
            with self._lock:
                while not self._waiting:
                    self._wake.wait()
                job = self._waiting.popleft()
                job.state, job.place, job.started = "running", 0, time.time()
                self._renumber()
            self._run(job)

    def _run(self, job: Job) -> None:
        from . import bundle, workspace
        from .train import train

        def progress(p: Progress) -> None:
            with self._lock:
                job.fraction, job.words_per_sec, job.eta_sec, job.epoch = (
                    p.fraction,
                    p.words_per_sec,
                    p.eta_sec,
                    p.epoch,
                )
                job.losses.append((p.fraction, p.loss))

        try:
            es = train(job.corpus, job.params, progress=progress, cancel=job.cancel)
            bundle.save(es, workspace.path_of(job.name), meta={"name": job.name})
            state, error = "done", ""
        except CancelledError as exc:
            state, error = "cancelled", str(exc)
        except W2VError as exc:
            state, error = "failed", str(exc)
        except Exception as exc:  # keep the worker alive whatever happens
            state, error = "failed", f"unexpected {type(exc).__name__}: {exc}"
        with self._lock:
            job.state, job.error, job.finished, job.corpus = state, error, time.time(), None


_queue: JobQueue | None = None
_queue_lock = threading.Lock()


def queue() -> JobQueue:
    """The process-wide job queue (created on first use)."""
    global _queue
    with _queue_lock:
        if _queue is None:
            _queue = JobQueue()
        return _queue
