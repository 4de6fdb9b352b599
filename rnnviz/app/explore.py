"""View 1, explore one sentence: step through it with the unrolled diagram and the real
arithmetic, then its hidden states, gates, outputs and gradients."""

from __future__ import annotations

import streamlit as st

from rnnviz import Trace, figures

from . import common, stepper
from .controls import (
    ARTICLE_EXAMPLES,
    REVIEW_EXAMPLES,
    mode_picker,
    model_picker,
    sentence_input,
)
from .i18n import text
from .inputs import read_sentence
from .resources import ModelKey, get_model, get_trace, model_names
from .state import sync_query


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


def _step_body(trace: Trace, language: str, known) -> None:
    """The step-through (stepped in the browser) and the charts whose step highlight it moves;
    this fragment reruns only when the browser reports a pause."""
    charts = ["step_hidden", "step_gates", "step_lines", "step_gradients"]
    step = stepper.step_through(trace, language, charts)
    sync_query(known, ["step"])
    common.window_note(trace, step, language)
    if len(trace.tokens) > figures.WINDOW:
        st.caption(text("step_charts_follow", language))
    common.chart(figures.hidden_heatmap(trace, step, text("hidden", language)), key=charts[0])
    if trace.gates:
        common.chart(
            figures.gate_heatmaps(trace, step, common.gate_titles(language)), key=charts[1]
        )
    if trace.head == "lm":
        if len(trace.tokens) > 1:
            common.chart(
                figures.next_word_probability(trace, step, text("next_word_line", language)),
                key=charts[2],
            )
    else:
        common.chart(
            figures.class_probability_lines(trace, step, text("class_lines", language)),
            key=charts[2],
        )
    names = (text("grad_h", language), text("grad_x", language))
    common.chart(
        figures.gradient_chart(trace, step, text("gradients", language), names), key=charts[3]
    )
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
    left, middle, right = st.columns([2, 2, 2])
    with left:
        key = model_picker(language, names)
    with middle:
        mode = mode_picker(language)
    sync_query(known, ["s", "model", "untrained", "seed", "mode"])

    reading = read_sentence(sentence, mode, language)
    if not common.show_reading_messages(reading):
        return
    with right:
        target, loss_step = _target_controls(key, reading.tokens, language)
    trace = get_trace(key, reading.tokens, target, loss_step)
    common.show_tokens(trace, language)

    st.fragment(_step_body)(trace, language, known)

    common.model_card(get_model(key).card, language, seed=key.seed)
    common.downloads(trace, language, key="explore")
