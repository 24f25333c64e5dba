import pandas as pd
import streamlit as st

from core.evaluate import analogies, detect_kind, word_pairs
from ui.common import page
from ui.feedback import errors_on_page

name, es = page(
    "Evaluate",
    "Measure the active set against human judgements: a word-pair file (word, word, score) gives "
    "the Spearman correlation; an analogy file (questions-words format) gives the accuracy per section.",
)
up = st.file_uploader("Evaluation file (.txt, .tsv, .csv)", type=["txt", "tsv", "csv"])
kind = st.radio(
    "Kind",
    ["auto", "word pairs", "analogies"],
    horizontal=True,
    help="auto: a file with ': section' lines or four words per line is an analogy file.",
)
restrict = st.number_input("Use only the most frequent words (analogies)", 100, 1_000_000, 30_000, step=1000)
if up is None:
    st.stop()
data = up.getvalue()
if kind == "auto":
    kind = detect_kind(data)
with errors_on_page():
    if kind == "analogies":
        r = analogies(es, data, restrict_vocab=int(restrict))
        m1, m2 = st.columns(2)
        m1.metric("Accuracy", f"{r.accuracy:.1%}", help=f"{r.correct} of {r.covered} covered questions")
        m2.metric("Coverage", f"{r.coverage:.1%}", help=f"{r.covered} of {r.total} questions have all four words")
        st.dataframe(
            pd.DataFrame(
                [
                    {"section": s, "correct": c, "covered": n, "accuracy": c / n if n else None}
                    for s, (c, n) in r.sections.items()
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        r = word_pairs(es, data)
        m1, m2 = st.columns(2)
        m1.metric("Spearman correlation", f"{r.spearman:.3f}")
        m2.metric("Coverage", f"{r.coverage:.1%}", help=f"{r.pairs_used} of {r.pairs_total} pairs")
