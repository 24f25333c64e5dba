import numpy as np
import streamlit as st

from core import search
from core.labels import matches, read_labels
from core.layout_jobs import words_key
from core.projection import Layout, choose_rows
from core.query import common_words, describe_unknown, frequent_words, lookup, normalize_word, split_words
from ui.common import page
from ui.feedback import errors_on_page, literal
from ui.space_controls import COLOURS, MAX_POINTS, MAX_SLOW_POINTS, METHODS, SLOW, SOURCES, controls, write_url
from ui.space_figure import NONE_LABEL, Colours, MapView, build_figure, frequency_order, selected_points
from ui.space_layouts import axes_map, clusters, method_map, set_key
from ui.space_timelapse import timelapse_figure

name, es = page(
    "Vector space",
    "A map of the vectors squeezed to 2 or 3 dimensions (PCA, t-SNE or UMAP), or placed along two "
    "directions you choose. Nearby points are often related words, but the squeeze loses detail: "
    "the highlighted neighbours are always computed in the full space.",
)
c = controls(es)

hide = c.source == SOURCES[0] and c.hide_common
if c.source == SOURCES[0]:
    words = frequent_words(es, c.top_n, hide_common=hide)
else:
    words, unknown = lookup(es, split_words(c.typed_list))
    if unknown:  # named and left off the map; the known words are still drawn
        st.warning(literal(describe_unknown(unknown)))
word = normalize_word(es, c.word)
near: list[str] = []
if word:
    with errors_on_page():  # an unknown word is named; the map is drawn without it
        near = [w for w, _ in search.neighbors(es, word, k=8, exclude=common_words(es) if hide else ())]
    if word not in es:
        word = ""
write_url(name, c, word)

need = {"axes": 1, "pca": c.dims}.get(c.method, 5)
if len(words) < need:
    st.info(f"Type at least {need} words of the vocabulary to draw a {METHODS[c.method]} map.")
    st.stop()
if c.method == "axes" and not (c.x_axis.strip() and c.y_axis.strip()):
    st.info("Write an x axis and a y axis, e.g. man:woman and boy,girl:king,queen.")
    st.stop()

lay: Layout | None = None
with errors_on_page():
    rows = choose_rows(es, None, words, include=[word, *near] if word else [])
    skey = set_key(name)
    if c.method == "axes":
        lay = axes_map(es, skey, rows, c.x_axis, c.y_axis)
    else:
        lay = method_map(es, skey, rows, c.method, c.dims, c.seed)
if lay is None:
    st.stop()
dims, n = lay.coords.shape[1], len(lay.words)

# -- colours ---------------------------------------------------------------------------------
counts = es.counts[lay.rows] if es.counts is not None else None
hover = [
    w + (f" ({int(k):,})" if counts is not None else "")
    for w, k in zip(lay.words, counts if counts is not None else [0] * n, strict=True)
]
colours = Colours()
if c.colour == COLOURS[1] and counts is not None:
    colours = Colours(values=np.log10(np.maximum(counts, 1)), title="log10 count")
elif c.colour == COLOURS[2]:
    up = st.file_uploader(
        "Metadata file: the Projector's metadata.tsv (a header row naming the columns), or lines of a word, "
        "a tab and its label",
        type=["tsv", "txt"],
        key="sp_meta",
    )
    if up is None:
        st.info("Upload a metadata file to colour the words by its labels.")
    with errors_on_page():
        if up is not None:
            table = read_labels(up.getvalue(), up.name)
            column = st.selectbox("Label column", table.columns) if len(table.columns) > 1 else table.columns[0]
            cats = table.labels(lay.words, column)
            colours = Colours(categories=cats)
            st.caption(
                f"{sum(x != NONE_LABEL for x in cats):,} of the {n:,} words on the map have a label in the file."
            )
else:
    if c.colour == COLOURS[1]:
        st.caption("This set has no word counts; coloured by cluster instead.")
    groups = clusters(skey, words_key(lay.words), c.clusters, es, lay.rows)
    colours = Colours(categories=[f"cluster {g + 1}" for g in groups])

# -- search and labels -----------------------------------------------------------------------
hits: np.ndarray | None = None
if c.query:
    with errors_on_page():
        hits = np.array(matches(lay.words, c.query, regex=c.regex), dtype=bool)
where = {w: i for i, w in enumerate(lay.words)}
highlight = [w for w in [word, *near] if w in where] if word else []
order = frequency_order(es.counts, lay.rows)
labelled = [where[w] for w in highlight]
if hits is not None:
    labelled += [int(i) for i in order if hits[i]]
labelled += list(range(n)) if c.source == SOURCES[1] else [int(i) for i in order[: c.labels]]

if lay.method == "pca":
    ev = lay.explained_variance_ratio if lay.explained_variance_ratio is not None else np.zeros(dims)
    title = f"{n:,} words; explained variance " + " + ".join(f"{v:.1%}" for v in ev) + f" = {ev.sum():.1%}"
elif lay.method == "axes":
    title = f"{n:,} words placed by their cosine with each axis"
else:
    title = f"{METHODS[lay.method]} of {n:,} words, seed {lay.seed}"
view = MapView(colours, hover, highlight, hits, labelled, len(highlight), c.font_size, title)
fig = build_figure(lay, view)
if c.timelapse:
    with errors_on_page():
        fig = timelapse_figure(es, skey, lay, view, (c.x_axis, c.y_axis)) or fig
chart_key = "sp_chart_" + words_key([lay.method, str(dims), str(lay.seed), *lay.axis_titles, *lay.words])
event = st.plotly_chart(
    fig,
    width="stretch",
    key=chart_key,
    on_select="rerun" if dims == 2 else "ignore",  # box and lasso select in 2-D only
    selection_mode=("box", "lasso"),
    config={
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": f"{name}-{lay.method}", "scale": 2},
    },
)

# -- what the map shows ----------------------------------------------------------------------
how = METHODS[lay.method] + (f" (seed {lay.seed})" if lay.method in SLOW else "")
if c.source == SOURCES[0]:
    said = f"{how} of the {len(words):,} most frequent of {len(es):,} words" + (
        " (common words hidden)" if hide else ""
    )
else:
    said = f"{how} of the {len(words):,} known words of your list"
if n > len(words):
    said += f", plus the highlighted word's neighbours ({n - len(words)} more)"
st.caption(said + ".")
cap = MAX_SLOW_POINTS if lay.method in SLOW else MAX_POINTS
if c.source == SOURCES[0] and len(es) > cap:
    st.caption(f"This set has {len(es):,} words; a map holds at most the {cap:,} most frequent (sampled by frequency).")
if hits is not None:
    on_map = int(hits.sum())
    shown = sum(1 for i in labelled if hits[i]) if on_map else 0
    st.caption(
        f"Search: {on_map:,} of the {n:,} words on the map match (marked and labelled; the rest dimmed)."
        if on_map
        else "Search: no word on the map matches."
    )
    if on_map > shown:
        st.caption(f"Only the {shown} most frequent matches are labelled.")

# -- selection -------------------------------------------------------------------------------
points = getattr(getattr(event, "selection", None), "points", None) or []
picked = [lay.words[i] for i in selected_points(points) if i < n]


def _use_as_list(chosen: list[str]) -> None:
    st.session_state["sp_source"], st.session_state["sp_list"] = SOURCES[1], "\n".join(chosen)


if picked:
    st.subheader(f"{len(picked):,} selected words", anchor=False)
    st.dataframe({"word": picked}, hide_index=True, height=min(300, 38 + 35 * len(picked)))
    s1, s2, s3, s4 = st.columns(4)
    s1.button("Use as the word list", on_click=_use_as_list, args=(picked,), key="sp_use")
    s2.download_button("Download the selected words", "\n".join(picked) + "\n", "selected-words.txt", "text/plain")
    target = s3.selectbox("Word to open", picked, key="sp_target", label_visibility="collapsed")
    if s4.button("Open in Neighbours", key="sp_open"):
        st.session_state["pending_word"] = target  # the Neighbours page takes it before its word box
        st.switch_page("pages/views/neighbours.py", query_params={"set": name, "word": target})
else:
    st.caption("Draw a box or a lasso on the map to list the words inside it.")

# -- export ----------------------------------------------------------------------------------
d1, d2, d3 = st.columns(3)
d1.download_button("Download coordinates (CSV)", lay.to_csv(), f"{name}-{lay.method}.csv", "text/csv", key="sp_csv")
d2.download_button(
    "Download the figure (HTML)",
    lambda: fig.to_html(include_plotlyjs=True, full_html=True),  # built on click: a big map takes a while
    f"{name}-{lay.method}.html",
    "text/html",
    key="sp_html",
)
d3.caption("PNG: the camera button in the map's toolbar.")
