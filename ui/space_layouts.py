"""The Vector space page's layouts: PCA and semantic axes computed inline, t-SNE and UMAP in the
background (``core.layout_jobs``), with a progress bar that polls only while a layout runs."""

from __future__ import annotations

import uuid
from collections.abc import Hashable

import numpy as np
import streamlit as st

from core import workspace
from core.axes import axes_layout, parse_axis
from core.embeddings import EmbeddingSet
from core.layout_jobs import ACTIVE, FAILED, WAITING, Key, LayoutJob, store, words_key
from core.projection import Layout, kmeans_labels, layout
from ui.feedback import literal
from ui.space_controls import METHODS

POLL_SECONDS = 1.0


def set_key(name: str) -> tuple[Hashable, ...]:
    """The set as layouts are keyed: its folder and save time (a re-saved set lays out anew)."""
    p = workspace.path_of(name)
    return str(p), (p / "meta.json").stat().st_mtime


def _owner() -> str:
    return st.session_state.setdefault("sp_owner", uuid.uuid4().hex)


def progress_text(job: LayoutJob, first_umap: bool) -> str:
    """What the progress bar says: what runs, how far, for how long."""
    what = f"{METHODS[job.method]} of {job.points:,} words"
    if job.state == WAITING:
        return f"{what}: waiting for another map to finish (the server lays out one map at a time)"
    text = f"{what}: {job.fraction:.0%} after {job.elapsed():.0f} s"
    if job.method == "umap":
        text += " (UMAP reports no progress until it ends"
        text += "; its first run on this server also compiles its code, about 35 s)" if first_umap else ")"
    return text


def axes_map(es: EmbeddingSet, skey: tuple, rows: np.ndarray, x_spec: str, y_spec: str) -> Layout:
    """Rows placed by their cosine with two directions (fast: computed inline, kept)."""
    x, y = parse_axis(es, x_spec), parse_axis(es, y_spec)  # errors name the unknown word
    key: Key = (*skey, "axes", x_spec.strip(), y_spec.strip(), words_key([es.words[i] for i in rows]))
    return store().run_inline(key, lambda: axes_layout(es, rows, x, y), "axes", len(rows))


def method_map(es: EmbeddingSet, skey: tuple, rows: np.ndarray, method: str, dims: int, seed: int) -> Layout | None:
    """The layout of ``rows``; None while a background layout runs (a progress bar shows it)."""
    key: Key = (*skey, method, dims, seed, words_key([es.words[i] for i in rows]))
    if method == "pca":
        return store().run_inline(key, lambda: layout(es, rows, "pca", dims, seed), "pca", len(rows))
    owner, previous = _owner(), st.session_state.get("sp_job")
    if previous is not None and previous != key:  # the session moved on: its old layout may stop
        store().release(previous, owner)
    st.session_state["sp_job"] = key
    if st.session_state.get("sp_stopped") == key:
        st.info(f"The {METHODS[method]} layout was stopped.")
        if st.button("Lay out again", key="sp_again"):
            del st.session_state["sp_stopped"]
            st.rerun()
        return None
    job = store().submit(
        key, lambda progress: layout(es, rows, method, dims, seed, progress=progress), owner, method, len(rows)
    )
    if job.state in ACTIVE:
        st.fragment(_watch, run_every=POLL_SECONDS)(key)
        return None
    if job.state == FAILED:
        st.error(literal(job.error))
        return None
    return job.result


def _stop(key: Key) -> None:
    store().stop(key)
    st.session_state["sp_stopped"] = key


def _watch(key: Key) -> None:
    """Polled while the layout runs; when it ends, the whole page reruns and draws it."""
    job = store().get(key)
    if job is None or job.state not in ACTIVE or st.session_state.get("sp_stopped") == key:
        st.rerun(scope="app")
    assert job is not None
    st.progress(job.fraction, text=progress_text(job, not store().has_run("umap")))
    st.button("Stop", key="sp_stop", on_click=_stop, args=(key,), help="Stop this layout (others keep running).")


@st.cache_data(max_entries=8, show_spinner="Clustering...")
def clusters(skey: tuple, words_hash: str, k: int, _es: EmbeddingSet, _rows: np.ndarray) -> np.ndarray:
    """k-means labels of the map's words, cached per set, words and k."""
    return kmeans_labels(_es, _rows, k=k)
