"""The page's state: which query parameters exist, how each is parsed, checked and written,
how widget values survive a view switch, and the sync between st.query_params and the
widgets' session state.

- Every parameter is a `Field` in `fields()`: its default, its parser, the views that show it
  (the URL of a view carries that view's parameters and the global ones, so a link describes
  what is on screen) and whether it is always written (`lang`, `view`: a shared link keeps
  its language whatever the student's browser says). To add a parameter, add one entry there;
  a widget keyed by the parameter's name is then restored, kept and written to the URL.
- Widget values live in session state under the parameter's name. Streamlit drops the state of
  a widget that was not drawn in a run; `keep_values()` re-assigns every known value at the
  start of each run (Streamlit's documented way to interrupt that clean-up), so the explore
  view's sentence, model and step are still there after a visit to another view.
- `step` and `astep` are 0-based in session state (list indices) and 1-based in the URL, like
  the screen's 第 N 步. A link from before this change (0-based) is read 1-based: its step=0
  is invalid and falls back with a notice, step=3 shows 第 3 步.
- Sentences are text fields: a link with a sentence longer than MAX_CHARS is refused with a
  notice, and the URL written carries at most URL_TEXT_CHARS characters of sentence text in
  all (percent-encoded Chinese is 9 bytes a character; far above that the server answers
  HTTP 400 before the app runs). A sentence that does not fit is left out of the link, with
  a notice."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from rnnviz.memory import PROFESSIONS
from rnnviz.registry import TASKS
from rnnviz.teaching import SECTION_COUNT
from rnnviz.tokens import MAX_CHARS, MAX_TOKENS, clean_text

from .own_models import own_tasks

VIEWS = ("explore", "compare", "arch", "lesson", "own")
DEFAULT_MODEL = "sentiment-rnn"
# The landing sentence: the vanilla RNN rates it 正面 with p = 0.89 (every word known).
DEFAULT_SENTENCE = "酒店很干净，服务很好，早餐也不错"
# Same words, order flips the meaning; sentiment-lstm agrees (P(正面) 0.91 vs 0.34).
COMPARE_MODEL = "sentiment-lstm"
MEMORY_PROMPT = "我的职业是程序员，早上天气很好，我们一起去公园散步，我最擅长的是"
URL_TEXT_CHARS = 5000
_SEEN = "_query_seen"


class TooLong(ValueError):
    """A text parameter longer than the app reads."""


def _choice(options) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw not in options:
            raise ValueError(raw)
        return raw

    return parse


def _integer(low: int, high: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        value = int(raw)
        if not low <= value <= high:
            raise ValueError(raw)
        return value

    return parse


def _one_based(count: int) -> Callable[[str], int]:
    """URL 1…count -> index 0…count-1."""
    parse_integer = _integer(1, count)

    def parse(raw: str) -> int:
        return parse_integer(raw) - 1

    return parse


def _number(low: float, high: float) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        value = float(raw)
        if not math.isfinite(value) or not low <= value <= high:
            raise ValueError(raw)
        return round(value, 2)

    return parse


def _class_code(raw: str) -> str:
    """A live class's code as linked (checked against the classes by the lesson)."""
    code = raw.strip().upper()
    if not code.isascii() or not code.isalnum() or len(code) > 16:
        raise ValueError(raw)
    return code


def _flag(raw: str) -> bool:
    if raw not in ("0", "1"):
        raise ValueError(raw)
    return raw == "1"


def _sentence(raw: str) -> str:
    if len(raw) > MAX_CHARS:
        raise TooLong(raw[:20])
    return raw


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _used_text(value: Any) -> str:
    """The part of a sentence the app reads: cleaned of control characters, cut to MAX_CHARS."""
    return clean_text(str(value))[:MAX_CHARS]


def _plus_one(value: Any) -> str:
    return str(int(value) + 1)


@dataclass(frozen=True)
class Field:
    """One query parameter. views: the views whose URL carries it (empty: every view);
    always: written even at its default; text: a sentence (counts against URL_TEXT_CHARS);
    dump: value -> URL text (the inverse of parse)."""

    default: Any
    parse: Callable[[str], Any]
    views: tuple[str, ...] = ()
    always: bool = False
    text: bool = False
    dump: Callable[[Any], str] = _plain

    def shown_in(self, view: str) -> bool:
        return not self.views or view in self.views


def fields(model_names: list[str]) -> dict[str, Field]:
    """Every query parameter of the dashboard with its default, parser and views."""
    explore, compare, arch = ("explore",), ("compare",), ("arch",)
    step = {"parse": _one_based(MAX_TOKENS), "dump": _plus_one}
    sentence = {"parse": _sentence, "text": True, "dump": _used_text}
    return {
        "lang": Field("zh", _choice(("zh", "en")), always=True),
        "view": Field("explore", _choice(VIEWS), always=True),
        "s": Field(DEFAULT_SENTENCE, views=explore, **sentence),
        "model": Field(DEFAULT_MODEL, _choice(model_names), explore),
        "untrained": Field(False, _flag, explore),
        "seed": Field(0, _integer(0, 9999), explore),
        "mode": Field("word", _choice(("word", "char")), ("explore", "compare")),
        "step": Field(0, views=explore, **step),
        # the loss's target, 1-based: a class number, or the position of the LM's target word;
        # 0 is the default (the true class of a labelled example, the last word for an LM)
        "target": Field(0, _integer(0, MAX_TOKENS), explore),
        "n": Field(2, _integer(2, 4), compare),
        "cmodel": Field(COMPARE_MODEL, _choice(model_names), compare),
        "c1": Field("虽然服务很差但是环境很好", views=compare, **sentence),
        "c2": Field("虽然环境很好但是服务很差", views=compare, **sentence),
        "c3": Field("酒店很干净，服务很好，早餐也不错", views=compare, **sentence),
        "c4": Field("早餐也不错，服务很好，酒店很干净", views=compare, **sentence),
        "a": Field(MEMORY_PROMPT, views=arch, **sentence),
        "task": Field("memory", _choice((*TASKS, *own_tasks(model_names))), arch),
        "astep": Field(0, views=arch, **step),
        "prof": Field("程序员", _choice(tuple(PROFESSIONS)), arch),
        "k": Field(10, _integer(0, 50), arch),
        "rho": Field(1.0, _number(0.5, 2.0), arch),
        # the lesson: its section 1…N (always in the link), presenter mode, dark theme
        "sec": Field(1, _integer(1, SECTION_COUNT), ("lesson",), always=True),
        "present": Field(False, _flag, ("lesson",)),
        "dark": Field(False, _flag, ("lesson",)),
        # a live class's code (rnnviz.classroom); the lesson follows it
        "class": Field("", _class_code, ("lesson",)),
    }


@dataclass(frozen=True)
class QueryProblems:
    """Names of the parameters of a link that were refused: invalid values, too-long text."""

    invalid: tuple[str, ...] = ()
    too_long: tuple[str, ...] = ()


def parse_query(
    params: Mapping[str, str], known: Mapping[str, Field]
) -> tuple[dict, QueryProblems]:
    """Values of the known parameters that parse, and the names of those that do not.
    Unknown parameters are ignored (links carry all sorts of tracking tags)."""
    values, invalid, too_long = {}, [], []
    for name, raw in params.items():
        field = known.get(name)
        if field is None:
            continue
        try:
            values[name] = field.parse(str(raw))
        except TooLong:
            too_long.append(name)
        except (ValueError, TypeError, OverflowError):
            invalid.append(name)
    return values, QueryProblems(tuple(sorted(invalid)), tuple(sorted(too_long)))


def keep_values(known: Mapping[str, Field]) -> None:
    """Re-assign every known value so that Streamlit keeps it although its widget may not be
    drawn in this run (the view that owns it is not shown)."""
    for name in known:
        if name in st.session_state:
            st.session_state[name] = st.session_state[name]


def _history_navigation() -> bool:
    """Whether this run was asked for by the browser's Back or Forward button."""
    context = get_script_run_ctx()
    return bool(context is not None and context.is_history_navigation)


def load_query(known: Mapping[str, Field], locale_language: str) -> QueryProblems:
    """Put the URL's state into session state, at the start of a session and whenever the URL
    changed from outside (the browser's Back button, an edited link). For the view the URL
    shows, and the global parameters, a parameter that parses sets its value and a missing one
    means the default (the browser's language for `lang`); the other views' values are kept.
    Returns what was refused (shown as a notice on that run).

    Within a session only the browser's Back / Forward counts as "from outside": any other
    rerun carries the URL the browser had when it asked, which can be older than the one the
    last run wrote (a clicker pressed five times while the page was still drawing); read as
    a change, that echo would move the lesson back. The session's state wins and the run
    writes the URL again."""
    current = st.query_params.to_dict()
    seen = st.session_state.get(_SEEN)
    if seen == current or (seen is not None and not _history_navigation()):
        return QueryProblems()
    values, problems = parse_query(current, known)
    view = values.get("view", known["view"].default)
    for name, field in known.items():
        default = locale_language if name == "lang" else field.default
        if name in values:
            st.session_state[name] = values[name]
        elif field.shown_in(view) or name not in st.session_state:
            st.session_state[name] = default
    for name in (*problems.invalid, *problems.too_long):
        del st.query_params[name]
    st.session_state[_SEEN] = st.query_params.to_dict()
    return problems


def _write(name: str, text: str | None) -> None:
    if text is None:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != text:
        st.query_params[name] = text


def sync_query(known: Mapping[str, Field], names: list[str]) -> None:
    """Write the current values of `names` into the URL (a value equal to its default is left
    out, unless the field is always written), and remember the URL as this session's own."""
    for name in names:
        field = known[name]
        value = st.session_state.get(name, field.default)
        _write(name, field.dump(value) if field.always or value != field.default else None)
    st.session_state[_SEEN] = st.query_params.to_dict()


def sync_view(known: Mapping[str, Field], view: str) -> list[str]:
    """Make the URL describe `view`: its parameters and the global ones written, the other
    views' parameters removed, sentences within URL_TEXT_CHARS characters in all. Returns the
    names of sentences left out of the URL because they did not fit."""
    shown = [name for name, field in known.items() if field.shown_in(view)]
    budget, left_out = URL_TEXT_CHARS, []
    for name in shown:
        field = known[name]
        value = st.session_state.get(name, field.default)
        if field.text and value != field.default:
            length = len(field.dump(value))
            if length > budget:
                left_out.append(name)
                continue
            budget -= length
    sync_query(known, [name for name in shown if name not in left_out])
    for name, field in known.items():
        if name in left_out or not field.shown_in(view):
            _write(name, None)
    st.session_state[_SEEN] = st.query_params.to_dict()
    return left_out
