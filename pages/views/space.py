import numpy as np
import plotly.graph_objects as go
import streamlit as st

from core.projection import kmeans_labels, pca
from ui.common import page
from ui.feedback import errors_on_page

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
word_list = None
if source == "most frequent words":
    top_n = st.slider("Number of words (the most frequent)", min(10, len(es)), min(50_000, len(es)), min(1000, len(es)))
else:
    word_list = st.text_area("Words, separated by spaces or new lines", "king queen man woman paris berlin").split()
    top_n = None
word = st.text_input("Highlight a word and its neighbours", st.query_params.get("word", "")).strip()
if word:
    st.query_params["word"] = word
st.query_params["set"] = name

proj = None
with errors_on_page():
    near = [w for w, _ in es.neighbors(word, k=8)] if word else []
    proj = pca(es, top_n=top_n, words=word_list, components=dims, include=[word] + near if word else [])
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
fig = go.Figure(Scatter(**axes, mode="markers", marker=marker, text=hover, hoverinfo="text", name="words"))
if word:
    hl = [proj.words.index(w) for w in [word] + near]
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
if source == "most frequent words" and top_n < len(es):
    st.caption(f"Showing the {top_n:,} most frequent of {len(es):,} words.")
