import math
import time
from dataclasses import replace

import streamlit as st

from core import W2VError, jobs, workspace
from core.corpus import read_corpus
from core.params import TrainParams
from ui.common import active_name, awaits_activation, session_jobs
from ui.feedback import literal

STATUS_EVERY, CHART_EVERY = 1.5, 5  # seconds between redraws while a job of this session can change
CHART_POINTS = 200  # the loss curve is thinned to this many points
FIELDS = ("model", "dim", "window", "negative", "min_count", "epochs", "sample", "seed")
SNAPSHOTS = TrainParams().snapshots  # snapshots kept when the box is ticked

jobs.queue().warm_up()  # TensorFlow loads in the background while the user picks settings

st.title("Train")
st.write(
    "Learn word vectors from the chosen corpus. Training runs in the background: you can switch "
    "pages and come back. The result is saved in the Library and becomes the active set."
)


def start() -> None:
    """The Start button's callback. Streamlit runs it before the page script, so a page switch
    right after the click cannot skip it. Any read of st.session_state may end it early (a newer
    rerun request), so everything is read first; after the submit only plain Python runs."""
    ss = st.session_state
    name, corpus, ids = ss["train_name"], ss["corpus"], session_jobs()
    values = {f: ss[f"train_{f}"] for f in FIELDS}
    snapshots = SNAPSHOTS if ss.get("train_snapshots", True) else 0
    sentences = "lines" if ss.get("train_lines", True) else "none"
    phrases = 1 if ss.get("train_phrases", False) else 0
    extra = int(ss.get("train_seeds", 0))
    try:
        params = TrainParams(
            **{f: v if f in ("model", "sample") else int(v) for f, v in values.items()},
            snapshots=snapshots,
            sentences=sentences,
            phrases=phrases,
        )
        params.validate()
        runs = [(name, params)] + [
            (f"{name}-seed{params.seed + i}", replace(params, seed=params.seed + i)) for i in range(1, extra + 1)
        ]
        for run_name, run_params in runs:  # the stability check's sets wait in line behind the first
            ids.append(jobs.queue().submit(run_name, corpus, run_params))  # the session's list, no state access
    except W2VError as exc:
        ss["train_error"] = str(exc)


def settings_form(corpus) -> None:
    st.write(f"Corpus: **{literal(corpus.name)}** ({corpus.n_tokens:,} tokens)")
    with st.form("params"):
        st.text_input(
            "Name of the new set",
            value=workspace.free_name(corpus.name.split(",")[0].split(".")[0]),
            help="Lowercase letters, digits, '-' and '_'.",
            key="train_name",
        )
        c1, c2, c3 = st.columns(3)
        c1.selectbox(
            "Model",
            ["skipgram", "cbow"],
            help="Skip-gram predicts the context from a word (better for rare words); "
            "CBOW predicts a word from its context (faster).",
            key="train_model",
        )
        c2.number_input("Dimensions", 2, 1000, 100, help="Length of each word vector.", key="train_dim")
        c3.number_input("Window", 1, 20, 5, help="How many words on each side count as context.", key="train_window")
        c1.number_input(
            "Negative samples", 1, 30, 5, help="Random 'wrong' words contrasted per example.", key="train_negative"
        )
        c2.number_input(
            "Min count",
            1,
            1000,
            int(st.session_state.get("corpus_min_count", 5)),  # as chosen on the Corpus page
            help="Ignore words seen fewer times than this.",
            key="train_min_count",
        )
        c3.number_input("Epochs", 1, 100, 5, help="Passes over the whole corpus.", key="train_epochs")
        c1.number_input(
            "Subsampling",
            0.0,
            0.1,
            1e-3,
            format="%.0e",
            help="Frequent words like 'the' are randomly skipped above this frequency; 0 = off.",
            key="train_sample",
        )
        c2.number_input(
            "Seed", 0, 2**31 - 1, 1, help="Same seed, same corpus, same settings: same vectors.", key="train_seed"
        )
        st.checkbox(
            "Keep snapshots of training",
            value=True,
            help=f"Save the vectors of the 2,000 most frequent words {SNAPSHOTS} times, from the random start to "
            "the end, so the Neighbours page can show how a word's neighbours formed.",
            key="train_snapshots",
        )
        st.checkbox(
            "Each line is a sentence",
            value=True,
            help="Windows stop at the end of a line, as in gensim and word2vec (right for titles, tweets, "
            "one sentence per line). Untick to let them run on across lines.",
            key="train_lines",
        )
        st.checkbox(
            "Join phrases",
            value=False,
            help="Frequent word pairs become one word before training ('new york' becomes 'new_york'), "
            "scored as gensim's Phrases does (min count 5, threshold 10).",
            key="train_phrases",
        )
        st.number_input(
            "Check stability: also train with this many more seeds",
            0,
            2,
            0,
            help="The same corpus and settings with seeds +1 and +2, saved as NAME-seedN. The Neighbours page "
            "then says how many seeds agree on each neighbour (small corpora give noisy neighbours).",
            key="train_seeds",
        )
        st.form_submit_button("Start training", type="primary", on_click=start)
    if error := st.session_state.pop("train_error", ""):
        st.error(literal(error))


def left(seconds: int | None) -> str:
    if seconds is None:
        return "estimating the time left"
    return f"about {math.ceil(seconds / 60)} min left" if seconds >= 120 else f"about {seconds} s left"


def show_active(job: jobs.Job) -> None:
    """One queued or running job: its place in line, or its stage and progress, and a stop button."""
    name = literal(f"'{job.name}'")
    if job.state == "queued" and not job.ahead:
        st.info(f"{name} is about to start.")  # the worker has not picked it up yet
    elif job.state == "queued":
        ahead = f"{job.ahead} job{'s' if job.ahead != 1 else ''} ahead of it"
        st.info(f"{name} is waiting in line: place {job.place}, {ahead}. It starts when they are done.")
    elif job.stage == jobs.TRAINING:
        st.progress(
            job.fraction,
            text=f"Training {name}: {job.fraction:.0%}, epoch {job.epoch} of {job.params.epochs}, "
            f"{job.words_per_sec:,.0f} words/s, {left(job.eta_sec)}",
        )
    else:  # preparing, building the vocabulary, saving: no fraction to show, but time goes on
        since = max(0, math.floor(time.time() - job.started))
        done = 1.0 if job.stage.startswith(jobs.SAVING) else 0.0
        st.progress(done, text=f"Training {name}: {job.stage}... ({since} s so far)")
    if st.button("Stop training", key=f"stop-{job.id}"):
        jobs.queue().cancel(job.id)
        st.rerun(scope="app")


def show_ended(job: jobs.Job) -> None:
    name = literal(f"'{job.name}'")
    if job.state == "done":
        active = " and is the active set" if job.name == active_name() else ""
        st.success(f"Done: {name} is saved{active} ({job.finished - job.started:.1f} s).")
    elif job.state == "cancelled":
        st.info(f"Training {name} was stopped; nothing was saved.")
    elif job.state == "interrupted":
        st.warning(f"Training {name} was interrupted: {literal(job.error)}")
    else:
        st.warning(f"Training {name} failed: {literal(job.error)}")


def when(stamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp)) if stamp else ""


def history_line(job: jobs.Job) -> str:
    """One job of the server's record, as a Markdown list item (its texts shown literally)."""
    if job.state == "queued":
        what = f"waiting in line, place {job.place}"
    elif job.state == "running":
        what = f"training, {job.fraction:.0%}" if job.stage == jobs.TRAINING else f"running: {job.stage}"
    elif job.state == "done":
        what = f"done, saved {when(job.finished)}"
    elif job.state == "cancelled":
        what = f"stopped {when(job.finished)}; nothing was saved"
    else:  # failed, interrupted
        what = f"{job.state} {when(job.finished)}: {job.error}"
    return f"- **{literal(job.name)}** ({literal(job.corpus_name or 'corpus')}): {literal(what)}"


def server_history(own: list[int]) -> None:
    """The recent jobs recorded on this server (earlier runs of it included) that are not this
    session's: what happened to them, a restart included. Drawn on full runs only."""
    others = [j for j in jobs.queue().recent(limit=10) if j.id not in own]
    if others:
        st.subheader("Recent jobs on this server")
        st.markdown("\n".join(history_line(j) for j in others))


def server_line() -> None:
    training, waiting = jobs.queue().overview()
    if training or waiting:
        st.caption(f"On this server: {training} job training, {waiting} waiting in line (all users).")


def loss_chart(job: jobs.Job) -> None:
    step = max(1, math.ceil(len(job.losses) / CHART_POINTS))
    points = job.losses[::step]
    st.caption(f"Loss of '{literal(job.name)}' (lower is better), by fraction of the training done")
    st.line_chart({"done": [f for f, _ in points], "loss": [v for _, v in points]}, x="done", y="loss", height=180)


corpus = st.session_state.get("corpus")
if corpus is None:
    st.info("No corpus chosen yet. Pick one on the Corpus page, or train on the sample corpus.")
    if st.button("Use the sample corpus"):
        st.session_state["corpus"] = read_corpus(workspace.SAMPLE_PATH.parent / "corpus.txt.gz")
        st.rerun()
else:
    settings_form(corpus)

snaps = [j for j in (jobs.queue().snapshot(i, losses=False) for i in session_jobs()) if j is not None]
watched = [j.id for j in snaps if j.state in jobs.ACTIVE]
ended = [j for j in snaps if j.state not in jobs.ACTIVE]
live = bool(watched)  # fragments poll only while a job of this session can still change
if any(awaits_activation(j) for j in ended):
    st.rerun(scope="app")  # the sidebar's next run activates the set before this page draws its end


@st.fragment(run_every=STATUS_EVERY if live else None)
def status() -> None:
    now = [jobs.queue().snapshot(i, losses=False) for i in watched]
    if any(j is None or j.state not in jobs.ACTIVE for j in now):
        st.rerun(scope="app")  # one ended: the full run shows its end state once, activates it, stops polling
    for j in now:
        if j is not None:
            show_active(j)
    server_line()


@st.fragment(run_every=CHART_EVERY if live else None)
def chart() -> None:
    running = [j for j in (jobs.queue().snapshot(i) for i in watched) if j is not None and j.losses]
    if running:
        loss_chart(running[0])
    elif ended and (last := jobs.queue().snapshot(ended[-1].id)) and last.losses:
        loss_chart(last)


status()
for job in reversed(ended):  # newest first; drawn once per full run, never polled
    show_ended(job)
    if job is ended[-1] and job.state == "done":
        st.page_link("pages/views/neighbours.py", label="Explore its neighbours", icon=":material/search:")
chart()
server_history(session_jobs())
