import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core import EmbeddingSet, UnknownWordError, search
from core.analogy_plane import AnalogyPlane
from core.analogy_plane import explain as explain_analogy
from core.query import common_words, describe_unknown, first_meaningful_word, lookup, normalize_word, split_words
from ui.common import open_set, page, set_names
from ui.evidence import snapshot_history, why_panel
from ui.feedback import errors_on_page, literal
from ui.space_figure import plot_text
from ui.stability import stability_note
from ui.tables import neighbour_list, pairs_table

name, es = page(
    "Neighbours",
    "Type a word to see the words whose vectors are closest to it. Click a neighbour to explore it. "
    "Below: analogies, the similarity of two words, and the odd one out.",
)

if "pending_word" in st.session_state:  # a clicked neighbour or a "did you mean" choice
    st.session_state["word"] = st.session_state.pop("pending_word")
elif "word" not in st.session_state:
    st.session_state["word"] = st.query_params.get("word") or first_meaningful_word(es)
# A typed "King" or "Paris," becomes the set's "king" or "paris" before the box is drawn.
st.session_state["word"] = normalize_word(es, st.session_state["word"] or "") or first_meaningful_word(es)

options = [es.words[i] for i in es.top_rows(20_000)]
if st.session_state["word"] not in options:
    options.insert(0, st.session_state["word"])
c1, c2, c3 = st.columns([3, 1, 1])
word = c1.selectbox(
    "Word", options, key="word", accept_new_options=True, help="Start typing: vocabulary words are suggested."
)
k = c2.slider("How many", 1, 50, 10)
metric = c3.selectbox(
    "Metric",
    ["cosine", "euclidean", "dot"],
    help="cosine: angle between vectors (usual); euclidean: distance; dot: raw product.",
)
st.query_params["set"], st.query_params["word"] = name, word


def did_you_mean(exc: UnknownWordError, key: str) -> None:
    st.warning(literal(str(exc)))
    cols = st.columns(max(1, len(exc.suggestions)))
    for col, s in zip(cols, exc.suggestions, strict=False):
        if col.button(literal(s), key=f"{key}-{s}"):
            st.session_state["pending_word"] = s
            st.rerun()


t1, t2 = st.columns(2)
compare = t1.toggle("Compare with another set")
hide = t2.toggle("Hide common words", help="Leave words such as 'the', 'of' and 'she' out of the neighbours.")


def nearest(of: EmbeddingSet) -> list[tuple[str, float]]:
    # EmbeddingSet.neighbors has no `exclude`; core.search.neighbors does
    return search.neighbors(of, word, k=k, metric=metric, exclude=common_words(of) if hide else ())


with errors_on_page():
    try:  # an unknown word offers its close spellings as buttons; other errors go to errors_on_page
        if compare:
            others = [n for n in set_names() if n != name] or [name]
            other = st.selectbox("Other set", others)
            left, right = st.columns(2)
            left.subheader(literal(name), anchor=False)
            with left:
                pairs_table(nearest(es), metric=metric)
            right.subheader(literal(other), anchor=False)
            with right, errors_on_page():
                pairs_table(nearest(open_set(other)), metric=metric)
        else:
            pairs = nearest(es)
            clicked = neighbour_list(pairs, key="nb", metric=metric)
            if clicked and clicked != word:
                st.session_state["pending_word"] = clicked
                st.rerun()
            stability_note(name, es, word, k)
            why_panel(name, es, word, [w for w, _ in pairs], hide)
            snapshot_history(es, word)
    except UnknownWordError as exc:
        did_you_mean(exc, "main")


def default(*words: str) -> list[str]:
    return list(words) if all(w in es for w in words) else [es.words[i % len(es)] for i in range(len(words))]


def analogy_figure(p: AnalogyPlane) -> go.Figure:
    """The parallelogram a → b, a → c, c → d, b → d, and the answers, in the analogy's plane."""
    pa, pb, pc, pd_ = (p.point(x) for x in "abcd")
    fig = go.Figure()
    for (s, e), dash, label in (
        ((pa, pb), "solid", "a → b"),
        ((pa, pc), "solid", "a → c"),
        ((pc, pd_), "dash", "c → d (= a → b)"),
        ((pb, pd_), "dash", "b → d (= a → c)"),
    ):
        fig.add_trace(
            go.Scatter(
                x=[s.x, e.x],
                y=[s.y, e.y],
                mode="lines",
                name=label,
                line={"dash": dash, "color": "#888"},
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[q.x for q in (pa, pb, pc)],
            y=[q.y for q in (pa, pb, pc)],
            mode="markers+text",
            name="a, b, c",
            text=[plot_text(f"{q.label}: {q.word}") for q in (pa, pb, pc)],
            textposition="top center",
            marker={"size": 11, "color": "#1f77b4"},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[pd_.x],
            y=[pd_.y],
            mode="markers+text",
            name="d = b − a + c",
            text=[plot_text(f"d = {pd_.word}")],
            textposition="bottom center",
            marker={"size": 14, "symbol": "star", "color": "#d62728"},
        )
    )
    answers = p.answers
    fig.add_trace(
        go.Scatter(
            x=[q.x for q in answers],
            y=[q.y for q in answers],
            mode="markers+text",
            name="answers (3CosAdd)",
            text=[plot_text(q.word) for q in answers],
            textposition="middle right",
            customdata=[q.off_plane for q in answers],
            hovertemplate="%{text}<br>%{customdata:.3f} off the plane<extra></extra>",
            marker={"size": 9, "color": "#2ca02c"},
        )
    )
    fig.update_layout(
        height=480, margin={"l": 10, "r": 10, "t": 30, "b": 10}, xaxis_title="along b − a", yaxis_title="across"
    )
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    return fig


st.subheader("Analogy")
st.caption(
    '"a is to b as c is to ?" — 3CosAdd: the words nearest to b − a + c; 3CosMul (Levy & Goldberg): '
    "close to b and c, far from a, multiplied. a, b and c themselves are left out of the answers."
)
a0, b0, c0 = default("man", "king", "woman")
x1, x2, x3 = st.columns(3)
a = normalize_word(es, x1.text_input("a", a0))
b = normalize_word(es, x2.text_input("b", b0))
c = normalize_word(es, x3.text_input("c", c0))
if a and b and c:
    with errors_on_page():
        why = explain_analogy(es, a, b, c, k=5)
        m1, m2 = st.columns(2)
        for col, title, pairs in ((m1, "3CosAdd", why.add), (m2, "3CosMul", why.mul)):
            col.caption(title)
            with col:
                pairs_table(pairs)
        with st.expander("Why this answer?"):
            st.caption(
                "Where a, b and c would rank if they were not left out (1 = the answer), and their scores. "
                "An input often ranks high (b is usually close to b − a + c), which is why they are left out."
            )
            ranks = pd.DataFrame(
                {
                    "": [r.role for r in why.add_ranks],
                    "word": [r.word for r in why.add_ranks],
                    "rank (3CosAdd)": [r.rank for r in why.add_ranks],
                    "score (3CosAdd)": [r.score for r in why.add_ranks],
                    "rank (3CosMul)": [r.rank for r in why.mul_ranks],
                    "score (3CosMul)": [r.score for r in why.mul_ranks],
                }
            )
            st.dataframe(ranks, hide_index=True, width="stretch")
            if why.plane is None:
                st.info(literal(why.plane_problem))
            else:
                st.caption(
                    "The plane through a, b and c (unit vectors; axes: b − a, and the part of c − a at right angles "
                    "to it). The predicted d = b − a + c closes the parallelogram; the answers are projected onto "
                    "the plane (hover: how far off it they lie)."
                )
                st.plotly_chart(analogy_figure(why.plane), key="analogy-plane", config={"displaylogo": False})
else:  # a box being filled in is not an error
    st.caption("Fill in a, b and c to see the answer.")

s1, s2 = st.columns(2)
with s1:
    st.subheader("Similarity")
    w1, w2 = default("king", "queen")
    y1, y2 = st.columns(2)
    w1 = normalize_word(es, y1.text_input("first word", w1))
    w2 = normalize_word(es, y2.text_input("second word", w2))
    if w1 and w2:
        with errors_on_page(level="warning"):
            st.metric("cosine similarity", f"{es.similarity(w1, w2):.3f}")
    else:
        st.caption("Type two words to compare them.")
with s2:
    st.subheader("Odd one out")
    guess = " ".join(default("king", "queen", "prince", "apple"))
    known, unknown = lookup(es, split_words(st.text_input("words, separated by spaces or commas", guess)))
    if unknown:  # reported, and the known words still answer
        st.warning(literal(describe_unknown(unknown)))
    if len(known) >= 3:
        with errors_on_page(level="warning"):
            st.metric("does not match", literal(es.doesnt_match(known)))  # a metric's value is Markdown
    else:
        st.caption("Type at least three words of the vocabulary to find the one that does not fit.")
