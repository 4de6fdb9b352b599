"""The recurrence at one step with the real numbers: for a few hidden units, each term of
h_t = tanh(U x_t + W h_{t-1} + b) (or the LSTM/GRU gate equations) as plain numbers,
recomputed in numpy from a trace (the gates cut as registry.gate_blocks says), and each
architecture's general form as text. It runs no model and draws nothing."""

from __future__ import annotations

import numpy as np

from .registry import GATE_NAMES, gate_blocks
from .results import Trace


def _sigmoid(value: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-value))


def step_terms(trace: Trace, step: int, units: list[int]) -> list[dict[str, float]]:
    """For each unit j in `units`, the terms that make h_t[j] at `step`, recomputed from the
    trace's own x_t, h_{t-1}, c_{t-1} and parameters (so they can be checked against h_t)."""
    if not 0 <= step < len(trace.tokens):
        raise ValueError(f"Step {step} is outside 0..{len(trace.tokens) - 1}.")
    size = trace.hidden.shape[1]
    x = trace.inputs[step].astype(np.float64)
    previous = trace.hidden[step - 1].astype(np.float64) if step else np.zeros(size)
    # Only the rows a unit needs, in float64: an LM's full parameter set is megabytes.
    params = trace.params
    # The gated cells' U, W and b cut into their gates (views), as the model stacks them.
    blocks = {
        name: gate_blocks(trace.arch, params[name])
        for name in ("U", "W", "b", "b_hidden")
        if trace.arch in ("lstm", "gru") and name in params
    }

    def weights(name: str, row: int) -> np.ndarray:
        return params[name][row].astype(np.float64)

    rows = []
    for unit in units:
        row: dict[str, float] = {"unit": unit}
        if trace.arch == "rnn":
            row["Ux"] = float(weights("U", unit) @ x)
            row["Wh"] = float(weights("W", unit) @ previous)
            row["b"] = float(params["b"][unit])
            row["pre"] = row["Ux"] + row["Wh"] + row["b"]
            row["h"] = float(np.tanh(row["pre"]))
        elif trace.arch == "lstm":
            pre = {
                gate: float(
                    blocks["U"][gate][unit].astype(np.float64) @ x
                    + blocks["W"][gate][unit].astype(np.float64) @ previous
                    + blocks["b"][gate][unit]
                )
                for gate in GATE_NAMES["lstm"]
            }
            previous_cell = float(trace.cell[step - 1, unit]) if step else 0.0
            row.update(
                i=float(_sigmoid(pre["input"])),
                f=float(_sigmoid(pre["forget"])),
                g=float(np.tanh(pre["candidate"])),
                o=float(_sigmoid(pre["output"])),
                c_prev=previous_cell,
            )
            row["c"] = row["f"] * previous_cell + row["i"] * row["g"]
            row["h"] = row["o"] * float(np.tanh(row["c"]))
        elif trace.arch == "gru":
            recurrent = {
                gate: blocks["W"][gate][unit].astype(np.float64) @ previous
                + float(blocks["b_hidden"][gate][unit])
                for gate in GATE_NAMES["gru"]
            }
            projected = {
                gate: blocks["U"][gate][unit].astype(np.float64) @ x
                + float(blocks["b"][gate][unit])
                for gate in GATE_NAMES["gru"]
            }
            row["r"] = float(_sigmoid(projected["reset"] + recurrent["reset"]))
            row["z"] = float(_sigmoid(projected["update"] + recurrent["update"]))
            row["n"] = float(np.tanh(projected["candidate"] + row["r"] * recurrent["candidate"]))
            row["h_prev"] = float(previous[unit])
            row["h"] = (1 - row["z"]) * row["n"] + row["z"] * row["h_prev"]
        elif trace.arch == "position":
            blocks = params["U"]  # (POSITIONS, H, E): one block per input position
            read = range(min(step + 1, blocks.shape[0]))
            row["U_sum_x"] = float(
                sum(
                    blocks[s, unit].astype(np.float64) @ trace.inputs[s].astype(np.float64)
                    for s in read
                )
            )
            row["b"] = float(params["b"][unit])
            row["h"] = float(np.tanh(row["U_sum_x"] + row["b"]))
        else:
            mean = trace.inputs[: step + 1].astype(np.float64).mean(axis=0)
            row["U_mean_x"] = float(weights("U", unit) @ mean)
            row["b"] = float(params["b"][unit])
            row["h"] = float(np.tanh(row["U_mean_x"] + row["b"]))
        rows.append(row)
    return rows


# Each architecture's general form as plain text with Unicode subscripts, for the step-through
# drawn in the browser (no LaTeX there: braces and underscores would show as they are).
GENERAL_TEXT = {
    "rnn": "hₜ = tanh(U xₜ + W hₜ₋₁ + b),  yₜ = softmax(V hₜ + c)",
    "lstm": "[i, f, g, o]ₜ = [σ, σ, tanh, σ](U xₜ + W hₜ₋₁ + b),  "
    "cₜ = fₜ ⊙ cₜ₋₁ + iₜ ⊙ gₜ,  hₜ = oₜ ⊙ tanh(cₜ),  yₜ = softmax(V hₜ + c)",
    "gru": "rₜ, zₜ = σ(U xₜ + W hₜ₋₁ + b),  nₜ = tanh(Uₙ xₜ + rₜ ⊙ Wₙ hₜ₋₁),  "
    "hₜ = (1 − zₜ) ⊙ nₜ + zₜ ⊙ hₜ₋₁,  yₜ = softmax(V hₜ + c)",
    "bow": "hₜ = tanh(U · mean(x₁ … xₜ) + b),  yₜ = softmax(V hₜ + c)",
    "position": "hₜ = tanh(U₁ x₁ + U₂ x₂ + … + Uₜ xₜ + b),  yₜ = softmax(V hₜ + c)",
}
