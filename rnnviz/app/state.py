"""The page's state in the URL: which query parameters exist, how each is parsed and checked,
and the sync between st.query_params and the widgets' session state. A shared link reproduces
the view; a bad or hostile value falls back to the default with a notice."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from rnnviz.memory import PROFESSIONS
from rnnviz.registry import TASKS
from rnnviz.tokens import MAX_CHARS, MAX_TOKENS

VIEWS = ("explore", "compare", "arch")
DEFAULT_MODEL = "sentiment-rnn"
# The landing sentence: the vanilla RNN rates it 正面 with p = 0.89 (every word known).
DEFAULT_SENTENCE = "酒店很干净，服务很好，早餐也不错"
# Same words, order flips the meaning; sentiment-lstm agrees (P(正面) 0.91 vs 0.34).
COMPARE_MODEL = "sentiment-lstm"
MEMORY_PROMPT = "我的职业是程序员，早上天气很好，我们一起去公园散步，我最擅长的是"


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


def _number(low: float, high: float) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        value = float(raw)
        if not math.isfinite(value) or not low <= value <= high:
            raise ValueError(raw)
        return round(value, 2)

    return parse


def _flag(raw: str) -> bool:
    if raw not in ("0", "1"):
        raise ValueError(raw)
    return raw == "1"


def _sentence(raw: str) -> str:
    # Over-long text is kept here and cut (with a message) where it is read; a URL can only
    # carry a few thousand characters anyway.
    if len(raw) > 4 * MAX_CHARS:
        raise ValueError("too long")
    return raw


@dataclass(frozen=True)
class Field:
    default: Any
    parse: Callable[[str], Any]

    def dump(self, value: Any) -> str:
        if isinstance(value, bool):
            return "1" if value else "0"
        return str(value)


def fields(model_names: list[str]) -> dict[str, Field]:
    """Every query parameter of the dashboard with its default and parser."""
    return {
        "lang": Field("zh", _choice(("zh", "en"))),
        "view": Field("explore", _choice(VIEWS)),
        "s": Field(DEFAULT_SENTENCE, _sentence),
        "model": Field(DEFAULT_MODEL, _choice(model_names)),
        "untrained": Field(False, _flag),
        "seed": Field(0, _integer(0, 9999)),
        "mode": Field("word", _choice(("word", "char"))),
        "step": Field(0, _integer(0, MAX_TOKENS - 1)),
        # the loss's target, 1-based: a class number, or the position of the LM's target word;
        # 0 is the default (the true class of a labelled example, the last word for an LM)
        "target": Field(0, _integer(0, MAX_TOKENS)),
        "n": Field(2, _integer(2, 4)),
        "cmodel": Field(COMPARE_MODEL, _choice(model_names)),
        "c1": Field("虽然服务很差但是环境很好", _sentence),
        "c2": Field("虽然环境很好但是服务很差", _sentence),
        "c3": Field("酒店很干净，服务很好，早餐也不错", _sentence),
        "c4": Field("早餐也不错，服务很好，酒店很干净", _sentence),
        "a": Field(MEMORY_PROMPT, _sentence),
        "task": Field("memory", _choice(TASKS)),
        "astep": Field(0, _integer(0, MAX_TOKENS - 1)),
        "prof": Field("程序员", _choice(tuple(PROFESSIONS))),
        "k": Field(10, _integer(0, 50)),
        "rho": Field(1.0, _number(0.5, 2.0)),
    }


def parse_query(params: Mapping[str, str], known: Mapping[str, Field]) -> tuple[dict, list[str]]:
    """Values of the known parameters that parse, and the names of those that do not.
    Unknown parameters are ignored (links carry all sorts of tracking tags)."""
    values, invalid = {}, []
    for name, raw in params.items():
        field = known.get(name)
        if field is None:
            continue
        try:
            values[name] = field.parse(str(raw))
        except (ValueError, TypeError, OverflowError):
            invalid.append(name)
    return values, sorted(invalid)


def load_query(known: Mapping[str, Field], locale_language: str) -> list[str]:
    """Put the URL's state into the widgets' session state, at the start of a session and
    whenever the URL changed from outside (the browser's Back button, an edited link): a
    parameter that parses sets its widget, a missing one means the default.
    Returns the names of invalid parameters (shown as a notice on that run)."""
    current = st.query_params.to_dict()
    if st.session_state.get("_query_seen") == current:
        return []
    values, invalid = parse_query(current, known)
    for name, field in known.items():
        default = locale_language if name == "lang" else field.default
        st.session_state[name] = values.get(name, default)
    for name in invalid:
        del st.query_params[name]
    st.session_state["_query_seen"] = st.query_params.to_dict()
    return invalid


def sync_query(known: Mapping[str, Field], names: list[str]) -> None:
    """Write the current values of `names` into the URL (a value equal to its default is left
    out, to keep links short), and remember the URL as this session's own."""
    for name in names:
        field = known[name]
        value = st.session_state.get(name, field.default)
        if value == field.default:
            if name in st.query_params:
                del st.query_params[name]
        elif st.query_params.get(name) != field.dump(value):
            st.query_params[name] = field.dump(value)
    st.session_state["_query_seen"] = st.query_params.to_dict()
