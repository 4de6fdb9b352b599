"""python -m rnnviz.train <task> --arch <arch>: the command line that produced the shipped
weights. Each task has one typed config (a dataclass holding the defaults; the flags are made
from its fields and the whole config is saved in the card) and one runner that reads the data,
trains through the shared loop in rnnviz.training and measures the held-out metrics on the
weights that ship. The dashboard never imports it."""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from functools import partial
from pathlib import Path
from typing import Any

import torch
from torch import nn

from . import activity, data, race
from .cards import complete_card, language_model_card, sentiment_card
from .checkpoint import WEIGHTS_DIR, save_model
from .config import arch_option, option
from .data import snownlp_accuracy
from .models import RecurrentModel, build_model
from .ngram import KneserNeyTrigram
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
    "memory": Task(race.MemoryConfig, race.run_memory, resumable=False),
    "activity": Task(activity.ActivityConfig, activity.run_activity, resumable=False),
}
if set(RUNNERS) != set(TRAINED_TASKS):
    raise RuntimeError(
        f"train.py trains {sorted(RUNNERS)}; the registry lists {sorted(TRAINED_TASKS)}"
    )


def _add_config_flags(parser: argparse.ArgumentParser, task: str, config_type: type) -> None:
    """One flag per field of the task's config, its default and --help taken from the field."""
    types = typing.get_type_hints(config_type)
    for item in fields(config_type):
        flag, help_text = "--" + item.name.replace("_", "-"), item.metadata["help"]
        if item.name == "arch":
            parser.add_argument(flag, required=True, choices=ARCHS_BY_TASK[task], help=help_text)
            continue
        kind = types[item.name]
        how = {"action": argparse.BooleanOptionalAction} if kind is bool else {"type": kind}
        parser.add_argument(flag, default=item.default, help=help_text, **how)


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
        _add_config_flags(sub, task, runner.config)
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
