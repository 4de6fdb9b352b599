"""The quantities the lesson shows that no other module computes: its list of sections, which
hidden units a slide can show readably, the softmax taken apart (with steps.py's logits and
softmax, the one definition of each), which answer of the learning-signal question the
per-seed medians give, and the activity models' accuracies over seeds. No Streamlit, no
drawing.
(The long-memory prompt, the learning signal and the LSTM's memory path come from
rnnviz.memory, rnnviz.vanishing and rnnviz.memory_path, as in the RNN·LSTM·GRU view.)"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .results import Trace
from .steps import logits, softmax

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
    # the article's own example, measured (article 一 and 三), after the whole argument
    "article",
)
SECTION_COUNT = len(SECTIONS)
READABLE_UNITS = 16


@dataclass(frozen=True)
class SoftmaxParts:
    """y_t = softmax(V h_t + c) taken apart at one step (steps.logits and steps.softmax). All
    float [C]:
    logits z = V h_t + c, exponentials e^(z - max z), probabilities e / sum(e)."""

    logits: np.ndarray
    exponentials: np.ndarray
    probabilities: np.ndarray


def softmax_parts(trace: Trace, step: int) -> SoftmaxParts:
    """The output layer at `step`, recomputed from h_t and the model's V, c. The max is
    subtracted before exp, as every real softmax does, so nothing overflows; the probabilities
    are unchanged by it."""
    if not 0 <= step < len(trace.tokens):
        raise ValueError(f"Step {step} is outside 0..{len(trace.tokens) - 1}.")
    z = logits(trace, [step])[0]
    return SoftmaxParts(z, *softmax(z, z.max()))


def keeps_more(rnn: np.ndarray, lstm_starts: list[np.ndarray]) -> int:
    """Which answer of "who keeps more of the learning signal" per-seed medians give:
    0 the RNN in every seed and every LSTM start, 1 the LSTM in every seed and every start,
    2 neither in all of them (it depends on the seed or the start)."""
    if all(np.all(lstm > rnn) for lstm in lstm_starts):
        return 1
    if all(np.all(lstm < rnn) for lstm in lstm_starts):
        return 0
    return 2


@dataclass(frozen=True)
class SeedRange:
    """An accuracy over training seeds: the mean, the lowest and the highest seed."""

    mean: float
    low: float
    high: float
    seeds: int


def design_ranges(card: Mapping[str, Any], group: str) -> dict[float, SeedRange]:
    """An activity model's accuracy on `group` (see rnnviz.activity.GROUPS) over its seeds, for
    each training design its card holds: particle share -> SeedRange (the shipped design and
    the other one, trained from the same seeds)."""
    designs = {
        card["config"]["particle_share"]: (card["over_seeds"], len(card["seeds"])),
        card["other_design"]["particle_share"]: (
            card["other_design"]["over_seeds"],
            len(card["other_design"]["seeds"]),
        ),
    }
    return {
        share: SeedRange(summary[group]["mean"], summary[group]["min"], summary[group]["max"], n)
        for share, (summary, n) in sorted(designs.items())
    }


def recognises(accuracy: float, chance: float) -> bool:
    """Whether a network recognises the moved word: its accuracy there, over the seeds, is
    nearer certainty than chance."""
    return accuracy >= (1 + chance) / 2
