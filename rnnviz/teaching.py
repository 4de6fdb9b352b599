"""The quantities the lesson shows that no other module computes: its list of sections, which
hidden units a slide can show readably, the softmax taken apart, cross-entropy, the
long-memory prompt at a given distance, the LSTM cell units that carry the profession, and
the share of a question's answer that is read from the numbers. No Streamlit, no drawing."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .memory import FILLER_POOL, memory_prompt_tokens
from .tracing import Trace

# One idea per section, in the seed article's order (一 → 四, then the LSTM as the fix).
SECTIONS = (
    "order",
    "loop",
    "unrolled",
    "step",
    "softmax",
    "last",
    "loss",
    "distance",
    "signal",
    "gates",
    "race",
)
SECTION_COUNT = len(SECTIONS)
READABLE_UNITS = 16


def most_active_units(values: np.ndarray, count: int = READABLE_UNITS) -> list[int]:
    """values float [T, H] -> the `count` units with the largest max |value| over the steps,
    in unit order (so rows keep their meaning); every unit when H <= count."""
    if values.ndim != 2:
        raise ValueError(f"Expected [T, H] values, got shape {values.shape}.")
    size = values.shape[1]
    if count >= size:
        return list(range(size))
    peak = np.max(np.abs(values), axis=0)
    chosen = np.argsort(-peak, kind="stable")[:count]
    return sorted(int(unit) for unit in chosen)


@dataclass(frozen=True)
class SoftmaxParts:
    """y_t = softmax(V h_t + c) taken apart at one step. All float [C]:
    logits z = V h_t + c, exponentials e^(z - max z), probabilities e / sum(e)."""

    logits: np.ndarray
    exponentials: np.ndarray
    probabilities: np.ndarray


def softmax_parts(trace: Trace, step: int) -> SoftmaxParts:
    """The output layer at `step`, recomputed from h_t and the model's V, c (float64). The max
    is subtracted before exp, as every real softmax does, so nothing overflows; the
    probabilities are unchanged by it."""
    if not 0 <= step < len(trace.tokens):
        raise ValueError(f"Step {step} is outside 0..{len(trace.tokens) - 1}.")
    weights = trace.params["V"].astype(np.float64)
    bias = trace.params["c"].astype(np.float64)
    logits = weights @ trace.hidden[step].astype(np.float64) + bias
    exponentials = np.exp(logits - logits.max())
    return SoftmaxParts(logits, exponentials, exponentials / exponentials.sum())


def cross_entropy(probabilities: np.ndarray, target: int) -> float:
    """-log p[target] (natural log): the loss of one output against the right answer."""
    value = float(probabilities[target])
    if not 0 < value <= 1:
        raise ValueError(f"p = {value} is not a probability in (0, 1].")
    return -float(np.log(value))


def lesson_fillers(count: int) -> list[str]:
    """The same `count` filler words every time (seeded by count, as the RNN · LSTM · GRU view
    does for its k slider), so a link to that view shows the same prompt."""
    rng = random.Random(count)
    return [rng.choice(FILLER_POOL) for _ in range(count)]


def lesson_prompt(profession: str, distance: int) -> list[str]:
    """Tokens of 我的职业是<profession>，<distance fillers>，我最擅长的是."""
    return memory_prompt_tokens(profession, lesson_fillers(distance))


def profession_units(a: Trace, b: Trace, count: int = READABLE_UNITS) -> list[int]:
    """LSTM cell units whose state at the last step differs most between two prompts that
    differ only in the profession: the units that carry it. In unit order."""
    if a.cell is None or b.cell is None:
        raise ValueError("Only an LSTM has a cell state.")
    difference = np.abs(a.cell[-1].astype(np.float64) - b.cell[-1].astype(np.float64))
    chosen = np.argsort(-difference, kind="stable")[: min(count, difference.size)]
    return sorted(int(unit) for unit in chosen)


def forget_product(forget: np.ndarray, units: Sequence[int], start: int, end: int) -> np.ndarray:
    """forget float [T, H] -> float [len(units)]: the product of f_t over steps start..end-1,
    the share of c_{start-1} that is still in c_{end-1} through the memory path alone."""
    if not 0 <= start <= end <= forget.shape[0]:
        raise ValueError(f"Need 0 <= start <= end <= {forget.shape[0]}.")
    return np.prod(forget[start:end][:, list(units)].astype(np.float64), axis=0)


def ratio_band(ratio: float) -> int:
    """Which answer of the signal question a measured ratio is: 0 a tenth or more,
    1 between a millionth and a tenth, 2 less than a millionth."""
    if ratio >= 0.1:
        return 0
    if ratio >= 1e-6:
        return 1
    return 2
