"""A Trace as downloadable files: CSV (one row per token) and JSON (every field)."""

from __future__ import annotations

import csv
import io
import json

import numpy as np

from .tracing import Trace


def trace_to_csv(trace: Trace) -> str:
    """Columns: step, token, unknown, predicted label and its p, grad norms, h_0..h_{H-1}."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    units = trace.hidden.shape[1]
    writer.writerow(
        [
            "step",
            "token",
            "unknown",
            "top_output",
            "top_probability",
            "grad_hidden",
            "grad_input",
            *[f"h_{j}" for j in range(units)],
        ]
    )
    for t, token in enumerate(trace.tokens):
        top = trace.prediction_at(t)
        writer.writerow(
            [
                t + 1,
                token,
                int(trace.is_unknown[t]),
                trace.labels[top],
                f"{trace.probs[t, top]:.6g}",
                f"{trace.grad_hidden[t]:.6g}",
                f"{trace.grad_input[t]:.6g}",
                *[f"{value:.6g}" for value in trace.hidden[t]],
            ]
        )
    return buffer.getvalue()


def trace_to_json(trace: Trace, top_k: int = 20) -> str:
    """Every field of the trace. Language-model distributions are cut to their top_k words per
    step (the full vocabulary would be megabytes); parameters are left out (they are the
    model's, not the sentence's)."""
    lm = trace.head == "lm"
    if lm:
        top = np.argsort(-trace.probs, axis=1, kind="stable")[:, :top_k]
        probs = [
            {trace.labels[i]: float(trace.probs[t, i]) for i in row} for t, row in enumerate(top)
        ]
    else:
        probs = trace.probs.tolist()
    document = {
        "model": trace.model_name,
        "arch": trace.arch,
        "head": trace.head,
        "tokens": trace.tokens,
        "is_unknown": trace.is_unknown,
        "labels": None if lm else trace.labels,
        "inputs": trace.inputs.tolist(),
        "hidden": trace.hidden.tolist(),
        "cell": None if trace.cell is None else trace.cell.tolist(),
        "gates": {name: values.tolist() for name, values in trace.gates.items()},
        "probs": probs,
        "target": trace.labels[trace.target],
        "loss_step": trace.loss_step,
        "loss": trace.loss,
        "grad_hidden": trace.grad_hidden.tolist(),
        "grad_input": trace.grad_input.tolist(),
    }
    return json.dumps(document, ensure_ascii=False)
