"""The race: RNN, LSTM and GRU trained side by side on the long-memory task, on identical
batches, with accuracy by distance measured on fixed held-out prompts as they learn. It yields
its progress as data, so the dashboard, a notebook and the command line share one loop; it also
trains the shipped memory models (several seeds, one chosen by a written rule).

    python -m rnnviz.race --steps 600 --seed 0 --json

Same seed, same curves, bit for bit on one machine: the batches come from random.Random(seed),
each model's weights from torch.Generator(seed), and nothing reads torch's global generator."""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import torch
from torch import nn

from . import memory
from .config import arch_option, option
from .models import RecurrentModel, build_model
from .registry import RECURRENT
from .tokens import PAD, UNK, Vocab

# The distances a race reports (the --json contract) and the longest race the page allows.
RACE_DISTANCES = (0, 10, 30, 50)
PAGE_MAX_STEPS = 1500
MAX_STEPS = 20000
MAX_SEED = 2**31 - 1
MAX_DISTANCE = 200
MAX_HIDDEN = 512
# Held-out prompts: validation (curves, choosing weights) and test (the cards' numbers) come
# from their own seeds, never from a training seed's stream.
VALIDATION_SEED = 777
TEST_SEED = 12345
SHIPPED_SEEDS = 5


class RaceInputError(ValueError):
    """A race option out of range; the message says which and what is allowed."""


@dataclass(frozen=True)
class RaceConfig:
    """Everything that decides a race. The defaults are the shipped memory models' training
    options (see the cards), except the number of steps."""

    steps: int = 600
    seed: int = 0
    archs: tuple[str, ...] = RECURRENT
    max_distance: int = 50
    hidden_size: int = 64
    embed_size: int = 32
    eval_every: int = 50
    eval_prompts: int = 100
    distances: tuple[int, ...] = RACE_DISTANCES
    curriculum: float = 0.0
    skew: float = 3.0
    long_only: bool = False
    lr: float = 1e-3
    batch_size: int = 64
    freeze_embeddings: bool = True

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


def _pad(sequences: Sequence[Sequence[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    """ids (B, T) right-padded with 0, and lengths (B,)."""
    lengths = torch.tensor([len(sequence) for sequence in sequences])
    ids = torch.zeros(len(sequences), int(lengths.max()), dtype=torch.long)
    for row, sequence in enumerate(sequences):
        ids[row, : len(sequence)] = torch.tensor(sequence)
    return ids, lengths


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
            self.optimizers[arch] = torch.optim.Adam(
                [p for p in model.parameters() if p.requires_grad], lr=config.lr
            )
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
        ids, lengths = _pad([self.vocab.encode(tokens) for tokens, _ in examples])
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
            rows = torch.arange(len(lengths))
            for arch, model in self.models.items():
                logits = model(ids)[rows, lengths - 1]
                loss = nn.functional.cross_entropy(logits, labels)
                optimizer = self.optimizers[arch]
                optimizer.zero_grad()
                # training: these models are the race's own (built above), never a shared one
                loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optimizer.step()
            self.step += 1
            measured = self.step % config.eval_every == 0 or self.step == config.steps
            evaluations = self.evaluate() if measured else ()
            yield Progress(self.step, config.steps, time.perf_counter() - started, evaluations)


def run_race(config: RaceConfig) -> Iterator[Progress]:
    """A new race over `config`, as a generator of Progress."""
    return Race(config).run()


@dataclass(frozen=True)
class RaceSnapshot:
    """What a background race has done so far, copied out under its lock. status: running,
    finished, stopped (Stop pressed), abandoned (its owner stopped polling) or failed."""

    owner: str
    config: RaceConfig
    status: str
    step: int
    seconds: float
    started_at: float
    evaluations: tuple[dict[str, Any], ...]
    error: str = ""

    @property
    def steps_per_second(self) -> float:
        return self.step / self.seconds if self.seconds > 0 else 0.0

    @property
    def seconds_left(self) -> float | None:
        rate = self.steps_per_second
        return (self.config.steps - self.step) / rate if rate > 0 else None


class BackgroundRace:
    """A race trained in one background thread, for a server with many sessions: it yields the
    GIL between steps, stops on stop() or when its owner has not called beat() for
    `heartbeat_timeout` seconds (the owner's page is gone), and hands its models out once."""

    def __init__(self, config: RaceConfig, owner: str, heartbeat_timeout: float = 10.0) -> None:
        self.config = config
        self.owner = owner
        self.heartbeat_timeout = heartbeat_timeout
        self._race = Race(config)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._status = "running"
        self._step = 0
        self._seconds = 0.0
        self._evaluations: list[dict[str, Any]] = []
        self._error = ""
        self._heartbeat = time.monotonic()
        self._started_at = time.time()
        self._thread = threading.Thread(target=self._run, name=f"race-{owner}", daemon=True)

    def start(self) -> BackgroundRace:
        self._thread.start()
        return self

    def _run(self) -> None:
        status = "finished"
        try:
            for progress in self._race.run():
                with self._lock:
                    self._step, self._seconds = progress.step, progress.seconds
                    self._evaluations += [e.to_json() for e in progress.evaluations]
                    silent = time.monotonic() - self._heartbeat
                if self._stop.is_set():
                    status = "stopped"
                    break
                if silent > self.heartbeat_timeout:
                    status = "abandoned"
                    break
                time.sleep(0)  # let the other sessions' threads run between steps
        except Exception as error:  # a failed race must say so on the page, not hang it
            status, self._error = "failed", f"{type(error).__name__}: {error}"
        for model in self._race.models.values():
            model.eval()
        with self._lock:
            self._status = status

    def beat(self) -> None:
        with self._lock:
            self._heartbeat = time.monotonic()

    def stop(self) -> None:
        self._stop.set()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    @property
    def running(self) -> bool:
        with self._lock:
            return self._status == "running"

    def snapshot(self) -> RaceSnapshot:
        with self._lock:
            return RaceSnapshot(
                owner=self.owner,
                config=self.config,
                status=self._status,
                step=self._step,
                seconds=self._seconds,
                started_at=self._started_at,
                evaluations=tuple(self._evaluations),
                error=self._error,
            )

    def take_models(self) -> dict[str, RecurrentModel] | None:
        """The trained models, once, after the race ended (None while it runs or once taken)."""
        with self._lock:
            if self._status == "running" or self._race is None:
                return None
            models, self._race = self._race.models, None
        return models


class RaceSlot:
    """At most one race at a time in a process: claim() starts one unless one is running."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.current: BackgroundRace | None = None

    def claim(self, config: RaceConfig, owner: str, heartbeat_timeout: float = 10.0):
        """Start a race for `owner`; None if another race is still running."""
        with self._lock:
            if self.current is not None and self.current.running:
                return None
            self.current = BackgroundRace(config, owner, heartbeat_timeout).start()
            return self.current


def round_to_half(model: RecurrentModel) -> None:
    """Weights ship as float16: measure the metrics on exactly the weights that ship."""
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.copy_(parameter.half().float())


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
    professions = len(memory.PROFESSIONS)
    pairs = "、".join(f"{p}→{s}" for p, s in memory.PROFESSIONS.items())
    distractors = sum(memory.OTHER in clause for clause in memory.CLAUSES)
    card = {
        "task": "long memory: 我的职业是<profession>，<k filler tokens>，我最擅长的是 → the skill",
        "data": f"generated: {professions} professions ({pairs}); the k filler tokens are "
        f"whole everyday clauses joined by commas ({len(memory.CLAUSES)} clauses, {distractors} "
        "of them naming someone else's profession, e.g. 我的朋友是医生), so the model must keep "
        "the profession that followed 我的职业是. k counts the tokens between the comma after "
        "the profession and the comma before 我最擅长的是 (commas between clauses included)",
        "split": f"fresh prompts for testing ({test_prompts} per distance, seed {TEST_SEED}); "
        f"validation ({config.eval_prompts} per distance, seed {VALIDATION_SEED}); training "
        "prompts from the training seed (at k = 0 there are only 10 distinct prompts)",
        "input": "tokens as listed (the prompt without the skill); chance is "
        f"{1 / professions:.0%}",
        "metrics": {"accuracy_by_distance": shipped["accuracy_by_distance"]},
        "baselines": {"chance": round(1 / professions, 4)},
        "seeds": records,
        "training": {
            "steps": config.steps,
            "seconds": shipped["seconds"],
            "seconds_all_seeds": round(sum(r["seconds"] for r in records), 1),
            "seeds": list(seeds),
            "shipped_seed": shipped_seed,
            "shipping_rule": f"trained from each of the {len(seeds)} seeds; the shipped weights "
            "are the median seed by mean test accuracy over the distances (ties: the smaller "
            "seed), so the card shows a typical run, not the best one",
            "curriculum": (
                f"distances reach grows from 2 to {config.max_distance} over "
                f"{config.curriculum:.0%} of the steps"
                if config.curriculum
                else f"none: distances 0..{config.max_distance} from the first step"
            ),
            "distances": (
                f"k uniform in [{(config.max_distance + 1) // 2}, {config.max_distance}]"
                if config.long_only
                else f"k = round({config.max_distance} * u^{config.skew:g}), u uniform in [0, 1]"
            ),
            "word_vectors": "fixed random N(0, 1) vectors, not trained: trainable ones let any "
            "network learn zero vectors for the fillers, which hides them and makes the task "
            "test nothing"
            if config.freeze_embeddings
            else "trained",
            "budget": "every architecture gets the same steps, learning rate and, for a seed, "
            "the same batches: the comparison is what each has learned with equal training (a "
            "vanilla RNN learns the long links last, because its gradient back to the profession "
            "fades with distance; validation_by_step shows how far each had got)",
            "validation_by_step": shipped["validation_by_step"],
            "selection": f"within a run, the weights with the best mean validation accuracy, "
            f"checked every {config.eval_every} steps (step {shipped['selected_step']} for the "
            "shipped seed)",
        },
    }
    return model, card


# The shipped memory models: `python -m rnnviz.train memory --arch A` trains them with this.


@dataclass(frozen=True)
class MemoryConfig:
    """我的职业是<profession>，<k fillers>，我最擅长的是 -> the skill (generated prompts)."""

    arch: str = arch_option()
    embed_size: int = option(32, "size E of the word vectors x_t")
    hidden_size: int = option(64, "size H of the hidden state h_t")
    lr: float = option(1e-3, "Adam learning rate")
    batch_size: int = option(64, "prompts per batch")
    steps: int = option(1000, "training batches")
    curriculum: float = option(
        0.0,
        "share of the steps over which the longest filler distance grows from 2 to "
        "--max-distance (0: no curriculum)",
    )
    max_distance: int = option(
        50, "the most filler words in a training prompt (tests always measure k up to 50)"
    )
    skew: float = option(
        3.0,
        "training distances are max-distance * u^skew (u uniform in [0, 1]); 1 is uniform, "
        "larger makes short distances more common",
    )
    freeze_embeddings: bool = option(True, "keep the random word vectors fixed (the card says why)")
    seed: int = option(0, "seed of the weights and the prompts")


def run_memory(config: MemoryConfig, dry_run: bool) -> tuple[RecurrentModel, dict[str, Any]]:
    """The shipped memory model of config.arch: trained by rnnviz.race from seeds config.seed
    to config.seed + 4 (for a seed, the same batches as the other architectures), the median
    seed shipped (the rule is written in the card)."""
    race_config = RaceConfig(
        steps=20 if dry_run else config.steps,
        seed=config.seed,
        archs=(config.arch,),
        max_distance=config.max_distance,
        hidden_size=config.hidden_size,
        embed_size=config.embed_size,
        eval_every=10 if dry_run else 100,
        distances=memory.MEMORY_DISTANCES,
        curriculum=config.curriculum,
        skew=config.skew,
        lr=config.lr,
        batch_size=config.batch_size,
        freeze_embeddings=config.freeze_embeddings,
    )
    seed_count = 2 if dry_run else SHIPPED_SEEDS
    seeds = list(range(config.seed, config.seed + seed_count))
    return train_shipped(race_config, seeds, test_prompts=50 if dry_run else 500)


def _parser() -> argparse.ArgumentParser:
    defaults = RaceConfig()
    parser = argparse.ArgumentParser(
        prog="python -m rnnviz.race",
        description="Train RNN, LSTM and GRU side by side on identical batches of the "
        "long-memory task (我的职业是<profession>，<k filler tokens>，我最擅长的是 → the skill) "
        "and report held-out accuracy by distance k as they learn.",
    )
    parser.add_argument(
        "--steps",
        type=int,
        default=defaults.steps,
        help=f"training steps (batches), 1 to {MAX_STEPS:,} (default {defaults.steps})",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=defaults.seed,
        help=f"seed of the weights and the batches, 0 to {MAX_SEED} (default {defaults.seed}); "
        "the same seed gives the same curves",
    )
    parser.add_argument(
        "--archs",
        nargs="*",
        default=list(defaults.archs),
        help=f"architectures to race, any of {' '.join(RECURRENT)} (space- or comma-separated; "
        "default all three)",
    )
    parser.add_argument(
        "--max-distance",
        type=int,
        default=defaults.max_distance,
        help=f"the longest distance k in a training prompt (default {defaults.max_distance}); "
        f"accuracy is always measured at k = {', '.join(map(str, RACE_DISTANCES))}",
    )
    parser.add_argument(
        "--hidden-size",
        type=int,
        default=defaults.hidden_size,
        help=f"size H of the hidden state h_t (default {defaults.hidden_size})",
    )
    parser.add_argument(
        "--eval-every",
        type=int,
        default=defaults.eval_every,
        help="measure held-out accuracy every this many steps, and at the last step "
        f"(default {defaults.eval_every})",
    )
    parser.add_argument(
        "--eval-prompts",
        type=int,
        default=defaults.eval_prompts,
        help=f"held-out prompts per distance (default {defaults.eval_prompts})",
    )
    parser.add_argument(
        "--curriculum",
        type=float,
        default=defaults.curriculum,
        help="share of the steps over which the longest training distance grows from 2 to "
        f"--max-distance; 0 means no curriculum (default {defaults.curriculum:g})",
    )
    parser.add_argument(
        "--skew",
        type=float,
        default=defaults.skew,
        help="training distances are round(max-distance * u^skew), u uniform in [0, 1]: 1 is "
        f"uniform, larger makes short links more common (default {defaults.skew:g})",
    )
    parser.add_argument(
        "--long-only",
        action="store_true",
        help="train on long prompts only (k uniform in [max-distance/2, max-distance]), "
        "no short links: shows why short links first matter",
    )
    parser.add_argument(
        "--lr",
        type=float,
        default=defaults.lr,
        help=f"Adam learning rate (default {defaults.lr:g})",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=defaults.batch_size,
        help=f"prompts per batch (default {defaults.batch_size})",
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="torch CPU threads, 1 to 64 (default 1)"
    )
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
    try:
        config = RaceConfig(
            steps=args.steps,
            seed=args.seed,
            archs=tuple(dict.fromkeys(archs)),
            max_distance=args.max_distance,
            hidden_size=args.hidden_size,
            eval_every=args.eval_every,
            eval_prompts=args.eval_prompts,
            curriculum=args.curriculum,
            skew=args.skew,
            long_only=args.long_only,
            lr=args.lr,
            batch_size=args.batch_size,
        )
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
