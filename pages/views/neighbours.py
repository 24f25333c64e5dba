import streamlit as st

from core import UnknownWordError
from ui.common import open_set, page, set_names
from ui.feedback import errors_on_page, literal
from ui.tables import pairs_table

name, es = page(
    "Neighbours",
    "Type a word to see the words whose vectors are closest to it. Click a neighbour to explore it. "
    "Below: analogies, the similarity of two words, and the odd one out.",
)

if "pending_word" in st.session_state:  # a clicked neighbour or a "did you mean" choice
    st.session_state["word"] = st.session_state.pop("pending_word")
elif "word" not in st.session_state:
    url_word = st.query_params.get("word")
    st.session_state["word"] = url_word or es.words[0]

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
        if col.button(s, key=f"{key}-{s}"):
            st.session_state["pending_word"] = s
            st.rerun()


compare = st.toggle("Compare with another set")
with errors_on_page():
    try:  # an unknown word offers its close spellings as buttons; other errors go to errors_on_page
        if compare:
            others = [n for n in set_names() if n != name] or [name]
            other = st.selectbox("Other set", others)
            left, right = st.columns(2)
            left.subheader(literal(name), anchor=False)
            with left:
                pairs_table(es.neighbors(word, k=k, metric=metric), metric=metric)
            right.subheader(literal(other), anchor=False)
            with right, errors_on_page():
                pairs_table(open_set(other).neighbors(word, k=k, metric=metric), metric=metric)
        else:
            clicked = pairs_table(
                es.neighbors(word, k=k, metric=metric), key=f"nb-{name}-{word}-{k}-{metric}", metric=metric
            )
            if clicked and clicked != word:
                st.session_state["pending_word"] = clicked
                st.rerun()
    except UnknownWordError as exc:
        did_you_mean(exc, "main")


def default(*words: str) -> list[str]:
    return list(words) if all(w in es for w in words) else [es.words[i % len(es)] for i in range(len(words))]


st.subheader("Analogy")
st.caption('"a is to b as c is to ?" — found as the words nearest to b − a + c.')
a0, b0, c0 = default("man", "king", "woman")
x1, x2, x3, x4 = st.columns([2, 2, 2, 1])
a = x1.text_input("a", a0).strip()
b = x2.text_input("b", b0).strip()
c = x3.text_input("c", c0).strip()
method = x4.selectbox("Method", ["add", "mul"], help="add: 3CosAdd; mul: 3CosMul (Levy & Goldberg).")
with errors_on_page():
    pairs_table(es.analogy(a, b, c, k=5, method=method))

s1, s2 = st.columns(2)
with s1:
    st.subheader("Similarity")
    w1, w2 = default("king", "queen")
    y1, y2 = st.columns(2)
    w1, w2 = y1.text_input("first word", w1).strip(), y2.text_input("second word", w2).strip()
    with errors_on_page(level="warning"):
        st.metric("cosine similarity", f"{es.similarity(w1, w2):.3f}")
with s2:
    st.subheader("Odd one out")
    guess = " ".join(default("king", "queen", "prince", "apple"))
    words = st.text_input("words, separated by spaces", guess).split()
    with errors_on_page(level="warning"):
        st.metric("does not match", es.doesnt_match(words))
