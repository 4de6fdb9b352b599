"""View 1, explore one sentence: step through it with the unrolled diagram and the real
arithmetic, then its hidden states, gates, outputs and gradients. It reads controls, takes
traces from resources and draws them; it computes nothing."""

from __future__ import annotations

import streamlit as st

from rnnviz import TargetChoice, Trace, figures
from rnnviz.memory import profession_distances

from .. import common, stepper
from ..chart_cache import recipe
from ..controls import (
    examples_for,
    known_label,
    mode_picker,
    model_picker,
    sentence_input,
)
from ..i18n import class_name, text
from ..inputs import escape_markdown, read_sentence
from ..resources import (
    ModelKey,
    get_model,
    get_target_choices,
    get_trace,
    model_mode,
    model_names,
)
from ..state import DEFAULT_MODEL, sync_query
from . import influence


def _describe(choice: TargetChoice, language: str) -> str:
    if choice.kind == "class":
        return class_name(choice.label, language)
    described = f"{choice.number}: {choice.label}"
    return text("target_unknown_word", language, choice=described) if choice.unknown else described


def _target_controls(key: ModelKey, tokens: tuple[str, ...], sentence: str, language: str):
    """The loss whose gradients are drawn, picked by the teacher (URL `target`, 1-based; 0 is
    the default): a class, by default the true class of a labelled example; or the LM's
    word, by default the last one. Returns trace()'s keyword arguments for it."""
    choices = get_target_choices(key, tokens)
    if not choices:
        return {}
    by_number = {choice.number: choice for choice in choices}
    if choices[0].kind == "class":
        true_label = known_label(sentence)
        default = next((c for c in choices if c.label == true_label), choices[0])
    else:
        true_label, default = None, choices[0]
    if st.session_state.get("target", 0) not in (0, *by_number):
        st.session_state["target"] = 0  # the sentence or the model changed under it
    st.selectbox(
        text("target_class" if default.kind == "class" else "target_word", language),
        [0, *by_number],
        key="target",
        format_func=lambda number: (
            text("target_default", language, choice=_describe(default, language))
            if number == 0
            else _describe(by_number[number], language)
        ),
    )
    chosen = by_number.get(st.session_state["target"], default)
    word = escape_markdown(_describe(chosen, language) if chosen.kind == "class" else chosen.label)
    if chosen.kind == "word":
        note = text("target_next_word", language, word=word, t=chosen.number - 1)
        if chosen.unknown:
            note += " " + text("target_next_unknown", language, word=word)
    elif st.session_state["target"] != 0:
        note = text("target_picked_class", language, label=word)
    elif true_label is not None:
        note = text("target_known_class", language, label=word)
    else:
        note = text("target_no_label", language, label=word)
    st.caption(note)
    return chosen.trace_arguments()


def _step_body(trace: Trace, language: str, known, key: ModelKey) -> None:
    """The step-through (stepped in the browser) and the charts whose step highlight it moves;
    this fragment reruns only when the browser reports a pause."""
    charts = ["step_hidden", "step_gates", "step_lines", "step_gradients"]
    charts += influence.STEP_CHARTS
    step = stepper.step_through(trace, language, charts)
    sync_query(known, ["step"])
    common.window_note(trace, step, language)
    if len(trace.tokens) > figures.WINDOW:
        st.caption(text("step_charts_follow", language))
    common.chart(
        recipe(
            figures.hidden_heatmap,
            trace,
            step,
            text("hidden", language),
            unit_title=text("axis_unit", language),
        ),
        key=charts[0],
    )
    if trace.gates:
        common.chart(
            recipe(figures.gate_heatmaps, trace, step, common.gate_titles(language)), key=charts[1]
        )
    if trace.head == "lm":
        if len(trace.tokens) > 1:
            common.chart(
                recipe(
                    figures.next_word_probability,
                    trace,
                    step,
                    text("next_word_line", language),
                    probability_title=text("axis_p", language),
                ),
                key=charts[2],
            )
    else:
        common.chart(
            recipe(
                figures.class_probability_lines,
                trace,
                step,
                text("class_lines", language),
                probability_title=text("axis_p", language),
            ),
            key=charts[2],
        )
    names = (text("grad_h", language), text("grad_x", language))
    common.chart(
        recipe(figures.gradient_chart, trace, step, text("gradients", language), names),
        key=charts[3],
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
    common.decay_note(language)
    influence.explore_section(key, trace, step, language)


def _segmentation_note(sentence: str, language: str) -> None:
    """Segmentation is a variable: how many steps separate the profession from its skill when
    the same sentence is read as words and as characters (only for a sentence naming both)."""
    readings = {mode: read_sentence(sentence, mode, language).tokens for mode in ("word", "char")}
    if any(tokens is None for tokens in readings.values()):
        return
    profession, skill, steps = profession_distances(readings)
    if not profession or None in steps.values():
        return
    st.caption(
        text(
            "segmentation_steps",
            language,
            first=escape_markdown(profession),
            last=escape_markdown(skill),
            words=steps["word"],
            chars=steps["char"],
        )
    )


def render(language: str, known) -> None:
    names = model_names()
    # examples that the model chosen (drawn below) knows every word of
    chosen = st.session_state.get("model") or DEFAULT_MODEL
    sentence = sentence_input(
        "s", language, examples=examples_for(chosen), example_mode=model_mode(chosen)
    )
    left, toggle, middle, right = st.columns([1.8, 1.8, 1.5, 2], vertical_alignment="bottom")
    with left:
        key = model_picker(language, names, beside=toggle)
    with middle:
        mode = mode_picker(language, fixed=model_mode(key.name))
    if common.model_unavailable(key.name, language):
        return

    reading = read_sentence(sentence, mode, language)
    if not common.show_reading_messages(reading):
        return
    with right:
        loss = _target_controls(key, reading.tokens, sentence, language)
    trace = get_trace(key, reading.tokens, **loss)
    common.show_tokens(trace, language)
    _segmentation_note(sentence, language)

    st.fragment(_step_body)(trace, language, known, key)

    common.model_card(get_model(key).card, language, seed=key.seed)
    common.downloads(trace, language, key="explore")
