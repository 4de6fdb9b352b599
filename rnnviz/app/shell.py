"""The frame around the views: language, view choice, URL state, and the notices about the
link. dashboard.py calls run(). Each view (views/) draws its own page; the frame computes
nothing."""

from __future__ import annotations

import streamlit as st

from . import a11y
from .i18n import LANGUAGES, text
from .resources import manifest_problem, model_names, warm_up
from .state import URL_TEXT_CHARS, VIEWS, fields, keep_values, load_query, sync_view
from .views import architectures, compare, explore, lesson, own
from .watchers import drop_file_watchers

RENDERERS = {
    "explore": explore.render,
    "compare": compare.render,
    "arch": architectures.render,
    "lesson": lesson.render,
    "own": own.render,
}


def _browser_language() -> str:
    locale = st.context.locale or ""
    return "zh" if not locale or locale.lower().startswith("zh") else "en"


# Compact header: Streamlit's default 6rem of padding and 2.75rem title put the first chart
# below the fold of a 1280 x 720 projector in every view.
COMPACT = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.75rem; padding-bottom: 3rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 1.9rem; padding: 0 0 0.1rem 0; }
/* The main section takes focus on a click (Streamlit gives it tabindex 0, so the step-through's
   arrow keys work after clicking the page): no frame for a mouse click, which would cut under
   the title; keyboard focus (the skip link, Tab) keeps it. */
[data-testid="stMain"]:focus:not(:focus-visible) { outline: none; box-shadow: none; }
/* The header strip hides what scrolls under it (Streamlit leaves it transparent beside an open
   sidebar): the step-through's floating bar sits in it and covers nothing else. */
[data-testid="stHeader"] { background: #ffffff; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-top: 4rem; }
  [data-testid="stMainBlockContainer"] h1 { font-size: 1.5rem; }
}
</style>"""


def run() -> None:
    drop_file_watchers()
    warm_up()
    st.html(COMPACT)
    known = fields(model_names())
    keep_values(known)
    problems = load_query(known, _browser_language())
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
    a11y.mount(language)
    if view != "lesson":  # the lesson's own section title is the top of its page
        st.title(text("app_title", language))
    if view == "explore":  # the other views open with their own one-line introduction
        st.caption(text("app_caption", language))
    if problems.invalid:
        st.warning(
            text("notice_query", language, names=", ".join(problems.invalid)),
            icon=":material/link_off:",
        )
    if problems.too_long:
        st.warning(
            text("notice_link_too_long", language, names=", ".join(problems.too_long)),
            icon=":material/link_off:",
        )
    problem = manifest_problem()
    if problem is not None:
        st.error(text("err_manifest", language, problem=problem), icon=":material/folder_off:")
        return
    link_notice = st.empty()
    RENDERERS[view](language, known)
    left_out = sync_view(known, view)
    if left_out:
        link_notice.caption(
            text("notice_link_budget", language, names=", ".join(left_out), chars=URL_TEXT_CHARS)
        )
