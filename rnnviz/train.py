"""python -m rnnviz.train <task> --arch <arch>: the command line that produced the shipped
weights. Each task has one typed config (a dataclass holding the defaults; the flags are made
from its fields and the whole config is saved in the card) and one runner that reads the data,
trains through the shared loop in rnnviz.training (the long-memory models through the race's
loop, rnnviz.race, from several seeds) and measures the held-out metrics on the weights that
ship. The dashboard never imports it."""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from functools import partial
from pathlib import Path
from typing import Any

import torch
from torch import nn

from . import activity, data, memory
from .cards import complete_card, language_model_card, memory_card, sentiment_card
from .checkpoint import WEIGHTS_DIR, save_model
from .config import add_flags, arch_option, option, option_like
from .data import snownlp_accuracy
from .memory import TEST_SEED
from .models import RecurrentModel, build_model
from .ngram import KneserNeyTrigram
from .race import Race, RaceConfig, held_out_prompts, measure
from .registry import ARCHS_BY_TASK, TRAINED_TASKS, task_token_mode
from .tokens import UNK, Vocab, tokenize
from .training import (
    Resume,
    Schedule,
    cached_tokens,
    classifier_accuracy,
    fit,
    last_step_logits,
    lm_loss,
    lm_perplexity,
    pad,
    round_to_half,
)


@dataclass(frozen=True)
class SentimentConfig:
    """Is a review 正面 or 负面? Read with jieba words, the class read after the last word."""

    arch: str = arch_option()
    embed_size: int = option(64, "size E of the word vectors x_t")
    hidden_size: int = option(64, "size H of the hidden state h_t")
    vocab_size: int = option(8000, "most frequent training words kept (+ <unk>, <pad>)")
    epochs: int = option(8, "passes over the training reviews")
    lr: float = option(2e-3, "Adam learning rate")
    dropout: float = option(0.3, "dropout on the word vectors x_t during training")
    batch_size: int = option(64, "reviews per batch")
    seed: int = option(0, "seed of the weights, the split and the batch order")


@dataclass(frozen=True)
class LMConfig:
    """The next jieba word after every word read, on People's Daily."""

    arch: str = arch_option()
    embed_size: int = option(96, "size E of the word vectors x_t")
    hidden_size: int = option(192, "size H of the hidden state h_t")
    vocab_size: int = option(10000, "most frequent training tokens kept (+ <unk>, <pad>)")
    epochs: int = option(6, "passes over the training sentences")
    lr: float = option(2e-3, "Adam learning rate of the first epoch")
    lr_decay: float = option(0.7, "the learning rate is multiplied by this every epoch")
    dropout: float = option(0.0, "dropout on the token vectors x_t during training")
    batch_size: int = option(64, "sentences per batch")
    max_tokens: int = option(data.LM_MAX_TOKENS, "tokens kept from the start of a sentence")
    seed: int = option(0, "seed of the weights and the batch order")
    max_steps: int = option(0, "stop after this many optimiser steps in all (0: every epoch)")


@dataclass(frozen=True)
class CharLMConfig(LMConfig):
    """The next character after every character read, on People's Daily: every character of
    我的职业是程序员，我最擅长的是电脑 is in its vocabulary, where 程序员 and 擅长 are not
    words of the 1998 corpus."""

    embed_size: int = option(64, "size E of the character vectors x_t")
    hidden_size: int = option(128, "size H of the hidden state h_t")
    vocab_size: int = option(4000, "most frequent training characters kept (+ <unk>, <pad>)")
    epochs: int = option(1, "passes over the training sentences")
    lr: float = option(3e-3, "Adam learning rate of the first epoch")
    lr_decay: float = option(0.5, "the learning rate is multiplied by this every epoch")
    max_tokens: int = option(100, "characters kept from the start of a sentence")


def run_sentiment(
    config: SentimentConfig, dry_run: bool, resume: Resume | None = None
) -> tuple[RecurrentModel, dict[str, Any]]:
    split = data.sentiment_split(config.seed)
    train_count, test_count = (640, 200) if dry_run else (None, None)
    train_tokens = cached_tokens(
        "sentiment-train", split.train_texts[:train_count], data.review_tokens, dry_run
    )
    test_tokens = cached_tokens(
        "sentiment-test", split.test_texts[:test_count], data.review_tokens, dry_run
    )
    train_labels = split.train_labels[:train_count]
    test_labels = split.test_labels[:test_count]
    vocab = Vocab.build(train_tokens, max_size=config.vocab_size, min_count=2)
    model = build_model(
        config.arch,
        "classifier",
        vocab,
        labels=data.SENTIMENT_LABELS,
        embed_size=config.embed_size,
        hidden_size=config.hidden_size,
        seed=config.seed,
    ).train()
    encoded = [vocab.encode(tokens) for tokens in train_tokens]
    held = 100 if dry_run else data.SENTIMENT_VALIDATION_SIZE
    train_ids, validation_ids = encoded[:-held], encoded[-held:]
    labels, validation_labels = train_labels[:-held], train_labels[-held:]

    def batch_loss(batch: list[int]) -> torch.Tensor:
        ids, lengths = pad([train_ids[i] for i in batch])
        logits = last_step_logits(model, ids, lengths, config.dropout)
        return nn.functional.cross_entropy(logits, torch.tensor([labels[i] for i in batch]))

    fitted = fit(
        model,
        [len(ids) for ids in train_ids],
        batch_loss,
        Schedule(config.epochs, config.batch_size, config.lr, limit_batches=5 if dry_run else None),
        random.Random(config.seed),
        validate=lambda model: classifier_accuracy(model, validation_ids, validation_labels),
        resume=resume,
    )
    model.eval()
    round_to_half(model)
    accuracy = classifier_accuracy(model, [vocab.encode(t) for t in test_tokens], test_labels)
    card = sentiment_card(
        seed=config.seed,
        counts=(len(train_tokens) - held, held, len(test_labels)),
        accuracy=accuracy,
        baseline=None if dry_run else snownlp_accuracy(split.test_texts, split.test_labels),
        fitted=fitted,
        seconds=fitted.seconds,
    )
    return model, card


def run_language_model(
    task: str, config: LMConfig, dry_run: bool, resume: Resume | None = None
) -> tuple[RecurrentModel, dict[str, Any]]:
    """lm (jieba words) and charlm (characters): the same training, another unit of text.
    With `resume`, training goes on from the checkpoint there, if any, and saves it as it goes."""
    mode = task_token_mode(task)
    train_text, test_text = data.lm_split(data.peoples_daily_sentences())
    if dry_run:
        train_text, test_text = train_text[:640], test_text[:100]

    def read(name: str, texts: list[str]) -> list[list[str]]:
        whole = cached_tokens(name, texts, lambda text: tokenize(text, mode), dry_run)
        return [tokens[: config.max_tokens] for tokens in whole if len(tokens) >= 2]

    train_tokens = read(f"peoples-daily-{mode}-train", train_text)
    test_tokens = read(f"peoples-daily-{mode}-test", test_text)
    vocab = Vocab.build(train_tokens, max_size=config.vocab_size)
    model = build_model(
        config.arch,
        "lm",
        vocab,
        embed_size=config.embed_size,
        hidden_size=config.hidden_size,
        seed=config.seed,
        token_mode=mode,
    ).train()
    train_ids = [vocab.encode(tokens) for tokens in train_tokens]

    def batch_loss(batch: list[int]) -> torch.Tensor:
        ids, _ = pad([train_ids[i] for i in batch])
        return lm_loss(model, ids, dropout=config.dropout)

    limit = 5 if dry_run else None
    fitted = fit(
        model,
        [len(ids) for ids in train_ids],
        batch_loss,
        Schedule(
            config.epochs,
            config.batch_size,
            config.lr,
            config.lr_decay,
            limit,
            config.max_steps or None,
        ),
        random.Random(config.seed),
        resume=resume,
    )
    model.eval()
    round_to_half(model)
    perplexity = lm_perplexity(model, [vocab.encode(tokens) for tokens in test_tokens])

    def closed(sentences: list[list[str]]) -> list[list[str]]:
        return [[token if token in vocab.stoi else UNK for token in s] for s in sentences]

    ngram = KneserNeyTrigram(closed(train_tokens), vocab_size=len(vocab) - 1)
    card = language_model_card(
        mode,
        counts=(len(train_tokens), len(test_tokens)),
        max_tokens=config.max_tokens,
        vocab_size=len(vocab),
        perplexity=perplexity,
        ngram_perplexity=ngram.perplexity(closed(test_tokens)),
        fitted=fitted,
        seconds=fitted.seconds,
    )
    return model, card


# The shipped memory models: the race's loop, one architecture at a time, from several seeds.
SHIPPED_SEEDS = 5


@dataclass(frozen=True)
class MemoryConfig:
    """我的职业是<profession>，<k fillers>，我最擅长的是 -> the skill (generated prompts)."""

    arch: str = arch_option()
    embed_size: int = option_like(RaceConfig, "embed_size")
    hidden_size: int = option_like(RaceConfig, "hidden_size")
    lr: float = option_like(RaceConfig, "lr")
    batch_size: int = option_like(RaceConfig, "batch_size")
    steps: int = option(1000, "training batches")
    curriculum: float = option_like(
        RaceConfig,
        "curriculum",
        "share of the steps over which the longest filler distance grows from 2 to "
        "--max-distance (0: no curriculum)",
    )
    max_distance: int = option_like(
        RaceConfig,
        "max_distance",
        "the most filler words in a training prompt (tests always measure k up to 50)",
    )
    skew: float = option_like(
        RaceConfig,
        "skew",
        "training distances are max-distance * u^skew (u uniform in [0, 1]); 1 is uniform, "
        "larger makes short distances more common",
    )
    freeze_embeddings: bool = option_like(RaceConfig, "freeze_embeddings")
    seed: int = option_like(RaceConfig, "seed", "seed of the weights and the prompts")


def run_memory(config: MemoryConfig, dry_run: bool) -> tuple[RecurrentModel, dict[str, Any]]:
    """The shipped memory model of config.arch: trained through rnnviz.race's loop from seeds config.seed
    to config.seed + 4 (for a seed, the same batches as the other architectures), the median
    seed shipped (the rule is written in the card)."""
    # MemoryConfig's fields are RaceConfig's (its defaults come from there) but for arch
    shared = {item.name: getattr(config, item.name) for item in fields(MemoryConfig)}
    race_config = RaceConfig(
        **{
            **{name: value for name, value in shared.items() if name != "arch"},
            "steps": 20 if dry_run else config.steps,
            "archs": (config.arch,),
            "eval_every": 10 if dry_run else 100,
            "distances": memory.MEMORY_DISTANCES,
        }
    )
    seed_count = 2 if dry_run else SHIPPED_SEEDS
    seeds = list(range(config.seed, config.seed + seed_count))
    return train_shipped(race_config, seeds, test_prompts=50 if dry_run else 500)


def _mean(values: dict[str, float]) -> float:
    return sum(values.values()) / len(values)


def train_seed(config: RaceConfig, test_prompts: int) -> tuple[RecurrentModel, dict[str, Any]]:
    """One architecture (config.archs, a single one) trained from config.seed; keeps the weights
    with the best validation accuracy (a vanilla RNN can collapse late, an exploding step wiping
    what it had learned). Returns the model rounded as it ships and its record for the card."""
    (arch,) = config.archs
    race = Race(config)
    best_score, best_state, best_step = -1.0, None, 0
    started = time.perf_counter()
    for progress in race.run():
        for evaluation in progress.evaluations:
            score = _mean(evaluation.accuracy_by_distance)
            if progress.step > 0 and score >= best_score:
                best_score, best_step = score, progress.step
                best_state = {
                    k: v.detach().clone() for k, v in race.models[arch].state_dict().items()
                }
    seconds = time.perf_counter() - started
    model = race.models[arch]
    model.load_state_dict(best_state)
    model.eval()
    round_to_half(model)
    test = held_out_prompts(race.vocab, memory.MEMORY_DISTANCES, test_prompts, TEST_SEED)
    accuracy, _ = measure(model, test)
    record = {
        "seed": config.seed,
        "accuracy_by_distance": {k: round(v, 4) for k, v in accuracy.items()},
        "mean_accuracy": round(_mean(accuracy), 4),
        "selected_step": best_step,
        "seconds": round(seconds, 1),
        "validation_by_step": [
            {"step": e.step, **{k: round(v, 2) for k, v in e.accuracy_by_distance.items()}}
            for e in race.evaluations
            if e.step > 0
        ],
    }
    return model, record


def train_shipped(
    config: RaceConfig, seeds: Sequence[int], test_prompts: int = 500
) -> tuple[RecurrentModel, dict[str, Any]]:
    """The shipped memory model of config.archs[0]: trained from every seed (the same batches
    as the other architectures for that seed), the median seed by mean test accuracy shipped.
    Returns the model and the task part of its card (metrics, seeds, training)."""
    (arch,) = config.archs
    trained = {}
    for seed in seeds:
        print(f"{arch} seed {seed}: training {config.steps} steps", file=sys.stderr, flush=True)
        trained[seed] = train_seed(replace(config, seed=seed), test_prompts)
    # Median by mean test accuracy; ties go to the smaller seed. With an even count the lower
    # of the two middle seeds.
    order = sorted(seeds, key=lambda s: (trained[s][1]["mean_accuracy"], s))
    shipped_seed = order[(len(order) - 1) // 2]
    model, shipped = trained[shipped_seed]
    records = [trained[seed][1] for seed in seeds]
    card = memory_card(config, list(seeds), records, shipped_seed, test_prompts)
    return model, card


@dataclass(frozen=True)
class Task:
    """A task the command line trains: its config type and the runner that trains with it
    (resumable: the runner takes a Resume and the command line offers --resume)."""

    config: type
    run: Callable[..., tuple[RecurrentModel, dict[str, Any]]]
    resumable: bool = True


RUNNERS = {
    "sentiment": Task(SentimentConfig, run_sentiment),
    "lm": Task(LMConfig, partial(run_language_model, "lm")),
    "charlm": Task(CharLMConfig, partial(run_language_model, "charlm")),
    "memory": Task(MemoryConfig, run_memory, resumable=False),
    "activity": Task(activity.ActivityConfig, activity.run_activity, resumable=False),
}
if set(RUNNERS) != set(TRAINED_TASKS):
    raise RuntimeError(
        f"train.py trains {sorted(RUNNERS)}; the registry lists {sorted(TRAINED_TASKS)}"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m rnnviz.train",
        description="Train a shipped rnnviz model and write its checkpoint and model card.",
    )
    tasks = parser.add_subparsers(dest="task", required=True, metavar="task")
    for task, runner in RUNNERS.items():
        sub = tasks.add_parser(
            task,
            help=runner.config.__doc__.splitlines()[0],
            description=runner.config.__doc__,
            formatter_class=argparse.ArgumentDefaultsHelpFormatter,
        )
        add_flags(sub, runner.config, {"arch": {"required": True, "choices": ARCHS_BY_TASK[task]}})
        sub.add_argument("--threads", type=int, default=1, help="torch CPU threads")
        sub.add_argument(
            "--out",
            type=Path,
            help="output folder (default: rnnviz/weights, or a temporary folder with --dry-run)",
        )
        sub.add_argument(
            "--dry-run",
            action="store_true",
            help="a few batches on a little data, written to a temporary folder",
        )
        if runner.resumable:
            sub.add_argument(
                "--resume",
                type=Path,
                help="a checkpoint file saved every 200 steps and at every epoch's end; if it "
                "exists, training goes on from it (same flags, same --threads: same weights)",
            )
    return parser


@dataclass(frozen=True)
class Command:
    """A parsed command line: the task, its typed config and where and how to run it."""

    task: str
    config: Any
    threads: int
    out: Path | None
    dry_run: bool
    resume: Path | None = None


def parse_args(argv: Sequence[str] | None = None) -> Command:
    arguments = vars(build_parser().parse_args(argv))
    task = arguments["task"]
    config_type = RUNNERS[task].config
    config = config_type(**{item.name: arguments[item.name] for item in fields(config_type)})
    return Command(
        task,
        config,
        arguments["threads"],
        arguments["out"],
        arguments["dry_run"],
        arguments.get("resume"),
    )


def _reproducible(argv: Sequence[str] | None) -> list[str]:
    """The command-line words that made this model, without where it was written or where its
    resume checkpoint was kept."""
    words = list(sys.argv[1:] if argv is None else argv)
    for flag in ("--out", "--resume"):
        if flag in words:
            index = words.index(flag)
            del words[index : index + 2]
    return words


def main(argv: Sequence[str] | None = None) -> Path:
    command = parse_args(argv)
    torch.set_num_threads(command.threads)
    torch.manual_seed(command.config.seed)
    name = f"{command.task}-{command.config.arch}"
    runner = RUNNERS[command.task]
    resume = {"resume": Resume(command.resume)} if command.resume else {}
    model, task_card = runner.run(command.config, command.dry_run, **resume)
    card = complete_card(
        name,
        model,
        task_card,
        command.config,
        " ".join(["python -m rnnviz.train", *_reproducible(argv)]),
        command.dry_run,
    )
    out = command.out or (
        Path(tempfile.mkdtemp(prefix="rnnviz-dry-")) if command.dry_run else WEIGHTS_DIR
    )
    path = save_model(model, name, card, out)
    print(
        json.dumps(
            {"saved": str(path), "metrics": card["metrics"], "baselines": card["baselines"]},
            ensure_ascii=False,
        )
    )
    return path


if __name__ == "__main__":
    main()
