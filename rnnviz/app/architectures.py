"""View 3, RNN vs LSTM vs GRU: one sentence through all three in lockstep, gradient decay with
distance, the long-memory experiment, and an untrained RNN whose W the user rescales."""

from __future__ import annotations

import numpy as np
import streamlit as st

from rnnviz import figures
from rnnviz.memory import PROFESSIONS, live_prompt_tokens, split_answer
from rnnviz.registry import RECURRENT, TASKS

from . import common
from .controls import ARTICLE_EXAMPLES, sentence_input, step_slider
from .i18n import text
from .inputs import read_sentence
from .race_view import render_race
from .resources import ModelKey, get_model, get_trace, model_names
from .state import MEMORY_PROMPT, sync_query


def _task_models(task: str) -> list[str]:
    names = model_names()
    return [f"{task}-{arch}" for arch in RECURRENT if f"{task}-{arch}" in names]


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
            )
            common.chart(
                figures.hidden_heatmap(trace, step, text("hidden", language)),
                key=f"arch_hidden_{name}",
            )
            if trace.gates:
                common.chart(
                    figures.gate_heatmaps(trace, step, common.gate_titles(language)),
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


FLAGSHIP = "我的职业是程序员，今天天气很好，我最擅长的是电脑"


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
    seeds = len(next(iter(cards.values())).get("seeds", [])) or 1
    steps = next(iter(cards.values())).get("training", {}).get("steps", 0)
    st.caption(text("memory_seeds_note", language, seeds=seeds, steps=steps))
    st.markdown(f"**{text('live_try', language)}**")
    left, right = st.columns(2)
    profession = left.selectbox(text("profession", language), list(PROFESSIONS), key="prof")
    distance = right.slider(text("filler_k", language), 0, 50, key="k")
    typed = st.text_input(
        text("memory_own", language),
        key="mem_own",
        placeholder=FLAGSHIP,
        help=text("memory_own_help", language),
    )
    answer = None
    if typed.strip():
        reading = read_sentence(typed, "word", language)
        if not common.show_reading_messages(reading):
            return
        prompt, answer = split_answer(reading.tokens)
        tokens = tuple(prompt)
    else:
        tokens = tuple(live_prompt_tokens(profession, distance))
    st.code("".join(tokens) + " → " + (answer or "?"), language=None, wrap_lines=True)
    traces = {name: get_trace(ModelKey(name), tokens) for name in names}
    for column, (name, trace) in zip(st.columns(len(traces)), traces.items(), strict=True):
        label = trace.labels[trace.prediction]
        column.metric(
            name, label, f"p = {trace.probs[-1, trace.prediction]:.3f}", delta_color="off"
        )
        if answer is not None:
            probability = trace.probs[-1, trace.labels.index(answer)]
            column.caption(text("memory_answer_p", language, answer=answer, p=probability))
    # how much gradient still reaches the profession (the first one named in the prompt)
    source = next((i for i, token in enumerate(tokens) if token in PROFESSIONS), 0)
    _decay(traces, language, key="memory_decay", source=source)


def _radius_knob(tokens: tuple[str, ...], task: str, language: str) -> None:
    st.subheader(text("radius_title", language))
    name = f"{task}-rnn"
    if name not in model_names():
        return
    radius = st.slider(text("radius", language), 0.5, 2.0, step=0.1, key="rho")
    trace = get_trace(ModelKey(name, untrained=True, seed=0, radius=round(radius, 2)), tokens)
    st.caption(text("radius_small" if radius < 1 else "radius_large", language))
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
    sync_query(known, ["task", "a", "prof", "k", "rho"])
    reading = read_sentence(sentence, "word", language)
    if common.show_reading_messages(reading):
        names = _task_models(task)
        for arch in RECURRENT:
            if f"{task}-{arch}" not in names:
                st.caption(text("missing_arch", language, arch=arch.upper()))
        traces = {name: get_trace(ModelKey(name), reading.tokens) for name in names}
        st.fragment(_lockstep)(traces, language, known)
        _decay(traces, language, key="arch_decay")
        _radius_knob(reading.tokens, task, language)
    _memory_experiment(language)
    render_race(language)
