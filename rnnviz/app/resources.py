"""What every session shares: the loaded models and the traces, cached once per server
process. Models are read-only (eval, no .grad); traces are frozen with read-only arrays, so
they are shared as they are, without copying. Views take their models and traces from here (the
race's own models too, through trace_cache); nothing here draws."""

from __future__ import annotations

import dataclasses
import functools
import gc
import logging
import os
import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import NamedTuple

import cachetools
import streamlit as st
import torch
from streamlit.logger import get_logger

import rnnviz
from rnnviz import figures
from rnnviz.checkpoint import MANIFEST, WEIGHTS_DIR, CheckpointError, random_like
from rnnviz.compare import ranking_limit
from rnnviz.models import RecurrentModel, with_spectral_radius
from rnnviz.vanishing import (
    SeedMedians,
    SignalCurve,
    forget_start_curve,
    learning_signal,
    seed_medians,
)

from .flight import Flights
from .i18n import class_name
from .own_models import session_model, session_names
from .state import DEFAULT_MODEL

# One thread per trace: a class of sessions runs traces side by side, and small matrices gain
# nothing from more threads (set once, when the server first imports this module).
torch.set_num_threads(1)
LOG = logging.getLogger("rnnviz")
BUILDS = get_logger("rnnviz.traces")  # Streamlit's logging: --logger.level debug shows traces
PROJECT = WEIGHTS_DIR.parent.parent


class ModelKey(NamedTuple):
    """Which model: a shipped name, or its shape with random weights from `seed` (untrained),
    optionally with W rescaled to spectral radius `radius`."""

    name: str
    untrained: bool = False
    seed: int = 0
    radius: float | None = None


def weights_directory() -> Path:
    """Where the shipped weights are read from: $RNNVIZ_WEIGHTS, else rnnviz/weights."""
    return Path(os.environ.get("RNNVIZ_WEIGHTS") or WEIGHTS_DIR)


def remembered(function: Callable, maxsize: int) -> Callable:
    """A dict in front of an st.cache_resource function: Streamlit hashes every call's
    arguments with its own hasher (about 1 ms for a ModelKey and a Path, several times a
    rerun); this looks them up with Python's hash. The value is the cached object itself;
    exceptions are not remembered (the function is called again)."""
    memo = cachetools.LRUCache(maxsize=maxsize)
    lock = threading.Lock()

    @functools.wraps(function)
    def wrapper(*args):
        with lock:
            try:
                return memo[args]
            except KeyError:
                pass
        value = function(*args)
        with lock:
            memo[args] = value
        return value

    return wrapper


@st.cache_resource(show_spinner=False)
def _names_resource(directory: Path) -> tuple[str, ...]:
    return tuple(rnnviz.list_models(directory))


_names = remembered(_names_resource, 8)


def manifest_problem() -> str | None:
    """Why there is no list of models (missing or unreadable MANIFEST.json), or None."""
    directory = weights_directory()
    if not (directory / MANIFEST).exists():
        return f"{_shown(directory / MANIFEST)} is missing"
    try:
        _names(directory)
    except CheckpointError as error:
        LOG.error("%s", error)
        return _shown(str(error))
    return None


def model_names() -> list[str]:
    """The models listed in the manifest (loadable or not: see model_problem), then this
    session's own models (trained or uploaded in the page); [] without a readable manifest."""
    if manifest_problem() is not None:
        return []
    return [*_names(weights_directory()), *session_names()]


@st.cache_resource(show_spinner=False, max_entries=64)
def _model_resource(key: ModelKey, directory: Path) -> RecurrentModel:
    if not key.untrained:
        return rnnviz.load_model(key.name, directory)
    model = rnnviz.untrained_like(key.name, key.seed, directory)
    if key.radius is not None:
        model = with_spectral_radius(model, key.radius)
    return model


_model = remembered(_model_resource, 64)


def _resolved(key: ModelKey, directory: Path) -> RecurrentModel:
    """This session's own model of that name (or its shape with random weights), else the
    shipped one."""
    own = session_model(key.name)
    if own is None:
        return _model(key, directory)
    if not key.untrained:
        return own.model
    model = random_like(own.model, key.seed, f"{key.name} untrained (seed {key.seed})")
    return model if key.radius is None else with_spectral_radius(model, key.radius)


def get_model(key: ModelKey) -> RecurrentModel:
    """A model, loaded on first use. Raises CheckpointError for a missing or corrupted file
    (not cached: checking the file's digest again costs milliseconds, and a restored file then
    works without a restart)."""
    return _resolved(key, weights_directory())


def model_mode(name: str) -> str | None:
    """The tokenization the shipped model `name` was trained with; None if it cannot load."""
    if model_problem(name) is not None:
        return None
    return rnnviz.token_mode(get_model(ModelKey(name)))


def model_problem(name: str) -> str | None:
    """Why the shipped model `name` cannot be used (its file missing or corrupted: the message
    names the file, relative to the project), or None. The full error goes to the server log."""
    try:
        get_model(ModelKey(name))
    except CheckpointError as error:
        LOG.error("model %s disabled: %s", name, error)
        return _shown(str(error))
    return None


def _shown(message) -> str:
    """A message without the server's absolute paths (they tell a visitor nothing they need)."""
    return str(message).replace(f"{PROJECT}{os.sep}", "")


def trace_bytes(trace: rnnviz.Trace) -> int:
    """Bytes a cached trace holds: its per-step arrays (params are views of the shared model's
    weights and cost nothing more)."""
    arrays = [trace.inputs, trace.hidden, trace.cell, trace.probs, trace.grad_hidden]
    arrays += [trace.grad_input, *trace.gates.values()]
    return sum(array.nbytes for array in arrays if array is not None)


class TraceCache:
    """Traces shared by every session, bounded by bytes: least recently used traces go first
    once the arrays held pass `max_bytes`; a trace above `max_trace_bytes` (a long sentence
    through a language model: probs alone are T x 10,000 float32, 40 MB at T = 1,000) is used
    for its run but not kept. Thread-safe: sessions run in threads of one process."""

    def __init__(self, max_bytes: int, max_trace_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.max_trace_bytes = min(max_trace_bytes, max_bytes)
        self._traces = cachetools.LRUCache(maxsize=max_bytes, getsizeof=trace_bytes)
        self._lock = threading.Lock()
        self._flights = Flights()

    def _look(self, key: Hashable) -> rnnviz.Trace | None:
        with self._lock:
            return self._traces.get(key)

    def get(self, key: Hashable, compute: Callable[[], rnnviz.Trace]) -> rnnviz.Trace:
        # Computed outside the lock (one long trace never blocks every other session), once
        # per key: sessions asking for the same trace meanwhile wait for it (Flights).
        return self._flights.once(key, lambda: self._look(key), lambda: self._keep(key, compute()))

    def _keep(self, key: Hashable, trace: rnnviz.Trace) -> rnnviz.Trace:
        BUILDS.debug("trace computed: %s", key[0] if isinstance(key, tuple) and key else key)
        if trace_bytes(trace) <= self.max_trace_bytes:
            with self._lock:
                self._traces[key] = trace
        return trace

    @property
    def bytes(self) -> int:
        with self._lock:
            return int(self._traces.currsize)

    def __len__(self) -> int:
        with self._lock:
            return len(self._traces)


def megabytes(variable: str, default: int) -> int:
    """An integer number of megabytes from the environment (the default if unset or bad)."""
    try:
        value = int(os.environ.get(variable, default))
    except ValueError:
        LOG.error("%s is not a whole number of megabytes; using %d", variable, default)
        value = default
    return max(1, value) * 2**20


@st.cache_resource(show_spinner=False)
def trace_cache() -> TraceCache:
    """The server's trace cache; its sizes are read from $RNNVIZ_TRACE_CACHE_MB (all traces,
    default 512) and $RNNVIZ_TRACE_MAX_MB (one trace, default 32) when the server starts."""
    return TraceCache(megabytes("RNNVIZ_TRACE_CACHE_MB", 512), megabytes("RNNVIZ_TRACE_MAX_MB", 32))


def get_trace(
    key: ModelKey,
    tokens: tuple[str, ...],
    target: int | str | None = None,
    loss_step: int | None = None,
    target_position: int | None = None,
) -> rnnviz.Trace:
    """The shared trace of `tokens`; a classifier's class names in the page's language (a
    shallow copy: the arrays are the cached, read-only ones), so that every metric, table,
    legend and download of every view says negative/positive on an English page."""
    directory = weights_directory()
    trace = trace_cache().get(
        (key, tokens, target, loss_step, target_position, directory),
        lambda: rnnviz.trace(
            _resolved(key, directory),
            list(tokens),
            target=target,
            loss_step=loss_step,
            target_position=target_position,
        ),
    )
    language = st.session_state.get("lang", "zh")
    if trace.head == "lm" or language == "zh":
        return trace
    return dataclasses.replace(trace, labels=[class_name(name, language) for name in trace.labels])


@st.cache_resource(show_spinner=False)
def learning_signal_curves() -> dict[str, SignalCurve]:
    """The learning signal at initialisation per architecture, shared by the lesson and the
    RNN·LSTM·GRU view: it depends on no input, so it is measured once per server."""
    return learning_signal()


@st.cache_resource(show_spinner=False)
def forget_start_signal() -> SignalCurve:
    """The LSTM's learning signal at initialisation with its forget bias at 1, on the same
    prompts as learning_signal_curves(); measured once per server."""
    return forget_start_curve()


@st.cache_resource(show_spinner=False, max_entries=4)
def signal_seed_medians(distance: int) -> SeedMedians:
    """Seed by seed, the median learning signal of the RNN and of the LSTM from both starts."""
    return seed_medians(distance)


@st.cache_resource(show_spinner=False)
def warm_up() -> bool:
    """Load the landing page's model, jieba's dictionary and Plotly's validators (imported
    lazily, ~200 ms at the first figure) once, then freeze what exists: Streamlit collects
    garbage after every run, and walking torch's objects each time cost ~100 ms. Other models
    load when first used, each on its own: a broken file disables only its model. The learning
    signal at initialisation is measured here too."""
    tokens = tuple(rnnviz.tokenize("我要去打篮球"))
    if DEFAULT_MODEL in model_names() and model_problem(DEFAULT_MODEL) is None:
        sample = get_trace(ModelKey(DEFAULT_MODEL), tokens)
        figures.unrolled_diagram(sample, 0).to_dict()
        figures.hidden_heatmap(sample, 0).to_dict()
    # ~2 s on an idle machine: measured here, not while the first visitor of the lesson or the
    # RNN·LSTM·GRU view waits
    learning_signal_curves()
    gc.collect()
    gc.freeze()
    return True


@st.cache_resource(show_spinner=False, max_entries=256)
def get_target_choices(key: ModelKey, tokens: tuple[str, ...]) -> list[rnnviz.TargetChoice]:
    return rnnviz.target_choices(get_model(key), tokens)


def get_ranking_limit(key: ModelKey) -> int:
    """How many tokens a sentence may have for its reorderings to be ranked with this model."""
    return ranking_limit(get_model(key))


@st.cache_resource(show_spinner=False, max_entries=64)
def get_reorderings(key: ModelKey, tokens: tuple[str, ...], top: int) -> list[rnnviz.Reordering]:
    """The `top` single moves or swaps of `tokens` that change the model's output most."""
    return rnnviz.rank_reorderings(get_model(key), tokens)[:top]
