import secrets

import pandas as pd
import streamlit as st

from core.quiz import make_round
from ui.common import page
from ui.feedback import errors_on_page, literal

name, es = page(
    "Quiz",
    "A quiz for a room: each round asks which word is the odd one out, or which word is the nearest "
    "neighbour of another. The room answers with a button; then the model's answer and its scores are shown.",
)
state = st.session_state
if "quiz_seed" not in state:  # a new quiz per session; set the seed to replay one
    state["quiz_seed"] = secrets.randbelow(1_000_000)
if state.get("quiz_set") != name:  # another active set: start again
    state["quiz_set"], state["quiz_round"], state["quiz_answer"] = name, 0, None


def pick(word: str) -> None:
    state["quiz_answer"] = word


def next_round() -> None:
    state["quiz_round"] += 1
    state["quiz_answer"] = None


def restart() -> None:
    state["quiz_round"], state["quiz_answer"] = 0, None


with errors_on_page():
    r = make_round(es, int(state["quiz_seed"]), int(state["quiz_round"]))
    answered = state["quiz_answer"]
    st.subheader(literal(f"Round {state['quiz_round'] + 1}: {r.question}"), anchor=False)
    if r.kind == "nearest":
        st.caption("The options are among the set's frequent words; one is the true nearest among them.")
    for i, (col, word) in enumerate(zip(st.columns(4), r.options, strict=True)):
        col.button(
            literal(word), key=f"quiz-option-{i}", on_click=pick, args=(word,), disabled=bool(answered), width="stretch"
        )
    if answered:
        if answered == r.answer:
            st.success(literal(f"The room said '{answered}': right."))
        else:
            st.warning(literal(f"The room said '{answered}'; the answer is '{r.answer}'."))
        st.info(literal(f"The model says '{r.model_answer}'."))
        scores = pd.DataFrame(
            {
                "word": list(r.options),
                r.score_label: list(r.scores),
                "": ["the answer" if w == r.answer else "" for w in r.options],
            }
        )
        st.dataframe(scores, hide_index=True)
        rule = "lowest" if r.kind == "odd_one_out" else "highest"
        st.caption(f"The model picks the word with the {rule} score.")
    else:
        st.caption("Click the room's answer to reveal the model's.")
    st.button("Next round", on_click=next_round, type="primary", key="quiz-next")

with st.expander("Replay a quiz"):
    # the seed lives in session state, not in the widget: it survives visits to other pages
    seed = st.number_input(
        "Seed",
        min_value=0,
        max_value=2**31 - 1,
        value=int(state["quiz_seed"]),
        step=1,
        help="The same seed and set give the same rounds.",
    )
    if seed != state["quiz_seed"]:
        state["quiz_seed"] = int(seed)
        restart()
        st.rerun()
