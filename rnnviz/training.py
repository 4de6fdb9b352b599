"""The one training loop every shipped sentiment and language model goes through, the pieces
every trainer shares (padding, last-step logits, the optimiser and its step, rounding to the
float16 that ships) and the measurements taken on the weights that ship (classifier accuracy,
language-model perplexity). It never draws and never loads a shipped model.
The dashboard runs it only in its training worker process (rnnviz.training_jobs)."""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn
from torch.nn.utils.rnn import pad_sequence
from tqdm import tqdm

from .models import RecurrentModel

CACHE_DIR = Path(__file__).resolve().parent.parent / "runs" / "cache"


def cached_tokens(
    name: str, texts: Sequence[str], tokenizer: Callable[[str], list[str]], dry_run: bool = False
) -> list[list[str]]:
    """Tokenize a corpus once; later runs read the result from runs/cache/ (a dry run neither
    reads nor writes the cache)."""
    if dry_run:
        return [tokenizer(text) for text in texts]
    path = CACHE_DIR / f"{name}-{len(texts)}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    tokens = [tokenizer(text) for text in tqdm(texts, desc=f"segmenting {name}", leave=False)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(tokens, ensure_ascii=False), encoding="utf-8")
    return tokens


def pad(sequences: Sequence[Sequence[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    """ids (B, T) right-padded with 0 (the id of <pad>), and lengths (B,)."""
    rows = [torch.tensor(sequence, dtype=torch.long) for sequence in sequences]
    lengths = torch.tensor([len(row) for row in rows])
    return pad_sequence(rows, batch_first=True, padding_value=0), lengths


def length_batches(
    count: int, lengths: Sequence[int], batch_size: int, rng: random.Random
) -> list[list[int]]:
    """Shuffled batches of indices, similar lengths together (less padding, same randomness)."""
    order = list(range(count))
    rng.shuffle(order)
    pool = batch_size * 50
    batches = []
    for start in range(0, count, pool):
        chunk = sorted(order[start : start + pool], key=lambda i: lengths[i])
        batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def last_step_logits(
    model: RecurrentModel, ids: torch.Tensor, lengths: torch.Tensor, dropout: float = 0.0
) -> torch.Tensor:
    """ids (B, T), lengths (B,) -> the logits (B, C) after each sentence's last real token."""
    logits = model(ids, dropout)  # (B, T, C)
    return logits[torch.arange(len(lengths)), lengths - 1]


def lm_loss(
    model: RecurrentModel, ids: torch.Tensor, reduction: str = "mean", dropout: float = 0.0
) -> torch.Tensor:
    """Cross-entropy of predicting token t+1 after reading tokens up to t; padding ignored."""
    logits = model(ids[:, :-1], dropout)  # (B, T-1, V)
    return nn.functional.cross_entropy(
        logits.reshape(-1, logits.shape[-1]),
        ids[:, 1:].reshape(-1),
        ignore_index=0,
        reduction=reduction,
    )


def classifier_accuracy(
    model: RecurrentModel,
    sequences: Sequence[Sequence[int]],
    labels: Sequence[int],
    batch_size: int = 256,
) -> float:
    """Share of `sequences` (lists of ids) whose last-step argmax is their label."""
    correct = 0
    with torch.no_grad():
        for start in range(0, len(sequences), batch_size):
            ids, lengths = pad(sequences[start : start + batch_size])
            predicted = last_step_logits(model, ids, lengths).argmax(-1)
            correct += int((predicted == torch.tensor(labels[start : start + batch_size])).sum())
    return correct / len(sequences)


def lm_perplexity(
    model: RecurrentModel, sequences: Sequence[Sequence[int]], batch_size: int = 128
) -> float:
    """exp of the mean cross-entropy over every token after the first of each sequence."""
    total, count = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(sequences), batch_size):
            ids, _ = pad(sequences[start : start + batch_size])
            total += float(lm_loss(model, ids, reduction="sum"))
            count += int((ids[:, 1:] != 0).sum())
    return math.exp(total / count)


def round_to_half(model: RecurrentModel) -> None:
    """Weights ship as float16: measure the metrics on exactly the weights that ship."""
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.copy_(parameter.half().float())


def adam(model: RecurrentModel, lr: float) -> torch.optim.Optimizer:
    """The optimiser of every training here: Adam over the parameters that are trained (a
    frozen embedding is left out)."""
    return torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr)


def optimise(model: RecurrentModel, loss: torch.Tensor, optimizer: torch.optim.Optimizer) -> None:
    """One step: gradients of `loss`, their norm clipped at 1, then the optimiser's update."""
    optimizer.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()


@dataclass(frozen=True)
class Schedule:
    """How long and how fast one training run goes."""

    epochs: int
    batch_size: int
    lr: float
    lr_decay: float = 1.0  # the learning rate of epoch e is lr * lr_decay**e
    limit_batches: int | None = None  # a dry run stops each epoch after this many batches
    max_steps: int | None = None  # the run stops after this many optimiser steps in all


@dataclass(frozen=True)
class Fitted:
    """What the loop did: optimiser steps, the validation score after each epoch (empty
    without validation), the 1-based epoch whose weights were kept (None: the last) and the
    seconds it took (those of the runs it resumed from included)."""

    steps: int
    validation_by_epoch: list[float]
    kept_epoch: int | None
    seconds: float


@dataclass(frozen=True)
class Resume:
    """Where the loop saves everything it needs to go on (weights, Adam's moments, the epoch,
    the batch reached and the batch order's random state) every `every` steps and at the end
    of every epoch, and from where it goes on if that file exists."""

    path: Path
    every: int = 200


def _save_resume(resume: Resume, state: dict) -> None:
    """Written to a temporary file then renamed: an interrupted save leaves the last one whole."""
    resume.path.parent.mkdir(parents=True, exist_ok=True)
    partial = resume.path.with_name(resume.path.name + ".partial")
    torch.save(state, partial)
    partial.replace(resume.path)


def _random_state(saved: list) -> tuple:
    """random.Random's state back from the lists torch.save keeps (weights_only loads)."""
    version, internal, gauss = saved
    return version, tuple(internal), gauss


def fit(
    model: RecurrentModel,
    lengths: Sequence[int],
    batch_loss: Callable[[list[int]], torch.Tensor],
    schedule: Schedule,
    rng: random.Random,
    validate: Callable[[RecurrentModel], float] | None = None,
    resume: Resume | None = None,
    on_step: Callable[[int, int, float], bool] | None = None,
) -> Fitted:
    """Adam over shuffled length-grouped batches of the examples whose lengths are given;
    `batch_loss(indices)` is the loss of one batch. With `validate`, the model is scored after
    every epoch (rounded to 4 digits) and the best epoch's weights are kept; on a tie the later
    epoch wins, and `kept_epoch` names the epoch whose weights are kept. With `resume`, a run
    interrupted and started again with the same arguments ends with the same weights as one
    never interrupted (same batches, same Adam state, same thread count). With `on_step`, it is
    called after every step with (epoch, steps done, loss) instead of drawing a progress bar,
    and training stops (keeping the weights so far) when it returns True."""
    started = time.monotonic()
    optimizer = adam(model, schedule.lr)
    steps, history, kept_epoch, best_state = 0, [], None, None
    first_epoch, first_batch, seconds_before = 0, 0, 0.0
    if resume is not None and resume.path.exists():
        saved = torch.load(resume.path, weights_only=True)
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        steps, history, kept_epoch = saved["steps"], saved["history"], saved["kept_epoch"]
        best_state, first_epoch, first_batch = saved["best"], saved["epoch"], saved["batch"]
        seconds_before = saved["seconds"]
        rng.setstate(_random_state(saved["rng"]))
        torch.set_rng_state(saved["torch_rng"])
        print(f"resumed from {resume.path}: epoch {first_epoch + 1}, step {steps}", flush=True)

    def state(epoch: int, batch: int, rng_state: tuple) -> dict:
        return {
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict(),
            "steps": steps,
            "history": history,
            "kept_epoch": kept_epoch,
            "best": best_state,
            "epoch": epoch,
            "batch": batch,
            "rng": [rng_state[0], list(rng_state[1]), rng_state[2]],
            "torch_rng": torch.get_rng_state(),
            "seconds": seconds_before + time.monotonic() - started,
        }

    def stopped() -> bool:
        return schedule.max_steps is not None and steps >= schedule.max_steps

    for epoch in range(first_epoch, schedule.epochs):
        if stopped():
            break
        epoch_rng = rng.getstate()  # a resumed epoch draws its batches again from here

        batches = length_batches(len(lengths), lengths, schedule.batch_size, rng)
        batches = batches[: schedule.limit_batches]
        for group in optimizer.param_groups:
            group["lr"] = schedule.lr * schedule.lr_decay**epoch
        start = first_batch if epoch == first_epoch else 0
        progress = None
        if on_step is None:
            progress = tqdm(
                total=len(batches), initial=start, desc=f"epoch {epoch + 1}/{schedule.epochs}"
            )
        for index in range(start, len(batches)):
            if stopped():
                break
            loss = batch_loss(batches[index])
            optimise(model, loss, optimizer)
            steps += 1
            if progress is not None:
                progress.update()
                progress.set_postfix(loss=f"{loss.item():.3f}")
            elif on_step(epoch, steps, loss.item()):
                seconds = seconds_before + time.monotonic() - started
                return Fitted(steps, history, kept_epoch, seconds)
            if resume is not None and steps % resume.every == 0:
                _save_resume(resume, state(epoch, index + 1, epoch_rng))
        if progress is not None:
            progress.close()
        if stopped():
            break
        if validate is not None:
            history.append(round(validate(model), 4))
            print(f"epoch {epoch + 1}: validation {history[-1]:.4f}", flush=True)
            if history[-1] >= max(history):
                kept_epoch = epoch + 1
                best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        if resume is not None:
            _save_resume(resume, state(epoch + 1, 0, rng.getstate()))
    if best_state is not None:
        model.load_state_dict(best_state)
    seconds = seconds_before + time.monotonic() - started
    return Fitted(steps, history, kept_epoch, seconds)
