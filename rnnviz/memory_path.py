"""The memory path of the long-memory task in trained models: which LSTM cell units carry the
profession across the filler words and how their forget gates keep it (the running product of
f), and, for comparison, how far any model's hidden state h moves when only the profession
changes. Everything is read from traces (rnnviz.trace); nothing here trains or draws."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from .memory import PROFESSIONS, memory_prompt_tokens
from .models import RecurrentModel
from .tracing import Trace, trace


def _frozen(array: np.ndarray) -> np.ndarray:
    """Read-only: the view caches these for every session."""
    array.flags.writeable = False
    return array


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


@dataclass(frozen=True)
class CellPath:
    """What an LSTM keeps of the profession in one prompt. T steps, n carrier units, H units.

    tokens [T]: the prompt; profession_step: where the profession is read; fillers: the steps
    of the filler words. units [n]: the carrier units, largest change first; change [H]: how
    much each unit's final cell state c_T changes when only the profession changes, the mean
    over the other professions q of |c_T(profession) - c_T(q)| (the fillers held fixed).
    forget [T, n]: f_t of the carrier units (the trace's own gate). kept [T - profession_step - 1,
    n]: running product of f from the step after the profession (how much of c at the
    profession step survives in c_t, leaving out what is added); median_kept [T -
    profession_step - 1]: the median over all H units of that running product.
    filler_product [n] and all_filler_products [H]: the product of f over the filler steps,
    per carrier unit and for every unit."""

    tokens: list[str]
    profession_step: int
    fillers: range
    units: np.ndarray
    change: np.ndarray
    forget: np.ndarray
    kept: np.ndarray
    median_kept: np.ndarray
    filler_product: np.ndarray
    all_filler_products: np.ndarray

    @property
    def median_filler_product(self) -> float:
        """The product of f over the fillers on the median unit of all H."""
        return float(np.median(self.all_filler_products))

    @property
    def verdict(self) -> str:
        """What the products show, for the reading under the chart:
        "kept": some carrier unit keeps at least a tenth of its cell over the fillers, ten
        times as much as the median unit; "short": it keeps a tenth, but over so few fillers
        the median unit keeps nearly as much; "closed": no carrier keeps a tenth (then the
        model does not hold this profession through its forget gates alone)."""
        best = float(self.filler_product.max())
        if best < 0.1:
            return "closed"
        return "kept" if best >= 10 * self.median_filler_product else "short"


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
        units=_frozen(carriers),
        change=_frozen(change),
        forget=_frozen(forget[:, carriers]),
        kept=_frozen(running[:, carriers]),
        median_kept=_frozen(np.median(running, axis=1)),
        filler_product=_frozen(all_products[carriers]),
        all_filler_products=_frozen(all_products),
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
    return _frozen(distances / distances[0])
