import plotly.graph_objects as go
import streamlit as st

from core import jobs, workspace
from core.corpus import read_corpus
from core.params import TrainParams
from ui.common import set_active
from ui.feedback import errors_on_page, literal

st.title("Train")
st.write(
    "Learn word vectors from the chosen corpus. Training runs in the background: you can switch "
    "pages and come back. The result is saved in the Library and becomes the active set."
)

corpus = st.session_state.get("corpus")
if corpus is None:
    st.info("No corpus chosen yet. Pick one on the Corpus page, or train on the sample corpus.")
    if st.button("Use the sample corpus"):
        st.session_state["corpus"] = read_corpus(workspace.SAMPLE_PATH.parent / "corpus.txt.gz")
        st.rerun()
    st.stop()

st.write(f"Corpus: **{literal(corpus.name)}** ({corpus.n_tokens:,} tokens)")
with st.form("params"):
    name = st.text_input(
        "Name of the new set",
        value=workspace.free_name(corpus.name.split(",")[0].split(".")[0]),
        help="Lowercase letters, digits, '-' and '_'.",
    )
    c1, c2, c3 = st.columns(3)
    model = c1.selectbox(
        "Model",
        ["skipgram", "cbow"],
        help="Skip-gram predicts the context from a word (better for rare words); "
        "CBOW predicts a word from its context (faster).",
    )
    dim = c2.number_input("Dimensions", 2, 1000, 100, help="Length of each word vector.")
    window = c3.number_input("Window", 1, 20, 5, help="How many words on each side count as context.")
    negative = c1.number_input("Negative samples", 1, 30, 5, help="Random 'wrong' words contrasted per example.")
    min_count = c2.number_input("Min count", 1, 1000, 5, help="Ignore words seen fewer times than this.")
    epochs = c3.number_input("Epochs", 1, 100, 5, help="Passes over the whole corpus.")
    sample = c1.number_input(
        "Subsampling",
        0.0,
        0.1,
        1e-3,
        format="%.0e",
        help="Frequent words like 'the' are randomly skipped above this frequency; 0 = off.",
    )
    seed = c2.number_input("Seed", 0, 2**31 - 1, 1, help="Same seed, same corpus, same settings: same vectors.")
    start = st.form_submit_button("Start training", type="primary")

if start:
    with errors_on_page():
        params = TrainParams(
            model=model,
            dim=int(dim),
            window=int(window),
            negative=int(negative),
            min_count=int(min_count),
            epochs=int(epochs),
            sample=float(sample),
            seed=int(seed),
        )
        params.validate()
        st.session_state["job_id"] = jobs.queue().submit(name, corpus, params)


@st.fragment(run_every=1)
def show_job() -> None:
    job_id = st.session_state.get("job_id")
    job = jobs.queue().snapshot(job_id) if job_id else None
    if job is None:
        return
    if job.state == "queued":
        st.info(f"Waiting in line: place {job.place}. Another training is running on this server.")
    elif job.state == "running":
        st.progress(
            job.fraction,
            text=literal(f"Training '{job.name}'") + f": {job.fraction:.0%}, epoch {job.epoch}, "
            f"{job.words_per_sec:,.0f} words/s, about {job.eta_sec:.0f} s left",
        )
    elif job.state == "done":
        st.success(
            literal(f"Done: '{job.name}'") + " is saved and is now the active set "
            f"({job.finished - job.started:.1f} s)."
        )
        if st.session_state.get("activated") != job.id:
            st.session_state["activated"] = job.id
            set_active(job.name)
        st.page_link("pages/views/neighbours.py", label="Explore its neighbours", icon=":material/search:")
    else:
        st.warning(literal(f"Training '{job.name}' {job.state}: {job.error}"))
    if job.losses:
        fig = go.Figure(go.Scatter(x=[f for f, _ in job.losses], y=[loss for _, loss in job.losses], mode="lines"))
        fig.update_layout(
            title="Loss", xaxis_title="fraction done", yaxis_title="loss", height=260, margin=dict(t=40, b=30)
        )
        st.plotly_chart(fig, width="stretch")
    if job.state in ("queued", "running") and st.button("Stop training"):
        jobs.queue().cancel(job.id)


show_job()
