"""Saving and loading weights: a checkpoint is a plain dict (config, vocab, labels, state_dict)
read with torch.load(weights_only=True), a JSON model card beside it, and a sha256 manifest of
the shipped files. A missing or damaged file is refused with a CheckpointError that names the
file and how to restore it; `model_status` says so without loading anything. It never trains
or draws."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import torch

from .models import ModelConfig, ModelInfo, RecurrentModel, build_model
from .registry import ARCHITECTURES, TRAINED_TASKS
from .tokens import Vocab

WEIGHTS_DIR = Path(__file__).parent / "weights"
MANIFEST = "MANIFEST.json"
FORMAT = "rnnviz-1"
# What a checkpoint's sizes may be (far above any shipped model: a file claiming more is refused
# before anything of that size is made).
CONFIG_LIMITS = {
    "vocab_size": (2, 200_000),
    "num_outputs": (1, 200_000),
    "embed_size": (1, 2048),
    "hidden_size": (1, 2048),
}


class CheckpointError(ValueError):
    """A checkpoint file is missing, corrupted or not an rnnviz checkpoint. The message names
    the file and how to restore it."""


def sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _restore_command(file_name: str) -> str:
    return f"git checkout rnnviz/weights/{file_name}"


def _read_manifest(directory: Path, missing_ok: bool = False) -> dict[str, str]:
    path = directory / MANIFEST
    if not path.exists():
        if missing_ok:
            return {}
        raise CheckpointError(
            f"The weights manifest {path} is missing, so no shipped model can be checked. "
            f"Restore it with `{_restore_command(MANIFEST)}` (or reinstall rnnviz)."
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CheckpointError(
            f"The weights manifest {path} cannot be read ({error}). "
            f"Restore it with `{_restore_command(MANIFEST)}` (or reinstall rnnviz)."
        ) from error
    if not isinstance(manifest, dict):
        raise CheckpointError(
            f"The weights manifest {path} is not a file-to-sha256 table. "
            f"Restore it with `{_restore_command(MANIFEST)}` (or reinstall rnnviz)."
        )
    return manifest


def list_models(directory: Path = WEIGHTS_DIR) -> list[str]:
    """Names of the shipped models (`<task>-<arch>`), in registry order (task, then
    architecture). Raises CheckpointError if the manifest is missing or unreadable."""
    names = [file[: -len(".pt")] for file in _read_manifest(directory) if file.endswith(".pt")]

    def order(name: str) -> tuple[int, int]:
        task, _, arch = name.partition("-")
        return (
            TRAINED_TASKS.index(task) if task in TRAINED_TASKS else len(TRAINED_TASKS),
            ARCHITECTURES.index(arch) if arch in ARCHITECTURES else len(ARCHITECTURES),
        )

    return sorted(names, key=order)


def checkpoint_dict(model: RecurrentModel) -> dict[str, Any]:
    """The checkpoint format, "rnnviz-1": config, vocabulary, labels (none for a language
    model: its outputs are the vocabulary) and the weights as float16."""
    return {
        "format": FORMAT,
        "config": model.config.to_dict(),
        "vocab": list(model.vocab.itos),
        "labels": [] if model.config.head == "lm" else list(model.labels),
        "state_dict": {key: value.detach().half() for key, value in model.state_dict().items()},
    }


def _integer_field(config: dict, name: str, low: int, high: int) -> None:
    value = config.get(name)
    if type(value) is not int or not low <= value <= high:
        raise ValueError(
            f"config field {name!r} is {value!r}; expected a whole number {low}–{high}"
        )


def model_from_checkpoint(checkpoint: Any, info: ModelInfo) -> RecurrentModel:
    """The read-only model a checkpoint dict describes, every field checked first (the
    architecture, the sizes, the vocabulary, the labels, each weight's name, shape and values).
    Raises ValueError naming the first field that is wrong."""
    if not isinstance(checkpoint, dict) or not {"config", "vocab", "state_dict"} <= set(checkpoint):
        raise ValueError("it is not an rnnviz checkpoint (no config, vocab and state_dict)")
    config = checkpoint["config"]
    if not isinstance(config, dict) or set(config) != set(ModelConfig.__dataclass_fields__):
        raise ValueError("its config does not have the fields of an rnnviz model")
    for name, (low, high) in CONFIG_LIMITS.items():
        _integer_field(config, name, low, high)
    config = ModelConfig(**config)  # checks arch, head and token mode by name
    vocab_list = checkpoint["vocab"]
    if not isinstance(vocab_list, list) or not all(isinstance(t, str) for t in vocab_list):
        raise ValueError("its vocabulary is not a list of tokens")
    if len(vocab_list) != config.vocab_size:
        raise ValueError(
            f"its vocabulary has {len(vocab_list):,} tokens but its config says "
            f"{config.vocab_size:,}"
        )
    if len(set(vocab_list)) != len(vocab_list):
        raise ValueError("its vocabulary lists a token twice")
    vocab = Vocab(tuple(vocab_list))  # checks <pad>, <unk> first
    labels = checkpoint.get("labels", [])
    if config.head == "lm":
        labels = list(vocab.itos)
    elif (
        not isinstance(labels, list)
        or not all(isinstance(label, str) and label for label in labels)
        or len(set(labels)) != len(labels)
    ):
        raise ValueError("its labels are not a list of distinct names")
    model = RecurrentModel(config, vocab, labels, info=info)  # checks the label count
    expected = model.state_dict()
    state = checkpoint["state_dict"]
    if not isinstance(state, dict) or set(state) != set(expected):
        found = sorted(state) if isinstance(state, dict) else []
        raise ValueError(
            f"its weights are {', '.join(map(str, found)) or 'missing'}; a {config.arch} "
            f"model has {', '.join(sorted(expected))}"
        )
    for key, value in state.items():
        if not isinstance(value, torch.Tensor) or not value.is_floating_point():
            raise ValueError(f"its weight {key} is not a tensor of numbers")
        if tuple(value.shape) != tuple(expected[key].shape):
            raise ValueError(
                f"its weight {key} has shape {list(value.shape)}, expected "
                f"{list(expected[key].shape)} for the sizes in its config"
            )
        if not bool(torch.isfinite(value).all()):
            raise ValueError(f"its weight {key} holds NaN or infinite values")
    model.load_state_dict({key: value.float() for key, value in state.items()})
    model.requires_grad_(False)
    return model.eval()


def save_model(model: RecurrentModel, name: str, card: dict[str, Any], directory: Path) -> Path:
    """Write <name>.pt (weights as float16, to keep the shipped files small) and the card as
    <name>.json, and record both in the manifest (made if the folder has none)."""
    directory.mkdir(parents=True, exist_ok=True)
    checkpoint = checkpoint_dict(model)
    weights_path = directory / f"{name}.pt"
    card_path = directory / f"{name}.json"
    torch.save(checkpoint, weights_path)
    card_path.write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    manifest = _read_manifest(directory, missing_ok=True)
    manifest[weights_path.name] = sha256(weights_path)
    manifest[card_path.name] = sha256(card_path)
    (directory / MANIFEST).write_text(json.dumps(dict(sorted(manifest.items())), indent=2) + "\n")
    return weights_path


def _retrain_command(name: str, directory: Path) -> str:
    """The card's reproduce command, or the registry's default one if the card is unreadable."""
    try:
        card = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
        return str(card["command"])
    except (OSError, ValueError, KeyError, TypeError):
        task, _, arch = name.partition("-")
        return f"python -m rnnviz.train {task} --arch {arch}"


def _damaged(name: str, path: Path, directory: Path, problem: str) -> CheckpointError:
    return CheckpointError(
        f"{path} {problem}, so the model {name} is not available. Restore the shipped file with "
        f"`{_restore_command(path.name)}`, or retrain it with "
        f"`{_retrain_command(name, directory)}`."
    )


def _checked(name: str, directory: Path, file_name: str) -> Path:
    path = directory / file_name
    expected = _read_manifest(directory).get(file_name)
    if expected is None:
        raise _damaged(name, path, directory, f"is not listed in {directory / MANIFEST}")
    if not path.exists():
        raise _damaged(name, path, directory, "is missing")
    if sha256(path) != expected:
        raise _damaged(
            name,
            path,
            directory,
            f"is corrupted or was changed (its sha256 does not match {MANIFEST})",
        )
    return path


def check_name(name: str, directory: Path = WEIGHTS_DIR) -> str:
    names = list_models(directory)
    if name not in names:
        raise ValueError(f"Unknown model {name!r}; valid names: {', '.join(names)}.")
    return name


def model_status(name: str, directory: Path = WEIGHTS_DIR) -> str | None:
    """None if `name` is a shipped model whose weights and card are present and match the
    manifest (load_model will succeed); otherwise the message saying what is wrong and how to
    restore it. Reads and hashes the two files; loads nothing."""
    try:
        check_name(name, directory)
        _checked(name, directory, f"{name}.pt")
        _checked(name, directory, f"{name}.json")
    except ValueError as error:  # CheckpointError is a ValueError too
        return str(error)
    return None


def load_model(name: str, directory: Path = WEIGHTS_DIR) -> RecurrentModel:
    """A shipped model, checked against the manifest, in eval mode, float32, its parameters
    read-only (requires_grad False: gradients come from torch.autograd.grad on tensors made
    per call). Raises ValueError for an unknown name and CheckpointError for a missing,
    corrupted or unreadable file. No network."""
    check_name(name, directory)
    weights_path = _checked(name, directory, f"{name}.pt")
    card_path = _checked(name, directory, f"{name}.json")
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
        checkpoint = torch.load(weights_path, map_location="cpu", weights_only=True)
        return model_from_checkpoint(checkpoint, ModelInfo(name=name, card=card))
    except Exception as error:  # any unreadable file must name itself, not dump torch internals
        raise _damaged(
            name, weights_path, directory, f"is not a valid rnnviz checkpoint ({error})"
        ) from error


def untrained_like(name: str, seed: int = 0, directory: Path = WEIGHTS_DIR) -> RecurrentModel:
    """A model with the shape and vocabulary of a shipped one but random weights from `seed`,
    read-only like the shipped ones (the app shares it between sessions)."""
    return random_like(load_model(name, directory), seed, f"{name} untrained (seed {seed})")


def random_like(model: RecurrentModel, seed: int, name: str) -> RecurrentModel:
    """`model`'s architecture, sizes, vocabulary and labels with random weights from `seed`,
    read-only."""
    config = model.config
    return build_model(
        config.arch,
        config.head,
        model.vocab,
        labels=model.labels,
        embed_size=config.embed_size,
        hidden_size=config.hidden_size,
        seed=seed,
        token_mode=config.token_mode,
        name=name,
    ).requires_grad_(False)
