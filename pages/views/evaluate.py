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


def spearman_meaning(rho: float) -> str:
    """What a correlation means next to the usual range of published word vectors."""
    if rho != rho:  # NaN
        return (
            "No correlation can be computed: fewer than two pairs are covered, or all their scores are equal "
            "(for instance words whose vectors are all zeros)."
        )
    usual = (
        "For comparison, word2vec trained on billions of words reaches about 0.65-0.70 on WordSim-353 and "
        "0.35-0.45 on SimLex-999; on a few million words, about 0.55-0.60 and 0.30-0.37."
    )
    if rho >= 0.6:
        level = "strong agreement with human judgement"
    elif rho >= 0.4:
        level = "moderate agreement with human judgement"
    elif rho >= 0.2:
        level = "weak agreement with human judgement"
    else:
        level = "little or no agreement with human judgement"
    return f"{rho:.2f} is {level} (1 = the same order as people, 0 = unrelated). {usual}"


def missing_list(title: str, rows: list[tuple[str, ...]], columns: list[str]) -> None:
    if rows:
        with st.expander(f"{title} ({len(rows):,})"):
            st.dataframe(pd.DataFrame(rows, columns=columns), hide_index=True, width="stretch")


with errors_on_page():
    if kind == "analogies":
        r = analogies(es, data, restrict_vocab=int(restrict))
        m1, m2 = st.columns(2)
        m1.metric("Accuracy", f"{r.accuracy:.1%}", help=f"{r.correct} of {r.covered} covered questions")
        m2.metric("Coverage", f"{r.coverage:.1%}", help=f"{r.covered} of {r.total} questions have all four words")
        table = pd.DataFrame(
            [
                {"section": s, "correct": c, "covered": n, "accuracy": 100 * c / n if n else None}
                for s, (c, n) in r.sections.items()
            ]
        )
        # shown as the headline shows it: a percentage with one decimal
        fmt = {"accuracy": st.column_config.NumberColumn("accuracy", format="%.1f%%")}
        st.dataframe(table, hide_index=True, width="stretch", column_config=fmt)
        missing_list("Questions with a word outside the vocabulary (not counted)", r.missing, ["a", "b", "c", "d"])
    else:
        r = word_pairs(es, data)
        m1, m2 = st.columns(2)
        m1.metric("Spearman correlation", f"{r.spearman:.3f}")
        m2.metric("Coverage", f"{r.coverage:.1%}", help=f"{r.pairs_used} of {r.pairs_total} pairs")
        st.caption(spearman_meaning(r.spearman))
        missing_list("Pairs with a word outside the vocabulary (not counted)", r.missing, ["word 1", "word 2"])
