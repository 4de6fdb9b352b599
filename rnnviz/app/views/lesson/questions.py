"""The lesson's predict-then-reveal questions: a section's choices, this tab's choice, and the
one place that decides whether an answer may be shown (this tab revealed it, or the live class
it follows did). The right choice comes from the section, computed by the core."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ... import live_class
from ...i18n import text


def _choose(section: str, choice: int) -> None:
    """Keep this browser tab's choice (it reveals nothing). Nothing is sent anywhere: it lives
    in the session state of this one tab."""
    answers = dict(st.session_state.get("lesson_answers", {}))
    answers[section] = {**answers.get(section, {"revealed": False}), "choice": choice}
    st.session_state["lesson_answers"] = answers


def _reveal(section: str) -> None:
    """Reveal the section's answer in this tab (Enter or R), keeping a choice made before."""
    answers = dict(st.session_state.get("lesson_answers", {}))
    answers[section] = {**answers.get(section, {"choice": None}), "revealed": True}
    st.session_state["lesson_answers"] = answers


@dataclass(frozen=True)
class Question:
    """A section's predict-then-reveal question: its choices in the page's language and the
    index of the right one, computed from the models on this run."""

    section: str
    choices: tuple[str, ...]
    correct: int


QUESTION_SECTIONS = ("order", "unrolled", "last", "distance", "signal", "article")


def is_revealed(section: str) -> bool:
    """Whether the answer of `section`'s question may be shown: the one place that decides it
    (the live class this page follows revealed it, or this browser tab did). Before that the section shows only the
    question and its choices: no takeaway, no reading, no figure. A section without a question
    is always revealed."""
    if section not in QUESTION_SECTIONS:
        return True
    in_class = live_class.revealed(section)  # a following phone shows what the teacher revealed
    if in_class is not None:
        return in_class
    return bool(st.session_state.get("lesson_answers", {}).get(section, {}).get("revealed"))


def ask(question: Question, language: str) -> bool:
    """The predict-then-reveal block: the question, one button per choice (keys 1-3) and a
    reveal button (Enter or R); once revealed, whether this student's choice was right.
    Returns is_revealed() (the caller then shows the answer and the figure)."""
    section, choices, correct = question.section, question.choices, question.correct
    st.markdown(f"**{text(f'lesson_q_{section}', language)}**")
    in_class = live_class.question(section, choices, correct, language)
    if in_class is not None:
        return in_class
    chosen = st.session_state.get("lesson_answers", {}).get(section, {}).get("choice")
    with st.container(horizontal=True, key="lesson_choices"):
        for index, choice in enumerate(choices):
            st.button(
                f"{index + 1} · {choice}",
                key=f"lesson_choice_{index + 1}",
                on_click=_choose,
                args=(section, index),
                type="primary" if chosen == index else "secondary",
            )
        st.button(
            text("lesson_reveal", language),
            key="lesson_reveal",
            on_click=_reveal,
            args=(section,),
            icon=":material/visibility:",
        )
    if not is_revealed(section):
        st.caption(text("lesson_predict", language))
        return False
    if chosen is not None:
        verdict = "lesson_right" if chosen == correct else "lesson_wrong"
        st.markdown(text(verdict, language, choice=choices[chosen]))
    return True
