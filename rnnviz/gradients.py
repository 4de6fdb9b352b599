"""Per-timestep gradient magnitudes of one loss, from one backward pass that touches only
tensors made for the call (never a shared model's .grad)."""

from __future__ import annotations

import numpy as np
import torch


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
    after travelling back to `source`. None when it is not a finite number (a zero or
    overflowing gradient)."""
    if not 0 <= source <= loss_step < len(grad_hidden):
        raise ValueError(f"Need 0 <= source <= loss_step < {len(grad_hidden)}.")
    reference = float(grad_hidden[loss_step])
    value = float(grad_hidden[source])
    if not (np.isfinite(reference) and np.isfinite(value)) or reference == 0:
        return None
    return value / reference
