"""Who influences whom: the influence map M[t, s] = ||dl_t/dx_s|| of one sentence (its rows
from a few batched backward passes over tensors made for the call), and the mechanism behind its
fading, the per-step factor d state_t / d state_{t-1} with its running product. It never
trains, never writes into a model and never draws."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from .models import RecurrentModel
from .registry import GATE_NAMES, gate_blocks
from .results import InfluenceMap, StepFactors, Trace, frozen, top_index
from .tracing import sentence_tokens

# The factors take an SVD of every J_t and of every running product (S x S, S up to 512 for
# the shipped LSTM language model, ~80 ms each on one core): longer sentences are refused.
FACTOR_LIMIT = 60
# A batched backward pass holds rows x T x H numbers (10 MB for a block of 50 rows at T = 200,
# H = 256) and the map T x T: longer sentences are refused.
INFLUENCE_LIMIT = 200
# Rows are computed in blocks, one per BLOCK_STEPS tokens and at most MAX_BLOCKS: a block runs
# only the steps up to its last row, which saves (k - 1) / 2k of the backward work of one block
# of all rows, but costs a forward pass more per block (a loss below ~100 tokens; measured in
# benchmarks/bench_influence.py).
BLOCK_STEPS = 50
MAX_BLOCKS = 4


def row_targets(model: RecurrentModel, ids: Sequence[int], last_probs: np.ndarray) -> list[int]:
    """The output index each row's log-probability is of (-1 for none): a classifier's class
    predicted after the last token (the sentence's verdict) at every step; a language model's
    next id at every step but the last."""
    if model.config.head == "lm":
        return [*ids[1:], -1]
    return [top_index(last_probs)] * len(ids)


def influence_map(
    model: RecurrentModel, text: str | Sequence[str], mode: str | None = None
) -> InfluenceMap:
    """The [T, T] influence map of `text` read by `model` (see InfluenceMap).

    The rows in blocks (one per BLOCK_STEPS tokens, at most MAX_BLOCKS), each from one forward pass over the prefix its rows need
    and one batched backward pass (torch.autograd.grad with is_grads_batched: its rows'
    backward passes vectorised), no Python loop per entry. The model is only read; gradients
    go to tensors made here. ValueError for a sentence of more than INFLUENCE_LIMIT tokens.
    """
    tokens = sentence_tokens(model, text, mode)
    if len(tokens) > INFLUENCE_LIMIT:
        raise ValueError(
            f"The influence map is computed for sentences of up to {INFLUENCE_LIMIT} tokens; "
            f"this one has {len(tokens)}. Shorten it."
        )
    ids = model.vocab.encode(tokens)
    steps = len(ids)
    embedded = model.embedding.weight.detach()[torch.tensor(ids)]  # (T, E)
    with torch.no_grad():
        final_logits = model.run(embedded.unsqueeze(0))["logits"][0, -1]
    targets = row_targets(model, ids, torch.softmax(final_logits, dim=-1).numpy())
    values = np.full((steps, steps), np.nan)
    # Row t needs the sentence up to t only (causality): rows in blocks, each block read through
    # the prefix that ends at its last row, skips the backward through steps no row of it sees.
    blocks = min(MAX_BLOCKS, 1 + steps // BLOCK_STEPS)
    block = -(-steps // blocks)
    for first in range(0, steps, block):
        rows = [t for t in range(first, min(first + block, steps)) if targets[t] >= 0]
        if rows:
            prefix = rows[-1] + 1
            values[rows, :prefix] = _rows(model, embedded[:prefix], rows, targets)
            values[rows, prefix:] = 0.0  # a later word cannot reach an earlier output
    return InfluenceMap(
        tokens=list(tokens),
        values=frozen(values),
        targets=[model.labels[t] if t >= 0 else "" for t in targets],
        head=model.config.head,
        model_name=model.name,
    )


def _rows(
    model: RecurrentModel, embedded: torch.Tensor, rows: list[int], targets: list[int]
) -> np.ndarray:
    """||d l_t / d x_s|| for the rows t in `rows` of a prefix embedded [P, E] (P > max(rows)),
    from one batched backward pass -> float64 [len(rows), P]. Zero for s > t by causality, not
    by a mask."""
    with torch.enable_grad():
        inputs = embedded.clone().requires_grad_(True)  # a leaf made for this call
        result = model.run(inputs.unsqueeze(0))
        hidden = result["hidden"]  # (1, P, H): read by the output layer only
        log_probs = torch.log_softmax(result["logits"][0, rows], dim=-1)  # (R, C)
        chosen = log_probs[range(len(rows)), [targets[t] for t in rows]]  # (R,)
        # d l_t / d h_t through the output layer alone: `hidden` is the stack that only the
        # output layer reads, so this gradient does not travel through the recurrence.
        (local,) = torch.autograd.grad(chosen.sum(), hidden, retain_graph=True)
        seeds = torch.zeros(len(rows), *hidden.shape, dtype=hidden.dtype)  # (R, 1, P, H)
        seeds[range(len(rows)), 0, rows] = local[0, rows]
        (gradients,) = torch.autograd.grad(
            hidden, inputs, grad_outputs=seeds, is_grads_batched=True
        )  # (R, P, E)
    return torch.linalg.vector_norm(gradients.double(), dim=-1).numpy()


def influence(model: RecurrentModel, text: str | Sequence[str], mode: str | None = None):
    """float64 [T, T]: rows the predicting step t, columns the earlier token s, zero above the
    diagonal (NaN on a language model's last row). See influence_map()."""
    return influence_map(model, text, mode).values


def _sigmoid_slope(gate: torch.Tensor) -> torch.Tensor:
    return gate * (1 - gate)


def state_jacobians(trace: Trace) -> torch.Tensor:
    """J_t = d state_t / d state_{t-1} for t = 1..T-1, in closed form from the trace's numbers
    (float64 [T-1, S, S], S = H, or 2H for the LSTM's (h, c) with h first).

    RNN: diag(1 - h_t^2) W. LSTM: d c_t / d c_{t-1} = diag(f_t) (the cell path), plus the paths
    through the gates that read h_{t-1}. GRU: diag(z) + the paths through z, r and n.
    """
    if trace.arch not in ("rnn", "lstm", "gru"):
        raise ValueError(
            f"The per-step factor is defined for rnn, lstm and gru, not {trace.arch!r}: "
            "a network with no recurrence passes no state from step to step."
        )
    hidden = torch.tensor(trace.hidden, dtype=torch.float64)  # (T, H)
    weights = torch.tensor(trace.params["W"], dtype=torch.float64)
    size = hidden.shape[1]
    previous, current = hidden[:-1], hidden[1:]  # h_{t-1}, h_t for t = 1..T-1

    def gate(name: str) -> torch.Tensor:
        return torch.tensor(trace.gates[name], dtype=torch.float64)[1:]

    def scale(rows: torch.Tensor, matrix: torch.Tensor) -> torch.Tensor:
        """diag(rows) @ matrix, batched: rows (N, H), matrix (H, H) -> (N, H, H)."""
        return rows.unsqueeze(-1) * matrix

    if trace.arch == "rnn":
        return scale(1 - current**2, weights)
    if trace.arch == "lstm":
        w = gate_blocks("lstm", weights)
        w_input, w_forget, w_candidate, w_output = (w[name] for name in GATE_NAMES["lstm"])
        input_gate, forget, candidate, output = (
            gate(name) for name in ("input", "forget", "candidate", "output")
        )
        cell = torch.tensor(trace.cell, dtype=torch.float64)
        previous_cell, squashed = cell[:-1], torch.tanh(cell[1:])
        cell_by_hidden = (
            scale(previous_cell * _sigmoid_slope(forget), w_forget)
            + scale(candidate * _sigmoid_slope(input_gate), w_input)
            + scale(input_gate * (1 - candidate**2), w_candidate)
        )
        through_cell = output * (1 - squashed**2)  # d h_t / d c_t, elementwise
        hidden_by_hidden = scale(squashed * _sigmoid_slope(output), w_output) + (
            through_cell.unsqueeze(-1) * cell_by_hidden
        )
        hidden_by_cell = torch.diag_embed(through_cell * forget)
        top = torch.cat([hidden_by_hidden, hidden_by_cell], dim=-1)
        bottom = torch.cat([cell_by_hidden, torch.diag_embed(forget)], dim=-1)
        return torch.cat([top, bottom], dim=-2)
    w = gate_blocks("gru", weights)
    w_reset, w_update, w_candidate = (w[name] for name in GATE_NAMES["gru"])
    bias = gate_blocks("gru", torch.tensor(trace.params["b_hidden"], dtype=torch.float64))
    recurrent_candidate = previous @ w_candidate.T + bias["candidate"]  # W_n h_{t-1} + b_hn
    reset, update, candidate = (gate(name) for name in ("reset", "update", "candidate"))
    candidate_pre = scale(reset, w_candidate) + scale(
        recurrent_candidate * _sigmoid_slope(reset), w_reset
    )
    return (
        torch.diag_embed(update)
        + scale((previous - candidate) * _sigmoid_slope(update), w_update)
        + scale((1 - update) * (1 - candidate**2), torch.eye(size, dtype=torch.float64))
        @ candidate_pre
    )


def step_factors(trace: Trace) -> StepFactors:
    """The per-step factors of `trace` and their running products (see StepFactors).
    ValueError for a sentence longer than FACTOR_LIMIT tokens or a bag-of-words trace."""
    steps = len(trace.tokens)
    if steps > FACTOR_LIMIT:
        raise ValueError(
            f"The per-step factors are computed for sentences of up to {FACTOR_LIMIT} tokens; "
            f"this one has {steps}. Shorten it."
        )
    jacobians = state_jacobians(trace)  # (T-1, S, S)
    norms = np.full(steps, np.nan)
    product_norm = np.ones(steps)
    if steps > 1:
        norms[1:] = torch.linalg.matrix_norm(jacobians, ord=2).numpy()
        product = torch.eye(jacobians.shape[-1], dtype=torch.float64)
        products = []
        for jacobian in jacobians:
            product = jacobian @ product
            products.append(product)
        product_norm[1:] = torch.linalg.matrix_norm(torch.stack(products), ord=2).numpy()
    product_of_norms = np.concatenate([[1.0], np.cumprod(norms[1:])])
    cell_norms = cell_product = None
    if trace.arch == "lstm":
        forget = np.asarray(trace.gates["forget"], dtype=np.float64)
        cell_norms = np.concatenate([[np.nan], forget[1:].max(axis=1)])
        cell_product = np.concatenate([[1.0], np.cumprod(forget[1:], axis=0).max(axis=1)])
    return StepFactors(
        tokens=list(trace.tokens),
        arch=trace.arch,
        norms=frozen(norms),
        product_of_norms=frozen(product_of_norms),
        product_norm=frozen(product_norm),
        cell_norms=None if cell_norms is None else frozen(cell_norms),
        cell_product=None if cell_product is None else frozen(cell_product),
    )
