import numpy as np
import plotly.graph_objects as go
import streamlit as st

from core.corpus import read_corpus
from core.sources import sha256_of, shown_name
from core.workspace import SAMPLE_PATH
from ui.feedback import errors_on_page, literal

st.title("Corpus")
st.write(
    "Choose the text to learn from: upload your own files or use the bundled sample. "
    "You will see how many words it holds and which are most frequent before training."
)

SAMPLE_CORPUS = SAMPLE_PATH.parent / "corpus.txt.gz"


def distinct_files(files: list) -> tuple[list, list[str]]:
    """The uploads with distinct content, and the names of the repeats left out."""
    seen: set[str] = set()
    unique, copies = [], []
    for f in files:
        digest = sha256_of(f)  # read in blocks, never a second copy of the upload
        if digest in seen:
            copies.append(shown_name(f.name))
        else:
            seen.add(digest)
            unique.append(f)
    return unique, copies


files = st.file_uploader("Text files (.txt, .gz, .zip)", type=["txt", "gz", "zip"], accept_multiple_files=True)
c1, c2 = st.columns(2)
keep_case = c2.checkbox(
    "Keep upper case", help="By default all text is lowercased, so 'The' and 'the' count as one word."
)
if c1.button("Read the uploaded files", disabled=not files, type="primary"):
    # a failed read must not leave the previous corpus's figures on screen as if they were this one's
    st.session_state.pop("corpus", None)
    unique, copies = distinct_files(files)
    with errors_on_page(), st.spinner("Reading..."):
        st.session_state["corpus"] = read_corpus([(f.name, f) for f in unique], lowercase=not keep_case)
        if copies:
            st.warning(literal("Read once, uploaded twice (same content): " + ", ".join(copies) + "."))
if c1.button("Use the sample corpus"):
    st.session_state["corpus"] = read_corpus(SAMPLE_CORPUS, lowercase=not keep_case)

corpus = st.session_state.get("corpus")
if corpus is None:
    st.info(
        "No corpus yet: upload files above, or use the sample corpus. A chosen corpus is kept while this "
        "browser tab stays open; after a reload, choose it again."
    )
    st.stop()

st.subheader(literal(corpus.name), anchor=False)
m1, m2, m3 = st.columns(3)
m1.metric("Tokens", f"{corpus.n_tokens:,}")
m2.metric("Distinct words", f"{len(corpus.words):,}")
min_count = m3.number_input(
    "min_count",
    min_value=1,
    value=int(st.session_state.get("corpus_min_count", 5)),
    help="Words seen fewer times than this are left out of training. The Train page starts from this value.",
)
st.session_state["corpus_min_count"] = int(min_count)  # a plain key: it outlives this page's widgets
st.write(
    f"**{corpus.vocab_size_at(int(min_count)):,}** words occur at least {int(min_count)} times and would be trained."
)

top = corpus.most_common(30)
bars = go.Figure(go.Bar(x=[w for w, _ in top], y=[c for _, c in top]))
bars.update_layout(title="Most frequent words", xaxis_title="word", yaxis_title="count", height=350)
st.plotly_chart(bars, width="stretch")

freq = corpus.rank_frequency()
# about 2,000 ranks spread evenly on the log axis: the same line, and a small message for millions of words
ranks = np.unique(np.geomspace(1, len(freq), num=min(len(freq), 2000)).round().astype(np.int64))
zipf = go.Figure(go.Scattergl(x=ranks, y=freq[ranks - 1], mode="lines"))
zipf.update_layout(
    title="Rank–frequency (Zipf) plot",
    xaxis_type="log",
    yaxis_type="log",
    xaxis_title="rank",
    yaxis_title="count",
    height=350,
)
st.plotly_chart(zipf, width="stretch")
st.page_link("pages/views/train.py", label="Train on this corpus", icon=":material/model_training:")
