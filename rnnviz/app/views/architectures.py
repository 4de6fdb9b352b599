"""View 3, RNN vs LSTM vs GRU: one sentence through all three in lockstep (with the tokens each
reads), an untrained RNN whose W the user rescales, the learning signal at initialisation, then
the trained networks' gradient shares (not a measure of memory), the long-memory experiment and
the LSTM's memory path. Numbers come from the core (rnnviz.vanishing, rnnviz.memory_path) through
resources; this module reads controls and draws; it computes nothing."""

from __future__ import annotations

import numpy as np
import streamlit as st

from rnnviz import figures
from rnnviz.memory import (
    PROFESSIONS,
    accuracy_bands,
    curve_bands,
    live_fillers,
    live_prompt_tokens,
    split_answer,
)
from rnnviz.memory_path import CellPath, lstm_cell_path, profession_separation
from rnnviz.registry import RECURRENT, TASKS, task_token_mode
from rnnviz.vanishing import PROMPTS, SEEDS, times_stronger

from .. import common, stepper
from ..chart_cache import recipe
from ..controls import EXAMPLES_BY_TASK, sentence_input, task_examples
from ..i18n import text
from ..inputs import read_sentence
from ..own_models import own_tasks
from ..resources import (
    ModelKey,
    get_model,
    get_trace,
    learning_signal_curves,
    model_mode,
    model_names,
    model_problem,
)
from ..state import sync_query
from . import influence
from .race import render_race

COLUMN_LABELS = 4  # room for token labels on a chart one third of the page wide


def _task_models(task: str) -> list[str]:
    """The task's recurrent models that exist and load (a broken file only drops its own)."""
    names = model_names()
    listed = [f"{task}-{arch}" for arch in RECURRENT if f"{task}-{arch}" in names]
    return [name for name in listed if model_problem(name) is None]


def _lockstep(traces: dict, language: str, known) -> None:
    """One set of step controls (stepped in the browser) for all three models, above their
    hidden states and gates; this fragment reruns only when the browser reports a pause."""
    if not traces:
        return
    charts = [f"arch_hidden_{name}" for name in traces]
    charts += [f"arch_gates_{name}" for name, trace in traces.items() if trace.gates]
    step = stepper.lockstep(traces, language, charts, key="arch_stepper")
    sync_query(known, ["astep"])
    first = next(iter(traces.values()))
    common.window_note(first, step, language)
    columns = st.columns(len(traces))
    for column, (name, trace) in zip(columns, traces.items(), strict=True):
        with column:
            st.markdown(f"**{name}**")
            common.chart(
                recipe(
                    figures.hidden_heatmap,
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
                    recipe(
                        figures.gate_heatmaps,
                        trace,
                        step,
                        common.gate_titles(language),
                        max_labels=COLUMN_LABELS,
                    ),
                    key=f"arch_gates_{name}",
                )
            else:
                st.caption(text("no_gates", language, arch=trace.arch.upper()))


def _decay(traces: dict, language: str, key: str, source: int = 0) -> None:
    common.chart(
        recipe(
            figures.gradient_decay_comparison,
            traces,
            text("decay_trained", language),
            text("distance", language),
            text("relative", language),
        ),
        key=key,
    )
    for name, trace in traces.items():
        st.caption(f"{name}: {common.decay_sentence(trace, language, source)}")
    common.decay_note(language)


# The memory path crosses 30 fillers whatever the live try's k: over ten, most units still keep
# much of their cell and the carriers do not stand out.
PATH_DISTANCE = 30


FLAGSHIP = "我的职业是程序员，今天天气很好，我最擅长的是电脑"


def _memory_experiment(language: str) -> None:
    st.subheader(text("memory_title", language))
    names = _task_models("memory")
    if not names:
        return
    cards = {name: get_model(ModelKey(name)).card for name in names}
    chance = next(iter(cards.values())).get("baselines", {}).get("chance")
    common.chart(
        recipe(
            figures.memory_accuracy_chart,
            accuracy_bands(cards),
            text("memory_chart", language),
            text("filler_k", language),
            chance,
            text("chance", language),
        ),
        key="memory_chart",
    )
    distance_for_curve = 30
    common.chart(
        recipe(
            figures.learning_curve_chart,
            curve_bands(cards, distance_for_curve),
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
    common.token_line("".join(tokens) + " → " + (answer or "?"))
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
        if answer is not None:
            probability = trace.probs[-1, trace.labels.index(answer)]
            column.caption(text("memory_answer_p", language, answer=answer, p=probability))
    # how much gradient still reaches the profession (the first one named in the prompt)
    source = next((i for i, token in enumerate(tokens) if token in PROFESSIONS), 0)
    _decay(traces, language, key="memory_decay", source=source)


def _learning_signal(language: str) -> None:
    st.subheader(text("signal_title", language))
    curves = learning_signal_curves()
    names = {
        arch: text("signal_legend", language, arch=arch.upper(), n=curve.halving_steps)
        for arch, curve in curves.items()
    }
    st.caption(text("signal_how", language, seeds=len(SEEDS), prompts=PROMPTS))
    common.chart(
        recipe(
            figures.learning_signal_chart,
            curves,
            names,
            text("signal_chart", language),
            text("filler_k", language),
            text("signal_axis", language),
        ),
        key="learning_signal",
    )
    at = curves["rnn"].distances.index(20)
    st.info(
        text(
            "signal_meaning",
            language,
            rnn=common.scientific(curves["rnn"].median[at]),
            lstm=common.scientific(curves["lstm"].median[at]),
            times=times_stronger(curves, "lstm", than="rnn", distance=20),
        ),
        icon=":material/school:",
    )
    st.caption(text("signal_not", language))


@st.cache_resource(show_spinner=False, max_entries=64)
def _path_data(
    profession: str, distance: int
) -> tuple[CellPath, dict[str, tuple[str, np.ndarray]]]:
    fillers = live_fillers(distance)
    path = lstm_cell_path(get_model(ModelKey("memory-lstm")), profession, fillers)
    separations = {
        name: (name.partition("-")[2], profession_separation(get_model(ModelKey(name)), fillers))
        for name in _task_models("memory")
    }
    return path, separations


def _memory_path(language: str) -> None:
    """The LSTM's memory path for the live try's profession over PATH_DISTANCE fillers."""
    st.subheader(text("path_title", language))
    if "memory-lstm" not in _task_models("memory"):  # missing or broken: its own message
        st.caption(text("missing_arch", language, arch="LSTM"))
        return
    profession = st.session_state.get("prof")
    profession = profession if profession in PROFESSIONS else next(iter(PROFESSIONS))
    distance = PATH_DISTANCE
    path, separations = _path_data(profession, distance)
    st.caption(text("path_prompt", language, profession=profession, k=distance))
    x_title = text("path_steps", language)
    filler_name = text("path_fillers", language)
    left, right = st.columns(2)
    with left:
        common.chart(
            recipe(
                figures.forget_path_chart,
                path,
                text("path_forget_chart", language),
                text("path_unit", language),
                text("path_median", language),
                x_title,
                filler_name,
            ),
            key="memory_path_forget",
        )
    with right:
        common.chart(
            recipe(
                figures.profession_separation_chart,
                separations,
                path,
                text("path_separation_chart", language),
                x_title,
                filler_name,
            ),
            key="memory_path_separation",
        )
    products = text("path_separator", language).join(
        f"#{unit} {product:.2f}"
        for unit, product in zip(path.units, path.filler_product, strict=True)
    )
    st.info(
        text(
            f"path_lstm_{path.verdict}",
            language,
            k=distance,
            products=products,
            median=common.scientific(path.median_filler_product),
        ),
        icon=":material/memory:",
    )
    if "memory-rnn" in separations:
        rnn_end = float(separations["memory-rnn"][1][-1])
        key = "path_rnn_kept" if rnn_end >= 0.5 else "path_rnn_faded"
        st.caption(text(key, language, rnn=rnn_end))
    st.caption(text("path_not", language))


def _radius_knob(tokens: tuple[str, ...], task: str, language: str) -> None:
    st.subheader(text("radius_title", language))
    name = f"{task}-rnn"
    if name not in model_names() or model_problem(name):
        return
    radius = st.slider(text("radius", language), 0.5, 2.0, step=0.1, key="rho")
    trace = get_trace(ModelKey(name, untrained=True, seed=0, radius=round(radius, 2)), tokens)
    regime = (
        "radius_one" if round(radius, 2) == 1 else "radius_small" if radius < 1 else "radius_large"
    )
    st.caption(text(regime, language))
    common.chart(
        recipe(
            figures.gradient_chart,
            trace,
            None,
            text("gradients", language),
            (text("grad_h", language), text("grad_x", language)),
        ),
        key="radius_gradients",
    )
    if not trace.gradients_finite:
        st.warning(text("overflow", language))
    else:
        st.info(common.decay_sentence(trace, language), icon=":material/trending_down:")


def _task_changed() -> None:
    """A new task brings its own first example into the sentence box, unless the box holds a
    sentence the user typed (one that is no task's example): another task's example would be
    read with <unk> by this task's models."""
    examples = task_examples(st.session_state.get("task"))
    offered = {example for listed in EXAMPLES_BY_TASK.values() for example in listed}
    sentence = (st.session_state.get("a") or "").strip()
    if examples and (not sentence or sentence in offered):
        st.session_state["a"] = examples[0]


def _tokens(traces: dict, language: str) -> None:
    """The tokens as each model reads them: a word unknown to one model is red in its line."""
    st.caption(text("arch_tokens", language))
    for name, trace in traces.items():
        common.show_tokens(trace, language, heading=name, legend=False)


def render(language: str, known) -> None:
    st.caption(text("arch_intro", language))
    tasks = (*TASKS, *own_tasks(model_names()))
    if st.session_state.get("task") not in tasks:  # a session model removed under it
        st.session_state["task"] = "memory"
    task = st.segmented_control(
        text("task", language),
        tasks,
        key="task",
        required=True,
        format_func=lambda t: (
            text(f"task_{t}", language) if t in TASKS else text("task_own", language, group=t)
        ),
        on_change=_task_changed,
    )
    sentence = sentence_input("a", language, examples=task_examples(task))
    mode = task_token_mode(task) if task in TASKS else model_mode(_task_models(task)[0])
    reading = read_sentence(sentence, mode, language)
    traces = {}
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
            _tokens(traces, language)
            st.fragment(_lockstep)(traces, language, known)
            influence.arch_section(traces, language)
        _radius_knob(reading.tokens, task, language)
    # what holds when training starts comes first; the trained networks' shares, which can
    # look the other way, follow with the sentence that links the two
    _learning_signal(language)
    if traces:
        st.markdown(text("signal_bridge", language))
        _decay(traces, language, key="arch_decay")
    _memory_experiment(language)
    _memory_path(language)
    render_race(language)
