"""Word2Vec Explorer: builds the navigation over the page scripts in pages/views/; nothing else.

Every URL is served through this navigation, even the first request on a fresh server (see
docs/DESIGN.md, "Every URL through app.py").
"""

import streamlit as st

from ui.common import sidebar_picker

st.set_page_config(page_title="Word2Vec Explorer", page_icon=":material/hub:", layout="wide")
pages = [
    st.Page("pages/views/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("pages/views/corpus.py", title="Corpus", icon=":material/description:", url_path="corpus"),
    st.Page("pages/views/train.py", title="Train", icon=":material/model_training:", url_path="train"),
    st.Page("pages/views/library.py", title="Library", icon=":material/library_books:", url_path="library"),
    st.Page("pages/views/neighbours.py", title="Neighbours", icon=":material/search:", url_path="neighbours"),
    st.Page("pages/views/space.py", title="Vector space", icon=":material/scatter_plot:", url_path="space"),
    st.Page("pages/views/evaluate.py", title="Evaluate", icon=":material/rule:", url_path="evaluate"),
    st.Page("pages/views/compare.py", title="Compare sets", icon=":material/compare_arrows:", url_path="compare"),
    st.Page("pages/views/quiz.py", title="Quiz", icon=":material/quiz:", url_path="quiz"),
]
nav = st.navigation(pages)
sidebar_picker()
nav.run()
