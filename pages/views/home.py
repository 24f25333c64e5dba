import streamlit as st

from ui.common import active_set, describe
from ui.feedback import literal

st.title("Word2Vec Explorer")
st.markdown(
    "A **word embedding** gives every word a list of numbers (a vector) learned from the text "
    "around it: words used in similar places get similar vectors. So *king* lands near *queen*, "
    "and *paris* near *berlin*. Here you can train embeddings on your own text, load saved ones, "
    "and explore which words sit close together."
)
name, es = active_set()
if es is not None:
    st.info(f"Active set: **{literal(name)}** — {literal(describe(es))}.")
c1, c2, c3 = st.columns(3)
with c1:
    st.subheader("Explore the sample")
    st.write("Neighbours and analogies on the bundled sample set, no setup needed.")
    st.page_link("pages/views/neighbours.py", label="Open Neighbours", icon=":material/search:")
with c2:
    st.subheader("Train on your text")
    st.write("Upload .txt, .gz or .zip files, look at the words, then train.")
    st.page_link("pages/views/corpus.py", label="Upload a corpus", icon=":material/description:")
with c3:
    st.subheader("Load saved vectors")
    st.write("Import word2vec, GloVe, Projector TSV, .npy or .keras files.")
    st.page_link("pages/views/library.py", label="Open the Library", icon=":material/library_books:")
