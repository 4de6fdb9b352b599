"""The frame around the views: language, view choice, URL state. dashboard.py calls run()."""

from __future__ import annotations

import streamlit as st

from . import architectures, compare_view, explore, lesson
from .i18n import LANGUAGES, text
from .resources import model_names, warm_up
from .state import VIEWS, fields, load_query, sync_query

RENDERERS = {
    "explore": explore.render,
    "compare": compare_view.render,
    "arch": architectures.render,
    "lesson": lesson.render,
}


def _browser_language() -> str:
    locale = st.context.locale or ""
    return "zh" if not locale or locale.lower().startswith("zh") else "en"


def run() -> None:
    warm_up()
    known = fields(model_names())
    invalid = load_query(known, _browser_language())
    with st.sidebar:
        language = st.segmented_control(
            text("language", st.session_state["lang"]),
            list(LANGUAGES),
            key="lang",
            required=True,
            format_func=LANGUAGES.get,
        )
        view = st.radio(
            text("view", language),
            VIEWS,
            key="view",
            format_func=lambda v: text(f"view_{v}", language),
        )
    sync_query(known, ["lang", "view"])
    if view != "lesson":  # the lesson's own section title is the top of its page
        st.title(text("app_title", language))
        st.caption(text("app_caption", language))
    if invalid:
        st.warning(
            text("notice_query", language, names=", ".join(invalid)), icon=":material/link_off:"
        )
    RENDERERS[view](language, known)
