"""The neighbour table: words with scores and a small bar per score."""

from __future__ import annotations

import pandas as pd
import streamlit as st


def pairs_table(pairs: list[tuple[str, float]], key: str | None = None, metric: str = "cosine"):
    """Show ``[(word, score)]``; returns the clicked word when ``key`` is given (else None)."""
    df = pd.DataFrame(pairs, columns=["word", "score"])
    lo = min(0.0, float(df["score"].min())) if len(df) else 0.0
    hi = max(1.0, float(df["score"].max())) if len(df) else 1.0
    label = "distance" if metric == "euclidean" else "score"
    cfg = {"score": st.column_config.ProgressColumn(label, format="%.3f", min_value=lo, max_value=hi)}
    if key is None:
        st.dataframe(df, hide_index=True, column_config=cfg, width="stretch")
        return None
    event = st.dataframe(
        df, hide_index=True, column_config=cfg, width="stretch", on_select="rerun", selection_mode="single-row", key=key
    )
    rows = event.selection.rows if event else []
    return df["word"].iloc[rows[0]] if rows else None
