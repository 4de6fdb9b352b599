"""What every session shares: the loaded models and the traces, cached once per server
process. Models are read-only (eval, no .grad); traces are frozen with read-only arrays, so
they are shared as they are, without copying."""

from __future__ import annotations

import gc
from typing import NamedTuple

import streamlit as st
import torch

import rnnviz
from rnnviz import figures
from rnnviz.models import RecurrentModel, with_spectral_radius

# One thread per trace: a class of sessions runs traces side by side, and small matrices gain
# nothing from more threads (set once, when the server first imports this module).
torch.set_num_threads(1)


class ModelKey(NamedTuple):
    """Which model: a shipped name, or its shape with random weights from `seed` (untrained),
    optionally with W rescaled to spectral radius `radius`."""

    name: str
    untrained: bool = False
    seed: int = 0
    radius: float | None = None


@st.cache_resource(show_spinner=False)
def model_names() -> list[str]:
    return rnnviz.list_models()


@st.cache_resource(show_spinner=False, max_entries=64)
def get_model(key: ModelKey) -> RecurrentModel:
    if not key.untrained:
        return rnnviz.load_model(key.name)
    model = rnnviz.untrained_like(key.name, key.seed)
    if key.radius is not None:
        model = with_spectral_radius(model, key.radius)
    return model


@st.cache_resource(show_spinner=False, max_entries=1024)
def get_trace(
    key: ModelKey,
    tokens: tuple[str, ...],
    target: int | str | None = None,
    loss_step: int | None = None,
    target_position: int | None = None,
) -> rnnviz.Trace:
    return rnnviz.trace(
        get_model(key),
        list(tokens),
        target=target,
        loss_step=loss_step,
        target_position=target_position,
    )


@st.cache_resource(show_spinner=False)
def warm_up() -> bool:
    """Load every shipped model, jieba's dictionary and Plotly's validators (imported lazily,
    ~200 ms at the first figure) once, then freeze what exists: Streamlit collects garbage after
    every run, and walking torch's objects each time cost ~100 ms."""
    for name in model_names():
        get_model(ModelKey(name))
    tokens = tuple(rnnviz.tokenize("我要去打篮球"))
    if model_names():
        sample = get_trace(ModelKey(model_names()[0]), tokens)
        figures.unrolled_diagram(sample, 0).to_dict()
        figures.hidden_heatmap(sample, 0).to_dict()
    gc.collect()
    gc.freeze()
    return True


@st.cache_resource(show_spinner=False, max_entries=256)
def get_target_choices(key: ModelKey, tokens: tuple[str, ...]) -> list[rnnviz.TargetChoice]:
    return rnnviz.target_choices(get_model(key), tokens)


@st.cache_resource(show_spinner=False, max_entries=64)
def get_reorderings(key: ModelKey, tokens: tuple[str, ...], top: int) -> list[rnnviz.Reordering]:
    """The `top` single moves or swaps of `tokens` that change the model's output most."""
    return rnnviz.rank_reorderings(get_model(key), tokens)[:top]
