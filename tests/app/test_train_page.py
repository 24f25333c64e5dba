"""The Train page and the sidebar while jobs run: what polls and how often, every job of the
session with its place in line, stage and end state, and the trained set becoming active."""

import json
import os
import signal
import time

import pytest
from streamlit.runtime.forward_msg_queue import ForwardMsgQueue
from streamlit.testing.v1 import AppTest

from core import jobs, workspace
from core.corpus import read_corpus
from core.params import TrainParams
from tests.app.test_pages import open_page, plain, texts
from tests.app.test_pages import ws as ws  # the fixture: a fresh workspace, run from the project root

pytestmark = pytest.mark.slow

TRAIN, HOME = "pages/views/train.py", "pages/views/home.py"
STAGES = ("waiting in line", "preparing the trainer", "building the vocabulary", "training", "saving")


@pytest.fixture(autouse=True)
def idle_queue(ws):
    """Each test starts and ends with the server's queue idle; ``cancel`` collects ids to stop.
    (After ``ws``: the server's queue is the one of the test's workspace.)"""
    q, cancel = jobs.queue(), []

    def wait_idle():
        deadline = time.time() + 120
        while q.overview() != (0, 0):
            assert time.time() < deadline, "the job queue did not become idle"
            time.sleep(0.2)

    wait_idle()
    yield cancel
    for job_id in cancel:
        q.cancel(job_id)
    wait_idle()


@pytest.fixture
def timers(monkeypatch):
    """The run_every intervals the app sends to the browser (one per timed fragment and run)."""
    seen: list[float] = []
    enqueue = ForwardMsgQueue.enqueue

    def recording(self, msg):
        if msg.WhichOneof("type") == "auto_rerun":
            seen.append(msg.auto_rerun.interval)
        return enqueue(self, msg)

    monkeypatch.setattr(ForwardMsgQueue, "enqueue", recording)
    return seen


@pytest.fixture
def blocker(idle_queue):
    """Another user's long job: keeps the worker busy until the test ends (or cancels it)."""
    corpus = read_corpus(workspace.SAMPLE_PATH.parent / "corpus.txt.gz")
    job_id = jobs.queue().submit("blocker", corpus, TrainParams(dim=8, min_count=1, epochs=100, batch=16, steps=4))
    idle_queue.append(job_id)
    return job_id


def shown(at: AppTest) -> str:
    """Every text on the page and in the sidebar, progress bars and toasts included."""
    extra = [p.proto.text for p in at.get("progress")] + [t.value for t in at.get("toast")]
    return texts(at) + " " + plain(" ".join(extra))


def with_sample(at: AppTest | None = None) -> AppTest:
    at = open_page(TRAIN, at)
    if not any(b.label == "Start training" for b in at.button):
        next(b for b in at.button if b.label == "Use the sample corpus").click().run()
    return at


def fill(at: AppTest, name: str) -> None:
    """A quick job on the sample corpus (1 epoch, 8 dimensions), Start clicked but not yet run."""
    at.text_input[0].set_value(name)
    inputs = {n.label: n for n in at.number_input}
    inputs["Dimensions"].set_value(8)
    inputs["Epochs"].set_value(1)
    next(b for b in at.button if b.label == "Start training").click()


def run_until(at: AppTest, done, timeout: float = 120) -> AppTest:
    deadline = time.time() + timeout
    while not done(at):
        assert time.time() < deadline, shown(at)
        time.sleep(0.3)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def test_with_no_job_nothing_reruns_on_a_timer(timers):
    at = with_sample()
    timers.clear()
    at.run()
    assert any(b.label == "Start training" for b in at.button)
    assert timers == [], "an idle Train page must not ask the browser for timed reruns"


def test_a_job_shows_its_stage_at_once_polls_gently_and_stops_after_its_end(timers):
    at = with_sample()
    fill(at, "polled")
    timers.clear()
    at.run()
    text = shown(at)
    assert "'polled'" in text and any(s in text for s in STAGES) and "epoch 0" not in text, text
    assert timers and min(timers) >= 1, timers  # the status line, the sidebar; the chart more rarely
    assert max(timers) >= 3, timers

    def ended(at):
        timers.clear()
        return bool(at.success)

    run_until(at, ended)
    assert "'polled' is saved and is the active set" in plain(at.success[0].value)
    assert timers == [], "polling stops once the end state is shown"
    at.run()
    assert timers == [] and at.success  # and the end state stays


def test_start_then_switching_page_at_once_keeps_the_job_and_activates_its_set_anywhere(timers, blocker):
    at = with_sample()
    fill(at, "switched")
    at.switch_page(HOME)  # the click and the page switch reach the server in one request
    timers.clear()
    at.run()
    [job_id] = at.session_state["train_jobs"]  # submitted, and its id stored, before the switch
    assert jobs.queue().snapshot(job_id).name == "switched"
    assert "'switched': waiting in line, place 1" in shown(at)  # the sidebar says so on any page
    assert 2 in timers  # the sidebar polls while the job can change

    jobs.queue().cancel(blocker)
    run_until(at, lambda at: at.session_state["active_set"] == "switched")
    assert at.title[0].value == "Word2Vec Explorer"  # still on Home
    assert at.sidebar.selectbox[0].value == "switched"
    assert "'switched' is trained and saved; it is now the active set" in shown(at)
    timers.clear()
    at.run()
    assert timers == []

    at.sidebar.selectbox[0].set_value("sample").run()  # activated once per job, not on every run
    at.run()
    assert at.session_state["active_set"] == "sample"
    at = open_page(TRAIN, at)
    assert "'switched' is saved (" in plain(at.success[0].value)


def test_every_job_of_the_session_shows_its_place_progress_and_end_and_other_tabs_see_the_queue(blocker):
    at = with_sample()
    fill(at, "qa")
    at.run()
    fill(at, "qb")
    at.run()
    text = shown(at)
    assert "'qa' is waiting in line: place 1, 1 job ahead of it" in text, text
    assert "'qb' is waiting in line: place 2, 2 jobs ahead of it" in text, text
    assert "On this server: 1 job training, 2 waiting in line" in text

    other = open_page(TRAIN)  # another tab: a session of its own, which sees the server's line
    assert "On this server: 1 job training, 2 waiting in line" in shown(other)

    qa, qb = at.session_state["train_jobs"]
    next(b for b in at.button if b.key == f"stop-{qb}").click().run()
    assert "Training 'qb' was stopped" in shown(at) and "'qa' is waiting in line: place 1" in shown(at)

    jobs.queue().cancel(blocker)
    run_until(at, lambda at: bool(at.success))
    text = shown(at)
    assert "'qa' is saved and is the active set" in text and "Training 'qb' was stopped" in text
    assert not at.get("progress") and not any(b.label == "Stop training" for b in at.button)


def test_a_killed_training_process_shows_the_failure_and_its_reason():
    at = with_sample()
    fill(at, "doomed")
    at.run()
    [job_id] = at.session_state["train_jobs"]
    deadline = time.time() + 60
    while not (job := jobs.queue().snapshot(job_id)).pid or job.stage == jobs.PREPARING:
        assert time.time() < deadline and job.state in jobs.ACTIVE, job
        time.sleep(0.1)
    os.kill(job.pid, signal.SIGKILL)  # as the out-of-memory killer would
    run_until(at, lambda at: bool(at.warning))
    assert plain(at.warning[0].value) == (
        "Training 'doomed' failed: the training process was killed (signal 9), perhaps out of memory; nothing was saved"
    )
    assert "doomed" not in [e.name for e in workspace.entries()]


def test_after_a_restart_the_page_shows_what_happened_to_the_servers_jobs(ws):
    jobs._queues.pop(workspace.root()).close()  # the server stops; a new one starts over the same workspace
    recs = [
        jobs.Job(1, "before", TrainParams(), corpus_name="a.txt", state="done", finished=time.time()).record(),
        jobs.Job(2, "cut", TrainParams(), corpus_name="b.txt", state="running", started=time.time()).record(),
    ]
    (ws / ".jobs").mkdir(parents=True)
    (ws / ".jobs" / "jobs.json").write_text(json.dumps({"version": 1, "jobs": recs}))
    at = open_page(TRAIN)
    text = shown(at)
    assert "Recent jobs on this server" in [h.value for h in at.subheader]
    assert f"**cut** (b.txt): interrupted {time.strftime('%Y-%m-%d')}" in text, text
    assert jobs.INTERRUPTED_RUNNING in text and "**before** (a.txt): done, saved" in text


def test_the_sentence_and_phrase_boxes_reach_the_job(blocker):
    at = with_sample()
    boxes = {c.label: c for c in at.checkbox}
    assert boxes["Each line is a sentence"].value and not boxes["Join phrases"].value  # gensim's ways by default
    boxes["Each line is a sentence"].uncheck()
    boxes["Join phrases"].check()
    fill(at, "phrased")
    at.run()
    (job_id,) = at.session_state["train_jobs"]
    params = jobs.queue().snapshot(job_id).params
    assert (params.sentences, params.phrases) == ("none", 1)
    jobs.queue().cancel(job_id)
