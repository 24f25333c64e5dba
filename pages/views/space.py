import numpy as np
import plotly.graph_objects as go
import streamlit as st

from core import search
from core.projection import kmeans_labels, pca
from core.query import common_words, describe_unknown, frequent_words, lookup, normalize_word, split_words
from ui.common import page
from ui.feedback import errors_on_page, literal

name, es = page(
    "Vector space",
    "A map of the vectors squeezed to 2 or 3 dimensions with PCA. Nearby points are often related "
    "words, but the squeeze loses detail: the highlighted neighbours are always computed in the "
    "full space, so they may look farther apart here than they are.",
)

c1, c2, c3 = st.columns(3)
source = c1.radio("Points", ["most frequent words", "my word list"])
dims = c2.radio("Dimensions", [2, 3], horizontal=True)
colour = c3.radio("Colour by", ["cluster (k-means)", "frequency"], horizontal=False)
hide = False
if source == "most frequent words":
    top_n = st.slider("Number of words (the most frequent)", min(10, len(es)), min(50_000, len(es)), min(1000, len(es)))
    hide = st.toggle("Hide common words", help="Leave words such as 'the', 'of' and 'she' off the map.")
    words = frequent_words(es, top_n, hide_common=hide)
else:
    typed = st.text_area("Words, separated by spaces, commas or new lines", "king queen man woman paris berlin")
    words, unknown = lookup(es, split_words(typed))
    if unknown:  # named and left off the map; the known words are still drawn
        st.warning(literal(describe_unknown(unknown)))
word = normalize_word(es, st.text_input("Highlight a word and its neighbours", st.query_params.get("word", "")))
near: list[str] = []
if word:
    with errors_on_page():  # an unknown word is named; the map is drawn without it
        near = [w for w, _ in search.neighbors(es, word, k=8, exclude=common_words(es) if hide else ())]
        st.query_params["word"] = word
    if word not in es:
        word = ""
st.query_params["set"] = name
if len(words) < dims:
    st.info(f"Type at least {dims} words of the vocabulary to draw the map.")
    st.stop()

proj = None
with errors_on_page():
    proj = pca(es, top_n=None, words=words, components=dims, include=[word, *near] if word else [])
if proj is None:
    st.stop()

counts = es.counts[proj.rows] if es.counts is not None else None
hover = [
    f"{w}" + (f" ({int(c):,})" if counts is not None else "")
    for w, c in zip(proj.words, counts if counts is not None else [0] * len(proj.words), strict=True)
]
if colour == "frequency" and counts is not None:
    col, scale = np.log10(np.maximum(counts, 1)), "Viridis"
    bar = dict(title="log10 count")
else:
    k = st.slider("Clusters", 2, 20, 8) if colour.startswith("cluster") else 8
    col, scale, bar = kmeans_labels(es, proj.rows, k=k), "Turbo", None
    if colour == "frequency":
        st.caption("This set has no word counts; coloured by cluster instead.")

xyz = [proj.coords[:, i] for i in range(dims)]
marker = dict(
    size=4 if dims == 2 else 2.5, color=col, colorscale=scale, opacity=0.7, colorbar=bar, showscale=bar is not None
)
Scatter = go.Scattergl if dims == 2 else go.Scatter3d
axes = dict(zip("xyz", xyz, strict=False))
labelled = source == "my word list"  # a few chosen words: write them next to their points
highlighted = {word, *near} if word else set()  # labelled by their own trace below, not twice
fig = go.Figure(
    Scatter(
        **axes,
        mode="markers+text" if labelled else "markers",
        marker=marker,
        text=["" if w in highlighted else w for w in proj.words],
        hovertext=hover,
        hoverinfo="text",
        textposition="top center",
        name="words",
    )
)
if word:
    hl = [proj.words.index(w) for w in [word, *near]]
    fig.add_trace(
        Scatter(
            **{a: v[hl] for a, v in axes.items()},
            mode="markers+text",
            text=[proj.words[i] for i in hl],
            textposition="top center",
            name=f"{word} and neighbours",
            marker=dict(size=10 if dims == 2 else 5, color=["red"] + ["orange"] * len(near)),
        )
    )
ev = proj.explained_variance_ratio
fig.update_layout(
    height=650,
    margin=dict(l=0, r=0, t=30, b=0),
    legend=dict(orientation="h"),
    title=f"{len(proj.words):,} words; explained variance " + " + ".join(f"{v:.1%}" for v in ev) + f" = {ev.sum():.1%}",
)
st.plotly_chart(fig, width="stretch")
if source == "most frequent words" and len(words) < len(es):
    hidden = " (common words hidden)" if hide else ""
    st.caption(f"Showing the {len(words):,} most frequent of {len(es):,} words{hidden}.")
