"""Training in its own process: a crash, a kill or a hang of the training process ends only that
job, with a one-line reason, and the next job runs; the process runs at a lower priority; a kill
at any moment leaves no half bundle; a restarted server shows what happened to the jobs.

Most tests use fake trainers from this module (``FAKE``), run by real training processes; what
a fake does is named by the corpus's file name (``crash.txt``, ``slow-2.txt``...)."""

import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from core import bundle, jobs, workspace
from core.errors import CancelledError
from core.params import Progress, TrainParams
from tests.helpers import ROOT, planted_text, random_set

FAKE = "tests.core.test_worker_process:fake_train"
PARAMS = TrainParams(dim=4, min_count=1)


# -- the fake trainer (runs in the training process) -------------------------------------
def fake_train(corpus, params, progress=None, cancel=None):
    kind = corpus.name.split(".")[0].split("-")[0]
    report = lambda f: progress(Progress(f, 1000.0, 1.0 - f, 1.0, 1, 0.1))  # noqa: E731
    if kind == "crash":
        raise RuntimeError("the fake trainer broke")
    if kind == "exit":
        print("fake: out of luck", file=sys.stderr, flush=True)
        os._exit(7)
    if kind == "silent":  # one report, then nothing: hung
        report(0.1)
        time.sleep(600)
    if kind == "slow":  # reports until cancelled (or 60 s)
        for i in range(1200):
            if cancel.is_set():
                raise CancelledError(jobs.STOPPED)
            report(min(0.99, i / 1200))
            time.sleep(0.05)
    if kind == "big":  # a set big enough for a search index, and wide: saving takes a while
        report(1.0)
        return random_set(n=60_000, dim=300)
    report(1.0)
    return random_set(n=len(corpus.words), dim=params.dim)


# -- helpers ------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("W2V_WORKSPACE", str(tmp_path / "ws"))
    return tmp_path / "ws"


@pytest.fixture
def make_queue():
    made = []

    def make(**kw):
        q = jobs.JobQueue(trainer=kw.pop("trainer", FAKE), **kw)
        made.append(q)
        return q

    yield make
    for q in made:
        q.close()


def corpus(kind: str):
    from core.corpus import read_corpus

    text, _ = planted_text(sentences=50)
    return read_corpus((f"{kind}.txt", io.BytesIO(text.encode())))


def wait_until(q, job_id, done, timeout=30):
    deadline = time.time() + timeout
    while not done(job := q.snapshot(job_id)):
        assert time.time() < deadline, job
        time.sleep(0.05)
    return job


def ended(q, job_id, timeout=30):
    return wait_until(q, job_id, lambda j: j.state not in jobs.ACTIVE, timeout)


def gone(pid: int, timeout: float = 10) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def nothing_half_saved(ws, name: str) -> None:
    assert not (ws / name).exists()
    assert name not in [e.name for e in workspace.entries()]
    assert not list(ws.glob(f".{name}.*")), list(ws.glob(".*"))


# -- the tests ----------------------------------------------------------------------------
def test_a_crash_fails_the_job_with_its_reason_and_the_next_job_runs(ws, make_queue):
    q = make_queue()
    crashed = q.submit("crashed", corpus("crash"), PARAMS)
    after = q.submit("after", corpus("quick"), PARAMS)
    job = ended(q, crashed)
    assert (job.state, job.error) == ("failed", "unexpected RuntimeError: the fake trainer broke")
    assert ended(q, after).state == "done" and bundle.open_bundle(ws / "after").meta["name"] == "after"
    nothing_half_saved(ws, "crashed")


def test_a_process_that_exits_says_its_exit_code_and_last_words(ws, make_queue):
    q = make_queue()
    job = ended(q, q.submit("exited", corpus("exit"), PARAMS))
    assert job.state == "failed"
    assert job.error == "the training process ended unexpectedly (exit code 7: fake: out of luck); nothing was saved"


def test_sigkill_mid_training_fails_the_job_saves_nothing_and_the_next_job_runs(ws, make_queue):
    q = make_queue()
    killed = q.submit("killed", corpus("slow"), PARAMS)
    after = q.submit("after", corpus("quick"), PARAMS)
    job = wait_until(q, killed, lambda j: j.fraction > 0)
    os.kill(job.pid, signal.SIGKILL)
    job = ended(q, killed)
    assert job.state == "failed"
    assert job.error == "the training process was killed (signal 9), perhaps out of memory; nothing was saved"
    assert ended(q, after).state == "done"
    nothing_half_saved(ws, "killed")
    assert not list((ws / ".jobs").glob("corpus-*"))  # the corpora of ended jobs are removed


def test_sigkill_while_saving_leaves_no_half_bundle(ws, make_queue):
    q = make_queue()
    killed = q.submit("saved", corpus("big"), PARAMS)
    job = wait_until(q, killed, lambda j: j.stage.startswith(jobs.SAVING) or j.state not in jobs.ACTIVE)
    assert job.state == "running", job
    time.sleep(random.uniform(0, 0.3))
    os.kill(job.pid, signal.SIGKILL)
    assert ended(q, killed).state == "failed"
    nothing_half_saved(ws, "saved")  # its temporary folder is removed too


def test_a_hung_process_is_stopped_after_hang_after_seconds(ws, make_queue):
    q = make_queue(hang_after=2)
    hung = q.submit("hung", corpus("silent"), PARAMS)
    after = q.submit("after", corpus("quick"), PARAMS)
    pid = wait_until(q, hung, lambda j: j.fraction > 0).pid
    t = time.time()
    job = ended(q, hung)
    assert 1.5 < time.time() - t < 10
    assert job.error == "the training process stopped responding for 2 s and was stopped; nothing was saved"
    assert gone(pid)
    assert ended(q, after).state == "done"
    nothing_half_saved(ws, "hung")


def test_the_training_process_runs_at_a_lower_priority_ends_after_its_job_and_can_be_stopped(make_queue):
    q = make_queue()
    job_id = q.submit("nice", corpus("slow"), PARAMS)
    job = wait_until(q, job_id, lambda j: j.fraction > 0)
    assert os.getpriority(os.PRIO_PROCESS, job.pid) > os.getpriority(os.PRIO_PROCESS, 0)
    q.cancel(job_id)
    t = time.time()
    stopped = ended(q, job_id)
    assert (stopped.state, stopped.error) == ("cancelled", jobs.STOPPED) and time.time() - t < 5
    assert gone(job.pid), "the training process exits after its job"
    idle = q.idle_worker_pid()  # the next one is started ahead of time, at the same priority once it runs
    assert idle and idle != job.pid
    wait = time.time() + 10
    while not q.trainer_ready():
        assert time.time() < wait
        time.sleep(0.05)
    assert os.getpriority(os.PRIO_PROCESS, idle) > os.getpriority(os.PRIO_PROCESS, 0)


def test_a_warm_process_takes_the_first_job(make_queue):
    q = make_queue()
    assert q.idle_worker_pid() is None and not q.trainer_ready()
    q.warm_up()
    pid = q.idle_worker_pid()
    deadline = time.time() + 10
    while not q.trainer_ready():
        assert time.time() < deadline
        time.sleep(0.05)
    job_id = q.submit("warm", corpus("slow"), PARAMS)
    job = wait_until(q, job_id, lambda j: j.state == "running")
    assert job.pid == pid and job.stage != jobs.PREPARING
    q.cancel(job_id)
    ended(q, job_id)


def test_bundle_save_killed_at_random_moments_leaves_the_previous_bundle_intact(ws):
    """Each round a child process replaces bundle x (a 0.1 s save) and is killed at a random
    moment of it: x is then the previous set or the new one, whole, and listed."""
    saver = (
        "import sys\n"
        "from core import bundle\n"
        "from tests.helpers import random_set\n"
        "es = random_set(n=100_000, dim=32, seed=int(sys.argv[2]))\n"
        "print('go', flush=True)\n"
        "bundle.save(es, sys.argv[1], index=False)\n"
        "print('saved', flush=True)\n"
    )
    previous = random_set(n=100_000, dim=32, seed=0)
    bundle.save(previous, ws / "x", index=False)
    rng, outcomes = random.Random(0), []
    for seed in range(1, 9):
        child = subprocess.Popen(
            [sys.executable, "-c", saver, str(ws / "x"), str(seed)], cwd=ROOT, stdout=subprocess.PIPE
        )
        assert child.stdout.readline() == b"go\n"
        time.sleep(rng.uniform(0, 0.15))
        child.send_signal(signal.SIGKILL)
        child.wait()
        es = bundle.open_bundle(ws / "x")  # puts back a folder left aside between two renames
        new = random_set(n=100_000, dim=32, seed=seed)
        outcomes.append("new" if np.array_equal(es.vectors, new.vectors) else "previous")
        assert np.array_equal(es.vectors, (new if outcomes[-1] == "new" else previous).vectors), outcomes
        listed = {e.name: e for e in workspace.entries()}
        assert "x" in listed and listed["x"].meta["words"] == 100_000
        previous = new if outcomes[-1] == "new" else previous
    jobs.JobQueue(load_trainer=lambda: fake_train).close()  # a server's start tidies up what kills left
    workspace.clean_stale_temp(max_age_sec=0)
    assert not list(ws.glob(".x.*")) and bundle.is_bundle(ws / "x"), outcomes


def test_recorded_jobs_a_running_one_is_interrupted_and_ended_ones_keep_their_state(ws, make_queue):
    done = jobs.Job(3, "earlier", PARAMS, state="done", started=1.0, finished=2.0).record()
    running = jobs.Job(4, "was-running", PARAMS, state="running", started=3.0).record()
    queued = jobs.Job(5, "was-queued", PARAMS, state="queued", spool="corpus-gone").record()
    (ws / ".jobs").mkdir(parents=True)
    (ws / ".jobs" / "jobs.json").write_text(json.dumps({"version": 1, "jobs": [done, running, queued]}))
    (ws / ".was-running.tmp-abc").mkdir()  # a save the stopped server left
    q = make_queue()
    assert [(j.id, j.state) for j in q.recent()] == [(5, "interrupted"), (4, "interrupted"), (3, "done")]
    assert q.snapshot(4).error == jobs.INTERRUPTED_RUNNING and q.snapshot(5).error == jobs.INTERRUPTED_QUEUED
    assert not (ws / ".was-running.tmp-abc").exists()
    assert q.submit("next", corpus("quick"), PARAMS) == 6  # ids go on from the recorded ones
    again = jobs.JobQueue(load_trainer=lambda: fake_train)  # and the records are kept
    assert again.snapshot(4).state == "interrupted" and again.snapshot(3).finished == 2.0
    again.close()


def test_a_restarted_server_shows_what_happened_and_runs_the_queued_jobs_again(ws, make_queue):
    server = (
        "import io, time\n"
        "from core import jobs\n"
        "from core.params import TrainParams\n"
        "from tests.core.test_worker_process import corpus, PARAMS, FAKE\n"
        "q = jobs.JobQueue(trainer=FAKE)\n"
        "ids = [q.submit(n, corpus(k), PARAMS) for n, k in (('r1', 'slow'), ('r2', 'quick'), ('r3', 'quick-3'))]\n"
        "while q.snapshot(ids[0]).fraction == 0: time.sleep(0.05)\n"
        "print(*ids, q.snapshot(ids[0]).pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", server], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        r1, r2, r3, pid = map(int, proc.stdout.readline().split())
    finally:
        proc.kill()  # the server dies (SIGKILL): its training process notices and ends
        proc.wait()
    assert gone(pid)
    recs = {r["name"]: r for r in json.loads((ws / ".jobs" / "jobs.json").read_text())["jobs"]}
    assert [recs[n]["state"] for n in ("r1", "r2", "r3")] == ["running", "queued", "queued"]
    shutil.rmtree(ws / ".jobs" / recs["r3"]["spool"])  # r3's corpus is gone

    q = make_queue()
    assert (q.snapshot(r1).state, q.snapshot(r1).error) == ("interrupted", jobs.INTERRUPTED_RUNNING)
    assert (q.snapshot(r3).state, q.snapshot(r3).error) == ("interrupted", jobs.INTERRUPTED_QUEUED)
    assert ended(q, r2).state == "done" and bundle.is_bundle(ws / "r2")  # its corpus was kept: it ran
    nothing_half_saved(ws, "r1")


@pytest.mark.slow
def test_a_real_tiny_training_through_the_process_saves_a_bundle(ws, make_queue):
    from core.corpus import read_corpus

    text, _ = planted_text(sentences=500)
    q = make_queue(trainer="core.train:train")
    job_id = q.submit(
        "tiny", read_corpus(("planted.txt", io.BytesIO(text.encode()))), TrainParams(dim=8, min_count=1, epochs=1)
    )
    job = ended(q, job_id, timeout=120)
    assert job.state == "done", job.error
    es = bundle.open_bundle(ws / "tiny")
    assert es.dim == 8 and es.meta["name"] == "tiny" and es.meta["corpus"]["name"] == "planted.txt"
    assert job.losses and job.fraction == pytest.approx(1.0) and job.losses[-1][1] > 0
