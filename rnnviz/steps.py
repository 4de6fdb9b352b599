"""The step-through of one trace as data for the browser, and softmax with cross-entropy at a
step. Everything that changes with the step (the output bars, the equation's terms for a few
hidden units, the softmax and the loss at that step) is computed here for every step at once
and returned as plain JSON-able values, so that the page can step without asking the server.
Non-finite numbers never reach the page: they become None and the payload says so in a flag
the page explains in words. No drawing, no Streamlit."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .equations import step_terms
from .tracing import Trace

EQUATION_UNITS = 3
TOP_BARS = 10
SOFTMAX_ROWS = 5
# e^z of a logit above this would overflow a double: then every e^z is shown shifted by max z.
SHIFT_ABOVE = 80.0
CHUNK = 64  # steps per block when all logits of a large vocabulary are computed


def top_indices(values: np.ndarray, count: int) -> list[int]:
    """The indices of the `count` largest values, largest first, ties by index: the same as
    np.argsort(-values, kind="stable")[:count] (NaN last), in O(n) rather than O(n log n), which
    matters for 10,000 words at each of 1,000 steps."""
    count = min(count, len(values))
    if count == 0:
        return []
    keys = np.nan_to_num(values.astype(np.float64), nan=-np.inf)
    threshold = np.partition(keys, len(keys) - count)[len(keys) - count]
    candidates = np.flatnonzero(keys >= threshold)
    order = np.lexsort((candidates, -keys[candidates]))
    return [int(i) for i in candidates[order][:count]]


def step_target(trace: Trace, step: int, index: dict[str, int] | None = None) -> int | None:
    """The output whose cross-entropy is read at `step`: a classifier's loss target (the class
    the gradients are taken for) at every step; for a language model the word that really came
    next (`<unk>` if the model does not know it), and None at the last step, which has no next
    word."""
    if trace.head != "lm":
        return trace.target
    if step == trace.loss_step:
        return trace.target
    if step + 1 >= len(trace.tokens):
        return None
    if index is None:
        index = {name: i for i, name in enumerate(trace.labels)}
    return index.get(trace.tokens[step + 1], index.get("<unk>", 1))


def logits(trace: Trace, steps: range | list[int]) -> np.ndarray:
    """z_t = V h_t + c for the given steps, [len(steps), C] in float64 (the product itself in
    the model's float32, as the model computes it: 10,000 words × 1,000 steps in float64 cost
    seconds)."""
    product = trace.hidden[list(steps)] @ trace.params["V"].T
    return product.astype(np.float64) + trace.params["c"].astype(np.float64)


def softmax(z: np.ndarray, shift: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """y = softmax(z), taken apart: the exponentials e^(z - shift) and the probabilities
    e / sum(e), float64 [C]. A shift leaves the probabilities as they are and keeps e^z from
    overflowing (shift by max z); without one, an overflowing e^z gives inf and NaN."""
    with np.errstate(over="ignore", invalid="ignore"):
        exponentials = np.exp(z - shift)
        return exponentials, exponentials / exponentials.sum()


def cross_entropy(probabilities: np.ndarray, target: int) -> float:
    """-log p[target] (natural log): the loss of one output against the right answer.
    (softmax_breakdown writes the same quantity as log sum e^(z - s) - (z_target - s), which
    stays exact where p underflows to 0.)"""
    value = float(probabilities[target])
    if not 0 < value <= 1:
        raise ValueError(f"p = {value} is not a probability in (0, 1].")
    return -math.log(value)


def softmax_breakdown(
    trace: Trace, step: int, top: int = SOFTMAX_ROWS, target: int | None = None
) -> dict[str, Any]:
    """Softmax and cross-entropy at one step, term by term: the logits z = V h_t + c of all C
    outputs, e^z, their sum, p = e^z / sum, for the `top` most probable outputs and the target
    (default: step_target), and the loss -log p[target] (None without a target).

    Returns {"step", "count": C, "shift": s, "sum": sum of e^(z - s), "target",
    "loss", "rows": [{"index", "label", "logit", "exp", "p", "is_target"}]}; s is 0 unless a
    logit is so large that e^z overflows, then s = max z and every e^z is e^(z - s)."""
    if not 0 <= step < len(trace.tokens):
        raise ValueError(f"Step {step} is outside 0..{len(trace.tokens) - 1}.")
    z = logits(trace, [step])[0]
    return _breakdown(trace, step, z, top, step_target(trace, step) if target is None else target)


def _breakdown(
    trace: Trace, step: int, z: np.ndarray, top: int, target: int | None
) -> dict[str, Any]:
    finite = np.isfinite(z)
    largest = float(z[finite].max()) if finite.any() else 0.0
    shift = largest if largest > SHIFT_ABOVE else 0.0
    exponentials, probabilities = softmax(z, shift)
    total = float(exponentials.sum())
    shown = top_indices(probabilities, top)
    if target is not None and target not in shown:
        shown.append(int(target))
    loss = None
    if target is not None:
        # -log p = log(sum e^(z - s)) - (z_target - s): exact where p underflows to 0.
        loss = math.log(total) - (float(z[target]) - shift) if total > 0 else math.inf
    return {
        "step": step,
        "count": len(z),
        "shift": shift,
        "sum": total,
        "target": target,
        "loss": loss,
        "rows": [
            {
                "index": index,
                "label": trace.labels[index],
                "logit": float(z[index]),
                "exp": float(exponentials[index]),
                "p": float(probabilities[index]),
                "is_target": index == target,
            }
            for index in shown
        ],
    }


def _clean(value: Any, flags: set[str], where: str) -> Any:
    """Floats rounded to 6 significant digits; non-finite ones become None and are flagged."""
    if isinstance(value, dict):
        return {key: _clean(item, flags, where) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean(item, flags, where) for item in value]
    if isinstance(value, (bool, int, str)) or value is None:
        return value
    number = float(value)
    if not math.isfinite(number):
        flags.add(where)
        return None
    return float(f"{number:.6g}")


def step_payload(
    trace: Trace,
    units: int = EQUATION_UNITS,
    top_bars: int = TOP_BARS,
    softmax_rows: int = SOFTMAX_ROWS,
) -> dict[str, Any]:
    """Everything the page needs to step through `trace` (T steps) without the server.

    {"tokens": [T], "unknown": [T], "arch", "head", "loss_step", "loss", "target": label,
     "units": [unit indices in the equations],
     "steps": [T × {"bars": [[label, p], ...] (top `top_bars` at the step, most probable
                    first), "next": the next token (LM) or None, "next_unknown": whether
                    the model does not know that token (then its output, and the
                    cross-entropy's target, is `<unk>`),
                    "terms": step_terms rows for `units`,
                    "softmax": softmax_breakdown with `softmax_rows` rows}],
     "nonfinite": sorted names of the parts that held a non-finite number}"""
    total = len(trace.tokens)
    unit_list = list(range(min(units, trace.hidden.shape[1])))
    flags: set[str] = set()
    steps: list[dict[str, Any]] = []
    index = {name: i for i, name in enumerate(trace.labels)}
    for start in range(0, total, CHUNK):
        block = range(start, min(start + CHUNK, total))
        block_logits = logits(trace, block)
        for offset, step in enumerate(block):
            probabilities = trace.probs[step]
            bars = [
                [trace.labels[i], float(probabilities[i])]
                for i in top_indices(probabilities, top_bars)
            ]
            following = trace.tokens[step + 1] if trace.head == "lm" and step + 1 < total else None
            softmax = _breakdown(
                trace, step, block_logits[offset], softmax_rows, step_target(trace, step, index)
            )
            steps.append(
                {
                    "bars": _clean(bars, flags, "bars"),
                    "next": following,
                    "next_unknown": following is not None and bool(trace.is_unknown[step + 1]),
                    "terms": _clean(step_terms(trace, step, unit_list), flags, "equation"),
                    "softmax": _clean(softmax, flags, "softmax"),
                }
            )
    return {
        "tokens": list(trace.tokens),
        "unknown": [bool(flag) for flag in trace.is_unknown],
        "arch": trace.arch,
        "head": trace.head,
        "loss_step": trace.loss_step,
        "loss": _clean(trace.loss, flags, "loss"),
        "target": trace.labels[trace.target],
        "units": unit_list,
        "steps": steps,
        "nonfinite": sorted(flags),
    }


def lockstep_payload(traces: dict[str, Trace]) -> dict[str, Any]:
    """Several models reading the same tokens, for one set of step controls: per model and
    step, the most probable output and its probability.

    {"tokens": [T], "models": [{"name", "arch", "top": [T × [label, p]]}], "nonfinite": [...]}"""
    if not traces:
        raise ValueError("No traces to step through.")
    tokens = next(iter(traces.values())).tokens
    if any(trace.tokens != tokens for trace in traces.values()):
        raise ValueError("Lockstep needs every model to read the same tokens.")
    flags: set[str] = set()
    models = []
    for name, trace in traces.items():
        best = np.argmax(trace.probs, axis=1)
        top = [[trace.labels[i], float(trace.probs[t, i])] for t, i in enumerate(best)]
        models.append({"name": name, "arch": trace.arch, "top": _clean(top, flags, "outputs")})
    return {"tokens": list(tokens), "models": models, "nonfinite": sorted(flags)}
