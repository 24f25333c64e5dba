"""Background training: one worker thread per process trains one job at a time; other jobs wait
in line. Any session can read a job's snapshot (state, stage, progress, loss curve, place in line).

The worker is owned by the process (the Streamlit server), not by a page's script run, so page
switches and reruns do not stop it. ``JobQueue.warm_up()`` loads the trainer (TensorFlow, 5-10 s)
in the background before the first job needs it.
"""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .corpus import Corpus
from .errors import CancelledError, SetExistsError, W2VError
from .params import Progress, TrainParams

ACTIVE = ("queued", "running")  # the states in which a job may still change
# what a job is doing, in order; shown on the Train page
WAITING = "waiting in line"
PREPARING = "preparing the trainer (loading TensorFlow)"
VOCABULARY = "building the vocabulary"
TRAINING = "training"
SAVING = "saving"


@dataclass
class Job:
    id: int
    name: str  # bundle name to write in the workspace
    params: TrainParams
    corpus: Corpus | None = field(repr=False)  # already read; dropped when the job ends
    state: str = "queued"  # queued | running | done | failed | cancelled
    stage: str = WAITING  # one of the stage texts above (saving may say how far the index is)
    fraction: float = 0.0
    words_per_sec: float = 0.0
    eta_sec: int | None = None  # None while too little is known to say
    epoch: int = 0
    losses: list[tuple[float, float]] = field(default_factory=list)  # (fraction, loss)
    error: str = ""
    place: int = 0  # 1 = next to run; 0 when running or finished
    ahead: int = 0  # jobs that run before this one (the running one included); set by snapshots
    save_sec: float = 0.0  # expected time to save the result, part of the ETA
    started: float = 0.0
    finished: float = 0.0
    cancel: threading.Event = field(default_factory=threading.Event, repr=False)


def eta(fraction: float, elapsed: float, save_sec: float) -> int | None:
    """Whole seconds left, rounded up and at least 1; None before 5% and 3 s of training, when a
    linear guess is still noise. The save that follows training is part of the wait."""
    if fraction < 0.05 or elapsed < 3:
        return None
    return max(1, math.ceil(elapsed * (1 - fraction) / fraction + save_sec))


def save_estimate(n_words: int, dim: int) -> float:
    """Rough seconds ``bundle.save`` takes: a second of fixed cost, writing and hashing the
    vectors (~100 MB/s), and the search index of big sets (~90 s for 400k x 300 on 2 cores)."""
    from .ann import wants_index

    cells = n_words * dim
    return 1.0 + cells * 4 / 100e6 + (cells / 1.3e6 if wants_index(n_words) else 0.0)


def _import_trainer() -> Callable:
    from .train import train  # loads TensorFlow

    return train


class JobQueue:
    """A FIFO of training jobs served by one daemon worker thread.

    ``load_trainer`` returns the training function (default: ``core.train.train``, which loads
    TensorFlow); it is called once, by ``warm_up()`` or by the first job.
    """

    def __init__(self, load_trainer: Callable[[], Callable] = _import_trainer):
        self._load_trainer = load_trainer
        self._train: Callable | None = None
        self._load_lock = threading.Lock()
        self._warming: threading.Thread | None = None
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._waiting: deque[Job] = deque()
        self._jobs: dict[int, Job] = {}
        self._current: Job | None = None
        self._ids = itertools.count(1)
        self._worker = threading.Thread(target=self._serve, name="w2v-trainer", daemon=True)
        self._worker.start()

    def submit(self, name: str, corpus: Corpus, params: TrainParams) -> int:
        """Queue a job that trains on ``corpus`` and saves bundle ``name``; returns its id."""
        from . import workspace

        workspace.check_name(name)
        n_words = corpus.vocab_size_at(params.min_count)
        if params.max_vocab:
            n_words = min(n_words, params.max_vocab)
        with self._lock:
            taken = {j.name for j in self._jobs.values() if j.state in ACTIVE}
            if name in taken or workspace.exists(name):
                raise SetExistsError(f"a set named {name!r} already exists or is being trained; choose another name")
            job = Job(next(self._ids), name, params, corpus, save_sec=save_estimate(n_words, params.dim))
            self._jobs[job.id] = job
            self._waiting.append(job)
            self._renumber()
            self._wake.notify()
        return job.id

    def snapshot(self, job_id: int, losses: bool = True) -> Job | None:
        """A copy of the job's current state (safe to read from any thread); ``losses=False``
        leaves the loss curve out (cheaper, for status lines)."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return None
            ahead = job.place - 1 + (self._current is not None) if job.state == "queued" else 0
            return replace(job, losses=list(job.losses) if losses else [], corpus=None, ahead=ahead)

    def warm_up(self) -> None:
        """Start loading the trainer in a background thread (once), so that the first Start does
        not wait for TensorFlow. Returns at once."""
        with self._lock:
            if self._warming is None and self._train is None:
                self._warming = threading.Thread(target=self._trainer, name="w2v-warm-up", daemon=True)
                self._warming.start()

    def trainer_ready(self) -> bool:
        return self._train is not None

    def _trainer(self) -> Callable:
        with self._load_lock:  # one load; a job that needs it meanwhile waits for that one
            if self._train is None:
                self._train = self._load_trainer()
            return self._train

    def overview(self) -> tuple[int, int]:
        """(jobs training, jobs waiting) on this server, whoever submitted them."""
        with self._lock:
            return int(self._current is not None), len(self._waiting)

    def cancel(self, job_id: int) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return
            job.cancel.set()
            if job.state == "queued":
                self._waiting.remove(job)
                job.state, job.error, job.finished = "cancelled", "stopped before it started", time.time()
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
                job.stage = VOCABULARY if self._train is not None else PREPARING
                self._current = job
                self._renumber()
            self._run(job)

    def _set(self, job: Job, **values) -> None:
        with self._lock:
            for k, v in values.items():
                setattr(job, k, v)

    def _run(self, job: Job) -> None:
        from . import bundle, workspace

        def progress(p: Progress) -> None:
            with self._lock:
                job.stage, job.fraction, job.words_per_sec, job.epoch = TRAINING, p.fraction, p.words_per_sec, p.epoch
                job.eta_sec = eta(p.fraction, p.elapsed_sec, job.save_sec)
                job.losses.append((p.fraction, p.loss))

        def index_progress(done: int, total: int) -> None:
            self._set(job, stage=f"{SAVING} (building the search index, {done / max(total, 1):.0%})")

        try:
            train = self._trainer()  # waits for warm_up()'s load if that is still running
            self._set(job, stage=VOCABULARY)
            es = train(job.corpus, job.params, progress=progress, cancel=job.cancel)
            self._set(job, stage=SAVING, eta_sec=None)
            bundle.save(es, workspace.path_of(job.name), meta={"name": job.name}, progress=index_progress)
            state, error = "done", ""
        except CancelledError as exc:
            state, error = "cancelled", str(exc)
        except W2VError as exc:
            state, error = "failed", str(exc)
        except Exception as exc:  # keep the worker alive whatever happens
            state, error = "failed", f"unexpected {type(exc).__name__}: {exc}"
        with self._lock:
            job.state, job.error, job.finished, job.corpus, job.eta_sec = state, error, time.time(), None, None
            self._current = None


_queue: JobQueue | None = None
_queue_lock = threading.Lock()


def queue() -> JobQueue:
    """The process-wide job queue (created on first use)."""
    global _queue
    with _queue_lock:
        if _queue is None:
            _queue = JobQueue()
        return _queue
