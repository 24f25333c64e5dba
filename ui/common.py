"""Small helpers several pages share: the cached set loader, the active set, errors."""

from __future__ import annotations

import streamlit as st

from core import W2VError, load, workspace
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
    return name, es


def sidebar_picker() -> None:
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


def describe(es: EmbeddingSet) -> str:
    meta = es.meta
    src = meta.get("corpus", {}).get("name") or meta.get("imported_file") or meta.get("source", "")
    return f"{len(es):,} words x {es.dim} dimensions" + (f", from {src}" if src else "")
