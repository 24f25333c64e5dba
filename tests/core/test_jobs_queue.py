"""The job queue without TensorFlow: a scripted trainer steps a job through its stages, so each
stage, the ETA, the place in line and the server's overview can be read at a known moment."""

import io
import math
import subprocess
import sys
import threading
import time

import pytest

from core import jobs
from core.params import Progress, TrainParams
from tests.helpers import ROOT, random_set


@pytest.fixture(autouse=True)
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("W2V_WORKSPACE", str(tmp_path / "ws"))
    return tmp_path / "ws"


class ScriptedTrainer:
    """Stands in for core.train.train: each ``step()`` lets it go on to its next pause."""

    def __init__(self, reports: list[Progress]):
        self.reports = reports
        self.loaded = threading.Event()  # set: "TensorFlow" is loaded
        self._go = threading.Semaphore(0)
        self._paused = threading.Semaphore(0)

    def load(self):
        assert self.loaded.wait(10)
        return self.train

    def train(self, corpus, params, progress=None, cancel=None):
        self._pause()  # building the vocabulary
        for p in self.reports:
            progress(p)
            self._pause()
        return random_set(n=10, dim=params.dim)

    def _pause(self):
        self._paused.release()
        assert self._go.acquire(timeout=10)

    def step(self):
        """Let the trainer run to its next pause and wait until it got there."""
        self._go.release()
        assert self._paused.acquire(timeout=10)

    def wait_paused(self):
        assert self._paused.acquire(timeout=10)

    def finish(self):
        """Let it run to the end (no more pauses)."""
        self._go.release()


def corpus():
    from core.corpus import read_corpus
    from tests.helpers import planted_text

    text, _ = planted_text(sentences=50)
    return read_corpus(("c.txt", io.BytesIO(text.encode())))


def wait_for(q, job_id, state, timeout=10):
    deadline = time.time() + timeout
    while q.snapshot(job_id).state != state:
        assert time.time() < deadline, q.snapshot(job_id)
        time.sleep(0.01)
    return q.snapshot(job_id)


def test_eta_says_nothing_early_then_never_too_little():
    assert jobs.eta(0.04, 60, 1) is None  # under 5% done
    assert jobs.eta(0.5, 2.9, 1) is None  # under 3 s of training
    assert jobs.eta(0.5, 10, 2.5) == 13  # 10 s more to train, then 2.5 s to save, rounded up
    assert jobs.eta(0.999, 100, 0) == 1  # never "0 s" while running
    assert jobs.save_estimate(60_000, 300) > jobs.save_estimate(49_000, 300) + 0.5  # a big set also builds its index


def test_a_job_reports_each_stage_and_an_honest_eta(ws):
    reports = [Progress(0.02, 1e5, 5.0, 0.1, 1, 1.0), Progress(0.5, 1e5, 3.0, 4.0, 3, 4.0)]
    t = ScriptedTrainer(reports)
    q = jobs.JobQueue(load_trainer=t.load)
    job_id = q.submit("staged", corpus(), TrainParams(dim=4, min_count=1))
    job = wait_for(q, job_id, "running")
    assert job.stage == jobs.PREPARING and not q.trainer_ready()  # TensorFlow is still loading
    t.loaded.set()
    t.wait_paused()
    assert q.snapshot(job_id).stage == jobs.VOCABULARY
    t.step()  # 2% after 1 s: too early for an ETA (the trainer's own guess, 0.1 s, is not shown)
    job = q.snapshot(job_id)
    assert (job.stage, job.fraction, job.eta_sec) == (jobs.TRAINING, 0.02, None)
    t.step()  # half done after 4 s: 4 s more, plus the expected save
    job = q.snapshot(job_id)
    assert job.eta_sec == math.ceil(4 + job.save_sec) and job.epoch == 3
    assert [f for f, _ in job.losses] == [0.02, 0.5] and q.snapshot(job_id, losses=False).losses == []
    t.finish()  # and save
    job = wait_for(q, job_id, "done")
    assert job.eta_sec is None and (ws / "staged" / "meta.json").is_file()


def test_place_in_line_jobs_ahead_and_the_server_overview(ws):
    t = ScriptedTrainer([])
    t.loaded.set()
    q = jobs.JobQueue(load_trainer=t.load)
    c = corpus()
    first, second, third = (q.submit(n, c, TrainParams(dim=4, min_count=1)) for n in ("a", "b", "c"))
    t.wait_paused()  # the first is running
    assert q.overview() == (1, 2)
    assert [(q.snapshot(i).place, q.snapshot(i).ahead) for i in (first, second, third)] == [(0, 0), (1, 1), (2, 2)]
    q.cancel(second)
    assert q.snapshot(second).state == "cancelled" and q.snapshot(second).finished
    assert (q.snapshot(third).place, q.snapshot(third).ahead) == (1, 1) and q.overview() == (1, 1)
    t.step()  # the first ends (no progress reports); the third starts
    assert q.snapshot(first).state == "done" and q.snapshot(third).state == "running"
    t.finish()
    wait_for(q, third, "done")
    assert q.overview() == (0, 0) and q.snapshot(first).state == "done"


@pytest.mark.slow
def test_warm_up_loads_tensorflow_in_a_process_started_ahead_not_in_the_server():
    code = (
        "import sys, time\n"
        "from core import jobs\n"
        "q = jobs.queue()\n"
        "t = time.time(); q.warm_up(); assert time.time() - t < 0.5  # returns at once\n"
        "while not q.trainer_ready() and time.time() - t < 120: time.sleep(0.1)\n"
        "maps = open(f'/proc/{q.idle_worker_pid()}/maps').read()\n"
        "print(q.trainer_ready(), 'tensorflow' in sys.modules, 'tensorflow' in maps)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert out.stdout.split() == ["True", "False", "True"], out.stderr[-2000:]
