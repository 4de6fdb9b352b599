"""Word importance: which words a sentence's verdict depends on, by occlusion (the output with
each word removed, and with it read as <unk>) and by Integrated Gradients on the word vectors
(Captum). Both explain one number, the probability of the sentence's verdict. Nothing here
trains, writes into a model or draws."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from .models import RecurrentModel
from .results import top_index
from .tracing import sentence_tokens

METHODS = ("occlusion", "integrated_gradients")
# Integrated Gradients' integral is approximated with more steps until its attributions add up
# to f(x) - f(baseline) within COMPLETENESS of that difference.
IG_STEPS = (64, 256, 1024)
# The longest sentence word importance reads (as the influence map), and the floats one batch
# of variants may hold: a sentence's variants are run in batches of at most this size, so a
# long paste costs time, never the server's memory.
IMPORTANCE_LIMIT = 200
BATCH_FLOATS = 32 * 1024 * 1024
COMPLETENESS = 0.01


@dataclass(frozen=True)
class WordImportance:
    """How much each word of one sentence moves the explained output f: the probability of
    `target_label` read after the last word of `context` (a classifier: the class predicted for
    the whole sentence; a language model: the last word, predicted from the words before it).

    tokens: [T]; scores: float64 [T]; a language model's last token (the target) is NaN.
    occlusion: scores[i] = f(x) - f(x without word i) (NaN for a one-word context, which
    would leave nothing to read); unknown_scores[i] = f(x) - f(x with word i read as <unk>).
    integrated_gradients: scores[i] = the attribution of word i's vector against the baseline
    of <pad> vectors (all zeros); they add up to value - baseline_value, and
    convergence_delta is their sum minus that difference.
    """

    tokens: list[str]
    method: str
    scores: np.ndarray
    unknown_scores: np.ndarray | None
    target: int
    target_label: str
    value: float
    baseline_value: float | None
    convergence_delta: float | None
    steps: int | None

    @property
    def total(self) -> float:
        """The scores added up (NaN left out): for Integrated Gradients, value - baseline_value
        up to convergence_delta."""
        return float(np.nansum(self.scores))

    def ranked(self) -> list[int]:
        """Token positions by |score|, largest first (NaN last; ties by position)."""
        return ranked_positions(self.scores)


def ranked_positions(scores: np.ndarray) -> list[int]:
    """Positions by |score|, largest first (NaN last; ties by position)."""
    magnitude = np.nan_to_num(np.abs(np.asarray(scores, dtype=np.float64)), nan=-1.0)
    return sorted(range(len(magnitude)), key=lambda index: (-magnitude[index], index))


def _final_probability(model: RecurrentModel, inputs: torch.Tensor, target: int) -> torch.Tensor:
    """f for a batch of embedded contexts: inputs (B, T, E) -> p(target) after the last word (B,)."""
    logits = model.run(inputs, every_output=False)["logits"][:, -1]  # (B, C)
    return torch.softmax(logits.double(), dim=-1)[:, target]


def _context(model: RecurrentModel, tokens: list[str]) -> tuple[list[int], int]:
    """(ids of the words read, target index): a classifier reads every word and explains its
    verdict; a language model reads all but the last word and explains predicting it."""
    ids = model.vocab.encode(tokens)
    if model.config.head == "lm":
        if len(ids) < 2:
            raise ValueError(
                "A language model's word importance needs at least two words: the last one is "
                "the word predicted from the others."
            )
        return ids[:-1], ids[-1]
    with torch.no_grad():
        logits = model.run(model.embedding.weight.detach()[torch.tensor([ids])])["logits"]
    return ids, top_index(torch.softmax(logits[0, -1].double(), dim=-1).numpy())


def batch_size(model: RecurrentModel, steps: int) -> int:
    """How many sentences of `steps` tokens one batch reads within BATCH_FLOATS: a step keeps
    about 12 H floats a sentence (the projected inputs and gates, h_t, c_t, their gradients)."""
    return max(1, BATCH_FLOATS // (12 * model.config.hidden_size * max(steps, 1)))


def _batch_probability(model: RecurrentModel, variants: list[list[int]], target: int) -> np.ndarray:
    """f for contexts of one length (ids [B][T']) in batches of batch_size -> float64 [B]."""
    size = batch_size(model, len(variants[0]))
    parts = []
    with torch.no_grad():
        for start in range(0, len(variants), size):
            chunk = torch.tensor(variants[start : start + size])
            embedded = model.embedding.weight.detach()[chunk]
            parts.append(_final_probability(model, embedded, target).numpy())
    return np.concatenate(parts)


def _occlusion(model: RecurrentModel, ids: list[int], target: int):
    value = float(_batch_probability(model, [ids], target)[0])
    count = len(ids)
    removed = np.full(count, np.nan)
    if count > 1:
        without = [ids[:index] + ids[index + 1 :] for index in range(count)]
        removed = value - _batch_probability(model, without, target)
    unknown_id = model.vocab.unk_id
    as_unknown = [ids[:index] + [unknown_id] + ids[index + 1 :] for index in range(count)]
    unknown = value - _batch_probability(model, as_unknown, target)
    return value, removed, unknown


def _integrated_gradients(model: RecurrentModel, ids: list[int], target: int):
    """Captum's IG on the word vectors; the steps grow until completeness holds."""
    # Imported at use: captum brings matplotlib, seconds of import that `import rnnviz` and
    # every view but compare's Integrated Gradients would pay for nothing.
    from captum.attr import IntegratedGradients

    def forward(inputs: torch.Tensor) -> torch.Tensor:
        return _final_probability(model, inputs, target)

    inputs = model.embedding.weight.detach()[torch.tensor([ids])].clone()  # (1, T, E)
    baseline = torch.zeros_like(inputs)  # the <pad> vector of every word
    with torch.no_grad():
        value = float(forward(inputs)[0])
        baseline_value = float(forward(baseline)[0])
    explainer = IntegratedGradients(forward)
    difference = value - baseline_value
    with torch.enable_grad():
        for steps in IG_STEPS:
            # Captum takes gradients with torch.autograd.grad on its own copies of `inputs`:
            # nothing accumulates in the shared model's .grad.
            attributions = explainer.attribute(
                inputs,
                baselines=baseline,
                n_steps=steps,
                internal_batch_size=min(steps, batch_size(model, len(ids))),
            )
            scores = attributions[0].double().sum(dim=-1).numpy()  # (T,)
            delta = float(scores.sum() - difference)
            if abs(delta) <= COMPLETENESS * abs(difference):
                break
    return value, baseline_value, scores, delta, steps


def word_importance(
    model: RecurrentModel,
    text: str | Sequence[str],
    mode: str | None = None,
    method: str = "occlusion",
) -> WordImportance:
    """Which words of `text` the model's output depends on (see WordImportance).

    method "occlusion": every word removed, and read as <unk>, each variant run once (one
    batch per kind); "integrated_gradients": Captum's IntegratedGradients from the all-<pad>
    baseline, with 64 steps, more when needed for completeness within 1 %.
    """
    if method not in METHODS:
        raise ValueError(f"Unknown method {method!r}; valid: {', '.join(METHODS)}.")
    tokens = sentence_tokens(model, text, mode)
    if len(tokens) > IMPORTANCE_LIMIT:
        raise ValueError(
            f"Word importance is computed for sentences of up to {IMPORTANCE_LIMIT} tokens; "
            f"this one has {len(tokens)}."
        )
    ids, target = _context(model, tokens)
    padding = [np.nan] * (len(tokens) - len(ids))  # a language model's target word
    unknown_scores = baseline_value = delta = steps = None
    if method == "occlusion":
        value, scores, unknown = _occlusion(model, ids, target)
        unknown_scores = np.concatenate([unknown, padding])
        unknown_scores.flags.writeable = False
    else:
        value, baseline_value, scores, delta, steps = _integrated_gradients(model, ids, target)
    scores = np.concatenate([scores, padding])
    scores.flags.writeable = False
    return WordImportance(
        tokens=list(tokens),
        method=method,
        scores=scores,
        unknown_scores=unknown_scores,
        target=target,
        target_label=model.labels[target],
        value=value,
        baseline_value=baseline_value,
        convergence_delta=delta,
        steps=steps,
    )
