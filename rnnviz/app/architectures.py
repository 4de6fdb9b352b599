"""View 3, RNN vs LSTM vs GRU: one sentence through all three in lockstep, gradient decay with
distance, the long-memory experiment, and an untrained RNN whose W the user rescales."""

from __future__ import annotations

import random

import numpy as np
import streamlit as st

from rnnviz import figures
from rnnviz.memory import FILLER_POOL, PROFESSIONS, memory_prompt_tokens
from rnnviz.registry import RECURRENT, TASKS

from . import common
from .controls import ARTICLE_EXAMPLES, sentence_input, step_slider
from .i18n import text
from .inputs import read_sentence
from .resources import ModelKey, get_model, get_trace, model_names, model_problem
from .state import MEMORY_PROMPT, sync_query

COLUMN_LABELS = 4  # room for token labels on a chart one third of the page wide


def _task_models(task: str) -> list[str]:
    """The task's recurrent models that exist and load (a broken file only drops its own)."""
    names = model_names()
    listed = [f"{task}-{arch}" for arch in RECURRENT if f"{task}-{arch}" in names]
    return [name for name in listed if model_problem(name) is None]


def _lockstep(traces: dict, language: str, known) -> None:
    first = next(iter(traces.values()))
    step = step_slider("astep", first.tokens, language)
    sync_query(known, ["astep"])
    common.window_note(first, step, language)
    columns = st.columns(len(traces))
    for column, (name, trace) in zip(columns, traces.items(), strict=True):
        with column:
            st.markdown(f"**{name}**")
            top = int(np.argmax(trace.probs[step]))
            st.metric(
                text("outputs_at_step", language, t=step + 1),
                trace.labels[top],
                f"p = {trace.probs[step, top]:.3f}",
                delta_color="off",
                delta_arrow="off",
            )
            common.chart(
                figures.hidden_heatmap(
                    trace,
                    step,
                    text("hidden", language),
                    unit_title=text("axis_unit", language),
                    max_labels=COLUMN_LABELS,
                ),
                key=f"arch_hidden_{name}",
            )
            if trace.gates:
                common.chart(
                    figures.gate_heatmaps(
                        trace, step, common.gate_titles(language), max_labels=COLUMN_LABELS
                    ),
                    key=f"arch_gates_{name}",
                )
            else:
                st.caption(text("no_gates", language, arch=trace.arch.upper()))


def _decay(traces: dict, language: str, key: str, source: int = 0) -> None:
    common.chart(
        figures.gradient_decay_comparison(
            traces,
            text("decay_compare", language),
            text("distance", language),
            text("relative", language),
        ),
        key=key,
    )
    for name, trace in traces.items():
        st.caption(f"{name}: {common.decay_sentence(trace, language, source)}")


def _fillers(count: int) -> list[str]:
    """The same filler words for the same k, so a link reproduces the live try."""
    rng = random.Random(count)
    return [rng.choice(FILLER_POOL) for _ in range(count)]


def _memory_experiment(language: str) -> None:
    st.subheader(text("memory_title", language))
    names = _task_models("memory")
    if not names:
        return
    cards = {name: get_model(ModelKey(name)).card for name in names}
    chance = next(iter(cards.values())).get("baselines", {}).get("chance")
    common.chart(
        figures.memory_accuracy_chart(
            cards, text("memory_chart", language), text("filler_k", language), chance
        ),
        key="memory_chart",
    )
    distance_for_curve = 30
    common.chart(
        figures.learning_curve_chart(
            cards,
            distance_for_curve,
            text("learning_curve", language, k=distance_for_curve),
            text("training_step", language),
            text("accuracy", language),
        ),
        key="learning_curve",
    )
    st.markdown(f"**{text('live_try', language)}**")
    left, right = st.columns(2)
    profession = left.selectbox(text("profession", language), list(PROFESSIONS), key="prof")
    distance = right.slider(text("filler_k", language), 0, 50, key="k")
    tokens = tuple(memory_prompt_tokens(profession, _fillers(distance)))
    st.code("".join(tokens) + " → ?", language=None, wrap_lines=True)
    traces = {name: get_trace(ModelKey(name), tokens) for name in names}
    for column, (name, trace) in zip(st.columns(len(traces)), traces.items(), strict=True):
        label = trace.labels[trace.prediction]
        column.metric(
            name,
            label,
            f"p = {trace.probs[-1, trace.prediction]:.3f}",
            delta_color="off",
            delta_arrow="off",
        )
    # the profession is token 5 of the prompt: how much gradient still reaches it
    _decay(traces, language, key="memory_decay", source=tokens.index(profession))


def _radius_knob(tokens: tuple[str, ...], task: str, language: str) -> None:
    st.subheader(text("radius_title", language))
    name = f"{task}-rnn"
    if name not in model_names() or model_problem(name):
        return
    radius = st.slider(text("radius", language), 0.5, 2.0, step=0.1, key="rho")
    trace = get_trace(ModelKey(name, untrained=True, seed=0, radius=round(radius, 2)), tokens)
    regime = "radius_small" if radius < 1 else "radius_one" if radius == 1 else "radius_large"
    st.caption(text(regime, language))
    common.chart(
        figures.gradient_chart(
            trace,
            None,
            text("gradients", language),
            (text("grad_h", language), text("grad_x", language)),
        ),
        key="radius_gradients",
    )
    if not (np.all(np.isfinite(trace.grad_hidden)) and np.all(np.isfinite(trace.grad_input))):
        st.warning(text("overflow", language))
    else:
        st.info(common.decay_sentence(trace, language), icon=":material/trending_down:")


def render(language: str, known) -> None:
    st.caption(text("arch_intro", language))
    task = st.segmented_control(
        text("task", language),
        TASKS,
        key="task",
        required=True,
        format_func=lambda t: text(f"task_{t}", language),
    )
    sentence = sentence_input("a", language, examples=[MEMORY_PROMPT, *ARTICLE_EXAMPLES])
    reading = read_sentence(sentence, "word", language)
    if common.show_reading_messages(reading):
        names = _task_models(task)
        for arch in RECURRENT:
            name = f"{task}-{arch}"
            if name in model_names():
                common.model_unavailable(name, language)
            else:
                st.caption(text("missing_arch", language, arch=arch.upper()))
        traces = {name: get_trace(ModelKey(name), reading.tokens) for name in names}
        if traces:
            st.fragment(_lockstep)(traces, language, known)
            _decay(traces, language, key="arch_decay")
        _radius_knob(reading.tokens, task, language)
    _memory_experiment(language)
