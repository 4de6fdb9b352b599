"""The results the core hands out, as frozen dataclasses of numpy arrays: a sentence read
step by step (Trace), what an LSTM keeps of the profession (CellPath), the learning signal
against distance (SignalCurve), who influences whom (InfluenceMap, StepFactors); the read-only
lock they share and the readings that belong to them (the prediction, the share of the
gradient that reaches a step). It imports numpy only — never torch, the models, Plotly or
Streamlit — so figures and views can read every result without loading a model."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def frozen(array: np.ndarray) -> np.ndarray:
    """Lock `array` against writes and return it: results are cached and shared by every
    session of the app, so no reader may change them in place."""
    array.flags.writeable = False
    return array


def top_index(probabilities: np.ndarray) -> int:
    """argmax of one output distribution (the first index on a tie)."""
    return int(np.argmax(probabilities))


def relative_gradient(grad_hidden: np.ndarray, loss_step: int) -> np.ndarray:
    """||dL/dh_t|| / ||dL/dh_loss_step|| for t = 0..loss_step: the share of the gradient at the
    loss step that reaches each earlier step. NaN where it is not a finite number (a zero
    reference, or an overflowing gradient). Returns float64 [loss_step + 1]."""
    if not 0 <= loss_step < len(grad_hidden):
        raise ValueError(f"Need 0 <= loss_step < {len(grad_hidden)}.")
    values = np.asarray(grad_hidden[: loss_step + 1], dtype=np.float64)
    reference = values[loss_step]
    if not np.isfinite(reference) or reference == 0:
        return np.full(loss_step + 1, np.nan)
    with np.errstate(invalid="ignore", over="ignore"):
        relative = values / reference
    return np.where(np.isfinite(relative), relative, np.nan)


@dataclass(frozen=True)
class Trace:
    """One sentence read by one model. T tokens, E embedding size, H hidden size, C outputs.

    tokens: list[str] [T]; is_unknown: list[bool] [T]
    inputs: float [T, E] x_t; hidden: float [T, H] h_t; cell: float [T, H] (LSTM) or None
    gates: name -> float [T, H]; probs: float [T, C]; labels: list[str] [C]
    target, loss_step: L = -log probs[loss_step, target]
    target_position: LM only, the position of the token whose prediction is the loss (the
    loss is read one step before it), or None when the target was given as an output
    next_probability: LM only, float [T-1]: at step t, the probability given to the token that
    really came next (its <unk> id when it is outside the vocabulary); None for a classifier
    grad_hidden: float [T] ||dL/dh_t||; grad_input: float [T] ||dL/dx_t||
    params: name -> array (U, W, b, ..., V, c); arch, head, model_name describe the model.
    """

    tokens: list[str]
    is_unknown: list[bool]
    inputs: np.ndarray
    hidden: np.ndarray
    cell: np.ndarray | None
    gates: dict[str, np.ndarray]
    probs: np.ndarray
    labels: list[str]
    target: int
    loss_step: int
    target_position: int | None
    next_probability: np.ndarray | None
    loss: float
    grad_hidden: np.ndarray
    grad_input: np.ndarray
    params: dict[str, np.ndarray]
    arch: str
    head: str
    model_name: str

    def prediction_at(self, step: int = -1) -> int:
        """The output index with the highest probability at `step` (default the last): the
        one definition of "the model's prediction"."""
        return top_index(self.probs[step])

    @property
    def prediction(self) -> int:
        """The output index with the highest probability at the last step."""
        return self.prediction_at(-1)

    def predicted(self, step: int = -1) -> tuple[str, float]:
        """The label predicted at `step` and its probability."""
        index = self.prediction_at(step)
        return self.labels[index], float(self.probs[step, index])

    @property
    def target_label(self) -> str:
        """The output the loss is of: a class, or the vocabulary entry of the target word."""
        return self.labels[self.target]

    @property
    def loss_token(self) -> str:
        """Which token the loss is about: for a language model the word whose prediction it is
        (as typed, even when the model reads it as <unk>); for a classifier the token read at
        the loss step."""
        if self.target_position is not None:
            return self.tokens[self.target_position]
        if self.head == "lm":
            return self.target_label
        return self.tokens[self.loss_step]

    @property
    def gradients_finite(self) -> bool:
        """Whether every dL/dh_t and dL/dx_t is a finite number (an untrained RNN with a large
        spectral radius can overflow them)."""
        return bool(np.all(np.isfinite(self.grad_hidden)) and np.all(np.isfinite(self.grad_input)))

    def relative_gradient(self) -> np.ndarray:
        """float [loss_step + 1]: ||dL/dh_t|| / ||dL/dh_loss_step|| for t = 0..loss_step, the
        share of the gradient at the loss step that reaches step t (relative_gradient above;
        NaN where it is not a finite number)."""
        return relative_gradient(self.grad_hidden, self.loss_step)


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


@dataclass(frozen=True)
class SignalCurve:
    """One architecture's learning signal against k. Arrays are [len(distances)].

    median, low, high: median, min and max of the ratio over every seed and prompt;
    slope: least-squares slope of log2(median) against the steps between first and last
    token; halving_steps = -1 / slope, the steps over which the signal halves."""

    arch: str
    distances: tuple[int, ...]
    steps: tuple[int, ...]
    median: np.ndarray
    low: np.ndarray
    high: np.ndarray
    slope: float
    halving_steps: float


@dataclass(frozen=True)
class InfluenceMap:
    """values: float64 [T, T], values[t, s] = ||d l_t / d x_s||, l_t the log-probability read at
    step t of `targets[t]`: a classifier's class predicted for the whole sentence (the running
    verdict after t), a language model's word that really came next. Zero above the diagonal
    (a later word cannot reach an earlier output); a language model's last row is NaN (nothing
    came after it). tokens: [T]; targets: [T] labels, "" where there is none."""

    tokens: list[str]
    values: np.ndarray
    targets: list[str]
    head: str
    model_name: str

    def strongest_source(self, step: int) -> int | None:
        """The earlier token s <= step that reaches step `step` most, or None for a row
        without a target (a language model's last step) or without a finite gradient."""
        row = self.values[step, : step + 1]
        if not np.any(np.isfinite(row)):
            return None
        return int(np.nanargmax(row))

    def first_share(self, step: int) -> float | None:
        """How strongly the first token reaches step `step`, as a share of the strongest source
        (values[step, 0] / values[step, s*]); None without a source or when it is 0."""
        source = self.strongest_source(step)
        if source is None or not self.values[step, source] > 0:
            return None
        return float(self.values[step, 0] / self.values[step, source])

    def finite_range(self) -> tuple[float, float] | None:
        """(smallest, largest) positive finite entry on or below the diagonal: the range a log
        colour scale covers; None when there is none."""
        lower = self.values[np.tril_indices(len(self.tokens))]
        positive = lower[np.isfinite(lower) & (lower > 0)]
        if positive.size == 0:
            return None
        return float(positive.min()), float(positive.max())


@dataclass(frozen=True)
class StepFactors:
    """How the signal is multiplied from one step to the next, for one trace.

    The state is h_t (RNN, GRU) or (h_t, c_t) (LSTM, size 2H); J_t = d state_t / d state_{t-1}.
    All arrays float64 [T]; entry 0 is NaN for `norms` (no step before the first token) and 1
    for the products.
    norms[t] = largest singular value of J_t (the most J_t can stretch a signal);
    product_of_norms[t] = norms[1] * ... * norms[t] (an upper bound of the next line);
    product_norm[t] = largest singular value of J_t ... J_1 = ||d state_t / d state_0||: how
    much a change of the first token's state can still move step t.
    LSTM only (else None): cell_norms[t] = max_j f_t,j, the norm of the cell path diag(f_t);
    cell_product[t] = max_j prod_{k=1..t} f_k,j.
    """

    tokens: list[str]
    arch: str
    norms: np.ndarray
    product_of_norms: np.ndarray
    product_norm: np.ndarray
    cell_norms: np.ndarray | None
    cell_product: np.ndarray | None

    @property
    def median_factor(self) -> float:
        """The median of the per-step factors norms[1:] (NaN for a one-token sentence)."""
        rest = self.norms[1:]
        return float(np.nanmedian(rest)) if np.any(np.isfinite(rest)) else float("nan")
