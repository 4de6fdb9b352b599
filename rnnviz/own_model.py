"""Your own model: a classifier trained on (sentence, label) pairs through the one training
loop (rnnviz.training), its card, and checkpoints as bytes (a download, an upload) in the
shipped checkpoint format with the card inside. It never runs a server or a page."""

from __future__ import annotations

import io
import json
import math
import pickle
import random
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import torch
from torch import nn

from .cards import UNITS, complete_card
from .checkpoint import checkpoint_dict, model_from_checkpoint
from .labelled import HELD_OUT_SHARE, RefusedInput, check_pairs, split
from .models import ModelInfo, RecurrentModel, build_model
from .registry import ARCHITECTURES
from .tokens import Vocab, check_mode, tokenize
from .training import Schedule, classifier_accuracy, fit, last_step_logits, length_batches, pad

MAX_CHECKPOINT_BYTES = 50 * 2**20
MAX_VOCAB = 20_000
# Enough optimiser steps to fit twenty order-only sentences with an LSTM; a large set gets
# at least MIN_EPOCHS passes.
TARGET_STEPS = 300
MIN_EPOCHS, MAX_EPOCHS = 5, 300


@dataclass(frozen=True)
class ClassifierConfig:
    """How a classifier is trained on your sentences (saved in its card)."""

    arch: str = "lstm"
    mode: str = "word"
    seed: int = 0
    embed_size: int = 32
    hidden_size: int = 32
    epochs: int | None = None  # None: enough passes for TARGET_STEPS steps
    batch_size: int = 16
    lr: float = 1e-2
    held_out_share: float = HELD_OUT_SHARE


@dataclass(frozen=True)
class Progress:
    """After one pass over the training lines: the mean loss of its steps and the accuracy on
    the training and held-out lines (None when nothing is held out)."""

    epoch: int
    epochs: int
    steps: int
    loss: float
    train_accuracy: float
    held_out_accuracy: float | None


def _epochs(config: ClassifierConfig, batches_per_epoch: int) -> int:
    if config.epochs is not None:
        return config.epochs
    return min(MAX_EPOCHS, max(MIN_EPOCHS, math.ceil(TARGET_STEPS / batches_per_epoch)))


def train_classifier(
    pairs: Sequence[tuple[str, str]],
    arch: str = "lstm",
    mode: str = "word",
    seed: int = 0,
    *,
    epochs: int | None = None,
    embed_size: int = 32,
    hidden_size: int = 32,
    name: str | None = None,
    source: str = "your sentences",
    on_progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> RecurrentModel:
    """A classifier of `pairs` (sentence, label), read in `mode` ("word": jieba, "char"), with
    the architecture `arch`, trained from `seed` on a seeded per-label split (labelled.split),
    the held-out lines never trained on. Read-only and in eval mode, like a shipped model; its
    card holds the data's size, the split, both accuracies, the majority-label baseline and
    the training time. `on_progress` is told after every pass; `should_stop` is asked after
    every step (True: stop and keep the weights so far). Raises ValueError for bad pairs."""
    if arch not in ARCHITECTURES:
        raise ValueError(f"Unknown architecture {arch!r}; valid: {', '.join(ARCHITECTURES)}.")
    check_mode(mode)
    pairs = check_pairs(pairs)
    config = ClassifierConfig(arch, mode, seed, embed_size, hidden_size, epochs)
    parts = split(pairs, seed, config.held_out_share)
    labels = list(parts.labels)
    tokens = [tokenize(sentence, mode) for sentence, _ in pairs]
    targets = [labels.index(label) for _, label in pairs]
    vocab = Vocab.build([tokens[i] for i in parts.train], max_size=MAX_VOCAB + 2)
    model = build_model(
        arch, "classifier", vocab, labels, embed_size, hidden_size, seed, mode
    ).train()
    train_ids = [vocab.encode(tokens[i]) for i in parts.train]
    train_targets = [targets[i] for i in parts.train]
    held_ids = [vocab.encode(tokens[i]) for i in parts.held_out]
    held_targets = [targets[i] for i in parts.held_out]
    lengths = [len(ids) for ids in train_ids]
    batches_per_epoch = len(
        length_batches(len(lengths), lengths, config.batch_size, random.Random())
    )
    total_epochs = _epochs(config, batches_per_epoch)
    history: list[Progress] = []
    losses: list[float] = []
    stopped = False

    def batch_loss(batch: list[int]) -> torch.Tensor:
        ids, batch_lengths = pad([train_ids[i] for i in batch])
        logits = last_step_logits(model, ids, batch_lengths)
        return nn.functional.cross_entropy(logits, torch.tensor([train_targets[i] for i in batch]))

    def measure(epoch: int, steps: int) -> None:
        model.eval()
        history.append(
            Progress(
                epoch=epoch,
                epochs=total_epochs,
                steps=steps,
                loss=sum(losses) / len(losses),
                train_accuracy=classifier_accuracy(model, train_ids, train_targets),
                held_out_accuracy=classifier_accuracy(model, held_ids, held_targets)
                if held_ids
                else None,
            )
        )
        model.train()
        losses.clear()
        if on_progress is not None:
            on_progress(history[-1])

    def on_step(epoch: int, steps: int, loss: float) -> bool:
        nonlocal stopped
        losses.append(loss)
        if steps % batches_per_epoch == 0:
            measure(epoch + 1, steps)
        stopped = should_stop is not None and should_stop()
        return stopped

    started = time.perf_counter()
    fitted = fit(
        model,
        lengths,
        batch_loss,
        Schedule(total_epochs, config.batch_size, config.lr),
        random.Random(seed),
        on_step=on_step,
    )
    if losses:  # stopped inside a pass: measure the weights that are kept
        measure(len(history) + 1, fitted.steps)
    seconds = time.perf_counter() - started
    model.eval()
    model.requires_grad_(False)
    final = history[-1]
    majority = max(range(len(labels)), key=lambda label: train_targets.count(label))
    task_card = {
        "task": f"your sentences: which of {len(labels)} labels ({', '.join(labels)})",
        "data": {
            "source": source,
            "sentences": len(pairs),
            "labels": {label: targets.count(index) for index, label in enumerate(labels)},
        },
        "split": {
            "how": f"per label, a seeded shuffle (seed {seed}); {config.held_out_share:.0%} "
            "of each label's lines held out (at least one if it has two), never trained on",
            "training": parts.train_counts,
            "held_out": parts.held_out_counts,
        },
        "input": UNITS[mode].input,
        "metrics": {
            "held_out_accuracy": _rounded(final.held_out_accuracy),
            "training_accuracy": round(final.train_accuracy, 4),
        },
        "baselines": {
            "majority_accuracy": _rounded(
                held_targets.count(majority) / len(held_targets) if held_targets else None
            ),
            "note": f"always answering the most frequent training label ({labels[majority]}), "
            "on the held-out lines",
        },
        "training": {
            "steps": fitted.steps,
            "epochs": f"{final.epoch} of {total_epochs}",
            "stopped_by_user": stopped,
            "seconds": round(seconds, 1),
            "by_epoch": [asdict(item) for item in history],
        },
    }
    name = name or f"own-{arch}-{mode}"
    command = f"rnnviz.train_classifier(pairs, arch={arch!r}, mode={mode!r}, seed={seed})"
    card = complete_card(name, model, task_card, config, command, dry_run=False)
    trained = RecurrentModel(model.config, vocab, labels, info=ModelInfo(name=name, card=card))
    trained.load_state_dict(model.state_dict())
    trained.requires_grad_(False)
    return trained.eval()


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def checkpoint_bytes(model: RecurrentModel) -> bytes:
    """The model as a checkpoint file (the shipped format, weights float16) with its card
    inside as JSON text: what the page downloads and load_checkpoint reads."""
    buffer = io.BytesIO()
    checkpoint = checkpoint_dict(model)
    checkpoint["card"] = json.dumps(model.card, ensure_ascii=False)
    torch.save(checkpoint, buffer)
    return buffer.getvalue()


def _card(checkpoint: dict) -> dict[str, Any]:
    text = checkpoint.get("card")
    if text is None:
        return {}
    try:
        card = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        card = None
    if not isinstance(card, dict):
        raise RefusedInput("ckpt_card", "The checkpoint's card is not a JSON object.")
    return card


def load_checkpoint(data: bytes, name: str | None = None) -> RecurrentModel:
    """A model from the bytes of an rnnviz checkpoint (a download of the page, or a .pt file
    written by `python -m rnnviz.train`), read with torch.load(weights_only=True) and checked
    (architecture, sizes, vocabulary, labels, each weight's shape) before use; read-only, in
    eval mode. Raises ValueError with the reason: empty, over 50 MB, not a checkpoint, a file
    holding code or objects other than weights, truncated, or inconsistent."""
    if not isinstance(data, (bytes, bytearray)):
        raise RefusedInput("ckpt_type", "A checkpoint is given as bytes.")
    if not data:
        raise RefusedInput("ckpt_empty", "The file is empty (0 bytes).")
    if len(data) > MAX_CHECKPOINT_BYTES:
        megabytes = round(len(data) / 2**20)
        raise RefusedInput(
            "ckpt_too_big",
            f"The file is {megabytes} MB; the limit is {MAX_CHECKPOINT_BYTES // 2**20} MB.",
            megabytes=megabytes,
        )
    try:
        checkpoint = torch.load(io.BytesIO(bytes(data)), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        if "global" in str(error).lower():  # names a function or class: code, not weights
            raise RefusedInput(
                "ckpt_code",
                "The file holds code or objects other than weights; it was refused unread "
                "(only plain weights are loaded).",
            ) from error
        raise RefusedInput("ckpt_not", "This is not a PyTorch checkpoint file.") from error
    except (RuntimeError, EOFError, zipfile.BadZipFile, OSError, ValueError) as error:
        if bytes(data[:2]) == b"PK":
            raise RefusedInput(
                "ckpt_truncated",
                "The checkpoint is truncated or damaged (the archive cannot be read).",
            ) from error
        raise RefusedInput("ckpt_not", "This is not a PyTorch checkpoint file.") from error
    if not isinstance(checkpoint, dict):
        raise RefusedInput(
            "ckpt_not", "This is not an rnnviz checkpoint (it is not a dict of weights)."
        )
    card = _card(checkpoint)
    shown = name or str(card.get("name") or "uploaded checkpoint")
    try:
        return model_from_checkpoint(checkpoint, ModelInfo(name=shown, card=card))
    except ValueError as error:
        reason = str(error).rstrip(".")
        raise RefusedInput(
            "ckpt_invalid", f"The checkpoint cannot be used: {reason}.", reason=reason
        ) from error
