"""The memory path of the long-memory task in trained models: which LSTM cell units carry the
profession across the filler words and how their forget gates keep it (the running product of
f), and, for comparison, how far any model's hidden state h moves when only the profession
changes. Everything is read from traces (rnnviz.trace); nothing here trains or draws."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np

from .memory import PROFESSIONS, memory_prompt_tokens
from .models import RecurrentModel
from .results import CellPath, Trace, frozen
from .tracing import trace


def _profession_traces(model: RecurrentModel, fillers: Sequence[str]) -> dict[str, Trace]:
    """The same prompt with each of the professions, read by `model`."""
    return {
        profession: trace(model, memory_prompt_tokens(profession, list(fillers)))
        for profession in PROFESSIONS
    }


def _filler_span(tokens: Sequence[str], profession_step: int, fillers: Sequence[str]) -> range:
    """The steps that read the filler words: the first run of `fillers` after the profession."""
    count = len(fillers)
    for start in range(profession_step + 1, len(tokens) - count + 1):
        if list(tokens[start : start + count]) == list(fillers):
            return range(start, start + count)
    raise ValueError("The fillers are not in the prompt.")


def lstm_cell_path(
    model: RecurrentModel, profession: str, fillers: Sequence[str], units: int = 3
) -> CellPath:
    """The `units` cell units whose final c changes most when `profession` is replaced by each
    of the other professions (same fillers), and their forget gates in its prompt."""
    if model.config.arch != "lstm":
        raise ValueError("The cell path is defined for an LSTM.")
    if profession not in PROFESSIONS:
        raise ValueError(f"Unknown profession {profession!r}.")
    traces = _profession_traces(model, fillers)
    shown = traces[profession]
    others = np.stack([t.cell[-1] for name, t in traces.items() if name != profession])
    change = np.abs(shown.cell[-1] - others).mean(axis=0)  # (H,)
    carriers = np.argsort(-change, kind="stable")[:units]
    profession_step = shown.tokens.index(profession)
    span = _filler_span(shown.tokens, profession_step, fillers)
    forget = shown.gates["forget"]  # (T, H)
    all_products = forget[span.start : span.stop].prod(axis=0)
    running = np.cumprod(forget[profession_step + 1 :], axis=0)  # (T - profession_step - 1, H)
    return CellPath(
        tokens=list(shown.tokens),
        profession_step=profession_step,
        fillers=span,
        units=frozen(carriers),
        change=frozen(change),
        forget=frozen(forget[:, carriers]),
        kept=frozen(running[:, carriers]),
        median_kept=frozen(np.median(running, axis=1)),
        filler_product=frozen(all_products[carriers]),
        all_filler_products=frozen(all_products),
    )


def profession_separation(model: RecurrentModel, fillers: Sequence[str]) -> np.ndarray:
    """How far h moves when only the profession changes: the mean over all pairs of professions
    of ||h_t(p) - h_t(q)||, from the profession step to the last, divided by its value at the
    profession step (so that 1 is the difference the profession made when it was read).
    Returns float [T - profession_step]."""
    traces = list(_profession_traces(model, fillers).values())
    profession_step = traces[0].tokens.index(next(iter(PROFESSIONS)))
    hidden = np.stack([t.hidden[profession_step:] for t in traces])  # (professions, S, H)
    distances = np.mean(
        [
            np.linalg.norm(hidden[a] - hidden[b], axis=-1)
            for a, b in combinations(range(len(traces)), 2)
        ],
        axis=0,
    )
    return frozen(distances / distances[0])
