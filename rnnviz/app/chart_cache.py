"""Charts shared by every session: a chart's JSON, built once per server for what it depends
on, then sent as it is on every rerun of every session.

Why: a rerun of the explore view spent most of its time in Plotly, not in the model: building
each go.Figure (its template), the page's styling (accessible text, title, margins), then
st.plotly_chart's to_dict() (a deep copy) and to_json() (a walk converting arrays, then
json.dumps) — for figures that had not changed since the last rerun. Here a view names the
figure instead of building it: `recipe(builder, *arguments)`. The recipe's identity is its
builder and arguments (a trace by the identity of its shared, read-only arrays; other arrays
and dataclasses by their content), plus what the page adds (language, sizes, theme). The
chart's JSON is kept in a byte-bounded LRU shared by the server's sessions, and drawn with
the same element st.plotly_chart makes (tested to be byte for byte the same), without
decoding, copying or encoding it again.

Arguments that cannot be named cheaply (anything else) make the recipe uncacheable: the
figure is then built and drawn on every rerun, as before."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import threading
import weakref
from collections.abc import Callable, Hashable, Mapping
from typing import Any, NamedTuple

import cachetools
import numpy as np
import plotly.graph_objects as go
import plotly.io
import streamlit as st
from streamlit.elements.lib.form_utils import current_form_id
from streamlit.elements.lib.layout_utils import LayoutConfig
from streamlit.elements.lib.utils import compute_and_register_element_id
from streamlit.logger import get_logger
from streamlit.proto.PlotlyChart_pb2 import PlotlyChart as PlotlyChartProto

from rnnviz import Trace

from .flight import Flights
from .resources import megabytes

LOG = get_logger("rnnviz.charts")  # Streamlit's logging: --logger.level debug shows builds
PLOTLY_DEFAULT_HEIGHT = 450  # what st.plotly_chart gives a figure without layout.height
SMALL_ARRAY_BYTES = 1 << 20  # arrays up to this are named by their content, larger by identity


PLAIN = {str, int, float, bool, type(None)}


class Uncacheable(Exception):
    """An argument that a recipe cannot name: the figure is built every time."""


class SharedChart(NamedTuple):
    """A chart ready to send: the bold heading drawn above it ('' for none), its figure as
    Plotly JSON, and its height in px."""

    heading: str
    spec: str
    height: int


def chart_bytes(chart: SharedChart) -> int:
    return len(chart.spec) + len(chart.heading) + 100


class ChartCache:
    """Charts shared by every session, bounded by bytes (least recently used first out); a
    chart larger than `max_chart_bytes` is drawn but not kept. Thread-safe. An entry whose
    key names an object by identity (a trace's arrays) keeps a weak reference to it and counts
    only while that object lives: a key never answers for another object that reuses its id."""

    def __init__(self, max_bytes: int, max_chart_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.max_chart_bytes = min(max_chart_bytes, max_bytes)
        self._charts = cachetools.LRUCache(
            maxsize=max_bytes, getsizeof=lambda entry: chart_bytes(entry[1])
        )
        self._lock = threading.Lock()
        self._flights = Flights()
        self._dead: list[Hashable] = []  # keys whose object died (weakref callbacks add them)
        self.builds = 0  # charts built (a miss), for tests and benchmarks

    def _purge(self) -> None:
        """Drop the entries whose objects died (under the lock): a chart of a trace that is
        gone (a long sentence's trace is not kept) can never be asked for again."""
        while self._dead:
            key = self._dead.pop()
            entry = self._charts.get(key)
            if entry is not None and any(ref() is None for ref in entry[0]):
                del self._charts[key]

    def get(self, key: Hashable, referents: tuple, build: Callable[[], SharedChart]) -> SharedChart:
        # once per key: sessions asking for the same chart meanwhile wait for it (Flights)
        return self._flights.once(
            key, lambda: self._look(key), lambda: self._keep(key, referents, build())
        )

    def _keep(self, key: Hashable, referents: tuple, chart: SharedChart) -> SharedChart:
        LOG.debug("chart built: %s", key[1] if isinstance(key, tuple) and len(key) > 1 else key)
        with self._lock:
            self.builds += 1
            if chart_bytes(chart) <= self.max_chart_bytes:
                # the callback only notes the key (it may run in any thread, in the lock)
                forget = functools.partial(_note_dead, self._dead, key)
                refs = tuple(weakref.ref(item, forget) for item in referents)
                self._charts[key] = (refs, chart)
        return chart

    def _look(self, key: Hashable) -> SharedChart | None:
        with self._lock:
            self._purge()
            entry = self._charts.get(key)
            if entry is not None and all(ref() is not None for ref in entry[0]):
                return entry[1]
            return None

    @property
    def bytes(self) -> int:
        with self._lock:
            self._purge()
            return int(self._charts.currsize)

    def __len__(self) -> int:
        with self._lock:
            self._purge()
            return len(self._charts)


def _note_dead(dead: list, key: Hashable, _ref) -> None:
    dead.append(key)


@st.cache_resource(show_spinner=False)
def chart_cache() -> ChartCache:
    """The server's chart cache: $RNNVIZ_CHART_CACHE_MB (all charts, default 128) and
    $RNNVIZ_CHART_MAX_MB (one chart, default 8), read when the server starts."""
    return ChartCache(megabytes("RNNVIZ_CHART_CACHE_MB", 128), megabytes("RNNVIZ_CHART_MAX_MB", 8))


def _array_name(array: np.ndarray, referents: list) -> tuple:
    if array.nbytes <= SMALL_ARRAY_BYTES:
        digest = hashlib.blake2b(np.ascontiguousarray(array).view(np.uint8), digest_size=16)
        return ("array", array.dtype.str, array.shape, digest.hexdigest())
    if array.flags.writeable:
        raise Uncacheable("a large writable array")
    referents.append(array)
    return ("array@", id(array))


def _name(value: Any, referents: list) -> Hashable:
    """A hashable name for an argument; objects named by identity go into `referents`."""
    if value is None or isinstance(value, str | int | float | bool | bytes):
        return value
    if isinstance(value, Trace):
        # A trace is named by its hidden states (shared, read-only, one array per traced
        # sentence) and what a shallow copy may change (the page's class names).
        referents.append(value.hidden)
        return (
            "trace",
            id(value.hidden),
            tuple(value.labels),
            value.target,
            value.loss_step,
            value.target_position,
            value.model_name,
        )
    if isinstance(value, np.ndarray):
        return _array_name(value, referents)
    if isinstance(value, np.generic):
        return ("scalar", value.dtype.str, value.item())
    if isinstance(value, Mapping):
        return ("map", tuple((_name(k, referents), _name(v, referents)) for k, v in value.items()))
    if isinstance(value, range):
        return ("range", value.start, value.stop, value.step)
    if isinstance(value, list | tuple) and all(type(item) in PLAIN for item in value):
        return (type(value).__name__, tuple(value))  # a series of numbers: no walk per item
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        return (type(value).__name__, tuple(_name(item, referents) for item in items))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = tuple(
            (field.name, _name(getattr(value, field.name), referents))
            for field in dataclasses.fields(value)
        )
        return (type(value).__qualname__, fields)
    if callable(value) and hasattr(value, "__qualname__"):
        return ("callable", value.__module__, value.__qualname__)
    raise Uncacheable(type(value).__name__)


@dataclasses.dataclass(frozen=True)
class Recipe:
    """A figure named by its builder and arguments, built only when no session built it yet."""

    builder: Callable[..., go.Figure]
    args: tuple
    kwargs: dict

    def build(self) -> go.Figure:
        return self.builder(*self.args, **self.kwargs)

    def identity(self, *extra: Any) -> tuple[Hashable, tuple] | None:
        """(key, objects the key names by identity), or None if an argument is unnameable."""
        referents: list = []
        try:
            key = (
                self.builder.__module__,
                self.builder.__qualname__,
                _name(self.args, referents),
                _name(self.kwargs, referents),
                _name(extra, referents),
            )
        except Uncacheable as reason:
            LOG.debug("chart %s not cached: %s", self.builder.__qualname__, reason)
            return None
        return key, tuple(referents)


def recipe(builder: Callable[..., go.Figure], *args: Any, **kwargs: Any) -> Recipe:
    """The figure `builder(*args, **kwargs)`, to be built once per server (see common.chart)."""
    return Recipe(builder, args, kwargs)


def shared(
    figure: Recipe, extra: tuple, prepare: Callable[[go.Figure], SharedChart]
) -> SharedChart:
    """The chart of `figure` prepared by `prepare` (the page's styling), from the server's
    cache when the same recipe with the same `extra` (language, sizes, theme) was prepared
    before; prepared now otherwise."""
    identity = figure.identity(*extra)
    if identity is None:
        return prepare(figure.build())
    key, referents = identity
    return chart_cache().get(key, referents, lambda: prepare(figure.build()))


def spec_of(figure: go.Figure) -> str:
    """The figure's JSON exactly as st.plotly_chart writes it."""
    return plotly.io.to_json(figure.to_dict(), validate=False)


def height_of(figure: go.Figure) -> int:
    height = figure.layout.height
    return int(height) if height is not None else PLOTLY_DEFAULT_HEIGHT


def draw(chart: SharedChart, config: dict, key: str | None) -> None:
    """Draw a prepared chart: its heading, then the element st.plotly_chart(figure,
    config=config, key=key, theme=None) makes, from the JSON as it is (Streamlit 1.67's
    PlotlyChart proto; tests/test_chart_cache.py checks it against st.plotly_chart)."""
    if chart.heading:
        st.markdown(f"**{chart.heading}**")
    dg = st._main  # as st.plotly_chart: _enqueue writes into the current `with` container
    proto = PlotlyChartProto()
    proto.theme = ""
    proto.form_id = current_form_id(dg)
    proto.spec = chart.spec
    proto.config = json.dumps(config)
    proto.id = compute_and_register_element_id(
        "plotly_chart",
        user_key=key,
        key_as_main_identity=False,
        dg=dg,
        plotly_spec=proto.spec,
        plotly_config=proto.config,
        selection_mode=("points", "box", "lasso"),
        is_selection_activated=False,
        theme=None,
        width="stretch",
        height="content",
        alt=None,
    )
    dg._enqueue(
        "plotly_chart", proto, layout_config=LayoutConfig(width="stretch", height=chart.height)
    )
