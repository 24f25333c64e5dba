"""Small helpers several pages share: the cached set loader, the active set, errors, and this
session's training jobs (a set this session trained becomes its active set once saved, on any page)."""

from __future__ import annotations

import streamlit as st

from core import W2VError, jobs, load, workspace
from core.embeddings import EmbeddingSet
from ui.feedback import literal


@st.cache_resource(max_entries=8, show_spinner="Opening vectors...")
def _open(path: str, stamp: float) -> EmbeddingSet:
    # shared by every session: treat as read-only. `stamp` makes a re-saved bundle load anew.
    return load(path)


def open_set(name: str) -> EmbeddingSet:
    p = workspace.path_of(name)
    return _open(str(p), (p / "meta.json").stat().st_mtime)


def set_names() -> list[str]:
    return [e.name for e in workspace.entries()]


def active_name() -> str:
    """The active set: ?set= in the URL, else this session's choice, else the sample."""
    names = set_names()
    wanted = st.query_params.get("set")
    if wanted in names:
        st.session_state["active_set"] = wanted
    name = st.session_state.get("active_set", workspace.SAMPLE_NAME)
    if name not in names:
        name = workspace.SAMPLE_NAME
    st.session_state["active_set"] = name
    return name


def set_active(name: str) -> None:
    st.session_state["active_set"] = name
    if "set" in st.query_params:
        st.query_params["set"] = name


def active_set() -> tuple[str, EmbeddingSet | None]:
    name = active_name()
    try:
        return name, open_set(name)
    except W2VError as exc:
        st.error(literal(f"The set '{name}' cannot be opened: {exc}"))
        return name, None


def page(title: str, intro: str) -> tuple[str, EmbeddingSet]:
    """Title and plain-words intro of a page that works on the active set; stops if it won't open."""
    st.title(title)
    st.write(intro)
    name, es = active_set()
    if es is None:
        st.stop()
    if "index_problem" in es.meta:  # a damaged search index is set aside: say so, search still works
        st.warning(literal(f"Searching without the set's index (exactly, slower): {es.meta['index_problem']}"))
    return name, es


def session_jobs() -> list[int]:
    """Ids of the training jobs this session submitted, oldest first (append to record one)."""
    return st.session_state.setdefault("train_jobs", [])


def awaits_activation(job: jobs.Job) -> bool:
    """A job of this session saved after the sidebar last looked: the next full run activates it."""
    return job.state == "done" and job.id not in st.session_state.get("train_activated", [])


def _activate_trained_sets() -> list[int]:
    """Make each set this session trained the active set, once per job, when it is saved; say so
    in a toast. Returns the ids of this session's jobs still queued or running."""
    activated = st.session_state.setdefault("train_activated", [])
    active = []
    for job_id in session_jobs():
        job = jobs.queue().snapshot(job_id, losses=False)
        if job is None:
            continue
        if job.state in jobs.ACTIVE:
            active.append(job_id)
        elif job.state == "done" and job_id not in activated:
            activated.append(job_id)
            set_active(job.name)
            st.toast(literal(f"'{job.name}' is trained and saved; it is now the active set."), icon=":material/check:")
    return active


def _watch_jobs(job_ids: list[int]) -> None:
    """A one-line status per job; when one of them ends, rerun the whole app, which activates
    its set (the picker shows it at once) and stops this polling."""
    snaps = [jobs.queue().snapshot(i, losses=False) for i in job_ids]
    if any(j is None or j.state not in jobs.ACTIVE for j in snaps):
        st.rerun(scope="app")
    for j in snaps:
        assert j is not None
        if j.state == "queued":
            st.caption(literal(f"'{j.name}': waiting in line, place {j.place}"))
        elif j.stage == jobs.TRAINING:
            st.caption(literal(f"Training '{j.name}': {j.fraction:.0%}"))
        else:
            st.caption(literal(f"Training '{j.name}': {j.stage}"))


def sidebar_picker() -> None:
    active_jobs = _activate_trained_sets()  # first, so the picker below shows a newly saved set
    names = set_names()
    current = active_name()
    choice = st.sidebar.selectbox(
        "Active embedding set",
        names,
        index=names.index(current),
        help="Every page works on this set. Manage sets on the Library page.",
    )
    if choice != current:
        set_active(choice)
        st.rerun()
    if active_jobs:  # polls only while this session has a job that can still change
        with st.sidebar:
            st.fragment(_watch_jobs, run_every=2)(active_jobs)


def describe(es: EmbeddingSet) -> str:
    meta = es.meta
    src = meta.get("corpus", {}).get("name") or meta.get("imported_file") or meta.get("source", "")
    return f"{len(es):,} words x {es.dim} dimensions" + (f", from {src}" if src else "")
