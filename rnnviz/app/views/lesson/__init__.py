"""View 4, the lesson: the seed article as a sequence of sections a teacher presents
(?view=lesson&sec=N, 1-based). Each section has a title, one takeaway, one live figure and a
link to the full view with the same settings; several ask the class to predict before the
answer and the figure are revealed. Presenter mode (&present=1) hides the sidebar and inputs,
enlarges every text and fits each figure on a 1280x720 projector; keys move between sections.
This module is the frame (navigation, chapter, takeaway, the QR code, the section in the URL);
the sections live in sections.py and article.py, their questions in questions.py. Every number
on screen comes from rnnviz.teaching and the core, on this run; nothing here computes one."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import segno
import streamlit as st

from rnnviz.teaching import SECTION_COUNT, SECTIONS

from ... import live_class
from ...i18n import text
from .keys import asked_section, key_listener
from .parts import flip
from .questions import is_revealed
from .sections import RENDERERS
from .share import address_choice, students_base
from .style import lesson_style

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
            ("lesson_qr", ":material/qr_code_2:", flip, ("lesson_show_qr",), False, "qr"),
            ("lesson_dark", ":material/contrast:", flip, ("dark",), False, "dark"),
            ("lesson_present", ":material/slideshow:", flip, ("present",), False, "present"),
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
    key_listener(section, SECTION_COUNT, _go)
    with st.sidebar:
        st.caption(text("lesson_keys_help", language))
    corner = _header(section, language)
    if st.session_state.get("lesson_show_qr"):
        _qr(section, language)
    else:
        RENDERERS[SECTIONS[section - 1]](language, corner)
