"""The one training loop every shipped sentiment and language model goes through, and the
measurements taken on the weights that ship (classifier accuracy, language-model perplexity).
The dashboard runs it only in its training worker process (rnnviz.training_jobs)."""

from __future__ import annotations

import json
import math
import random
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


@dataclass(frozen=True)
class Fitted:
    """What the loop did: optimiser steps, the validation score after each epoch (empty
    without validation) and the 1-based epoch whose weights were kept (None: the last)."""

    steps: int
    validation_by_epoch: list[float]
    kept_epoch: int | None


def fit(
    model: RecurrentModel,
    lengths: Sequence[int],
    batch_loss: Callable[[list[int]], torch.Tensor],
    schedule: Schedule,
    rng: random.Random,
    validate: Callable[[RecurrentModel], float] | None = None,
    on_step: Callable[[int, int, float], bool] | None = None,
) -> Fitted:
    """Adam over shuffled length-grouped batches of the examples whose lengths are given;
    `batch_loss(indices)` is the loss of one batch. With `validate`, the model is scored after
    every epoch (rounded to 4 digits) and the best epoch's weights are kept; on a tie the later
    epoch wins, and `kept_epoch` names the epoch whose weights are kept. With `on_step`, it is
    called after every step with (epoch, steps done, loss) instead of drawing a progress bar,
    and training stops (keeping the weights so far) when it returns True."""
    optimizer = torch.optim.Adam(model.parameters(), lr=schedule.lr)
    decay = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: schedule.lr_decay**epoch)
    steps, history, kept_epoch, best_state = 0, [], None, None
    for epoch in range(schedule.epochs):
        batches = length_batches(len(lengths), lengths, schedule.batch_size, rng)
        batches = batches[: schedule.limit_batches]
        progress = None
        if on_step is None:
            progress = tqdm(batches, desc=f"epoch {epoch + 1}/{schedule.epochs}")
        for batch in batches if progress is None else progress:
            loss = batch_loss(batch)
            optimise(model, loss, optimizer)
            steps += 1
            if progress is not None:
                progress.set_postfix(loss=f"{loss.item():.3f}")
            elif on_step(epoch, steps, loss.item()):
                return Fitted(steps=steps, validation_by_epoch=history, kept_epoch=kept_epoch)
        decay.step()
        if validate is not None:
            history.append(round(validate(model), 4))
            print(f"epoch {epoch + 1}: validation {history[-1]:.4f}", flush=True)
            if history[-1] >= max(history):
                kept_epoch = epoch + 1
                best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    if best_state is not None:
        model.load_state_dict(best_state)
    return Fitted(steps=steps, validation_by_epoch=history, kept_epoch=kept_epoch)
