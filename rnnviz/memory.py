"""The generated long-memory task: 我的职业是<profession>，<fillers>，我最擅长的是 -> <skill>.
The fillers are short everyday clauses (今天天气很好，我们一起去公园散步), some naming another
person's profession (我的朋友是医生), so a model must keep the profession that followed 我的职业是.
Needed at run time (the dashboard's live try, the race) as well as for training; it holds no
corpus and imports nothing but the standard library.

Distance k, exactly: the number of tokens between the comma after the profession and the comma
before 我最擅长的是, i.e. the filler clauses with the commas that separate them. A prompt has
6 + k + 1 + 5 tokens (6 + 5 when k = 0, which has no filler and one comma), and the profession
(token index 4) is k + 7 steps before the last token (6 steps when k = 0)."""

from __future__ import annotations

import random
import statistics
from collections.abc import Mapping, Sequence
from typing import Any

PROFESSIONS = {
    "程序员": "电脑",
    "厨师": "做饭",
    "医生": "看病",
    "老师": "教书",
    "司机": "开车",
    "歌手": "唱歌",
    "画家": "画画",
    "农民": "种地",
    "律师": "辩护",
    "会计": "算账",
}
# Held-out prompts: validation (curves, choosing weights) and test (the cards' numbers) come
# from their own seeds, never from a training seed's stream.
VALIDATION_SEED = 777
TEST_SEED = 12345
HEAD = ("我", "的", "职业", "是")
QUESTION = ("我", "最", "擅长", "的", "是")
COMMA = "，"
# Where another person's profession goes in a distractor clause.
OTHER = "<other>"
# Each clause is listed as jieba segments it (a test checks), so that a typed prompt and a
# generated one are the same tokens.
CLAUSES: tuple[tuple[str, ...], ...] = (
    ("其实",),
    ("平时",),
    ("另外",),
    ("下雨", "了"),
    ("周末", "休息"),
    ("天气", "不错"),
    ("今天天气", "很", "好"),
    ("时间", "过得", "很快"),
    ("我", "喜欢", "听", "音乐"),
    ("明天", "可能", "会", "下雨"),
    ("希望", "大家", "都", "快乐"),
    ("他们", "在", "学习", "英语"),
    ("我", "很", "喜欢", "看书"),
    ("我们", "一起", "去", "公园", "散步"),
    ("晚上", "我们", "一起", "看", "电影"),
    ("早上", "喝", "了", "一杯", "茶"),
    ("昨天", "我", "去", "跑步", "了"),
    ("下班", "以后", "回家", "休息"),
    ("我们", "聊天", "聊得", "很", "开心"),
    ("我们", "周末", "去", "超市", "买", "水果"),
    ("朋友", "说", "他", "也", "想学", "游泳"),
    # distractors: someone else's job, mentioned in passing
    ("我", "的", "朋友", "是", OTHER),
    ("我", "的", "邻居", "是", OTHER),
    ("他", "的", "哥哥", "是", OTHER),
    ("她", "的", "妈妈", "是", OTHER),
    ("我", "认识", "一个", OTHER),
    ("他们", "是", OTHER),
)
# The distances every card and test reports, and the ones the race draws.
MEMORY_DISTANCES = (0, 5, 10, 20, 30, 50)
# The live try's fillers for distance k come from this seed and k alone: the same prompt on
# every call and for every profession, so a shared link shows the same sentence.
LIVE_SEED = 2024
TRAILING_PUNCTUATION = frozenset("。！？!?.，,；;…～~ ")


def filler_tokens(rng: random.Random, distance: int) -> list[str]:
    """Exactly `distance` tokens of whole clauses joined by commas, drawn from `rng`.
    A clause fits if it ends the fillers exactly or leaves room for a comma and one more token
    (one- and two-token clauses exist, so every distance can be met). Clauses of three or more
    tokens not used yet are preferred, so that the short ones (其实, 下雨了) only close a prompt
    and a clause repeats only in long prompts."""
    if distance < 0:
        raise ValueError("The distance k must be 0 or more.")
    tokens: list[str] = []
    used: set[tuple[str, ...]] = set()
    remaining = distance
    while remaining > 0:
        fitting = [c for c in CLAUSES if len(c) == remaining or len(c) + 2 <= remaining]
        fresh = [c for c in fitting if c not in used]
        preferred = [c for c in fresh if len(c) >= 3]
        clause = rng.choice(preferred or fresh or fitting)
        used.add(clause)
        tokens += [rng.choice(list(PROFESSIONS)) if token == OTHER else token for token in clause]
        remaining -= len(clause)
        if remaining > 0:
            tokens.append(COMMA)
            remaining -= 1
    return tokens


def memory_prompt_tokens(profession: str, fillers: Sequence[str]) -> list[str]:
    """Tokens of 我的职业是<profession>，<fillers>，我最擅长的是 (no second comma when there
    are no fillers). The skill is what a model must name after the last token."""
    middle = [*fillers, COMMA] if fillers else []
    return [*HEAD, profession, COMMA, *middle, *QUESTION]


def memory_example(rng: random.Random, distance: int) -> tuple[list[str], int]:
    """One prompt at distance k = `distance` and the index of its skill label."""
    profession = rng.choice(list(PROFESSIONS))
    fillers = filler_tokens(rng, distance)
    return memory_prompt_tokens(profession, fillers), memory_labels().index(PROFESSIONS[profession])


def live_fillers(distance: int) -> list[str]:
    """The live try's k filler tokens: the same for every profession and on every call."""
    return filler_tokens(random.Random(LIVE_SEED * 1000 + distance), distance)


def live_prompt_tokens(profession: str, distance: int) -> list[str]:
    """The live try's prompt for (profession, k): the same tokens on every call."""
    if profession not in PROFESSIONS:
        raise ValueError(f"Unknown profession {profession!r}; valid: {'、'.join(PROFESSIONS)}.")
    return memory_prompt_tokens(profession, live_fillers(distance))


def split_answer(tokens: Sequence[str]) -> tuple[list[str], str | None]:
    """A typed sentence that ends in a skill (…我最擅长的是电脑, trailing punctuation allowed):
    the prompt before the answer and the answer, which the memory model is asked to predict.
    Any other sentence comes back whole, with no answer."""
    words = list(tokens)
    while words and all(char in TRAILING_PUNCTUATION for char in words[-1]):
        words.pop()
    if len(words) > 1 and words[-1] in PROFESSIONS.values():
        return words[:-1], words[-1]
    return list(tokens), None


def memory_labels() -> list[str]:
    return list(PROFESSIONS.values())


def memory_vocab_tokens() -> list[str]:
    """Every token a generated prompt can contain, in a fixed order."""
    clause_tokens = [token for clause in CLAUSES for token in clause if token != OTHER]
    return list(dict.fromkeys([*HEAD, *PROFESSIONS, COMMA, *QUESTION, *clause_tokens]))


def spread(values: Sequence[float]) -> tuple[float, float, float]:
    """(mean, min, max) of one measurement over training seeds."""
    return statistics.fmean(values), min(values), max(values)


def accuracy_over_seeds(card: Mapping[str, Any]) -> list[tuple[int, float, float, float]]:
    """(k, mean, min, max) of held-out accuracy over the seeds a memory card records, by k.
    A card without seeds gives its one measurement as mean, min and max."""
    runs = [run["accuracy_by_distance"] for run in card.get("seeds", [])] or [
        card["metrics"]["accuracy_by_distance"]
    ]
    return [(int(k), *spread([run[k] for run in runs])) for k in sorted(runs[0], key=int)]


def curve_over_seeds(
    card: Mapping[str, Any], distance: int
) -> list[tuple[int, float, float, float]]:
    """(step, mean, min, max) of validation accuracy at distance k over the seeds, for the
    steps every seed measured (a card without seeds: its one curve)."""
    runs = [run["validation_by_step"] for run in card.get("seeds", [])] or [
        card["training"]["validation_by_step"]
    ]
    key = str(distance)
    by_step = [{point["step"]: point[key] for point in run} for run in runs]
    steps = sorted(set.intersection(*(set(run) for run in by_step)))
    return [(step, *spread([run[step] for run in by_step])) for step in steps]


def accuracy_bands(
    cards: Mapping[str, Mapping[str, Any]],
) -> dict[str, tuple[str | None, list[tuple[int, float, float, float]]]]:
    """Per memory model: (architecture, accuracy_over_seeds of its card), for the accuracy
    chart."""
    return {
        name: (card.get("architecture"), accuracy_over_seeds(card)) for name, card in cards.items()
    }


def curve_bands(
    cards: Mapping[str, Mapping[str, Any]], distance: int
) -> dict[str, tuple[str | None, list[tuple[int, float, float, float]]]]:
    """Per memory model: (architecture, curve_over_seeds of its card at `distance`), for the
    learning-curve chart."""
    return {
        name: (card.get("architecture"), curve_over_seeds(card, distance))
        for name, card in cards.items()
    }


def profession_distances(token_lists: Mapping[str, Sequence[str]]) -> tuple[str, str, dict]:
    """Segmentation as a variable: for a sentence that names a profession and later its skill
    (我的职业是程序员，…电脑), how many steps the network takes from the profession's first
    token to the skill's first token under each segmentation. token_lists: mode -> tokens of
    the same text. Returns (profession, skill, {mode: steps}); steps is None for a mode in which
    the two cannot be found; ("", "", {}) when the text names no profession and its skill."""
    text = "".join(next(iter(token_lists.values()), []))
    for profession, skill in PROFESSIONS.items():
        start = text.find(profession)
        if start < 0 or text.find(skill, start + len(profession)) < 0:
            continue
        end = text.find(skill, start + len(profession))
        steps = {}
        for mode, tokens in token_lists.items():
            starts, offset = [], 0
            for token in tokens:
                starts.append(offset)
                offset += len(token)
            first = _token_at(starts, tokens, start)
            last = _token_at(starts, tokens, end)
            steps[mode] = None if first is None or last is None else last - first
        return profession, skill, steps
    return "", "", {}


def _token_at(starts: Sequence[int], tokens: Sequence[str], position: int) -> int | None:
    """Index of the token that covers character `position` of the joined tokens."""
    for index, (start, token) in enumerate(zip(starts, tokens, strict=True)):
        if start <= position < start + len(token):
            return index
    return None
