"""Word2Vec Explorer: builds the navigation over the pages; nothing else."""
import streamlit as st

from ui.common import sidebar_picker

st.set_page_config(page_title="Word2Vec Explorer", page_icon=":material/hub:", layout="wide")
pages = [
    st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("pages/corpus.py", title="Corpus", icon=":material/description:", url_path="corpus"),
    st.Page("pages/train.py", title="Train", icon=":material/model_training:", url_path="train"),
    st.Page("pages/library.py", title="Library", icon=":material/library_books:", url_path="library"),
    st.Page("pages/neighbours.py", title="Neighbours", icon=":material/search:", url_path="neighbours"),
    st.Page("pages/space.py", title="Vector space", icon=":material/scatter_plot:", url_path="space"),
    st.Page("pages/evaluate.py", title="Evaluate", icon=":material/rule:", url_path="evaluate"),
]
nav = st.navigation(pages)
sidebar_picker()
nav.run()
