"""The live class on the lesson's page: starting a class, the presenter's and the students'
roles, following the class's section and step, the two rounds of votes, the tally and the
reveal. The lesson calls the hooks here; the class's state and rules are rnnviz.classroom (never
decided here), its HTTP side routes.py and its browser side classroom.js, both beside this file."""

from __future__ import annotations

import contextlib
from pathlib import Path

import streamlit as st

from rnnviz.class_store import shared_store
from rnnviz.classroom import (
    ClassError,
    ClassUnavailable,
    ClassView,
    normal_code,
    valid_page,
)
from rnnviz.teaching import SECTIONS

from ..i18n import STRINGS, text

SCRIPT = (Path(__file__).resolve().parent / "classroom.js").read_text(encoding="utf-8")
STYLE = """
.rnnviz-class{font-size:inherit}
.rnnviz-class.present{font-size:22px}
.rnnviz-class-line{opacity:.8;font-size:.9em}
.rnnviz-class-status{margin:.3rem 0;font-weight:600}
.rnnviz-class-status.big{font-size:1.6em}
.rnnviz-class-choices{display:flex;flex-wrap:wrap;gap:.5rem;margin:.3rem 0}
.rnnviz-class-choice{font:inherit;color:inherit;background:transparent;cursor:pointer;
  border:1px solid currentColor;border-radius:.5rem;padding:.45rem .9rem;min-height:44px}
.rnnviz-class-choice.chosen{background:#1f6feb;border-color:#1f6feb;color:#fff}
.rnnviz-class-choice:disabled{opacity:.5;cursor:default}
.rnnviz-class-note{font-size:.9em;opacity:.85;min-height:1.2em}
.rnnviz-class-row{display:grid;grid-template-columns:minmax(8rem,1fr) repeat(2,minmax(6rem,2fr));
  gap:.4rem;align-items:center;margin:.2rem 0}
.rnnviz-class-label.right{font-weight:700;text-decoration:underline}
.rnnviz-class-bar{position:relative;border:1px solid rgba(128,128,128,.6);border-radius:.3rem;
  min-height:1.6em}
.rnnviz-class-bar span{position:absolute;left:0;top:0;bottom:0;background:rgba(31,111,235,.45)}
.rnnviz-class-bar.round2 span{background:rgba(230,120,20,.5)}
.rnnviz-class-bar b{position:relative;padding:0 .4rem;font-weight:500}
.rnnviz-class-bar.mine{outline:2px solid currentColor}
.rnnviz-class-moving .rnnviz-class-line{font-weight:700;opacity:1;font-size:1.1em}
.rnnviz-class-moving [data-testid="stMainBlockContainer"] h2,
.rnnviz-class-moving [data-testid="stMainBlockContainer"] h4,
.rnnviz-class-moving .stPlotlyChart{opacity:.3;transition:opacity .2s}
"""
_COMPONENT = st.components.v2.component("rnnviz_class", js=SCRIPT, css=STYLE, isolate_styles=False)
LINK_KEY = "class_link"
DOWN_KEY = "_class_unavailable"  # set by begin() while the class's store is out of reach


def _store():
    return shared_store()


def code() -> str:
    return st.session_state.get("class") or ""


def _secret() -> str | None:
    secret = st.session_state.get("class_secret")
    return secret if secret and st.session_state.get("class_secret_code") == code() else None


def role() -> str | None:
    """This page's part in its class: "presenter", "follower", "alone" or None (no class, or
    its store out of reach: the lesson then goes on alone)."""
    if not code() or st.session_state.get(DOWN_KEY):
        return None
    return _part()


def _part() -> str:
    if _secret():
        return "presenter"
    return "alone" if st.session_state.get("class_alone") else "follower"


def following() -> bool:
    return role() == "follower"


def _page() -> str | None:
    state = st.session_state.get(LINK_KEY)
    page = state.get("page") if hasattr(state, "get") else None
    return page if isinstance(page, str) and valid_page(page) else None


def start() -> None:
    """Start a class with this page as its presenter (the C key, or the sidebar's button)."""
    try:
        new_code, secret = _store().create()
    except ClassError as error:
        st.session_state["class_full"] = error.reason
        return
    st.session_state.update(
        {"class": new_code, "class_secret": secret, "class_secret_code": new_code}
    )
    st.session_state["class_alone"] = False
    st.session_state.pop("_class_published", None)


def _claimed() -> None:
    """The browser held this class's secret (the teacher reloaded the page): take control."""
    state = st.session_state.get(LINK_KEY)
    claim = state.get("claim") if hasattr(state, "get") else None
    with contextlib.suppress(ClassError):
        claimed = isinstance(claim, str) and code() and _store().is_presenter(code(), claim)
    if claimed:
        st.session_state.update({"class_secret": claim, "class_secret_code": code()})
        st.session_state.pop("_class_published", None)


def _set_alone(alone: bool) -> None:
    st.session_state["class_alone"] = alone


def start_button(language: str) -> None:
    """The start button, in the sidebar (presenter mode hides the sidebar; the C key presses
    the button there all the same, and the projected page keeps its height); not on a page
    that is already in a class, nor while the live class is unavailable."""
    if role() is not None or st.session_state.get(DOWN_KEY):
        return
    with st.sidebar:
        st.button(
            text("class_start", language),
            key="class_start",
            on_click=start,
            icon=":material/groups:",
            help=text("class_start_help", language),
        )
    refused = st.session_state.pop("class_full", None)
    if refused:
        name = "class_unavailable" if refused == "unavailable" else "class_full"
        st.warning(text(name, language), icon=":material/group_off:")


# The class_* strings the browser script (classroom.js) shows, by name.
CLASS_STRINGS = (
    *("presenter", "following", "moving", "alone", "gone", "waiting", "round_open", "discuss"),
    *("round_done", "sent", "vote_failed", "answered", "round_count", "distribution"),
)


def _strings(language: str) -> dict:
    strings = {name: text(f"class_{name}", language) for name in CLASS_STRINGS}
    strings["titles"] = [text(f"lesson_title_{name}", language) for name in SECTIONS]
    return strings


def _mount(key: str, data: dict) -> None:
    callbacks = {"on_sync_change": lambda: None, "on_page_change": lambda: None}
    if key == LINK_KEY:
        callbacks["on_claim_change"] = _claimed
    _COMPONENT(key=key, data=data, height="content", **callbacks)


def _view() -> ClassView | None:
    return _store().view(code())


def begin(language: str) -> None:
    """At the top of the lesson: check the class, publish the presenter's section or take the
    class's section and step on a following page, and mount the page's link to the class."""
    current = code()
    if not current:
        return
    try:
        view = _view() if normal_code(current) == current else None
    except ClassUnavailable:
        _unavailable(current, language)
        return
    st.session_state.pop(DOWN_KEY, None)
    if view is None:
        st.warning(text("class_unknown", language, code=current), icon=":material/group_off:")
        for name in ("class", "class_secret", "class_secret_code", "class_alone"):
            st.session_state.pop(name, None)
        st.session_state["class"] = ""
        return
    part = role()
    if part == "follower":
        if st.session_state.get("sec") != view.sec:
            st.session_state["sec"] = view.sec
        st.session_state["lesson_step"] = view.step
    elif part == "presenter":
        section = st.session_state.get("sec", 1)
        if st.session_state.get("_class_published") != (current, section):
            step = int(st.session_state.get("lesson_step") or 0)
            try:
                view = _store().move(current, _secret(), section, step, None)
            except ClassUnavailable:
                _unavailable(current, language)
                return
            st.session_state["_class_published"] = (current, section)
    question = view.question
    data = {
        "code": current,
        "role": part,
        "sync": True,
        "rendered": {"sec": view.sec, "revealed": bool(question and question.revealed)},
        "strings": _strings(language),
        "present": bool(st.session_state.get("present")),
    }
    if part == "presenter":
        data["secret"] = _secret()
    columns = st.columns([4, 1], vertical_alignment="center")
    with columns[0]:
        _mount(LINK_KEY, data)
    if part == "follower":
        columns[1].button(
            text("class_leave", language), key="class_leave", on_click=_set_alone, args=(True,)
        )
    elif part == "alone":
        columns[1].button(
            text("class_rejoin", language),
            key="class_rejoin",
            on_click=_set_alone,
            args=(False,),
            type="primary",
        )


def _unavailable(current: str, language: str) -> None:
    """The class's store is out of reach: say so, let the lesson go on alone, and keep the
    page's link to the class, which reconnects and (on a following page) reruns the page when
    the class answers again (the section it was drawn with, 0, is never the class's)."""
    st.session_state[DOWN_KEY] = True
    st.info(text("class_unavailable", language), icon=":material/cloud_off:")
    data = {
        "code": current,
        "role": _part(),
        "sync": True,
        "rendered": {"sec": 0, "revealed": False},
        "strings": _strings(language),
    }
    if _secret():
        data["secret"] = _secret()
    _mount(LINK_KEY, data)


def revealed(section: str) -> bool | None:
    """Whether the class has revealed this section's answer; None on a page outside a class
    (or browsing alone), which keeps its own reveal."""
    if role() not in ("presenter", "follower"):
        return None
    try:
        view = _view()
    except ClassUnavailable:
        return None
    sec = SECTIONS.index(section) + 1
    return bool(view and view.sec == sec and view.question and view.question.revealed)


def _act(action: str) -> None:
    store, secret = _store(), _secret()
    operations = {
        "close": store.close_round,
        "second": store.open_second_round,
        "reveal": store.reveal,
    }
    # a second press of the same button is refused: the class already moved on
    with contextlib.suppress(ClassError):
        operations[action](code(), secret)


def question(section: str, choices: list[str], correct: int, language: str) -> bool | None:
    """A question inside a class: the presenter's tally and round buttons, or a following
    phone's vote; after the reveal the room's answers, the right one, this page's own choices
    and why each wrong answer is wrong. Returns whether the answer is revealed, or None
    outside a class (the lesson's own predict-then-reveal then applies)."""
    part = role()
    if part not in ("presenter", "follower"):
        return None
    sec = SECTIONS.index(section) + 1
    try:
        view = _view()
        if view is None or view.sec != sec:
            return False
        if part == "presenter" and (view.question is None or view.question.choices != len(choices)):
            view = _store().move(code(), _secret(), sec, view.step, len(choices))
        page = _page()
        mine = _store().own_choices(code(), page, sec) if page else {}
    except ClassUnavailable:  # the store went out of reach during this run
        return None
    shown = view.question
    is_revealed = bool(shown and shown.revealed)
    _mount(
        "class_question",
        {
            "code": code(),
            "role": part,
            "sync": False,
            "rendered": {"sec": sec, "revealed": is_revealed},
            "question": {"choices": choices},
            "correct": correct if is_revealed else None,
            "mine": {str(n): c for n, c in mine.items()},
            "strings": _strings(language),
            "present": bool(st.session_state.get("present")),
        },
    )
    if part == "presenter" and shown is not None and not is_revealed:
        _round_buttons(shown, language)
    if is_revealed:
        _answer(section, choices, correct, mine, language)
    return is_revealed


def _round_buttons(shown, language: str) -> None:
    with st.container(horizontal=True, key="class_rounds"):
        if shown.open:
            st.button(
                text("class_close_round", language, round=shown.round),
                key="class_close",
                on_click=_act,
                args=("close",),
            )
        elif shown.round == 1:
            st.button(
                text("class_second_round", language),
                key="class_second",
                on_click=_act,
                args=("second",),
                type="primary",
            )
        skip = shown.round == 1 and not shown.open
        st.button(
            text("class_reveal_skip" if skip else "lesson_reveal", language),
            key="lesson_reveal",
            on_click=_act,
            args=("reveal",),
            icon=":material/visibility:",
        )


def _answer(section: str, choices: list[str], correct: int, mine: dict, language: str) -> None:
    """After the reveal: the right answer, this page's choices, why each wrong one is wrong."""
    lines = [text("class_right_answer", language, choice=choices[correct])]
    if role() == "follower":
        if mine:
            picked = " → ".join(choices[mine[n]] for n in sorted(mine))
            lines.append(text("class_mine", language, choices=picked))
        else:
            lines.append(text("class_mine_none", language))
    for index, choice in enumerate(choices):
        key = f"class_why_{section}_{index}"
        if index != correct and key in STRINGS:
            lines.append(text("class_why", language, choice=choice, why=text(key, language)))
    st.markdown("  \n".join(lines))
