"""The lesson's sections of chapters 1-5, in the article's order: order, the loop, unrolled,
a step, softmax, the last output, the loss, distance, the learning signal, the gates, the race.
Each reads the shipped models through the cached resources, takes its numbers from
rnnviz.teaching and the core, and draws them; none computes a quantity itself."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from rnnviz import figures
from rnnviz.memory import (
    PROFESSIONS,
    accuracy_bands,
    accuracy_over_seeds,
    curve_bands,
    live_prompt_tokens,
)
from rnnviz.steps import cross_entropy
from rnnviz.teaching import (
    accuracy_at,
    carrier_shares,
    keeps_more,
    leans_to,
    order_effect,
    probability_course,
    read_softmax,
    softmax_parts,
    span,
)
from rnnviz.vanishing import FORGET_BIAS_START

from ... import common, live_class, stepper
from ...chart_cache import recipe
from ...i18n import class_name, text
from ...resources import (
    ModelKey,
    forget_start_signal,
    get_model,
    get_trace,
    learning_signal_curves,
    signal_seed_medians,
)
from ..race import render_race
from .article import render_article
from .parts import (
    FAR,
    ORDER_SENTENCES,
    PATH_DISTANCE,
    RACE_ROOM,
    SKILL_PROFESSION,
    SUBSCRIPTS,
    cell_path,
    columns,
    dark,
    flip,
    has,
    label_index,
    link,
    memory_trace,
    show,
    tokens_line,
)
from .questions import Question, ask, is_revealed


def _order_reading(name: str, values: list[float], language: str) -> str:
    """What one recurrent model does with the first pair: how far p(正面) moves with the
    order, and whether its answer flips (the class it gives is read off the 0.5 line)."""

    def answer(p: float) -> str:
        return class_name("正面" if leans_to(p) else "负面", language)

    first, second = values[0], values[1]
    key = "lesson_order_flips" if answer(first) != answer(second) else "lesson_order_moves"
    return text(
        key,
        language,
        name=name.removeprefix("sentiment-").upper(),
        first=first,
        second=second,
        was=answer(first),
        now=answer(second),
    )


def _order(language: str, corner) -> None:
    text_column, figure_column = columns()
    rnn, lstm, bow = "sentiment-rnn", "sentiment-lstm", "sentiment-bow"
    with text_column:
        tokens_line(["".join(ORDER_SENTENCES[0]), "".join(ORDER_SENTENCES[1])], " ↔ ")
        if not has(rnn, bow):
            st.warning(text("lesson_missing", language, names=f"{rnn}, {bow}"))
            return
    # The LSTM beside the RNN when it is shipped: the RNN's answer moves with the order but
    # does not flip on the first pair; the LSTM's does.
    series = {}
    effects = {}
    for name in (bow, rnn, lstm) if has(lstm) else (bow, rnn):
        key = ModelKey(name)
        positive = get_model(key).labels.index("正面")
        traces = [get_trace(key, s) for s in ORDER_SENTENCES]
        effects[name] = order_effect([float(trace.probs[-1, positive]) for trace in traces])
        series[name] = (traces[0].arch, list(effects[name].final))
    with text_column:
        same = not effects[bow].changes
        choices = (text("lesson_c_change", language), text("lesson_c_same", language))
        revealed = ask(Question("order", choices, 1 if same else 0), language)
        if revealed:
            readings = [text("lesson_a_order", language, bow=effects[bow].spread)]
            readings += [
                _order_reading(name, values, language)
                for name, (_, values) in series.items()
                if name != bow
            ]
            st.success("  \n".join(readings))
        link(
            corner,
            language,
            view="compare",
            cmodel=rnn,
            c1=" ".join(ORDER_SENTENCES[0]),
            c2=" ".join(ORDER_SENTENCES[1]),
        )
    if revealed:
        with figure_column:
            show(
                recipe(
                    figures.reordering_bars,
                    ["".join(s) for s in ORDER_SENTENCES],
                    series,
                    text("lesson_f_order", language),
                    text("lesson_p_positive", language),
                ),
                "lesson_figure",
            )


def _loop(language: str, corner) -> None:
    text_column, figure_column = columns()
    with text_column:
        st.latex(r"h_t = \tanh(U x_t + W h_{t-1} + b)")
        st.latex(r"y_t = \mathrm{softmax}(V h_t + c)")
        st.markdown(text("lesson_loop_names", language))
        link(
            corner,
            language,
            view="explore",
            model="memory-rnn",
            s="".join(live_prompt_tokens(SKILL_PROFESSION, 0)),
        )
    with figure_column:
        names = {kind: text(f"lesson_box_{kind}", language) for kind in ("x", "h", "y")}
        show(recipe(figures.loop_diagram, names, text("lesson_f_loop", language)), "lesson_figure")


def _unrolled(language: str, corner) -> None:
    trace = memory_trace("rnn", 0)
    shape = "×".join(str(n) for n in trace.params["W"].shape)
    link(corner, language, view="explore", model="memory-rnn", s="".join(trace.tokens))
    text_column, figure_column = columns()
    with text_column:
        # the model holds one recurrent matrix W [H, H], whatever the sentence's length
        one = trace.params["W"].ndim == 2
        choices = (text("lesson_c_one_w", language), text("lesson_c_many_w", language))
        if ask(Question("unrolled", choices, 0 if one else 1), language):
            st.success(text("lesson_a_unrolled", language, shape=shape, T=len(trace.tokens)))
    if is_revealed("unrolled"):
        with figure_column:
            stepper.slide(trace, language, ["diagram"], key="lesson_stepper", dark=dark())


def _step(language: str, corner) -> None:
    trace = memory_trace("rnn", 0)
    link(corner, language, view="explore", model="memory-rnn", s="".join(trace.tokens))
    stepper.slide(trace, language, ["diagram", "equation"], key="lesson_stepper", dark=dark())


def _softmax(language: str, corner) -> None:
    text_column, figure_column = columns()
    trace = memory_trace("rnn", 0)
    last = len(trace.tokens) - 1
    parts = softmax_parts(trace, last)
    reading = read_softmax(parts)
    with text_column:
        tokens_line([*trace.tokens, "→ ?"])
        st.latex(r"p_i = \frac{e^{z_i}}{\sum_j e^{z_j}},\quad z = V h_T + c")
        st.markdown(
            text(
                "lesson_softmax_sum",
                language,
                total=reading.total,
                top=trace.labels[reading.top],
                p=reading.probability,
            )
        )
        link(corner, language, view="explore", model="memory-rnn", s="".join(trace.tokens))
    with figure_column:
        titles = [text(f"lesson_softmax_{name}", language) for name in ("z", "exp", "p")]
        show(
            recipe(
                figures.softmax_chart,
                trace.labels,
                parts.logits,
                parts.exponentials,
                parts.probabilities,
                titles,
                text("lesson_f_softmax", language),
            ),
            "lesson_figure",
        )


def _last(language: str, corner) -> None:
    text_column, figure_column = columns()
    name = "sentiment-rnn"
    if not has(name):
        text_column.warning(text("lesson_missing", language, names=name))
        return
    trace = get_trace(ModelKey(name), ORDER_SENTENCES[0])
    course = probability_course(trace, label_index(name, "正面"))
    total = len(trace.tokens)
    with text_column:
        tokens_line(trace.tokens)
        # only the output after the last token depends on every token
        choices = tuple(text(f"lesson_c_{c}", language) for c in ("first", "middle", "final"))
        revealed = ask(Question("last", choices, 2), language)
        if revealed:
            st.success(
                text(
                    "lesson_a_last",
                    language,
                    T=total,
                    y=f"y{str(total).translate(SUBSCRIPTS)}",
                    first=course.first,
                    low=course.lowest,
                    final=course.final,
                )
            )
        link(corner, language, view="explore", model=name, s="".join(trace.tokens))
    if revealed:
        with figure_column:
            show(
                recipe(
                    figures.class_probability_lines, trace, None, text("lesson_f_last", language)
                ),
                "lesson_figure",
            )


def _loss(language: str, corner) -> None:
    text_column, figure_column = columns()
    trace = memory_trace("rnn", 0)
    target = label_index("memory-rnn", PROFESSIONS[SKILL_PROFESSION])
    probabilities = trace.probs[-1]
    loss = cross_entropy(probabilities, target)
    with text_column:
        tokens_line([*trace.tokens, f"→ {trace.labels[target]}"])
        st.latex(r"L = -\log p_{\text{" + trace.labels[target] + r"}}")
        st.markdown(
            text(
                "lesson_loss_value",
                language,
                p=float(probabilities[target]),
                loss=loss,
                word=trace.labels[target],
            )
        )
        link(corner, language, view="explore", model="memory-rnn", s="".join(trace.tokens))
    with figure_column:
        show(
            recipe(
                figures.cross_entropy_chart,
                probabilities,
                trace.labels,
                target,
                text("lesson_f_loss", language),
                text("lesson_p_right", language),
            ),
            "lesson_figure",
        )


def _distance(language: str, corner) -> None:
    text_column, figure_column = columns()
    if not has("memory-rnn"):
        text_column.warning(text("lesson_missing", language, names="memory-rnn"))
        return
    trace = memory_trace("rnn", FAR)
    skill = PROFESSIONS[SKILL_PROFESSION]
    said = trace.labels[trace.prediction]
    card = get_model(ModelKey("memory-rnn")).card
    accuracy = accuracy_at(accuracy_over_seeds(card), FAR)
    with text_column:
        tokens_line(["".join(trace.tokens), "→ ?"], " ")
        choices = (text("lesson_c_yes", language, word=skill), text("lesson_c_no", language))
        right = 0 if trace.prediction == label_index("memory-rnn", skill) else 1
        revealed = ask(Question("distance", choices, right), language)
        if revealed:
            st.success(
                text(
                    "lesson_a_distance",
                    language,
                    k=FAR,
                    said=said,
                    p=float(trace.probs[-1, trace.prediction]),
                    accuracy=float("nan") if accuracy is None else accuracy,
                )
            )
        link(corner, language, view="arch", task="memory", k=FAR)
    if revealed:
        with figure_column:
            show(
                recipe(
                    figures.memory_accuracy_chart,
                    accuracy_bands({"memory-rnn": card}),
                    text("lesson_f_distance", language),
                    text("filler_k", language),
                    card.get("baselines", {}).get("chance"),
                    text("chance", language),
                ),
                "lesson_figure",
            )


def _signal(language: str, corner) -> None:
    text_column, figure_column = columns()
    curves = learning_signal_curves()
    forget_start = forget_start_signal()
    medians = signal_seed_medians(FAR)
    starts = [medians.lstm, medians.lstm_forget_start]
    with text_column:
        revealed = ask(
            Question(
                "signal",
                tuple(
                    text(f"lesson_c_more_{choice}", language)
                    for choice in ("rnn", "lstm", "depends")
                ),
                keeps_more(medians.rnn, starts),
            ),
            language,
        )
        if revealed:
            spans = {
                kind: [common.scientific(value) for value in span(values)]
                for kind, values in (
                    ("rnn", medians.rnn),
                    ("lstm", medians.lstm),
                    ("start", medians.lstm_forget_start),
                )
            }
            st.success(
                text(
                    "lesson_a_signal",
                    language,
                    k=FAR,
                    seeds=len(medians.seeds),
                    rnn_low=spans["rnn"][0],
                    rnn_high=spans["rnn"][1],
                    lstm_low=spans["lstm"][0],
                    lstm_high=spans["lstm"][1],
                    start_low=spans["start"][0],
                    start_high=spans["start"][1],
                    bias=FORGET_BIAS_START,
                )
            )
        link(corner, language, view="arch", task="memory", k=FAR)
    if revealed:
        shown = {**curves, "lstm-forget-start": forget_start}
        names = {
            arch: text("lesson_before_training", language, arch=arch.upper()) for arch in curves
        }
        names["lstm-forget-start"] = text("lesson_forget_start", language, bias=FORGET_BIAS_START)
        with figure_column:
            show(
                recipe(
                    figures.learning_signal_chart,
                    shown,
                    names,
                    text("lesson_f_signal", language),
                    text("filler_k", language),
                    text("signal_axis", language),
                ),
                "lesson_figure",
            )
            st.caption(text("lesson_signal_not", language))  # right under the chart


def _gates(language: str, corner) -> None:
    text_column, figure_column = columns()
    if not has("memory-lstm"):
        text_column.warning(text("lesson_missing", language, names="memory-lstm"))
        return
    path = cell_path(SKILL_PROFESSION, PATH_DISTANCE)
    trace = memory_trace("lstm", PATH_DISTANCE)
    size = trace.hidden.shape[1]
    show_all = st.session_state.get("lesson_all_units", False)
    units = list(range(size)) if show_all else sorted(int(unit) for unit in path.units)
    shares = carrier_shares(path.filler_product)
    with text_column:
        st.latex(r"c_t = f_t \odot c_{t-1} + i_t \odot g_t")
        st.markdown(
            text(
                "lesson_gates_measure",
                language,
                n=len(path.units),
                k=PATH_DISTANCE,
                best=shares.best,
                carried=shares.median,
                everyone=common.scientific(path.median_filler_product),
            )
        )
        st.button(
            text("lesson_units_some" if show_all else "lesson_units_all", language, n=size),
            key="lesson_units",
            on_click=flip,
            args=("lesson_all_units",),
        )
        link(corner, language, view="arch", task="memory", prof=SKILL_PROFESSION)
    fillers = path.fillers
    ticks = {
        path.profession_step: trace.tokens[path.profession_step],
        (fillers.start + fillers.stop - 1) // 2: text("lesson_fillers", language, k=len(fillers)),
        len(trace.tokens) - 1: trace.tokens[-1],
    }
    with figure_column:
        show(
            recipe(
                figures.unit_heatmap,
                trace.gates["forget"][:, units],
                trace.tokens,
                units,
                (0, 1),
                text("lesson_f_gates", language, n=len(units)),
                "f",
                ticks,
            ),
            "lesson_figure",
        )


def _race(language: str, corner) -> None:
    text_column, figure_column = columns()
    names = [f"memory-{arch}" for arch in ("rnn", "lstm", "gru") if has(f"memory-{arch}")]
    cards = {name: get_model(ModelKey(name)).card for name in names}
    distance = 30
    with text_column:
        for name, card in cards.items():
            accuracy = accuracy_at(accuracy_over_seeds(card), distance)
            if accuracy is not None:
                st.markdown(f"- **{name}**: {accuracy:.0%} (k = {distance})")
        seeds = len(next(iter(cards.values()), {}).get("seeds", []))
        if seeds > 1:
            st.caption(text("lesson_race_note", language, seeds=seeds))
        else:
            st.caption(text("lesson_race_note_one", language))
        link(corner, language, view="arch", task="memory", k=distance)
    if cards:
        with figure_column:
            show(
                recipe(
                    figures.learning_curve_chart,
                    curve_bands(cards, distance),
                    text("learning_curve", language, k=distance),
                    text("training_step", language),
                    text("accuracy", language),
                ),
                "lesson_figure",
                shorter=RACE_ROOM,
            )
    # The live race below the slide (it needs a teacher's settings, so it starts folded): it
    # keeps running while this section is shown, as in the RNN·LSTM·GRU view.
    with st.expander(text("lesson_live_race", language), icon=":material/sprint:"):
        render_race(language, "lesson_race", watch_only=live_class.following())


RENDERERS: dict[str, Callable] = {
    "order": _order,
    "loop": _loop,
    "unrolled": _unrolled,
    "step": _step,
    "softmax": _softmax,
    "last": _last,
    "loss": _loss,
    "distance": _distance,
    "signal": _signal,
    "gates": _gates,
    "race": _race,
    "article": render_article,
}
