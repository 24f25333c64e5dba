"""A training job as the queue keeps it: its state and stage, the fields ``jobs.json`` records,
and the rules for its ETA and expected save time. The queue is ``core.jobs``; how a job is run,
``core.runners``."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field

from . import worker
from .params import TrainParams

ACTIVE = ("queued", "running")  # the states in which a job may still change
ENDED = ("done", "failed", "cancelled", "interrupted")
# what a job is doing, in order; shown on the Train page
WAITING = "waiting in line"
PREPARING = "preparing the trainer (loading TensorFlow)"
VOCABULARY = worker.VOCABULARY
TRAINING = "training"
SAVING = worker.SAVING

INTERRUPTED_RUNNING = "the server stopped while this job ran; nothing was saved"
INTERRUPTED_QUEUED = "the server stopped before this job started and its corpus is gone; nothing was saved"
STOPPED = "training was stopped; nothing was saved"
RECORDS = "jobs.json"
# the fields of a job that jobs.json keeps (with its parameters); id and name first
KEPT = (
    "id",
    "name",
    "corpus_name",
    "tokens",
    "state",
    "stage",
    "fraction",
    "epoch",
    "error",
    "save_sec",
    "submitted",
    "started",
    "finished",
    "spool",
)


@dataclass
class Job:
    id: int
    name: str  # bundle name to write in the workspace
    params: TrainParams
    corpus_name: str = ""
    tokens: int = 0
    state: str = "queued"  # queued | running | done | failed | cancelled | interrupted
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
    submitted: float = 0.0
    started: float = 0.0
    finished: float = 0.0
    pid: int = 0  # the training process while the job runs in one
    spool: str = field(default="", repr=False)  # its corpus folder under WORKSPACE/.jobs
    cancel: threading.Event = field(default_factory=threading.Event, repr=False)

    def record(self) -> dict:
        return {**{k: getattr(self, k) for k in KEPT}, "params": self.params.to_dict()}

    @classmethod
    def from_record(cls, rec: dict) -> Job:
        job = cls(int(rec["id"]), str(rec["name"]), TrainParams(**rec["params"]))
        for k in KEPT[2:]:
            if k in rec:
                setattr(job, k, type(getattr(job, k))(rec[k]))
        return job


def eta(fraction: float, elapsed: float, save_sec: float) -> int | None:
    """Whole seconds left, rounded up and at least 1; None before 5% and 3 s of training, when a
    linear guess is still noise. The save that follows training is part of the wait."""
    if fraction < 0.05 or elapsed < 3:
        return None
    return max(1, math.ceil(elapsed * (1 - fraction) / fraction + save_sec))


def save_estimate(n_words: int, dim: int) -> float:
    """Rough seconds ``bundle.save`` takes: a second of fixed cost, writing and hashing the
    vectors (~100 MB/s), and the search index of big sets (~4 s for 400k x 300 on 2 cores)."""
    from .ann import wants_index

    cells = n_words * dim
    return 1.0 + cells * 4 / 100e6 + (cells / 30e6 if wants_index(n_words) else 0.0)
