"""View 4, the lesson: the seed article as a sequence of sections a teacher presents
(?view=lesson&sec=N, 1-based). Each section has a title, one takeaway, one live figure and a
link to the full view with the same settings; several ask the class to predict before the
answer and the figure are revealed. Presenter mode (&present=1) hides the sidebar and inputs,
enlarges every text and fits each figure on a 1280x720 projector; keys move between sections.
It reads the models and the core; every number on screen is computed here, on this run."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit, urlunsplit

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
    ratio_band,
    softmax_parts,
)
from rnnviz.vanishing import PROMPTS, SEEDS

from . import common, live_class, stepper
from .i18n import class_name, text
from .inputs import escape_markdown
from .lesson_keys import key_listener
from .race_view import render_race
from .resources import (
    ModelKey,
    get_model,
    get_trace,
    learning_signal_curves,
    model_names,
    model_problem,
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
PHONE_FONT, PRESENTER_FONT = 16, 18
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")  # y₇ on a slide, never y_7


# --- state of the lesson -------------------------------------------------------------------


def _move(delta: int) -> None:
    st.session_state["sec"] = min(max(st.session_state.get("sec", 1) + delta, 1), SECTION_COUNT)
    st.session_state["lesson_step"] = 0


def _flip(name: str) -> None:
    st.session_state[name] = not st.session_state.get(name, False)


def _answer(section: str, choice: int | None) -> None:
    """Keep this browser session's answer: a choice, or None when only revealed. Nothing is
    sent anywhere: it lives in the session state of this one browser tab."""
    answers = dict(st.session_state.get("lesson_answers", {}))
    if choice is not None or section not in answers:
        answers[section] = {"choice": choice}
    st.session_state["lesson_answers"] = answers


def _revealed(section: str) -> bool:
    in_class = live_class.revealed(section)
    if in_class is not None:
        return in_class
    return section in st.session_state.get("lesson_answers", {})


# --- drawing helpers -----------------------------------------------------------------------


def _show(figure, key: str) -> None:
    """The section's figure at classroom sizes; its title as page text above it, so that it
    wraps on a phone instead of being cut."""
    size = PRESENTER_FONT if st.session_state.get("present") else PHONE_FONT
    title = html.unescape(figure.layout.title.text or "")
    styled = figures.presentable(
        figure,
        size,
        dark=st.session_state.get("dark", False),
        height=PRESENTER_HEIGHT if st.session_state.get("present") else FIGURE_HEIGHT,
        keep_title=False,
    )
    if title:
        st.markdown(f"**{escape_markdown(title)}**")
    common.chart(styled, key=key)


def _link(corner, language: str, **params) -> None:
    """In the header's corner (beside the chapter, so that it stays on a 1280x720 screen
    whatever the section holds): a link to a full view with the section's settings (language
    pinned), opened beside."""
    href = "?" + urlencode({**params, "lang": language})
    corner.markdown(f":material/open_in_new: [{text('lesson_explore', language)}]({href})")


def _question(section: str, choices: list[str], correct: int, language: str) -> bool:
    """The predict-then-reveal block: the question, one button per choice (keys 1-3) and a
    reveal button (Enter or R); once revealed, whether this student's choice was right.
    Returns True once revealed (the caller then shows the answer and the figure)."""
    st.markdown(f"**{text(f'lesson_q_{section}', language)}**")
    in_class = live_class.question(section, choices, correct, language)
    if in_class is not None:
        return in_class
    state = st.session_state.get("lesson_answers", {}).get(section)
    chosen = state["choice"] if state else None
    with st.container(horizontal=True, key="lesson_choices"):
        for index, choice in enumerate(choices):
            st.button(
                f"{index + 1} · {choice}",
                key=f"lesson_choice_{index + 1}",
                on_click=_answer,
                args=(section, index),
                type="primary" if chosen == index else "secondary",
            )
        st.button(
            text("lesson_reveal", language),
            key="lesson_reveal",
            on_click=_answer,
            args=(section, None),
            icon=":material/visibility:",
        )
    if state is None:
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
        revealed = _question(
            "order",
            [text("lesson_c_change", language), text("lesson_c_same", language)],
            1 if same else 0,
            language,
        )
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
                figures.reordering_bars(
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
        _show(figures.loop_diagram(names, text("lesson_f_loop", language)), "lesson_figure")


def _unrolled(language: str, corner) -> None:
    trace = _memory_trace("rnn", 0)
    shape = "×".join(str(n) for n in trace.params["W"].shape)
    _link(corner, language, view="explore", model="memory-rnn", s="".join(trace.tokens))
    text_column, figure_column = _columns()
    with text_column:
        if _question(
            "unrolled",
            [text("lesson_c_one_w", language), text("lesson_c_many_w", language)],
            0,
            language,
        ):
            st.success(text("lesson_a_unrolled", language, shape=shape, T=len(trace.tokens)))
    if _revealed("unrolled"):
        with figure_column:
            stepper.slide(trace, language, ["diagram"], key="lesson_stepper")


def _step(language: str, corner) -> None:
    trace = _memory_trace("rnn", 0)
    _link(corner, language, view="explore", model="memory-rnn", s="".join(trace.tokens))
    stepper.slide(trace, language, ["diagram", "equation"], key="lesson_stepper")


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
            figures.softmax_chart(
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
        revealed = _question(
            "last",
            [text(f"lesson_c_{c}", language) for c in ("first", "middle", "final")],
            2,
            language,
        )
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
                figures.class_probability_lines(trace, None, text("lesson_f_last", language)),
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
            figures.cross_entropy_chart(
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
        revealed = _question(
            "distance",
            [text("lesson_c_yes", language, word=skill), text("lesson_c_no", language)],
            0 if trace.prediction == _index("memory-rnn", skill) else 1,
            language,
        )
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
                figures.memory_accuracy_chart(
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
    at = curves["rnn"].distances.index(FAR)
    rnn, lstm = float(curves["rnn"].median[at]), float(curves["lstm"].median[at])
    with text_column:
        revealed = _question(
            "signal",
            [text(f"lesson_c_band{band}", language) for band in range(3)],
            ratio_band(rnn),
            language,
        )
        if revealed:
            st.success(
                text(
                    "lesson_a_signal",
                    language,
                    k=FAR,
                    rnn=common.scientific(rnn),
                    lstm=common.scientific(lstm),
                    seeds=len(SEEDS),
                    prompts=PROMPTS,
                )
            )
            if st.session_state.get("present"):  # a projector: beside the chart, on screen
                st.caption(text("lesson_signal_not", language))
        _link(corner, language, view="arch", task="memory", k=FAR)
    if revealed:
        names = {
            arch: text("lesson_before_training", language, arch=arch.upper()) for arch in curves
        }
        with figure_column:
            _show(
                figures.learning_signal_chart(
                    curves,
                    names,
                    text("lesson_f_signal", language),
                    text("filler_k", language),
                    text("signal_axis", language),
                ),
                "lesson_figure",
            )
            if not st.session_state.get("present"):  # a phone: right under the chart
                st.caption(text("lesson_signal_not", language))


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
            figures.unit_heatmap(
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
                figures.learning_curve_chart(
                    cards,
                    distance,
                    text("learning_curve", language, k=distance),
                    text("training_step", language),
                    text("accuracy", language),
                ),
                "lesson_figure",
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
}


# --- the frame: style, navigation, sharing -------------------------------------------------


def _style(present: bool, dark: bool) -> None:
    rules = [
        # room for Streamlit's header bar (hidden in presenter mode), not its 6rem default
        ".stMainBlockContainer{padding-top:3.8rem;padding-bottom:2rem}",
        ".st-key-lesson_keys{display:none}",
        ".stMainBlockContainer h2{padding-top:0}",
        "@media (max-width:640px){.stMainBlockContainer h2{font-size:28px}"
        ".stMainBlockContainer h4{font-size:18px}}",
    ]
    if present:
        rules += [
            '[data-testid="stSidebar"],[data-testid="stSidebarCollapsedControl"],'
            '[data-testid="stExpandSidebarButton"],[data-testid="stHeader"]{display:none}',
            ".stMainBlockContainer{max-width:100%;padding:0.6rem 2rem 1rem 2rem}",
            ".stMainBlockContainer p,.stMainBlockContainer li,.stMainBlockContainer button,"
            ".stMainBlockContainer code,.stMainBlockContainer a,"
            '.stMainBlockContainer [data-testid="stCaptionContainer"]{font-size:22px}',
            ".stMainBlockContainer h2{font-size:38px}",
            ".stMainBlockContainer .katex{font-size:1.35em}",
        ]
    if dark:
        rules += [
            '[data-testid="stApp"],[data-testid="stHeader"],[data-testid="stSidebar"]'
            "{background:#000;color:#fff}",
            ".stMainBlockContainer *{color:#fff}",
            ".stMainBlockContainer button{background:#111;border-color:#fff}",
            '.stMainBlockContainer button[kind="primary"]{background:#1f6feb}',
            ".stMainBlockContainer code,.stMainBlockContainer pre{background:#1a1a1a}",
            '.stMainBlockContainer [data-testid="stAlertContainer"]{background:#0d3320}',
            ".stMainBlockContainer a,.stMainBlockContainer a *{color:#9cc3ff}",
        ]
    st.html(f"<style>{''.join(rules)}</style>")


_HOST = re.compile(r"[A-Za-z0-9.-]+|[0-9A-Fa-f:]+")


def student_base(typed: str) -> str | None:
    """The address a teacher typed as http(s)://host[:port]/path/, or None when it is not one
    (no other scheme, no user name, no query: only what a phone needs to reach this server)."""
    raw = typed.strip()
    if not raw:
        return None
    if "://" not in raw:
        raw = f"http://{raw}"
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or not _HOST.fullmatch(parts.hostname)
        or "@" in parts.netloc
        or parts.query
        or parts.fragment
    ):
        return None
    path = parts.path if parts.path.endswith("/") else f"{parts.path}/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _base_url(language: str) -> str:
    """The address students open: the one the teacher typed, else the browser's own."""
    typed = st.session_state.get("lesson_host") or ""
    if typed.strip():
        base = student_base(typed)
        if base is not None:
            return base
        st.warning(text("lesson_bad_host", language))
    return student_base(st.context.url or "") or "http://localhost:8501/"


def share_link(base: str, section: int, language: str, code: str = "") -> str:
    """The student link of a section: the lesson at that section, language pinned; in a live
    class, its code (never its secret)."""
    params = {"view": "lesson", "sec": section, "lang": language}
    if code:
        params["class"] = code
    return f"{base}?{urlencode(params)}"


def _qr(section: int, language: str) -> None:
    link = share_link(_base_url(language), section, language, live_class.code())
    image = io.BytesIO()
    segno.make(link, error="m").save(image, kind="png", scale=10, border=2)
    left, right = st.columns([2, 3])
    with left:
        st.image(image.getvalue(), width=380)
    with right:
        st.markdown(text("lesson_qr_scan", language))
        st.code(link, language=None, wrap_lines=True)


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
    st.markdown(f"#### {text(f'lesson_take_{name}', language)}")
    return corner


def render(language: str, known) -> None:
    present = st.session_state.get("present", False)
    _style(present, st.session_state.get("dark", False))
    key_listener()
    with st.sidebar:
        st.text_input(
            text("lesson_host", language),
            key="lesson_host",
            placeholder=st.context.url or "http://192.168.1.10:8501",
            help=text("lesson_host_help", language),
        )
        st.caption(text("lesson_keys_help", language))
    live_class.start_button(language)
    live_class.begin(language)
    section = st.session_state.get("sec", 1)
    corner = _header(section, language)
    if st.session_state.get("lesson_show_qr"):
        _qr(section, language)
    else:
        RENDERERS[SECTIONS[section - 1]](language, corner)
