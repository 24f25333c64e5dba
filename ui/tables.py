"""The neighbour table: words with scores and a bar per word that is longer for closer words,
whatever the metric (a euclidean distance is small for close words, so its bar is drawn from a
closeness value while the distance itself stays visible)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from ui.feedback import literal

Pairs = list[tuple[str, float]]


def closeness(scores: Sequence[float], metric: str = "cosine") -> list[float]:
    """Bar lengths in [0, 1], longer = closer: a cosine as it is, a larger score (dot, 3CosMul)
    relative to the best, a distance ``d`` as ``best / d`` (the closest word gets a full bar)."""
    if not len(scores):
        return []
    if metric == "euclidean":
        best = min(scores)
        return [1.0 if d <= best else best / d for d in scores]
    top = max(1.0, max(scores))
    return [min(max(s / top, 0.0), 1.0) for s in scores]


def score_label(metric: str) -> str:
    return "distance" if metric == "euclidean" else "score"


def pairs_table(pairs: Pairs, metric: str = "cosine") -> None:
    """Show ``[(word, score)]``, best first, as a read-only table."""
    df = pd.DataFrame(pairs, columns=["word", "score"])
    label = score_label(metric)
    if metric != "euclidean":  # the score is the bar: larger is closer
        hi = max(1.0, float(df["score"].max())) if len(df) else 1.0
        cfg = {"score": st.column_config.ProgressColumn(label, format="%.3f", min_value=0.0, max_value=hi)}
    else:
        df["closeness"] = closeness(list(df["score"]), metric)
        cfg = {
            "score": st.column_config.NumberColumn(label, format="%.3f"),
            "closeness": st.column_config.ProgressColumn(
                "closeness", format="%.2f", min_value=0.0, max_value=1.0, help="the smallest distance / this one"
            ),
        }
    st.dataframe(df, hide_index=True, column_config=cfg, width="stretch")


def neighbour_list(pairs: Pairs, key: str, metric: str = "cosine") -> str | None:
    """Show ``[(word, score)]`` as rows whose word is a button; returns the clicked word, if any.

    Row ``i``'s button has the key ``f"{key}-{i}"`` (in the browser: ``.st-key-{key}-{i} button``).
    """
    st.caption(f"Click a word to explore it. The number is the {score_label(metric)}; a longer bar is closer.")
    clicked = None
    for i, ((word, score), bar) in enumerate(zip(pairs, closeness([s for _, s in pairs], metric), strict=True)):
        left, right = st.columns([2, 3], vertical_alignment="center")
        if left.button(literal(word), key=f"{key}-{i}", type="tertiary"):
            clicked = word
        right.progress(bar, text=f"{score:.3f}")
    return clicked
