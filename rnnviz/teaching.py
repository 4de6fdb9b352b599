"""The quantities the lesson shows that no other module computes: its list of sections, which
hidden units a slide can show readably, the softmax taken apart, cross-entropy, and which
answer of the learning-signal question a measured ratio is. No Streamlit, no drawing.
(The long-memory prompt, the learning signal and the LSTM's memory path come from
rnnviz.memory, rnnviz.vanishing and rnnviz.memory_path, as in the RNN·LSTM·GRU view.)"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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


SIGNAL_BANDS = (1e-3, 1e-9)  # the edges between the signal question's three answers


def ratio_band(ratio: float) -> int:
    """Which answer of the signal question a measured ratio is: 0 a thousandth or more,
    1 between a billionth and a thousandth, 2 less than a billionth. The edges separate the
    RNN (about 10⁻¹⁰ at 20 fillers) from the LSTM (about 10⁻⁷): "less than a millionth" would
    be true of both."""
    high, low = SIGNAL_BANDS
    if ratio >= high:
        return 0
    if ratio >= low:
        return 1
    return 2
