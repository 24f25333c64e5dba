"""The Neighbours page's stability check: the same word's neighbours in the sets trained on the
same corpus with the same settings and other seeds (the Train page's "check stability")."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import workspace
from core.compare import same_training, stability
from core.embeddings import EmbeddingSet
from ui.common import open_set
from ui.feedback import literal


def seed_siblings(name: str, es: EmbeddingSet) -> list[str]:
    """The other sets trained like ``name`` but for the seed, by name."""
    return [e.name for e in workspace.entries() if e.name != name and same_training(es.meta, e.meta)]


def stability_note(name: str, es: EmbeddingSet, word: str, k: int) -> None:
    """Below the neighbour list: how many of the seeds agree on each neighbour, when there are any."""
    siblings = seed_siblings(name, es)
    if not siblings:
        return
    sets = {name: es} | {s: open_set(s) for s in siblings[:2]}
    if any(word not in s for s in sets.values()):
        return
    report = stability(sets, word, k=k)
    seeds = ", ".join(str(s.meta.get("params", {}).get("seed")) for s in sets.values())
    with st.expander(f"How stable are these neighbours? {len(sets)} seeds agree on {report.mean_overlap:.0%}"):
        st.caption(
            literal(
                f"The same corpus and settings trained with seeds {seeds} ({', '.join(sets)}). Small corpora give "
                "noisy neighbours: a neighbour that only one seed finds is weak evidence."
            )
        )
        rows = [
            {"neighbour": a.word, "found by": f"{len(a.sets)} of {len(sets)} seeds", "sets": ", ".join(a.sets)}
            for a in report.appearances
            if name in a.sets
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
