"""The Neighbours page's "why": evidence from the corpus a set keeps (the context words a word and
its neighbour share, and lines where each occurs with them), attaching a corpus to a set that has
none, and how a word's neighbours changed from training snapshot to snapshot.

Corpus lines are the user's data: each token is shown through ``literal()`` (Markdown escaped),
and only the markup added here (bold for the word, italics for shared context words) is Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from core import evidence, evidence_bundle, snapshots
from core.embeddings import EmbeddingSet
from core.evidence import Evidence, Line, Shared
from core.query import common_words
from ui.feedback import errors_on_page, literal

LINES_EACH = 3  # example lines per word
SHARED = 10  # shared context words listed
WIDTH = 10  # tokens shown on each side of the word
HISTORY_K = 5  # neighbours per snapshot


def line_markdown(line: Line) -> str:
    """A line as Markdown: every token escaped, the word bold, the shared context words italic."""
    out = []
    for i, tok in enumerate(line.tokens):
        text = literal(tok)
        out.append(f"**{text}**" if i == line.hit else f"*{text}*" if i in line.marks else text)
    return " ".join(out)


@st.cache_data(max_entries=64, show_spinner="Reading the corpus...")
def _evidence(_ev: Evidence, key: tuple, a: str, b: str, exclude: tuple[str, ...]) -> tuple[Shared, list[Line]]:
    # `key` names the set and its stored corpus (the Evidence object itself is not hashed)
    shared = evidence.shared_contexts(_ev, a, b, n=SHARED, exclude=exclude)
    with_words = [c.word for c in shared.contexts]
    lines: list[Line] = []
    for w in (a, b) if with_words else ():
        lines += evidence.example_lines(_ev, w, n=LINES_EACH, width=WIDTH, with_words=with_words, window=shared.window)
    return shared, lines


def why_panel(name: str, es: EmbeddingSet, word: str, neighbours: Sequence[str], hide_common: bool) -> None:
    """ "Why is … a neighbour?": a chosen neighbour's shared contexts with ``word`` and example lines."""
    st.subheader("Why is it a neighbour?", anchor=False)
    if es.evidence is None:
        attach_form(name, es)
        return
    ev = es.evidence
    choices = [w for w in neighbours if w != word]
    if not choices:
        return
    other = st.selectbox(literal(f"Why is this word a neighbour of '{word}'?"), choices, key="why_word")
    exclude = tuple(sorted(common_words(es))) if hide_common else ()
    with errors_on_page():
        key = (name, id(ev), ev.n_tokens, ev.corpus)
        shared, lines = _evidence(ev, key, word, other, exclude)
        st.caption(
            literal(
                f"Context words '{word}' and '{other}' both have within {shared.window} words in the corpus "
                f"'{ev.corpus or 'kept with the set'}' (as trained: rare words left out). "
                "Count: the smaller of the two; similar contexts are what makes vectors close."
            )
        )
        if not shared.contexts:
            st.info(literal(f"'{word}' and '{other}' share no context word within {shared.window} words."))
            return
        table = pd.DataFrame(
            {
                "context word": [c.word for c in shared.contexts],
                "count": [c.count for c in shared.contexts],
                f"with {word}": [c.count_a for c in shared.contexts],
                f"with {other}": [c.count_b for c in shared.contexts],
            }
        )
        st.dataframe(table, hide_index=True, width="stretch")
        for w in (word, other):
            st.caption(literal(f"Lines where '{w}' occurs with one of them:"))
            for line in (x for x in lines if x.tokens[x.hit] == w):
                st.markdown(line_markdown(line))


def attach_form(name: str, es: EmbeddingSet) -> None:
    """For a set without a corpus: say so, and offer to attach a corpus file to it."""
    if done := st.session_state.pop("why_attached", ""):
        st.success(literal(done))
    st.info(
        literal(es.meta.get("evidence_problem", ""))
        or "This set keeps no corpus (it was imported, or trained before corpora were kept), so there are no "
        "example lines to show. Attach the text it was trained on to see why words are neighbours."
    )
    up = st.file_uploader("Corpus file to attach (.txt, .gz, .zip)", type=["txt", "gz", "zip"], key=f"attach_{name}")
    if st.button("Attach the corpus", disabled=up is None, key="attach_corpus") and up is not None:
        with errors_on_page(), st.spinner("Reading and attaching the corpus..."):
            ev = evidence_bundle.attach_to_set(name, [(up.name, up)])
            st.session_state["why_attached"] = (
                f"Attached '{up.name}' ({ev.n_tokens:,} tokens of the set's words) to '{name}'."
            )
            st.rerun()


def snapshot_history(es: EmbeddingSet, word: str) -> None:
    """A small table: each training snapshot's nearest words to ``word`` (when the set has snapshots)."""
    snaps = es.snapshots
    if snaps is None:
        return
    st.subheader("During training", anchor=False)
    st.caption(
        f"The {HISTORY_K} nearest words in each of the {len(snaps)} snapshots taken while the set trained "
        f"(among its {snaps.rows.size:,} most frequent words): snapshot 0 is the random start, the last the result."
    )
    with errors_on_page(level="warning"):
        rows = snapshots.neighbour_history(es, word, k=HISTORY_K)
        table = pd.DataFrame(
            {
                "snapshot": [r.index for r in rows],
                "training done": [f"{r.fraction:.0%}" for r in rows],
                "nearest words": [", ".join(r.neighbours) for r in rows],
            }
        )
        st.dataframe(table, hide_index=True, width="stretch")
