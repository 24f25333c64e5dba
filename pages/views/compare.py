import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core import workspace
from core.compare import DEFAULT_LIMIT, JointMap, OverlapReport, Rotation, WordOverlap, stability
from core.compare import fit_rotation as _fit_rotation
from core.compare import joint_map as _joint_map
from core.compare import neighbour_overlap as _neighbour_overlap
from core.query import describe_unknown, first_meaningful_word, lookup, normalize_word, split_words
from ui.common import open_set, page, set_names
from ui.feedback import errors_on_page, literal
from ui.space_figure import plot_text

name, _ = page(
    "Compare sets",
    "Two sets side by side, word by word: for each word both sets know, how many of its nearest neighbours "
    "they share (two seeds of one corpus, two corpora, two models, an import against your own training). "
    "Below: the words that changed most and least, a joint map after rotating B onto A, and a stability check.",
)
names = set_names()
c1, c2, c3, c4 = st.columns([2, 2, 1, 1])
set_a = c1.selectbox("Set A", names, index=names.index(name), key="cmp_a")
others = [n for n in names if n != set_a]
set_b = c2.selectbox("Set B", names, index=names.index(others[0] if others else set_a), key="cmp_b")
k = int(c3.number_input("k (neighbours)", min_value=1, max_value=100, value=10, key="cmp_k"))
limit = int(
    c4.number_input(
        "Words compared",
        min_value=0,
        max_value=200_000,
        value=DEFAULT_LIMIT,
        step=1000,
        key="cmp_limit",
        help="The most frequent shared words (in A) are compared, and neighbours are searched among them "
        "only, so that a word one set lacks never counts against the other. 0 = all shared words.",
    )
)
if not others:
    st.info("There is only one set. Train or import a second one to compare; a set compared with itself scores 1.0.")
elif set_a == set_b:
    st.info(literal(f"A and B are both '{set_a}', so every overlap is 1.0; choose another set B."))


def _stamp(set_name: str) -> float:
    return (workspace.path_of(set_name) / "meta.json").stat().st_mtime  # a re-saved set is compared anew


@st.cache_data(max_entries=4, show_spinner="Comparing neighbours...")
def overlap(a: str, b: str, k: int, limit: int, stamps: tuple[float, float]) -> OverlapReport:
    return _neighbour_overlap(open_set(a), open_set(b), k=k, limit=limit)


@st.cache_data(max_entries=4, show_spinner="Rotating B onto A...")
def rotation(a: str, b: str, limit: int, stamps: tuple[float, float]) -> Rotation:
    return _fit_rotation(open_set(b), open_set(a), limit=limit)


def table(rows: list[WordOverlap]) -> None:
    df = pd.DataFrame(
        {
            "word": [r.word for r in rows],
            "overlap": [r.overlap for r in rows],
            "neighbours in A": [", ".join(r.neighbours_a) for r in rows],
            "neighbours in B": [", ".join(r.neighbours_b) for r in rows],
        }
    )
    cfg = {"overlap": st.column_config.ProgressColumn("overlap", format="%.2f", min_value=0.0, max_value=1.0)}
    st.dataframe(df, hide_index=True, column_config=cfg, width="stretch", height=400)


def histogram(report: OverlapReport) -> go.Figure:
    bins = report.histogram()
    fig = go.Figure(go.Bar(x=[f"{v:.2f}" for v, _ in bins], y=[n for _, n in bins], marker_color="#1f77b4"))
    fig.update_layout(
        height=300,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        title=f"words by neighbour overlap at k = {report.k}",
        xaxis_title="overlap (shared neighbours / k)",
        yaxis_title="words",
        xaxis_type="category",
    )
    return fig


def map_figure(m: JointMap) -> go.Figure:
    text = [plot_text(w) for w in m.words]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=m.coords_a[:, 0],
            y=m.coords_a[:, 1],
            mode="markers+text",
            name="place in A",
            text=text,
            textposition="top center",
            marker={"size": 8, "color": "#1f77b4"},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=m.coords_b[:, 0],
            y=m.coords_b[:, 1],
            mode="markers",
            name="place in B (rotated)",
            text=text,
            customdata=m.shift,
            hovertemplate="%{text} in B<br>cosine distance from A: %{customdata:.3f}<extra></extra>",
            marker={"size": 8, "color": "#d62728", "symbol": "diamond"},
        )
    )
    for (xa, ya), (xb, yb) in zip(m.coords_a, m.coords_b, strict=True):  # one arrow per word, A → B
        fig.add_annotation(
            x=xb, y=yb, ax=xa, ay=ya, xref="x", yref="y", axref="x", ayref="y", text="", showarrow=True, arrowhead=2
        )
    ratio = m.explained_variance_ratio
    fig.update_layout(
        height=600,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        title=f"PCA of A's vectors of these words (explained variance {ratio[0]:.0%} + {ratio[1]:.0%})",
    )
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    return fig


report = None
stamps = (_stamp(set_a), _stamp(set_b))
with errors_on_page():
    report = overlap(set_a, set_b, k, limit, stamps)
if report is not None:
    n, total = len(report.vocab), report.vocab.total_shared
    m1, m2, m3 = st.columns(3)
    m1.metric("mean overlap", f"{report.mean_overlap:.3f}", help="the mean share of a word's k neighbours in both")
    m2.metric("words compared", f"{n:,}")
    m3.metric("words both sets have", f"{total:,}")
    which = "all of them" if n == total else f"the {n:,} most frequent in A"
    st.caption(literal(f"Compared: {which}; each word's {k} nearest neighbours (cosine) among the compared words."))
    st.plotly_chart(histogram(report), key="cmp-histogram", config={"displaylogo": False})

    rows = int(st.number_input("Rows per table", min_value=5, max_value=500, value=25, step=5))
    t1, t2 = st.columns(2)
    with t1:
        st.subheader("Most changed", anchor=False)
        table(report.most_changed(rows))
    with t2:
        st.subheader("Least changed", anchor=False)
        table(report.least_changed(rows))

    st.subheader("Joint map", anchor=False)
    st.caption(
        "B is rotated onto A (orthogonal Procrustes, fitted on the compared words' unit vectors), then both are "
        "drawn with A's PCA: each arrow runs from a word's place in A to its place in B."
    )
    source = st.radio("Words on the map", ["the 30 most changed", "words I type"], horizontal=True)
    if source == "words I type":
        typed = st.text_input("Words (separated by spaces or commas)", "")
        words, unknown = lookup(open_set(set_a), split_words(typed))
        missing_b = [w for w in words if w not in open_set(set_b)]
        if unknown:
            st.warning(literal(describe_unknown(unknown)))
        if missing_b:
            st.warning(literal(f"Not in B, so left off: {', '.join(missing_b)}."))
        words = [w for w in words if w not in missing_b]
    else:
        words = [r.word for r in report.most_changed(30)]
    if len(words) >= 3:
        with errors_on_page():
            rot = rotation(set_a, set_b, limit, stamps)
            st.caption(literal(f"Rotation fitted on {rot.fitted_on:,} words; error left after it: {rot.residual:.3f}."))
            joint = _joint_map(open_set(set_a), open_set(set_b), words, rot)
            st.plotly_chart(map_figure(joint), key="cmp-map", config={"displaylogo": False})
    else:
        st.caption("Give at least three words both sets have.")

st.subheader("Check stability", anchor=False)
st.caption(
    "How stable one word's neighbours are across 2-3 sets (say, one corpus trained with different seeds): "
    "the overlap of its top-k in each pair of sets, and for each neighbour in how many of the sets it appears."
)
default_sets = [set_a, set_b] if set_a != set_b else [set_a]
chosen = st.multiselect("Sets", names, default=default_sets, max_selections=3, key="stab_sets")
word_box = st.text_input("Word", first_meaningful_word(open_set(set_a)), key="stab_word")
if len(chosen) < 2:
    st.caption("Choose two or three sets.")
elif word_box.strip():
    with errors_on_page():
        sets = {s: open_set(s) for s in chosen}
        word = normalize_word(sets[chosen[0]], word_box)
        stab = stability(sets, word, k=k)
        st.metric("mean pairwise overlap", f"{stab.mean_overlap:.3f}")
        pairs = pd.DataFrame(
            {
                "set": [x for x, _ in stab.pairwise],
                "other set": [y for _, y in stab.pairwise],
                "overlap": list(stab.pairwise.values()),
            }
        )
        st.dataframe(pairs, hide_index=True)
        seen = pd.DataFrame(
            {
                "neighbour": [a.word for a in stab.appearances],
                "in sets": [f"{len(a.sets)} of {len(chosen)}" for a in stab.appearances],
                "which": [", ".join(a.sets) for a in stab.appearances],
            }
        )
        st.dataframe(seen, hide_index=True, width="stretch")
