"""The race: RNN, LSTM and GRU trained side by side on the long-memory task, on identical
batches, with accuracy by distance measured on fixed held-out prompts as they learn. It yields
its progress as data, so the dashboard, a notebook and the command line share one loop; its
flags are made from RaceConfig's fields.

    python -m rnnviz.race --steps 600 --seed 0 --json

Same seed, same curves, bit for bit on one machine: the batches come from random.Random(seed),
each model's weights from torch.Generator(seed), and nothing reads torch's global generator.
The server's background thread is race_runner.py; the shipped memory models are trained by
train.py through this loop. Nothing here draws or knows Streamlit."""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import torch
from torch import nn

from . import memory
from .config import add_flags, option
from .memory import VALIDATION_SEED
from .models import RecurrentModel, build_model
from .registry import RECURRENT
from .tokens import PAD, UNK, Vocab
from .training import adam, last_step_logits, optimise, pad

# The distances a race reports (the --json contract) and the longest race the page allows.
RACE_DISTANCES = (0, 10, 30, 50)
PAGE_MAX_STEPS = 1500
MAX_STEPS = 20000
MAX_SEED = 2**31 - 1
MAX_DISTANCE = 200
MAX_HIDDEN = 512


class RaceInputError(ValueError):
    """A race option out of range; the message says which and what is allowed."""


@dataclass(frozen=True)
class RaceConfig:
    """Everything that decides a race, each field with its default and the --help of its flag.
    The defaults are the shipped memory models' training options (see the cards), except the
    number of steps."""

    steps: int = option(600, f"training steps (batches), 1 to {MAX_STEPS:,}")
    seed: int = option(
        0, f"seed of the weights and the batches, 0 to {MAX_SEED}; the same seed gives the "
        "same curves",
    )  # fmt: skip
    archs: tuple[str, ...] = option(
        RECURRENT,
        f"architectures to race, any of {' '.join(RECURRENT)} (space- or comma-separated)",
    )
    max_distance: int = option(
        50,
        "the longest distance k in a training prompt; accuracy is always measured at "
        f"k = {', '.join(map(str, RACE_DISTANCES))}",
    )
    hidden_size: int = option(64, "size H of the hidden state h_t")
    embed_size: int = option(32, "size E of the word vectors x_t", flag=False)
    eval_every: int = option(
        50, "measure held-out accuracy every this many steps, and at the last step"
    )
    eval_prompts: int = option(100, "held-out prompts per distance")
    distances: tuple[int, ...] = option(RACE_DISTANCES, "the distances k measured", flag=False)
    curriculum: float = option(
        0.0,
        "share of the steps over which the longest training distance grows from 2 to "
        "--max-distance; 0 means no curriculum",
    )
    skew: float = option(
        3.0,
        "training distances are round(max-distance * u^skew), u uniform in [0, 1]: 1 is "
        "uniform, larger makes short links more common",
    )
    long_only: bool = option(
        False,
        "train on long prompts only (k uniform in [max-distance/2, max-distance]), no short "
        "links: shows why short links first matter",
    )
    lr: float = option(1e-3, "Adam learning rate")
    batch_size: int = option(64, "prompts per batch")
    freeze_embeddings: bool = option(
        True, "keep the random word vectors fixed (the card says why)", flag=False
    )

    def __post_init__(self) -> None:
        checks = [
            (1 <= self.steps <= MAX_STEPS, f"steps must be between 1 and {MAX_STEPS:,}"),
            (0 <= self.seed <= MAX_SEED, f"seed must be between 0 and {MAX_SEED}"),
            (len(self.archs) > 0, "choose at least one architecture"),
            (
                set(self.archs) <= set(RECURRENT) and len(set(self.archs)) == len(self.archs),
                f"architectures must be distinct names from {', '.join(RECURRENT)}",
            ),
            (
                1 <= self.max_distance <= MAX_DISTANCE,
                f"max distance must be between 1 and {MAX_DISTANCE}",
            ),
            (
                1 <= self.hidden_size <= MAX_HIDDEN,
                f"hidden size must be between 1 and {MAX_HIDDEN}",
            ),
            (1 <= self.embed_size <= MAX_HIDDEN, f"embed size must be between 1 and {MAX_HIDDEN}"),
            (1 <= self.eval_every <= MAX_STEPS, f"eval every must be between 1 and {MAX_STEPS:,}"),
            (1 <= self.eval_prompts <= 10000, "eval prompts must be between 1 and 10,000"),
            (
                len(self.distances) > 0 and all(0 <= k <= MAX_DISTANCE for k in self.distances),
                f"distances must be between 0 and {MAX_DISTANCE}",
            ),
            (0 <= self.curriculum <= 1, "curriculum must be a share between 0 and 1"),
            (0 < self.skew <= 20, "skew must be above 0 and at most 20"),
            (0 < self.lr <= 1, "learning rate must be above 0 and at most 1"),
            (1 <= self.batch_size <= 4096, "batch size must be between 1 and 4,096"),
        ]
        for holds, message in checks:
            if not holds:
                raise RaceInputError(message.capitalize() + ".")


@dataclass(frozen=True)
class Evaluation:
    """One architecture measured at one step: accuracy on the held-out prompts of each
    distance k (keys are str(k)) and their mean cross-entropy."""

    step: int
    arch: str
    accuracy_by_distance: dict[str, float]
    loss: float

    def to_json(self) -> dict[str, Any]:
        """The --json line: {"step", "arch", "accuracy_by_distance", "loss"}."""
        return {
            "step": self.step,
            "arch": self.arch,
            "accuracy_by_distance": dict(self.accuracy_by_distance),
            "loss": self.loss,
        }


@dataclass(frozen=True)
class Progress:
    """After `step` of `steps` training steps (0: before any), `seconds` since the start;
    `evaluations` holds one Evaluation per architecture when this step was measured."""

    step: int
    steps: int
    seconds: float
    evaluations: tuple[Evaluation, ...] = field(default_factory=tuple)

    @property
    def steps_per_second(self) -> float:
        return self.step / self.seconds if self.seconds > 0 else 0.0

    @property
    def seconds_left(self) -> float | None:
        rate = self.steps_per_second
        return (self.steps - self.step) / rate if rate > 0 else None


def memory_vocab() -> Vocab:
    """The long-memory task's vocabulary, the same for training, the race and the signal."""
    return Vocab((PAD, UNK, *memory.memory_vocab_tokens()))


def training_distance(rng: random.Random, config: RaceConfig, step: int) -> int:
    """The distance k of one training prompt at `step` (0-based).
    Default: k = round(reach * u^skew), u uniform in [0, 1]: short links common, long ones rare,
    as dependencies are in real text; with a curriculum, reach grows from 2 to max_distance over
    that share of the steps. Long prompts only: k uniform in [max_distance / 2, max_distance]."""
    longest = config.max_distance
    if config.long_only:
        return rng.randint((longest + 1) // 2, longest)
    ramp = config.curriculum * config.steps
    reach = longest if ramp == 0 else min(longest, 2 + int(longest * step / ramp))
    return round(reach * rng.random() ** config.skew)


def held_out_prompts(
    vocab: Vocab, distances: Sequence[int], count: int, seed: int
) -> dict[int, tuple[torch.Tensor, torch.Tensor]]:
    """For each k: ids (count, T) and labels (count,). Every prompt of one distance has the
    same length, so no padding."""
    prompts = {}
    for distance in distances:
        rng = random.Random(seed * 1000 + distance)
        examples = [memory.memory_example(rng, distance) for _ in range(count)]
        prompts[distance] = (
            torch.tensor([vocab.encode(tokens) for tokens, _ in examples]),
            torch.tensor([label for _, label in examples]),
        )
    return prompts


def measure(
    model: RecurrentModel, prompts: dict[int, tuple[torch.Tensor, torch.Tensor]]
) -> tuple[dict[str, float], float]:
    """Accuracy per distance (keys str(k)) and mean cross-entropy over all the prompts."""
    accuracy, losses = {}, []
    with torch.no_grad():
        for distance, (ids, labels) in prompts.items():
            logits = model(ids)[:, -1]
            accuracy[str(distance)] = int((logits.argmax(-1) == labels).sum()) / len(labels)
            losses.append(float(nn.functional.cross_entropy(logits, labels)))
    return accuracy, sum(losses) / len(losses)


class Race:
    """Models of the chosen architectures, built from one seed, trained on the same batches.
    Iterate run() to train; stop iterating to stop (what was measured stays in evaluations,
    the models keep the weights of the last finished step)."""

    def __init__(self, config: RaceConfig) -> None:
        self.config = config
        self.vocab = memory_vocab()
        self.models: dict[str, RecurrentModel] = {}
        self.optimizers: dict[str, torch.optim.Optimizer] = {}
        for arch in config.archs:
            model = build_model(
                arch,
                "classifier",
                self.vocab,
                labels=memory.memory_labels(),
                embed_size=config.embed_size,
                hidden_size=config.hidden_size,
                seed=config.seed,
            ).train()
            if config.freeze_embeddings:
                # Trainable word vectors let any network shrink the fillers' vectors to zero;
                # then even a vanilla RNN keeps h unchanged across them and the task tests
                # nothing.
                model.embedding.weight.requires_grad_(False)
            self.models[arch] = model
            self.optimizers[arch] = adam(model, config.lr)
        self.prompts = held_out_prompts(
            self.vocab, config.distances, config.eval_prompts, VALIDATION_SEED
        )
        self.evaluations: list[Evaluation] = []
        self.step = 0
        self._rng = random.Random(config.seed)

    def next_batch(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """The batch of the next step, the same for every architecture:
        ids (B, T) right-padded, lengths (B,), labels (B,)."""
        examples = [
            memory.memory_example(self._rng, training_distance(self._rng, self.config, self.step))
            for _ in range(self.config.batch_size)
        ]
        ids, lengths = pad([self.vocab.encode(tokens) for tokens, _ in examples])
        return ids, lengths, torch.tensor([label for _, label in examples])

    def evaluate(self) -> tuple[Evaluation, ...]:
        results = []
        for arch, model in self.models.items():
            model.eval()
            accuracy, loss = measure(model, self.prompts)
            model.train()
            results.append(Evaluation(self.step, arch, accuracy, loss))
        self.evaluations += results
        return tuple(results)

    def run(self) -> Iterator[Progress]:
        """Yield Progress after the first measurement (step 0) and after every step; each
        eval_every steps and at the last step it carries the evaluations."""
        config = self.config
        started = time.perf_counter()
        if self.step == 0 and not self.evaluations:
            yield Progress(0, config.steps, 0.0, self.evaluate())
        while self.step < config.steps:
            ids, lengths, labels = self.next_batch()
            for arch, model in self.models.items():
                loss = nn.functional.cross_entropy(last_step_logits(model, ids, lengths), labels)
                # training: these models are the race's own (built above), never a shared one
                optimise(model, loss, self.optimizers[arch])
            self.step += 1
            measured = self.step % config.eval_every == 0 or self.step == config.steps
            evaluations = self.evaluate() if measured else ()
            yield Progress(self.step, config.steps, time.perf_counter() - started, evaluations)


def run_race(config: RaceConfig) -> Iterator[Progress]:
    """A new race over `config`, as a generator of Progress."""
    return Race(config).run()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m rnnviz.race",
        description="Train RNN, LSTM and GRU side by side on identical batches of the "
        "long-memory task (我的职业是<profession>，<k filler tokens>，我最擅长的是 → the skill) "
        "and report held-out accuracy by distance k as they learn.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    add_flags(parser, RaceConfig)
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads, 1 to 64")
    parser.add_argument(
        "--json",
        action="store_true",
        help='print one JSON object per line for each evaluation and architecture: {"step", '
        '"arch", "accuracy_by_distance" (keys "0", "10", "30", "50"), "loss" (mean held-out '
        "cross-entropy)}",
    )
    return parser


def config_from_args(argv: Sequence[str] | None = None) -> tuple[RaceConfig, argparse.Namespace]:
    """Parse the command line; bad values exit with status 2 and a one-line message."""
    parser = _parser()
    args = parser.parse_args(argv)
    archs = tuple(name for word in args.archs for name in word.split(",") if name.strip())
    archs = tuple(name.strip().lower() for name in archs)
    unknown = [name for name in archs if name not in RECURRENT]
    if unknown:
        parser.error(f"unknown architecture {unknown[0]!r}; choose from {', '.join(RECURRENT)}")
    if not 1 <= args.threads <= 64:
        parser.error("--threads must be between 1 and 64")
    flags = {item.name for item in fields(RaceConfig) if item.metadata["flag"]}
    values = {name: getattr(args, name) for name in flags}
    try:
        config = RaceConfig(**{**values, "archs": tuple(dict.fromkeys(archs))})
    except RaceInputError as error:
        parser.error(str(error))
    return config, args


def main(argv: Sequence[str] | None = None) -> int:
    config, args = config_from_args(argv)
    torch.set_num_threads(args.threads)
    last = None
    for progress in run_race(config):
        last = progress
        for evaluation in progress.evaluations:
            if args.json:
                print(json.dumps(evaluation.to_json()), flush=True)
            else:
                accuracy = "  ".join(
                    f"k={k}: {value:4.0%}" for k, value in evaluation.accuracy_by_distance.items()
                )
                print(
                    f"step {evaluation.step:5d}  {evaluation.arch:4s}  {accuracy}  "
                    f"loss {evaluation.loss:.3f}",
                    flush=True,
                )
    if last is not None and not args.json:
        print(f"{last.step} steps of {', '.join(config.archs)} in {last.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
