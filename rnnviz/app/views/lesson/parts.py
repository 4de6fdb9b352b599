"""What the lesson's sections share: the sentences and distances they read, the classroom
sizes, the text|figure columns, a figure at those sizes, the link to a full view, and which
shipped models load. It draws; it computes nothing."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from rnnviz import figures
from rnnviz.memory import live_fillers, live_prompt_tokens
from rnnviz.memory_path import lstm_cell_path
from rnnviz.teaching import READABLE_UNITS

from ... import common
from ...chart_cache import Recipe, SharedChart, shared
from ...i18n import text
from ...resources import ModelKey, get_model, get_trace, model_names, model_problem

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


def dark() -> bool:
    return bool(st.session_state.get("dark", False))


def flip(name: str) -> None:
    st.session_state[name] = not st.session_state.get(name, False)


def show(figure, key: str, shorter: int = 0) -> None:
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


def link(corner, language: str, **params) -> None:
    """In the header's corner (beside the chapter, so that it stays on a 1280x720 screen
    whatever the section holds): a link to a full view with the section's settings (language
    pinned), opened beside."""
    href = "?" + urlencode({**params, "lang": language})
    corner.markdown(f":material/open_in_new: [{text('lesson_explore', language)}]({href})")


def tokens_line(tokens, separator: str = " · ") -> None:
    common.token_line(separator.join(tokens))


def memory_trace(arch: str, distance: int, profession: str = SKILL_PROFESSION):
    """The RNN·LSTM·GRU view's live-try prompt at `distance`, read by memory-<arch>."""
    return get_trace(ModelKey(f"memory-{arch}"), tuple(live_prompt_tokens(profession, distance)))


@st.cache_resource(show_spinner=False)
def cell_path(profession: str, distance: int):
    """The memory path with READABLE_UNITS carriers, for every session (no input but these)."""
    model = get_model(ModelKey("memory-lstm"))
    return lstm_cell_path(model, profession, live_fillers(distance), units=READABLE_UNITS)


def columns():
    """The text (left) and the figure (right); one above the other on a phone. A wide gap, so
    that a question's last line never reads on into the chart's title beside it."""
    return st.columns([2, 3], gap="large")


def has(*names: str) -> bool:
    """Every model named is shipped and loads (a broken one disables only its sections)."""
    return all(name in model_names() and model_problem(name) is None for name in names)


def label_index(name: str, label: str) -> int:
    """Where the model's own (untranslated) label is among its outputs."""
    return get_model(ModelKey(name)).labels.index(label)
