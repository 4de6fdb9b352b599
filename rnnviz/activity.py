"""The article's own examples as a task: what is someone going to do? Sentences such as
我要去打篮球 and 今天我要去打球 are generated from templates (subjects, time words, activities,
particles), so every word is in vocabulary; the models are trained on one word order and
tested on the article's reorderings (我要打篮球去, 我要打球去今天). Owns the templates, the
generated splits, the training runner of `python -m rnnviz.train activity` and the
measurement over seeds (`python -m rnnviz.activity`). The dashboard never imports it."""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import torch
from torch import nn

from .config import arch_option, option
from .memory import spread
from .models import POSITIONS, RecurrentModel, build_model
from .tokens import Vocab, tokenize
from .training import Schedule, classifier_accuracy, fit, last_step_logits, pad, round_to_half

# The class of each activity word (each is one jieba token in every template).
# Four words a class, so that no class is more common than another: a network that has
# learned nothing about a sentence is right 25 % of the time, not more by guessing the most
# common class.
ACTIVITIES = {
    "打球": ("打篮球", "打球", "踢足球", "踢球"),
    "学习": ("看书", "上课", "学习", "读书"),
    "吃饭": ("吃饭", "吃火锅", "喝茶", "吃饺子"),
    "购物": ("买菜", "逛街", "购物", "逛商场"),
}
LABELS = list(ACTIVITIES)
# Who is going: 我要 is one jieba token, 他 要 two.
SUBJECTS = ("我", "你", "他", "她", "我们", "他们", "妈妈", "小明")
TIMES = ("今天", "明天", "下午", "晚上", "周末")
# Words that may follow the activity in a training sentence (我要去打篮球了).
PARTICLES = ("了", "吧", "啊")
# The article's sentences: section 一's pair and section 三's pair, as (text, class).
ARTICLE_SENTENCES = (
    ("我要去打篮球", "打球"),
    ("我要打篮球去", "打球"),
    ("今天我要去打球", "打球"),
    ("我要打球去今天", "打球"),
)
VALIDATION_SEED = 777
VALIDATION_SIZE = 200
SHIPPED_SEEDS = 5


def in_order(subject: str, activity: str, time_word: str = "", particle: str = "") -> str:
    """The training word order: [time] subject 要 去 activity [particle] (今天我要去打球)."""
    return f"{time_word}{subject}要去{activity}{particle}"


def reordered(subject: str, activity: str, time_word: str = "") -> str:
    """The article's reordering: subject 要 activity 去 [time] (我要打篮球去, 我要打球去今天)."""
    return f"{subject}要{activity}去{time_word}"


def label_of(activity: str) -> int:
    return next(i for i, words in enumerate(ACTIVITIES.values()) if activity in words)


def activity_words() -> list[str]:
    return [word for words in ACTIVITIES.values() for word in words]


def training_sentences(count: int, particle_share: float, seed: int) -> list[tuple[list[str], int]]:
    """`count` sentences in the training order, (tokens, class); a time word in half of them,
    a particle after the activity in `particle_share` of them (0: the activity is always the
    last token)."""
    rng = random.Random(seed)
    sentences = []
    for _ in range(count):
        activity = rng.choice(activity_words())
        time_word = rng.choice(TIMES) if rng.random() < 0.5 else ""
        particle = rng.choice(PARTICLES) if rng.random() < particle_share else ""
        text = in_order(rng.choice(SUBJECTS), activity, time_word, particle)
        sentences.append((tokenize(text), label_of(activity)))
    return sentences


def reordered_sentences(time_words: Sequence[str] = ("", *TIMES)) -> list[tuple[list[str], int]]:
    """Every sentence of the article's reordering (activity before 去, then one of
    `time_words`, "" for none), (tokens, class): none of them is in the training order."""
    return [
        (tokenize(reordered(subject, activity, time_word)), label_of(activity))
        for subject in SUBJECTS
        for activity in activity_words()
        for time_word in time_words
    ]


def template_vocab() -> Vocab:
    """Every token of every sentence the templates make, in the training order (the
    reorderings use the same words), so no word of the task is <unk>."""
    sentences = [
        tokenize(in_order(subject, activity, time_word, particle))
        for subject in SUBJECTS
        for activity in activity_words()
        for time_word in ("", *TIMES)
        for particle in ("", *PARTICLES)
    ]
    return Vocab.build(sentences, max_size=10_000)


def activity_position(tokens: Sequence[str]) -> int:
    """The 0-based position of the activity word in a sentence's tokens."""
    words = set(activity_words())
    return next(index for index, token in enumerate(tokens) if token in words)


def test_groups(train: Sequence[tuple[list[str], int]]) -> dict[str, list[tuple[list[str], int]]]:
    """The held-out sentences a model is measured on, by group: the article's two reorderings
    over every subject and activity (moved: 我要打篮球去; moved_time: 我要打球去今天, the time
    word moved to the end too), and all reorderings split by whether the activity lands at a
    position where some training sentence had an activity (seen_position) or where none had
    one (new_position: 我要打篮球去 puts 打篮球 second, after the one token 我要)."""
    trained_positions = {activity_position(tokens) for tokens, _ in train}
    everything = reordered_sentences()
    return {
        "reordered": everything,
        "moved": reordered_sentences(("",)),
        "moved_time": reordered_sentences(TIMES),
        "new_position": [s for s in everything if activity_position(s[0]) not in trained_positions],
        "seen_position": [s for s in everything if activity_position(s[0]) in trained_positions],
    }


@dataclass(frozen=True)
class ActivityConfig:
    """What is someone going to do (打球, 学习, 吃饭, 购物)? Trained on one word order
    (我要去打篮球), tested on the article's reorderings (我要打篮球去, 我要打球去今天)."""

    arch: str = arch_option()
    embed_size: int = option(16, "size E of the word vectors x_t")
    hidden_size: int = option(32, "size H of the hidden state h_t")
    sentences: int = option(400, "generated training sentences, all in one word order")
    particle_share: float = option(
        0.5,
        "share of the training sentences with a particle after the activity (我要去打篮球了); "
        "0: the activity is always the last token",
    )
    epochs: int = option(20, "passes over the training sentences")
    lr: float = option(1e-2, "Adam learning rate")
    batch_size: int = option(16, "sentences per batch")
    seed: int = option(0, "first seed of the weights, the sentences and the batch order")
    seeds: int = option(SHIPPED_SEEDS, "seeds trained; the median one by reordering accuracy ships")


def accuracy(model: RecurrentModel, sentences: Sequence[tuple[list[str], int]]) -> float:
    """Share of (tokens, class) sentences whose last-step prediction is their class."""
    return classifier_accuracy(
        model, [model.vocab.encode(tokens) for tokens, _ in sentences], [y for _, y in sentences]
    )


def article_predictions(model: RecurrentModel) -> dict[str, dict[str, Any]]:
    """The article's four sentences read by `model`: predicted class and p(打球)."""
    result = {}
    with torch.no_grad():
        for text, label in ARTICLE_SENTENCES:
            ids, lengths = pad([model.vocab.encode(tokenize(text))])
            probs = torch.softmax(last_step_logits(model, ids, lengths)[0], -1)
            result[text] = {
                "predicted": LABELS[int(probs.argmax())],
                f"p_{label}": round(float(probs[LABELS.index(label)]), 4),
            }
    return result


def train_seed(config: ActivityConfig, seed: int) -> tuple[RecurrentModel, dict[str, Any]]:
    """One model of config.arch trained from `seed` (its sentences, weights and batch order);
    returns it rounded as it ships and its record: accuracy in the training order (held out)
    and on the reorderings."""
    torch.manual_seed(seed)
    train = training_sentences(config.sentences, config.particle_share, seed)
    validation = training_sentences(VALIDATION_SIZE, config.particle_share, VALIDATION_SEED + seed)
    vocab = template_vocab()
    model = build_model(
        config.arch,
        "classifier",
        vocab,
        labels=LABELS,
        embed_size=config.embed_size,
        hidden_size=config.hidden_size,
        seed=seed,
    ).train()
    train_ids = [vocab.encode(tokens) for tokens, _ in train]
    labels = [label for _, label in train]

    def batch_loss(batch: list[int]) -> torch.Tensor:
        ids, lengths = pad([train_ids[i] for i in batch])
        logits = last_step_logits(model, ids, lengths)
        return nn.functional.cross_entropy(logits, torch.tensor([labels[i] for i in batch]))

    started = time.perf_counter()
    fitted = fit(
        model,
        [len(ids) for ids in train_ids],
        batch_loss,
        Schedule(config.epochs, config.batch_size, config.lr),
        random.Random(seed),
        validate=lambda model: accuracy(model, validation),
    )
    model.eval()
    round_to_half(model)
    record = {
        "seed": seed,
        "accuracy": {
            "in_order": round(accuracy(model, validation), 4),
            **{
                group: round(accuracy(model, sentences), 4)
                for group, sentences in test_groups(train).items()
            },
        },
        "article": article_predictions(model),
        "kept_epoch": fitted.kept_epoch,
        "seconds": round(time.perf_counter() - started, 1),
    }
    return model, record


GROUPS = {
    "in_order": "held-out sentences in the training order (今天我要去打球)",
    "reordered": "every reordering: the activity before 去, then a time word or none",
    "moved": "the activity before 去 (我要打篮球去), every subject and activity",
    "moved_time": "the activity before 去 and the time word at the end (我要打球去今天)",
    "new_position": "reorderings whose activity sits where no training sentence had one "
    "(我要打篮球去: second token)",
    "seen_position": "reorderings whose activity sits where training sentences had one",
}


def summary(records: Sequence[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Per group: mean, min and max accuracy over the seeds' records."""
    result = {}
    for group in GROUPS:
        mean, low, high = spread([record["accuracy"][group] for record in records])
        result[group] = {"mean": round(mean, 4), "min": low, "max": high}
    return result


def run_activity(config: ActivityConfig, dry_run: bool) -> tuple[RecurrentModel, dict[str, Any]]:
    """The shipped activity model of config.arch: trained from config.seeds seeds, the median
    seed by accuracy on every reordering shipped; the card keeps every seed's record."""
    if dry_run:
        config = replace(config, epochs=1, seeds=2)
    seeds = list(range(config.seed, config.seed + config.seeds))
    trained = {}
    for seed in seeds:
        print(f"{config.arch} seed {seed}", file=sys.stderr, flush=True)
        trained[seed] = train_seed(config, seed)
    # The other training design, the same seeds: the activity always the last token.
    contrast = replace(config, particle_share=0.0 if config.particle_share else 0.5)
    contrast_records = [train_seed(contrast, seed)[1] for seed in seeds]
    order = sorted(seeds, key=lambda s: (trained[s][1]["accuracy"]["reordered"], s))
    shipped_seed = order[(len(order) - 1) // 2]
    model, shipped = trained[shipped_seed]
    records = [trained[seed][1] for seed in seeds]
    words = "；".join(f"{label}：{'、'.join(words)}" for label, words in ACTIVITIES.items())
    card = {
        "task": "what is someone going to do? 我要去打篮球 → 打球 (4 classes)",
        "data": f"generated from templates: [time] subject 要去 activity [particle]; subjects "
        f"{'、'.join(SUBJECTS)}; time words {'、'.join(TIMES)} (in half the sentences); "
        f"activities {words}; particles {'、'.join(PARTICLES)} after the activity in "
        f"{config.particle_share:.0%} of the training sentences",
        "split": f"{config.sentences} training sentences from the seed, all in one word order; "
        f"{VALIDATION_SIZE} held-out sentences in that order (seed {VALIDATION_SEED} + seed); "
        f"test: all {len(reordered_sentences())} reorderings (subject 要 activity 去 [time])",
        "input": "jieba tokens (rnnviz.tokenize, word mode); every template word is in the "
        f"vocabulary; chance is {1 / len(LABELS):.0%}",
        "groups": GROUPS,
        "metrics": {"accuracy": shipped["accuracy"]},
        "baselines": {"chance": round(1 / len(LABELS), 4)},
        "seeds": records,
        "over_seeds": summary(records),
        "other_design": {
            "particle_share": contrast.particle_share,
            "over_seeds": summary(contrast_records),
            "seeds": contrast_records,
        },
        "training": {
            "epochs": config.epochs,
            "seconds": shipped["seconds"],
            "seeds": seeds,
            "shipped_seed": shipped_seed,
            "shipping_rule": f"trained from each of the {len(seeds)} seeds; the shipped weights "
            "are the median seed by accuracy on every reordering (ties: the smaller seed); "
            "over_seeds gives the mean and range the lesson quotes",
            "selection": "within a run, the epoch with the best held-out in-order accuracy "
            "(ties: the later epoch)",
        },
    }
    if config.arch == "position":
        card["training"]["positions"] = f"{POSITIONS} weight blocks U_1 … U_{POSITIONS}"
    return model, card


def measure(
    archs: Sequence[str], shares: Sequence[float], seeds: int, config: ActivityConfig
) -> list[dict[str, Any]]:
    """For every training design (particle share) and architecture, `seeds` runs: one row each
    with the mean, min and max accuracy per group."""
    rows = []
    for share in shares:
        for arch in archs:
            run = replace(config, arch=arch, particle_share=share)
            records = [train_seed(run, seed)[1] for seed in range(seeds)]
            rows.append({"particle_share": share, "arch": arch, "groups": summary(records)})
    return rows


def table(rows: Sequence[dict[str, Any]]) -> str:
    """The measurement as a Markdown table: mean (min–max) accuracy per group."""
    lines = [
        "| particles | network | " + " | ".join(GROUPS) + " |",
        "|---|---|" + "---|" * len(GROUPS),
    ]
    for row in rows:
        cells = [
            f"{g['mean']:.0%} ({g['min']:.0%}–{g['max']:.0%})"
            for g in (row["groups"][group] for group in GROUPS)
        ]
        lines.append(f"| {row['particle_share']:.0%} | {row['arch']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m rnnviz.activity",
        description="Train the activity task's networks from several seeds, in one or more "
        "training designs, and print held-out accuracy per group (mean, min–max over seeds).",
    )
    parser.add_argument("--seeds", type=int, default=SHIPPED_SEEDS, help="seeds 0 … N-1")
    parser.add_argument(
        "--archs", nargs="+", default=["position", "bow", "rnn", "lstm"], help="networks"
    )
    parser.add_argument(
        "--particle-share",
        type=float,
        nargs="+",
        default=[0.0, 0.5],
        help="training designs: share of sentences with a particle after the activity",
    )
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    arguments = parser.parse_args(argv)
    torch.set_num_threads(arguments.threads)
    base = ActivityConfig(arch=arguments.archs[0])
    rows = measure(arguments.archs, arguments.particle_share, arguments.seeds, base)
    print(table(rows))


if __name__ == "__main__":
    main()
