"""A Trace as downloadable files: CSV (one row per token) and JSON (every field). It never
runs a model.

Both are opened by people in spreadsheets and notebooks, so: the CSV starts with a UTF-8 byte
order mark (Excel on Windows reads Chinese as mojibake without it) and every text cell that a
spreadsheet could read as a formula (= + - @, tab, carriage return) is prefixed with a single
quote, as OWASP recommends against CSV injection; numbers are written as numbers. Column
headers are arguments, so that the app writes them in the page's language. The JSON is kept
light: floats rounded, a language model's distributions cut to the top words of each step,
with a note in the file saying so."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping

import numpy as np

from .tracing import Trace

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_HEADERS = {
    "step": "step",
    "token": "token",
    "unknown": "unknown",
    "top_output": "top_output",
    "top_probability": "top_probability",
    "grad_hidden": "grad_hidden",
    "grad_input": "grad_input",
    "hidden": "h_{j}",
}
DECIMALS = 4  # values of order 1 (embeddings, states, gates); the screen shows 3 decimals
SIGNIFICANT = 4  # for probabilities and gradients, which span many orders of magnitude


def safe_cell(value: str) -> str:
    """A text cell that no spreadsheet runs as a formula: a leading = + - @ tab or CR gets a
    single quote in front (OWASP, CSV injection)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def trace_to_csv(trace: Trace, headers: Mapping[str, str] | None = None) -> str:
    """Columns: step (1-based), token, unknown, predicted label and its p, grad norms,
    h_0..h_{H-1}. headers: names for the keys of CSV_HEADERS ("hidden" is a template with
    {j}); missing ones keep the English default. Starts with a UTF-8 byte order mark."""
    names = {**CSV_HEADERS, **(headers or {})}
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    units = trace.hidden.shape[1]
    columns = [names[key] for key in CSV_HEADERS if key != "hidden"]
    hidden = [names["hidden"].format(j=j) for j in range(units)]
    writer.writerow([safe_cell(name) for name in (*columns, *hidden)])
    for t, token in enumerate(trace.tokens):
        top = trace.prediction_at(t)
        writer.writerow(
            [
                t + 1,
                safe_cell(token),
                int(trace.is_unknown[t]),
                safe_cell(trace.labels[top]),
                f"{trace.probs[t, top]:.6g}",
                f"{trace.grad_hidden[t]:.6g}",
                f"{trace.grad_input[t]:.6g}",
                *[f"{value:.6g}" for value in trace.hidden[t]],
            ]
        )
    return buffer.getvalue()


def _rounded(values: np.ndarray) -> list:
    return np.round(values.astype(np.float64), DECIMALS).tolist()


def _significant(value: float) -> float:
    return float(f"{value:.{SIGNIFICANT}g}")


def trace_to_json(trace: Trace, top_k: int = 20) -> str:
    """Every field of the trace; parameters are left out (they are the model's, not the
    sentence's). Values of order 1 are rounded to DECIMALS decimals, probabilities and
    gradients to SIGNIFICANT significant digits. A language model's distribution is cut to its
    top_k words per step (the whole vocabulary at 1,000 steps was 40 MB of probabilities);
    the file's "note" says so."""
    lm = trace.head == "lm"
    if lm:
        k = min(top_k, trace.probs.shape[1])
        top = np.argpartition(-trace.probs, k - 1, axis=1)[:, :k]
        probs = []
        for t, row in enumerate(top):
            ordered = row[np.argsort(-trace.probs[t, row], kind="stable")]
            probs.append({trace.labels[i]: _significant(trace.probs[t, i]) for i in ordered})
        note = (
            f"probs: for each step, the {k} most probable next words of the "
            f"{trace.probs.shape[1]:,}-word vocabulary and their probabilities. "
        )
    else:
        probs = [[_significant(p) for p in row] for row in trace.probs]
        note = ""
    note += (
        f"Hidden states, cell states, gates and inputs are rounded to {DECIMALS} decimals; "
        f"probabilities, the loss and gradient norms to {SIGNIFICANT} significant digits."
    )
    document = {
        "note": note,
        "model": trace.model_name,
        "arch": trace.arch,
        "head": trace.head,
        "tokens": trace.tokens,
        "is_unknown": trace.is_unknown,
        "labels": None if lm else trace.labels,
        "inputs": _rounded(trace.inputs),
        "hidden": _rounded(trace.hidden),
        "cell": None if trace.cell is None else _rounded(trace.cell),
        "gates": {name: _rounded(values) for name, values in trace.gates.items()},
        "probs": probs,
        "target": trace.labels[trace.target],
        "loss_step": trace.loss_step,
        "loss": _significant(trace.loss),
        "grad_hidden": [_significant(value) for value in trace.grad_hidden],
        "grad_input": [_significant(value) for value in trace.grad_input],
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))
