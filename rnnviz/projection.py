"""Hidden-state paths: the hidden states of several traces of one model projected together
onto their first two principal components (one fit for all of them). It never runs a model
and never draws."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .tracing import Trace


@dataclass(frozen=True)
class HiddenPaths:
    """paths: one float64 [T_i, 2] array per trace, h_t projected on the two components;
    tokens: the traces' tokens; mean: float64 [H]; components: float64 [2, H] (unit rows,
    orthogonal, each signed so that its largest loading is positive); explained: float64 [2],
    the share of the variance of all the states that each component keeps."""

    paths: list[np.ndarray]
    tokens: list[list[str]]
    mean: np.ndarray
    components: np.ndarray
    explained: np.ndarray

    def final_points(self) -> np.ndarray:
        """float64 [N, 2]: where each path ends (the state after the last word)."""
        return np.array([path[-1] for path in self.paths])


def hidden_paths(traces: Sequence[Trace]) -> HiddenPaths:
    """Project the hidden states of `traces` (one model, so one hidden space) onto the first
    two principal components of all their states together (SVD of the centred states).
    ValueError for no traces, traces of different models, or fewer than two states."""
    if not traces:
        raise ValueError("Give at least one trace.")
    names = {(trace.model_name, trace.hidden.shape[1]) for trace in traces}
    if len(names) > 1:
        raise ValueError(
            "The traces come from different models; their hidden states are different spaces."
        )
    states = np.concatenate([np.asarray(trace.hidden, dtype=np.float64) for trace in traces])
    if len(states) < 2:
        raise ValueError("A projection needs at least two hidden states (two tokens).")
    mean = states.mean(axis=0)
    centred = states - mean
    _, singular, right = np.linalg.svd(centred, full_matrices=False)
    components = right[:2]
    if len(components) < 2:  # H = 1: a second direction does not exist
        components = np.vstack([components, np.zeros_like(components)])
    signs = np.sign(components[np.arange(2), np.argmax(np.abs(components), axis=1)])
    components = components * np.where(signs == 0, 1.0, signs)[:, None]
    variance = singular**2
    total = variance.sum()
    explained = np.zeros(2)
    if total > 0:
        kept = variance[:2] / total
        explained[: len(kept)] = kept
    paths = []
    offset = 0
    for trace in traces:
        count = len(trace.tokens)
        path = centred[offset : offset + count] @ components.T
        path.flags.writeable = False
        paths.append(path)
        offset += count
    for array in (mean, components, explained):
        array.flags.writeable = False
    return HiddenPaths(
        paths=paths,
        tokens=[list(trace.tokens) for trace in traces],
        mean=mean,
        components=components,
        explained=explained,
    )
