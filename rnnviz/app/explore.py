"""View 1, explore one sentence: step through it with the unrolled diagram and the real
arithmetic, then its hidden states, gates, outputs and gradients."""

from __future__ import annotations

import streamlit as st

from rnnviz import Trace, figures
from rnnviz.equations import GENERAL_FORM, equation_latex

from . import common
from .controls import (
    ARTICLE_EXAMPLES,
    REVIEW_EXAMPLES,
    mode_picker,
    model_picker,
    sentence_input,
    step_slider,
)
from .i18n import text
from .inputs import read_sentence
from .resources import ModelKey, get_model, get_trace, model_names
from .state import sync_query

EQUATION_UNITS = 3
PLAY_SECONDS = 0.9


def _target_controls(key: ModelKey, tokens: tuple[str, ...], language: str):
    """The loss whose gradients are drawn: a class, or which word's prediction (LM)."""
    model = get_model(key)
    if model.config.head == "classifier":
        options = [None, *range(len(model.labels))]
        choice = st.selectbox(
            text("target_class", language),
            options,
            key="explore_target_class",
            format_func=lambda i: (
                f"{text('prediction', language)}" if i is None else model.labels[i]
            ),
        )
        return choice, None
    if len(tokens) < 2:
        return None, None
    positions = list(range(len(tokens) - 1, 0, -1))
    position = st.selectbox(
        text("target_word", language),
        positions,
        key="explore_target_word",
        format_func=lambda p: f"{p + 1}: {tokens[p]}",
    )
    position = position if position is not None and position < len(tokens) else len(tokens) - 1
    # By id: a word outside the vocabulary is predicted as <unk>, as in the default loss.
    return model.vocab.encode([tokens[position]])[0], position - 1


def _advance(total: int) -> None:
    st.session_state["step"] = min(st.session_state.get("step", 0) + 1, total - 1)


def _reset() -> None:
    st.session_state["step"] = 0
    st.session_state["playing"] = False


def _step_body(trace: Trace, language: str, known) -> None:
    total = len(trace.tokens)
    playing = st.session_state.get("playing", False)
    if playing:
        _advance(total)
    slider, play, step_button, reset = st.columns([6, 1, 1, 1], vertical_alignment="bottom")
    with slider:
        step_slider("step", trace.tokens, language)
    if play.button(
        text("pause" if playing else "play", language),
        key="play",
        width="stretch",
        disabled=total < 2,
    ):
        st.session_state["playing"] = not playing
        st.rerun()
    step_button.button(
        text("next", language),
        key="next",
        on_click=_advance,
        args=(total,),
        width="stretch",
        disabled=total < 2,
    )
    reset.button(text("reset", language), key="reset", on_click=_reset, width="stretch")
    if playing and st.session_state["step"] >= total - 1:
        st.session_state["playing"] = False
        st.rerun()
    step = st.session_state["step"]
    sync_query(known, ["step"])

    st.markdown(f"**{text('reading', language, t=step + 1)}**")
    st.code(trace.tokens[step], language=None)
    common.window_note(trace, step, language)
    diagram_title = text("bow_unrolled" if trace.arch == "bow" else "unrolled", language)
    left, right = st.columns([3, 2])
    with left:
        common.chart(figures.unrolled_diagram(trace, step, title=diagram_title))
    with right:
        if trace.head == "lm":
            following = trace.tokens[step + 1] if step + 1 < total else None
            title = text("lm_outputs_at_step", language, t=step + 1, k=10)
            common.chart(figures.probability_bars(trace, step, 10, title, highlight=following))
        else:
            title = text("outputs_at_step", language, t=step + 1)
            common.chart(figures.probability_bars(trace, step, 10, title))
    st.markdown(f"**{text('equation', language, n=EQUATION_UNITS)}**")
    st.latex(GENERAL_FORM[trace.arch])
    units = list(range(min(EQUATION_UNITS, trace.hidden.shape[1])))
    for line in equation_latex(trace, step, units):
        st.latex(line)

    common.chart(figures.hidden_heatmap(trace, step, text("hidden", language)))
    if trace.gates:
        common.chart(figures.gate_heatmaps(trace, step, common.gate_titles(language)))
    if trace.head == "lm":
        if total > 1:
            common.chart(
                figures.next_word_probability(trace, step, text("next_word_line", language))
            )
    else:
        common.chart(figures.class_probability_lines(trace, step, text("class_lines", language)))
    names = (text("grad_h", language), text("grad_x", language))
    common.chart(figures.gradient_chart(trace, step, text("gradients", language), names))
    st.caption(
        text(
            "loss_line",
            language,
            target=trace.labels[trace.target],
            t=trace.loss_step + 1,
            loss=trace.loss,
        )
    )
    st.info(common.decay_sentence(trace, language), icon=":material/trending_down:")


def render(language: str, known) -> None:
    names = model_names()
    sentence = sentence_input("s", language, examples=ARTICLE_EXAMPLES + REVIEW_EXAMPLES)
    left, toggle, middle, right = st.columns([1.8, 1.8, 1.5, 2], vertical_alignment="bottom")
    with left:
        key = model_picker(language, names, beside=toggle)
    with middle:
        mode = mode_picker(language)
    if common.model_unavailable(key.name, language):
        return

    reading = read_sentence(sentence, mode, language)
    if not common.show_reading_messages(reading):
        return
    with right:
        target, loss_step = _target_controls(key, reading.tokens, language)
    trace = get_trace(key, reading.tokens, target, loss_step)
    common.show_tokens(trace, language)

    playing = st.session_state.get("playing", False)
    st.fragment(_step_body, run_every=PLAY_SECONDS if playing else None)(trace, language, known)

    common.model_card(get_model(key).card, language, seed=key.seed)
    common.downloads(trace, language, key="explore")
