"""Background training: one job at a time, each in a training process of its own (``core.worker``),
started and watched by a thread of the server; other jobs wait in line. Any session can read a
job's snapshot (state, stage, progress, loss curve, place in line).

The queue is owned by the server process, not by a page's script run, so page switches and reruns
do not stop it. The training process runs at a lower CPU priority and exits after its job, so the
server never holds TensorFlow's memory; a crash, a kill (out of memory) or a hang (no message for
``hang_after`` seconds) fails only that job, with a one-line reason, and the next job runs.
``JobQueue.warm_up()`` starts the next training process ahead of time, so that it has loaded
TensorFlow (5-10 s) when a job comes.

A job's corpus is written at submit to ``WORKSPACE/.jobs/corpus-*/`` (shared by the jobs on the
same corpus, removed when none of them waits any more), and every job is recorded in
``WORKSPACE/.jobs/jobs.json`` (written atomically at each change of state): a new queue over the
same workspace (a restarted server) shows the jobs that ended, marks the one that was running
"interrupted", and runs the queued ones again if their corpus is still there.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from . import worker
from .corpus import Corpus
from .errors import SetExistsError, TrainingError
from .job import (  # noqa: F401 (the states and stage texts are read as jobs.X by pages and tests)
    ACTIVE,
    ENDED,
    INTERRUPTED_QUEUED,
    INTERRUPTED_RUNNING,
    PREPARING,
    RECORDS,
    SAVING,
    STOPPED,
    TRAINING,
    VOCABULARY,
    WAITING,
    Job,
    eta,
    save_estimate,
)
from .params import Progress, TrainParams
from .runners import ProcessRunner, ThreadRunner


class JobQueue:
    """A FIFO of training jobs, served one at a time by a daemon thread, over one workspace.

    Each job trains in a process of its own: ``trainer`` (``module:function``) is what that
    process calls, by default ``core.train.train``; ``hang_after``: seconds without a message
    from it after which it is killed; ``idle_after``: seconds after which a process started ahead
    of time and not used is stopped. ``load_trainer`` (for tests of the queue's logic) runs the
    training function it returns in a thread of this process instead. ``root``: the workspace
    (default: ``core.workspace.root()``).
    """

    def __init__(
        self,
        load_trainer: Callable[[], Callable] | None = None,
        *,
        trainer: str = worker.DEFAULT_TRAINER,
        hang_after: float = 300.0,
        idle_after: float = 900.0,
        root: str | os.PathLike | None = None,
        keep: int = 50,
    ):
        from . import workspace

        self.root = Path(root).absolute() if root is not None else workspace.root()
        self._dir = self.root / ".jobs"
        self._runner: ThreadRunner | ProcessRunner = (
            ThreadRunner(load_trainer) if load_trainer is not None else ProcessRunner(trainer, hang_after)
        )
        self._idle_after, self._keep = idle_after, keep
        self._lock = threading.Lock()
        self._spool_lock = threading.Lock()  # taken before _lock when both are needed
        self._wake = threading.Condition(self._lock)
        self._waiting: deque[Job] = deque()
        self._jobs: dict[int, Job] = {}
        self._current: Job | None = None
        self._closed = False
        self._restore()
        self._worker = threading.Thread(target=self._serve, name="w2v-trainer", daemon=True)
        self._worker.start()

    # -- what sessions call
    def submit(self, name: str, corpus: Corpus, params: TrainParams) -> int:
        """Queue a job that trains on ``corpus`` and saves bundle ``name``; returns its id. The
        corpus is written to the workspace's job folder first (so a restarted server can run it)."""
        from . import workspace

        workspace.check_name(name)
        n_words = corpus.vocab_size_at(params.min_count)
        if params.max_vocab:
            n_words = min(n_words, params.max_vocab)
        with self._spool_lock:
            with self._lock:
                self._check_free(name)
            spool = self._spool(corpus)
            with self._lock:
                self._check_free(name)
                job = Job(
                    next(self._ids),
                    name,
                    params,
                    corpus_name=corpus.name,
                    tokens=corpus.n_tokens,
                    save_sec=save_estimate(n_words, params.dim),
                    submitted=time.time(),
                    spool=spool,
                )
                self._jobs[job.id] = job
                self._waiting.append(job)
                self._renumber()
                self._save_records()
                self._wake.notify()
        return job.id

    def snapshot(self, job_id: int, losses: bool = True) -> Job | None:
        """A copy of the job's current state (safe to read from any thread); ``losses=False``
        leaves the loss curve out (cheaper, for status lines)."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return None
            return self._copy(job, losses)

    def recent(self, limit: int = 20) -> list[Job]:
        """Snapshots (without loss curves) of this workspace's jobs, newest first: the ones of
        this server and the ones recorded by the servers before it."""
        with self._lock:
            return [self._copy(j, False) for j in sorted(self._jobs.values(), key=lambda j: -j.id)[:limit]]

    def warm_up(self) -> None:
        """Start the next training process ahead of time (once), so that the first Start does not
        wait for TensorFlow. Returns at once."""
        self._runner.warm_up()

    def trainer_ready(self) -> bool:
        """Whether a training process has loaded the trainer and waits for a job."""
        return self._runner.ready()

    def idle_worker_pid(self) -> int | None:
        """The process id of the training process started ahead of time, if any."""
        return self._runner.idle_pid()

    def overview(self) -> tuple[int, int]:
        """(jobs training, jobs waiting) on this server, whoever submitted them."""
        with self._lock:
            return int(self._current is not None), len(self._waiting)

    def cancel(self, job_id: int) -> None:
        with self._spool_lock, self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return
            job.cancel.set()
            if job.state == "queued":
                self._waiting.remove(job)
                job.state, job.error, job.finished = "cancelled", "stopped before it started", time.time()
                self._renumber()
                self._save_records()
                self._drop_spool(job)

    def close(self) -> None:
        """Stop serving: the running job's process and the idle one are killed (for tests)."""
        with self._lock:
            self._closed = True
            if self._current is not None:
                self._current.cancel.set()
            self._wake.notify_all()
        self._runner.close()
        self._worker.join(15)

    # -- inside
    def _copy(self, job: Job, losses: bool) -> Job:
        ahead = job.place - 1 + (self._current is not None) if job.state == "queued" else 0
        return replace(job, losses=list(job.losses) if losses else [], ahead=ahead)

    def _check_free(self, name: str) -> None:
        """Refuse a name a set or an active job has (lock held)."""
        from . import workspace

        taken = {j.name for j in self._jobs.values() if j.state in ACTIVE}
        if name in taken or name == workspace.SAMPLE_NAME or (self.root / name).exists():
            raise SetExistsError(f"a set named {name!r} already exists or is being trained; choose another name")

    def _spool(self, corpus: Corpus) -> str:
        """The job folder holding ``corpus`` (written now unless a waiting job has it already)."""
        from .atomic import atomic_dir

        key = json.dumps([corpus.name, corpus.sha256, corpus.lowercase, corpus.n_tokens, len(corpus.words)])
        spool = "corpus-" + hashlib.sha256(key.encode()).hexdigest()[:16]
        if not (self._dir / spool / worker.INFO).is_file():
            try:
                with atomic_dir(self._dir / spool) as tmp:
                    worker.write_corpus(corpus, tmp)
            except OSError as exc:
                raise TrainingError(
                    f"the corpus cannot be stored for training ({exc.strerror or exc}); free some disk space and retry"
                ) from None
        return spool

    def _drop_spool(self, job: Job) -> None:
        """Remove the job's corpus folder unless another waiting job uses it (both locks held)."""
        if job.spool and not any(j.spool == job.spool and j.state in ACTIVE for j in self._jobs.values()):
            shutil.rmtree(self._dir / job.spool, ignore_errors=True)

    def _save_records(self) -> None:
        """Write every active job and the latest ended ones to jobs.json, atomically (lock held)."""
        from .atomic import atomic_file

        ended = sorted((j for j in self._jobs.values() if j.state in ENDED), key=lambda j: j.id)[-self._keep :]
        keep = sorted([j for j in self._jobs.values() if j.state in ACTIVE] + ended, key=lambda j: j.id)
        for old in set(self._jobs) - {j.id for j in keep}:
            del self._jobs[old]
        data = {"version": 1, "jobs": [j.record() for j in keep]}
        try:
            with atomic_file(self._dir / RECORDS) as tmp:
                tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
        except OSError as exc:  # the jobs go on; only their record is missing
            print(f"word2vec-explorer: cannot record the training jobs ({exc})", file=sys.stderr)

    def _restore(self) -> None:
        """Read the jobs a previous server recorded; what was running was interrupted."""
        from . import bundle, workspace
        from .atomic import recover

        try:
            recs = json.loads((self._dir / RECORDS).read_text(encoding="utf-8"))["jobs"]
        except (OSError, ValueError, KeyError, TypeError):
            recs = []  # none yet (or unreadable: it is written anew below)
        now = time.time()
        for rec in recs if isinstance(recs, list) else []:
            try:
                job = Job.from_record(rec)
            except (KeyError, TypeError, ValueError):
                continue
            if job.state == "running":
                job.state, job.error, job.finished = "interrupted", INTERRUPTED_RUNNING, now
                self._remove_temp(job.name, since=0)
            elif job.state == "queued" and not (self._dir / job.spool / worker.INFO).is_file():
                job.state, job.error, job.finished = "interrupted", INTERRUPTED_QUEUED, now
            elif job.state == "queued":
                job.stage = WAITING
                self._waiting.append(job)
            self._jobs[job.id] = job
        self._ids = itertools.count(max(self._jobs, default=0) + 1)
        self._renumber()
        used = {j.spool for j in self._waiting}
        for p in self._dir.glob("*") if self._dir.is_dir() else []:
            if p.name not in used and p.name != RECORDS:  # corpora of ended jobs, half-written files
                shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
        if self.root.is_dir():
            for old in self.root.glob(".*.old-*"):  # a replaced bundle left aside by a stopped save:
                target = self.root / old.name[1:].rsplit(".old-", 1)[0]
                recover(target)  # put back if the new one never came,
                if old.exists() and bundle.is_bundle(target):  # else no longer needed
                    shutil.rmtree(old, ignore_errors=True)
            if self.root == workspace.root():
                workspace.clean_stale_temp()
        if self._jobs:
            with self._lock:
                self._save_records()

    def _remove_temp(self, name: str, since: float) -> None:
        """Remove the temporary folders a killed save of ``name`` left (made after ``since``)."""
        for p in self.root.glob(f".{name}.tmp-*"):
            try:
                if p.stat().st_mtime >= since - 5:
                    shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
            except OSError:
                pass

    def _renumber(self) -> None:
        for i, job in enumerate(self._waiting, start=1):
            job.place = i

    def _serve(self) -> None:
        while True:
            with self._lock:
                if not self._waiting and not self._closed:
                    self._wake.wait(timeout=30)
                if self._closed:
                    return
                job = self._waiting.popleft() if self._waiting else None
                if job is not None:
                    job.state, job.place, job.started = "running", 0, time.time()
                    job.stage = VOCABULARY if self._runner.ready() else PREPARING
                    self._current = job
                    self._renumber()
                    self._save_records()
            if job is None:
                self._runner.retire_idle(self._idle_after)
                continue
            self._run(job)
            if not self._closed:
                self._runner.after_job()

    def _handle(self, job: Job, msg: tuple) -> None:
        """A message from the job's training process (core.worker's protocol)."""
        kind = msg[0]
        with self._lock:
            if kind == "stage":
                job.stage = msg[1]
                if msg[1] == SAVING:
                    job.eta_sec = None
            elif kind == "progress":
                p = Progress(*msg[1:])
                job.stage, job.fraction, job.words_per_sec, job.epoch = TRAINING, p.fraction, p.words_per_sec, p.epoch
                job.eta_sec = eta(p.fraction, p.elapsed_sec, job.save_sec)
                if not job.losses or p.fraction > job.losses[-1][0]:  # the trainer's closing report may repeat 100%
                    job.losses.append((p.fraction, p.loss))
            elif kind == "index":
                done, total = msg[1], msg[2]
                job.stage = f"{SAVING} (building the search index, {done / max(total, 1):.0%})"

    def _run(self, job: Job) -> None:
        spec = {
            "name": job.name,
            "target": str(self.root / job.name),
            "params": job.params.to_dict(),
            "corpus": str(self._dir / job.spool),
        }
        try:
            state, error = self._runner.run(job, spec, lambda msg: self._handle(job, msg))
        except Exception as exc:  # keep the queue alive whatever happens
            state, error = "failed", f"unexpected {type(exc).__name__}: {exc}"
        if state != "done":
            self._remove_temp(job.name, since=job.started)  # a killed save leaves its temporary folder
        with self._spool_lock, self._lock:
            job.state, job.error, job.finished, job.eta_sec, job.pid = state, error, time.time(), None, 0
            self._current = None
            self._save_records()
            self._drop_spool(job)


_queues: dict[Path, JobQueue] = {}
_queue_lock = threading.Lock()


def queue() -> JobQueue:
    """The job queue of this process's workspace (created on first use). A server has one
    workspace; when it changes (tests), the idle queues of other workspaces are closed."""
    from . import workspace

    root = workspace.root()
    with _queue_lock:
        if root not in _queues:
            for other in [r for r, q in _queues.items() if q.overview() == (0, 0)]:
                _queues.pop(other).close()
            _queues[root] = JobQueue()
        return _queues[root]
