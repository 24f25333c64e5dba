"""Word2Vec Explorer: builds the navigation over the pages; nothing else."""
import streamlit as st

from ui.common import sidebar_picker

st.set_page_config(page_title="Word2Vec Explorer", page_icon="🔤", layout="wide")
pages = [
    st.Page("pages/home.py", title="Home", icon="🏠", default=True),
    st.Page("pages/corpus.py", title="Corpus", icon="📄", url_path="corpus"),
    st.Page("pages/train.py", title="Train", icon="🏋️", url_path="train"),
    st.Page("pages/library.py", title="Library", icon="📚", url_path="library"),
    st.Page("pages/neighbours.py", title="Neighbours", icon="🔎", url_path="neighbours"),
    st.Page("pages/space.py", title="Vector space", icon="🌌", url_path="space"),
    st.Page("pages/evaluate.py", title="Evaluate", icon="📏", url_path="evaluate"),
]
nav = st.navigation(pages)
sidebar_picker()
nav.run()
