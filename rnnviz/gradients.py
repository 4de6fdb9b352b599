"""Per-timestep gradient magnitudes of one loss, from one backward pass that touches only
tensors made for the call (never a shared model's .grad), and the readings of how much of
the gradient at the loss step reaches an earlier step (its one definition,
relative_gradient, lives in rnnviz.results beside the Trace). It never trains or draws."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .results import Trace, relative_gradient


def timestep_gradient_norms(
    loss: torch.Tensor, inputs: torch.Tensor, hidden_offsets: torch.Tensor
) -> tuple[np.ndarray, np.ndarray]:
    """||dL/dh_t|| and ||dL/dx_t|| for every t.

    inputs: (T, E) leaf x_t; hidden_offsets: (T, H) zero leaf added to each h_t, so that its
    gradient is the total derivative dL/dh_t through every later step.
    Returns grad_hidden [T], grad_input [T] (float64 numpy).
    """
    grad_inputs, grad_offsets = torch.autograd.grad(loss, [inputs, hidden_offsets])
    grad_hidden = torch.linalg.vector_norm(grad_offsets.double(), dim=-1)
    grad_input = torch.linalg.vector_norm(grad_inputs.double(), dim=-1)
    return grad_hidden.numpy(), grad_input.numpy()


def decay_ratio(grad_hidden: np.ndarray, loss_step: int, source: int = 0) -> float | None:
    """||dL/dh_source|| / ||dL/dh_loss_step||: how much of the gradient at the loss step is left
    after travelling back to `source` (above 1 when it grew). None when it is not a finite
    number (a zero or overflowing gradient)."""
    if not 0 <= source <= loss_step < len(grad_hidden):
        raise ValueError(f"Need 0 <= source <= loss_step < {len(grad_hidden)}.")
    value = relative_gradient(grad_hidden, loss_step)[source]
    return None if np.isnan(value) else float(value)


@dataclass(frozen=True)
class DecayReading:
    """What one line under a gradient chart says: the ratio decay_ratio(source) and the two
    tokens it is between. loss_token is Trace.loss_token (a language model's predicted word, a
    classifier's token at the loss step); source_token is the token at `source`, where the
    gradient is measured."""

    ratio: float | None
    source: int
    loss_step: int
    source_token: str
    loss_token: str

    @property
    def grew(self) -> bool:
        """The gradient is larger at the source than at the loss step: nothing "is left"."""
        return self.ratio is not None and self.ratio > 1


def decay_reading(trace: Trace, source: int = 0) -> DecayReading:
    """The reading of `trace`'s gradient at token `source` (clamped to the loss step, since
    the gradient after it is 0)."""
    source = min(max(source, 0), trace.loss_step)
    return DecayReading(
        ratio=decay_ratio(trace.grad_hidden, trace.loss_step, source),
        source=source,
        loss_step=trace.loss_step,
        source_token=trace.tokens[source],
        loss_token=trace.loss_token,
    )
