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


# --- the numbers the lesson's sections state (the view only writes and draws them) ---------

# A move of p smaller than this is float rounding, not an effect of the order.
ORDER_UNCHANGED = 1e-6
# A two-class model answers the class whose probability is at least this.
DECISION = 0.5


@dataclass(frozen=True)
class OrderEffect:
    """What swapping the halves of sentences does to a model's p of one class. `final`: p after
    each sentence's last token, the pairs being sentences (0, 1), (2, 3), ...; `spread`: the
    largest change of p within a pair."""

    final: tuple[float, ...]
    spread: float

    @property
    def changes(self) -> bool:
        """Whether the order changes the output at all (beyond float rounding)."""
        return self.spread >= ORDER_UNCHANGED


def order_effect(final: list[float]) -> OrderEffect:
    """The order effect of pairs of sentences from p after each one's last token."""
    if len(final) < 2 or len(final) % 2:
        raise ValueError(f"Pairs of sentences are needed, not {len(final)} values.")
    values = tuple(float(p) for p in final)
    spread = max(abs(values[i] - values[i + 1]) for i in range(0, len(values), 2))
    return OrderEffect(values, spread)


def leans_to(probability: float) -> bool:
    """Whether a two-class model answers the class it gives `probability` (the 0.5 line)."""
    return probability >= DECISION


@dataclass(frozen=True)
class SoftmaxReading:
    """The softmax's output read: the most likely output, its p and the sum of every p (1 up to
    rounding)."""

    top: int
    probability: float
    total: float


def read_softmax(parts: SoftmaxParts) -> SoftmaxReading:
    top = int(np.argmax(parts.probabilities))
    return SoftmaxReading(top, float(parts.probabilities[top]), float(parts.probabilities.sum()))


@dataclass(frozen=True)
class ProbabilityCourse:
    """p of one class as a sentence is read: after the first token, its lowest, after the
    last."""

    first: float
    lowest: float
    final: float


def probability_course(trace: Trace, label: int) -> ProbabilityCourse:
    """The course of p(label) over `trace`'s steps (a classifier's trace)."""
    course = trace.probs[:, label]
    return ProbabilityCourse(float(course[0]), float(course.min()), float(course[-1]))


def span(values: np.ndarray) -> tuple[float, float]:
    """The lowest and the highest of per-seed values (a reading says "from … to …")."""
    return float(np.min(values)), float(np.max(values))


@dataclass(frozen=True)
class CarrierShares:
    """How much of its cell the carrier units keep over the fillers (the products of their
    forget gates): the best carrier's and the carriers' median."""

    best: float
    median: float


def carrier_shares(filler_product: np.ndarray) -> CarrierShares:
    """filler_product: float [units], each carrier unit's product of f over the fillers."""
    return CarrierShares(float(np.max(filler_product)), float(np.median(filler_product)))


def accuracy_at(by_distance: list[tuple[int, float, float, float]], distance: int) -> float | None:
    """The mean accuracy at `distance` among rnnviz.memory.accuracy_over_seeds's rows
    (k, mean, min, max); None if the card did not measure that distance."""
    return next((mean for k, mean, _, _ in by_distance if k == distance), None)
