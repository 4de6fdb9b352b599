"""View 4, the lesson: the seed article as a sequence of sections a teacher presents
(?view=lesson&sec=N, 1-based). Each section has a title, one takeaway, one live figure and a
link to the full view with the same settings; several ask the class to predict before the
answer and the figure are revealed. Presenter mode (&present=1) hides the sidebar and inputs,
enlarges every text and fits each figure on a 1280x720 projector; keys move between sections.
It reads the models and the core; every number on screen is computed here, on this run."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import numpy as np
import segno
import streamlit as st

from rnnviz import figures
from rnnviz.memory import PROFESSIONS, accuracy_over_seeds, live_fillers, live_prompt_tokens
from rnnviz.memory_path import lstm_cell_path
from rnnviz.teaching import (
    READABLE_UNITS,
    SECTION_COUNT,
    SECTIONS,
    cross_entropy,
    design_ranges,
    keeps_more,
    recognises,
    softmax_parts,
)
from rnnviz.tokens import tokenize
from rnnviz.vanishing import FORGET_BIAS_START

from . import common, live_class, stepper
from .chart_cache import Recipe, SharedChart, recipe, shared
from .i18n import class_name, text
from .lesson_keys import asked_section, key_listener
from .lesson_share import address_choice, students_base
from .lesson_style import lesson_style
from .race_view import render_race
from .resources import (
    ModelKey,
    forget_start_signal,
    get_model,
    get_trace,
    learning_signal_curves,
    model_names,
    model_problem,
    signal_seed_medians,
)

CHAPTER = {
    "order": 1,
    "loop": 2,
    "unrolled": 3,
    "step": 3,
    "softmax": 3,
    "last": 3,
    "loss": 3,
    "distance": 4,
    "signal": 4,
    "gates": 5,
    "race": 5,
    "article": 6,
}
# Every word of these is in the sentiment models' vocabulary (no <unk>); each pair is the same
# words with the two halves swapped.
ORDER_SENTENCES = (
    ("虽然", "服务", "很差", "但是", "环境", "很", "好"),
    ("虽然", "环境", "很", "好", "但是", "服务", "很差"),
    ("服务", "很差", "但是", "房间", "很", "好"),
    ("房间", "很", "好", "但是", "服务", "很差"),
)
SKILL_PROFESSION = "程序员"
FAR = 20  # filler tokens between 程序员 and 我最擅长的是 in the long-dependency sections
PATH_DISTANCE = 30  # the memory path over as many fillers as the RNN·LSTM·GRU view's
FIGURE_HEIGHT = 430
PRESENTER_HEIGHT = 400  # the header, a question and an answer above it on 720 px
RACE_ROOM = 50  # the last section's figure is shorter: the live race's bar is under it
PHONE_FONT, PRESENTER_FONT = 16, 18
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")  # y₇ on a slide, never y_7


# --- state of the lesson -------------------------------------------------------------------


def _move(delta: int) -> None:
    st.session_state["sec"] = min(max(st.session_state.get("sec", 1) + delta, 1), SECTION_COUNT)
    st.session_state["lesson_step"] = 0


def _go() -> None:
    """A clicker's PageDown / PageUp: the section number the browser counted (fast presses
    each count, even while the page is still drawing the last one)."""
    asked = asked_section()
    if asked is not None and 1 <= asked <= SECTION_COUNT:
        st.session_state["sec"] = asked
        st.session_state["lesson_step"] = 0


def _dark() -> bool:
    return bool(st.session_state.get("dark", False))


def _flip(name: str) -> None:
    st.session_state[name] = not st.session_state.get(name, False)


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


# --- drawing helpers -----------------------------------------------------------------------


def _show(figure, key: str, shorter: int = 0) -> None:
    """The section's figure at classroom sizes; its title as page text above it, so that it
    wraps on a phone instead of being cut. `shorter`: px less on a projector, for a section
    with more under its figure. `figure`: a go.Figure or a recipe (built once per server for
    these sizes, theme and language, and shared by every phone of the class)."""
    present = bool(st.session_state.get("present"))
    size = PRESENTER_FONT if present else PHONE_FONT
    dark = bool(st.session_state.get("dark", False))
    height = PRESENTER_HEIGHT - shorter if present else FIGURE_HEIGHT
    language = st.session_state.get("lang", "zh")

    def prepare(built) -> SharedChart:
        title = built.layout.title.text or ""
        styled = figures.presentable(built, size, dark=dark, height=height, keep_title=False)
        return common.prepared(styled, language, heading=title)

    if isinstance(figure, Recipe):
        ready = shared(figure, ("lesson", language, size, dark, height), prepare)
    else:
        ready = prepare(figure)
    common.draw_chart(ready, key)


def _link(corner, language: str, **params) -> None:
    """In the header's corner (beside the chapter, so that it stays on a 1280x720 screen
    whatever the section holds): a link to a full view with the section's settings (language
    pinned), opened beside."""
    href = "?" + urlencode({**params, "lang": language})
    corner.markdown(f":material/open_in_new: [{text('lesson_explore', language)}]({href})")


def _question(question: Question, language: str) -> bool:
    """The predict-then-reveal block: the question, one button per choice (keys 1-3) and a
    reveal button (Enter or R); once revealed, whether this student's choice was right.
    Returns is_revealed() (the caller then shows the answer and the figure)."""
    section, choices, correct = question.section, question.choices, question.correct
    st.session_state["lesson_question"] = question  # the shown question, for what wraps the page
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


def _tokens_line(tokens, separator: str = " · ") -> None:
    st.code(separator.join(tokens), language=None, wrap_lines=True)


def _memory_trace(arch: str, distance: int, profession: str = SKILL_PROFESSION):
    """The RNN·LSTM·GRU view's live-try prompt at `distance`, read by memory-<arch>."""
    return get_trace(ModelKey(f"memory-{arch}"), tuple(live_prompt_tokens(profession, distance)))


def _columns():
    """The text (left) and the figure (right); one above the other on a phone. A wide gap, so
    that a question's last line never reads on into the chart's title beside it."""
    return st.columns([2, 3], gap="large")


def _has(*names: str) -> bool:
    """Every model named is shipped and loads (a broken one disables only its sections)."""
    return all(name in model_names() and model_problem(name) is None for name in names)


def _index(name: str, label: str) -> int:
    """Where the model's own (untranslated) label is among its outputs."""
    return get_model(ModelKey(name)).labels.index(label)


# --- the sections, in the article's order --------------------------------------------------


def _order_reading(name: str, values: list[float], language: str) -> str:
    """What one recurrent model does with the first pair: how far p(正面) moves with the
    order, and whether its answer flips (the class it gives is read off the 0.5 line)."""

    def answer(p: float) -> str:
        return class_name("正面" if p >= 0.5 else "负面", language)

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
    text_column, figure_column = _columns()
    rnn, lstm, bow = "sentiment-rnn", "sentiment-lstm", "sentiment-bow"
    with text_column:
        _tokens_line(["".join(ORDER_SENTENCES[0]), "".join(ORDER_SENTENCES[1])], " ↔ ")
        if not _has(rnn, bow):
            st.warning(text("lesson_missing", language, names=f"{rnn}, {bow}"))
            return
    # The LSTM beside the RNN when it is shipped: the RNN's answer moves with the order but
    # does not flip on the first pair; the LSTM's does.
    series = {}
    spreads = {}
    for name in (bow, rnn, lstm) if _has(lstm) else (bow, rnn):
        key = ModelKey(name)
        positive = get_model(key).labels.index("正面")
        traces = [get_trace(key, s) for s in ORDER_SENTENCES]
        values = [float(trace.probs[-1, positive]) for trace in traces]
        series[name] = (traces[0].arch, values)
        spreads[name] = max(abs(values[0] - values[1]), abs(values[2] - values[3]))
    with text_column:
        same = spreads[bow] < 1e-6
        choices = (text("lesson_c_change", language), text("lesson_c_same", language))
        revealed = _question(Question("order", choices, 1 if same else 0), language)
        if revealed:
            readings = [text("lesson_a_order", language, bow=spreads[bow])]
            readings += [
                _order_reading(name, values, language)
                for name, (_, values) in series.items()
                if name != bow
            ]
            st.success("  \n".join(readings))
        _link(
            corner,
            language,
            view="compare",
            cmodel=rnn,
            c1=" ".join(ORDER_SENTENCES[0]),
            c2=" ".join(ORDER_SENTENCES[1]),
        )
    if revealed:
        with figure_column:
            _show(
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
    text_column, figure_column = _columns()
    with text_column:
        st.latex(r"h_t = \tanh(U x_t + W h_{t-1} + b)")
        st.latex(r"y_t = \mathrm{softmax}(V h_t + c)")
        st.markdown(text("lesson_loop_names", language))
        _link(
            corner,
            language,
            view="explore",
            model="memory-rnn",
            s="".join(live_prompt_tokens(SKILL_PROFESSION, 0)),
        )
    with figure_column:
        names = {kind: text(f"lesson_box_{kind}", language) for kind in ("x", "h", "y")}
        _show(recipe(figures.loop_diagram, names, text("lesson_f_loop", language)), "lesson_figure")


def _unrolled(language: str, corner) -> None:
    trace = _memory_trace("rnn", 0)
    shape = "×".join(str(n) for n in trace.params["W"].shape)
    _link(corner, language, view="explore", model="memory-rnn", s="".join(trace.tokens))
    text_column, figure_column = _columns()
    with text_column:
        # the model holds one recurrent matrix W [H, H], whatever the sentence's length
        one = trace.params["W"].ndim == 2
        choices = (text("lesson_c_one_w", language), text("lesson_c_many_w", language))
        if _question(Question("unrolled", choices, 0 if one else 1), language):
            st.success(text("lesson_a_unrolled", language, shape=shape, T=len(trace.tokens)))
    if is_revealed("unrolled"):
        with figure_column:
            stepper.slide(trace, language, ["diagram"], key="lesson_stepper", dark=_dark())


def _step(language: str, corner) -> None:
    trace = _memory_trace("rnn", 0)
    _link(corner, language, view="explore", model="memory-rnn", s="".join(trace.tokens))
    stepper.slide(trace, language, ["diagram", "equation"], key="lesson_stepper", dark=_dark())


def _softmax(language: str, corner) -> None:
    text_column, figure_column = _columns()
    trace = _memory_trace("rnn", 0)
    last = len(trace.tokens) - 1
    parts = softmax_parts(trace, last)
    top = int(np.argmax(parts.probabilities))
    with text_column:
        _tokens_line([*trace.tokens, "→ ?"])
        st.latex(r"p_i = \frac{e^{z_i}}{\sum_j e^{z_j}},\quad z = V h_T + c")
        st.markdown(
            text(
                "lesson_softmax_sum",
                language,
                total=float(parts.probabilities.sum()),
                top=trace.labels[top],
                p=float(parts.probabilities[top]),
            )
        )
        _link(corner, language, view="explore", model="memory-rnn", s="".join(trace.tokens))
    with figure_column:
        titles = [text(f"lesson_softmax_{name}", language) for name in ("z", "exp", "p")]
        _show(
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
    text_column, figure_column = _columns()
    name = "sentiment-rnn"
    if not _has(name):
        text_column.warning(text("lesson_missing", language, names=name))
        return
    trace = get_trace(ModelKey(name), ORDER_SENTENCES[0])
    positive = _index(name, "正面")
    total = len(trace.tokens)
    with text_column:
        _tokens_line(trace.tokens)
        # only the output after the last token depends on every token
        choices = tuple(text(f"lesson_c_{c}", language) for c in ("first", "middle", "final"))
        revealed = _question(Question("last", choices, 2), language)
        if revealed:
            st.success(
                text(
                    "lesson_a_last",
                    language,
                    T=total,
                    y=f"y{str(total).translate(SUBSCRIPTS)}",
                    first=float(trace.probs[0, positive]),
                    low=float(trace.probs[:, positive].min()),
                    final=float(trace.probs[-1, positive]),
                )
            )
        _link(corner, language, view="explore", model=name, s="".join(trace.tokens))
    if revealed:
        with figure_column:
            _show(
                recipe(
                    figures.class_probability_lines, trace, None, text("lesson_f_last", language)
                ),
                "lesson_figure",
            )


def _loss(language: str, corner) -> None:
    text_column, figure_column = _columns()
    trace = _memory_trace("rnn", 0)
    target = _index("memory-rnn", PROFESSIONS[SKILL_PROFESSION])
    probabilities = trace.probs[-1]
    loss = cross_entropy(probabilities, target)
    with text_column:
        _tokens_line([*trace.tokens, f"→ {trace.labels[target]}"])
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
        _link(corner, language, view="explore", model="memory-rnn", s="".join(trace.tokens))
    with figure_column:
        _show(
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
    text_column, figure_column = _columns()
    if not _has("memory-rnn"):
        text_column.warning(text("lesson_missing", language, names="memory-rnn"))
        return
    trace = _memory_trace("rnn", FAR)
    skill = PROFESSIONS[SKILL_PROFESSION]
    said = trace.labels[trace.prediction]
    card = get_model(ModelKey("memory-rnn")).card
    accuracy = {k: mean for k, mean, _, _ in accuracy_over_seeds(card)}
    with text_column:
        st.code("".join(trace.tokens) + " → ?", language=None, wrap_lines=True)
        choices = (text("lesson_c_yes", language, word=skill), text("lesson_c_no", language))
        right = 0 if trace.prediction == _index("memory-rnn", skill) else 1
        revealed = _question(Question("distance", choices, right), language)
        if revealed:
            st.success(
                text(
                    "lesson_a_distance",
                    language,
                    k=FAR,
                    said=said,
                    p=float(trace.probs[-1, trace.prediction]),
                    accuracy=accuracy.get(FAR, float("nan")),
                )
            )
        _link(corner, language, view="arch", task="memory", k=FAR)
    if revealed:
        with figure_column:
            _show(
                recipe(
                    figures.memory_accuracy_chart,
                    {"memory-rnn": card},
                    text("lesson_f_distance", language),
                    text("filler_k", language),
                    card.get("baselines", {}).get("chance"),
                    text("chance", language),
                ),
                "lesson_figure",
            )


def _signal(language: str, corner) -> None:
    text_column, figure_column = _columns()
    curves = learning_signal_curves()
    forget_start = forget_start_signal()
    medians = signal_seed_medians(FAR)
    starts = [medians.lstm, medians.lstm_forget_start]
    with text_column:
        revealed = _question(
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
            scientific = common.scientific
            st.success(
                text(
                    "lesson_a_signal",
                    language,
                    k=FAR,
                    seeds=len(medians.seeds),
                    rnn_low=scientific(float(medians.rnn.min())),
                    rnn_high=scientific(float(medians.rnn.max())),
                    lstm_low=scientific(float(medians.lstm.min())),
                    lstm_high=scientific(float(medians.lstm.max())),
                    start_low=scientific(float(medians.lstm_forget_start.min())),
                    start_high=scientific(float(medians.lstm_forget_start.max())),
                    bias=FORGET_BIAS_START,
                )
            )
        _link(corner, language, view="arch", task="memory", k=FAR)
    if revealed:
        shown = {**curves, "lstm-forget-start": forget_start}
        names = {
            arch: text("lesson_before_training", language, arch=arch.upper()) for arch in curves
        }
        names["lstm-forget-start"] = text("lesson_forget_start", language, bias=FORGET_BIAS_START)
        with figure_column:
            _show(
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


@st.cache_resource(show_spinner=False)
def _cell_path(profession: str, distance: int):
    """The memory path with READABLE_UNITS carriers, for every session (no input but these)."""
    model = get_model(ModelKey("memory-lstm"))
    return lstm_cell_path(model, profession, live_fillers(distance), units=READABLE_UNITS)


def _gates(language: str, corner) -> None:
    text_column, figure_column = _columns()
    if not _has("memory-lstm"):
        text_column.warning(text("lesson_missing", language, names="memory-lstm"))
        return
    path = _cell_path(SKILL_PROFESSION, PATH_DISTANCE)
    trace = _memory_trace("lstm", PATH_DISTANCE)
    size = trace.hidden.shape[1]
    show_all = st.session_state.get("lesson_all_units", False)
    units = list(range(size)) if show_all else sorted(int(unit) for unit in path.units)
    with text_column:
        st.latex(r"c_t = f_t \odot c_{t-1} + i_t \odot g_t")
        st.markdown(
            text(
                "lesson_gates_measure",
                language,
                n=len(path.units),
                k=PATH_DISTANCE,
                best=float(path.filler_product.max()),
                carried=float(np.median(path.filler_product)),
                everyone=common.scientific(path.median_filler_product),
            )
        )
        st.button(
            text("lesson_units_some" if show_all else "lesson_units_all", language, n=size),
            key="lesson_units",
            on_click=_flip,
            args=("lesson_all_units",),
        )
        _link(corner, language, view="arch", task="memory", prof=SKILL_PROFESSION)
    fillers = path.fillers
    ticks = {
        path.profession_step: trace.tokens[path.profession_step],
        (fillers.start + fillers.stop - 1) // 2: text("lesson_fillers", language, k=len(fillers)),
        len(trace.tokens) - 1: trace.tokens[-1],
    }
    with figure_column:
        _show(
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
    text_column, figure_column = _columns()
    names = [f"memory-{arch}" for arch in ("rnn", "lstm", "gru") if _has(f"memory-{arch}")]
    cards = {name: get_model(ModelKey(name)).card for name in names}
    distance = 30
    with text_column:
        for name, card in cards.items():
            accuracy = {k: mean for k, mean, _, _ in accuracy_over_seeds(card)}.get(distance)
            if accuracy is not None:
                st.markdown(f"- **{name}**: {accuracy:.0%} (k = {distance})")
        seeds = len(next(iter(cards.values()), {}).get("seeds", []))
        if seeds > 1:
            st.caption(text("lesson_race_note", language, seeds=seeds))
        else:
            st.caption(text("lesson_race_note_one", language))
        _link(corner, language, view="arch", task="memory", k=distance)
    if cards:
        with figure_column:
            _show(
                recipe(
                    figures.learning_curve_chart,
                    cards,
                    distance,
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


# The article's two pairs (一: 我要去打篮球; 三: 今天我要去打球), read by the activity models
# trained on one word order of them; the networks in the order the slide compares them.
ARTICLE_PAIRS = (("我要去打篮球", "我要打篮球去"), ("今天我要去打球", "我要打球去今天"))
ARTICLE_NETWORKS = ("position", "bow", "rnn", "lstm")
# Where the reordered activity sits where no training sentence had one (我要打篮球去: second).
ARTICLE_GROUP = "new_position"
# Room for the caveat under the chart on a 1280x720 projector.
ARTICLE_ROOM = 110


def _article_predictions(names: list[str], language: str) -> list[dict[str, str]]:
    """The shipped models (one seed each) on the article's four sentences: class and p."""
    rows = []
    for sentence in [s for pair in ARTICLE_PAIRS for s in pair]:
        row = {text("col_sentence", language): sentence}
        for name in names:
            trace = get_trace(ModelKey(name), tuple(tokenize(sentence)))
            label, probability = trace.predicted()
            row[name.removeprefix("activity-")] = f"{class_name(label, language)} {probability:.2f}"
        rows.append(row)
    return rows


def _article(language: str, corner) -> None:
    text_column, figure_column = _columns()
    names = [f"activity-{arch}" for arch in ARTICLE_NETWORKS]
    if not _has(*names):
        text_column.warning(text("lesson_missing", language, names=", ".join(names)))
        return
    cards = {name: get_model(ModelKey(name)).card for name in names}
    ranges = {name: design_ranges(card, ARTICLE_GROUP) for name, card in cards.items()}
    position = cards["activity-position"]
    shipped = position["config"]["particle_share"]
    chance = position["baselines"]["chance"]
    last, carry = sorted(ranges["activity-position"])
    sentences = [s for pair in ARTICLE_PAIRS for s in pair]
    _link(
        corner,
        language,
        view="compare",
        cmodel="activity-rnn",
        n=len(sentences),
        **{f"c{slot}": s for slot, s in enumerate(sentences, start=1)},
    )
    with text_column:
        if not is_revealed("article"):  # after the reveal the chart's legend names the training
            st.caption(text("lesson_article_training", language, chance=chance))
        choices = (text("lesson_c_recognise", language), text("lesson_c_guess", language))
        correct = 0 if recognises(ranges["activity-position"][shipped].mean, chance) else 1
        revealed = _question(Question("article", choices, correct), language)
        if revealed:
            recurrent = {
                f"{arch}_{kind}": ranges[f"activity-{arch}"][share]
                for arch in ("rnn", "lstm")
                for kind, share in (("last", last), ("carry", carry))
            }
            lines = [
                text(
                    "lesson_a_article_position",
                    language,
                    verdict=choices[correct],
                    range=ranges["activity-position"][shipped],
                    chance=chance,
                ),
                text("lesson_a_article_recurrent", language, **recurrent),
            ]
            st.success("  \n".join(lines))
    if not revealed:
        return
    designs = {
        text(f"lesson_design_{kind}", language): {
            network: (ranges[name][share].mean, ranges[name][share].low, ranges[name][share].high)
            for network, name in zip(ARTICLE_NETWORKS, names, strict=True)
        }
        for kind, share in (("last", last), ("carry", carry))
    }
    with figure_column:
        _show(
            recipe(
                figures.seed_accuracy_bars,
                list(ARTICLE_NETWORKS),
                designs,
                chance,
                text("chance", language),
                text("lesson_f_article", language, n=ranges[names[0]][shipped].seeds),
                text("accuracy", language),
                {arch: text(f"lesson_network_{arch}", language) for arch in ARTICLE_NETWORKS},
            ),
            "lesson_figure",
            shorter=ARTICLE_ROOM,
        )
        bow = design_ranges(cards["activity-bow"], "reordered")[shipped]
        st.caption(text("lesson_article_not", language, bow=bow, n=bow.seeds))
        with st.expander(text("lesson_article_live", language)):
            st.markdown(
                text(
                    "lesson_article_more",
                    language,
                    far=design_ranges(cards["activity-rnn"], "moved_time")[carry],
                    seen=design_ranges(position, "seen_position")[shipped],
                )
            )
            st.dataframe(_article_predictions(names, language), hide_index=True)


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
    "article": _article,
}


# --- the frame: style, navigation, sharing -------------------------------------------------


def share_link(base: str, section: int, language: str, code: str = "") -> str:
    """The student link of a section: the lesson at that section, language pinned; in a live
    class, its code (never its secret)."""
    params = {"view": "lesson", "sec": section, "lang": language}
    if code:
        params["class"] = code
    return f"{base}?{urlencode(params)}"


def _qr(section: int, language: str) -> None:
    """The QR code of the section's student link; never one that leads phones to localhost."""
    base = students_base(language)
    if base is None:
        address_choice(base, language)
        return
    link = share_link(base, section, language, live_class.code())
    image = io.BytesIO()
    segno.make(link, error="m").save(image, kind="png", scale=10, border=2)
    left, right = st.columns([2, 3])
    with left:
        st.image(image.getvalue(), width=380)
    with right:
        st.markdown(text("lesson_qr_scan", language))
        st.code(link, language=None, wrap_lines=True)
        address_choice(base, language)


def _header(section: int, language: str):
    """The section's title, navigation, chapter and takeaway. Returns the corner beside the
    chapter where the section puts its link to the full view."""
    name = SECTIONS[section - 1]
    chapter = text(f"lesson_chapter_{CHAPTER[name]}", language)
    title, controls = st.columns([5, 3], vertical_alignment="center")
    title.markdown(f"## {text(f'lesson_title_{name}', language)}")
    with controls, st.container(horizontal=True, key="lesson_nav", horizontal_alignment="right"):
        nav = (
            ("lesson_prev", ":material/chevron_left:", _move, (-1,), section == 1, "prev"),
            (
                "lesson_next",
                ":material/chevron_right:",
                _move,
                (1,),
                section == SECTION_COUNT,
                "next",
            ),
            ("lesson_qr", ":material/qr_code_2:", _flip, ("lesson_show_qr",), False, "qr"),
            ("lesson_dark", ":material/contrast:", _flip, ("dark",), False, "dark"),
            ("lesson_present", ":material/slideshow:", _flip, ("present",), False, "present"),
        )
        for key, icon, action, args, disabled, help_key in nav:
            if key == "lesson_next":
                st.markdown(f"**{section} / {SECTION_COUNT}**")
            st.button(
                "",
                key=key,
                icon=icon,
                on_click=action,
                args=args,
                disabled=disabled or (help_key in ("prev", "next") and live_class.following()),
                help=text(f"lesson_{help_key}_help", language),
            )
    chapter_column, corner = st.columns([3, 2], vertical_alignment="center")
    chapter_column.caption(chapter)
    if is_revealed(name):  # a takeaway states the answer of the section's question
        st.markdown(f"#### {text(f'lesson_take_{name}', language)}")
    return corner


def render(language: str, known) -> None:
    present = st.session_state.get("present", False)
    lesson_style(present, st.session_state.get("dark", False))
    live_class.start_button(language)
    live_class.begin(language)
    section = st.session_state.get("sec", 1)
    st.session_state["lesson_question"] = None  # set by _question when the section asks one
    key_listener(section, SECTION_COUNT, _go)
    with st.sidebar:
        st.caption(text("lesson_keys_help", language))
    corner = _header(section, language)
    if st.session_state.get("lesson_show_qr"):
        _qr(section, language)
    else:
        RENDERERS[SECTIONS[section - 1]](language, corner)
