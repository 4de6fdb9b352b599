"""Charts shared by every session (rnnviz/app/chart_cache.py): what is drawn is what
st.plotly_chart drew, a recipe is built once per server for what it depends on, the cache
never answers for a dead object and stays within its bytes."""

import gc
import json
import threading
import time

import numpy as np
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

import rnnviz
from rnnviz import figures
from rnnviz.app.chart_cache import (
    ChartCache,
    SharedChart,
    Uncacheable,
    _name,
    chart_bytes,
    recipe,
)
from rnnviz.app.resources import TraceCache, remembered
from rnnviz.checkpoint import WEIGHTS_DIR

TIMEOUT = 120


def _page(mode: str):
    """Draws the gradient chart of one sentence either through common.chart(recipe(...)) (the
    shared path) or as common.chart did before it (building the figure, st.plotly_chart)."""
    import html

    import streamlit as st

    import rnnviz
    from rnnviz import figures
    from rnnviz.app import common
    from rnnviz.app.a11y import accessible_chart
    from rnnviz.app.chart_cache import recipe
    from rnnviz.app.inputs import escape_markdown
    from rnnviz.checkpoint import WEIGHTS_DIR

    st.session_state["lang"] = "en"
    model = rnnviz.load_model("sentiment-lstm", WEIGHTS_DIR)
    trace = rnnviz.trace(model, rnnviz.tokenize("我要去打篮球"))
    names = ("h", "x")
    left, _ = st.columns(2)
    with left:
        if mode == "shared":
            common.chart(recipe(figures.gradient_chart, trace, 2, "Gradients <b>", names), key="g")
        else:
            figure = figures.gradient_chart(trace, 2, "Gradients <b>", names)
            title = figure.layout.title.text
            accessible_chart(figure, title, "en")
            st.markdown(f"**{escape_markdown(html.unescape(title))}**")
            figure.update_layout(title_text=None, margin_t=common.CHART_TOP_MARGIN)
            st.plotly_chart(figure, config=common.plot_config("en"), key="g", theme=None)


def test_a_shared_chart_is_the_element_st_plotly_chart_makes():
    drawn = {}
    for mode in ("shared", "plotly_chart"):
        at = AppTest.from_function(_page, args=(mode,), default_timeout=TIMEOUT).run()
        assert not at.exception
        (element,) = at.get("plotly_chart")
        (heading,) = at.markdown
        drawn[mode] = (element.proto, heading.value)
    (shared, shared_heading), (plain, plain_heading) = drawn["shared"], drawn["plotly_chart"]
    assert shared_heading == plain_heading
    assert shared.spec == plain.spec
    assert json.loads(shared.spec)["layout"]["meta"]["alt"]  # the text alternative is there
    assert shared.config == plain.config
    assert shared.id == plain.id
    assert shared.theme == plain.theme
    assert shared.form_id == plain.form_id


def _trace(sentence: str = "我要去打篮球", name: str = "sentiment-rnn") -> rnnviz.Trace:
    return rnnviz.trace(rnnviz.load_model(name, WEIGHTS_DIR), rnnviz.tokenize(sentence))


def _ready(figure: go.Figure) -> SharedChart:
    return SharedChart("", figure.to_json(), 300)


class Counting:
    """A figure builder that counts its calls."""

    def __init__(self):
        self.calls = 0
        self.__qualname__ = f"Counting{id(self)}"
        self.__module__ = __name__

    def __call__(self, trace, step, title):
        self.calls += 1
        return figures.hidden_heatmap(trace, step, title)


def _get(cache: ChartCache, figure, *extra) -> SharedChart:
    key, referents = figure.identity(*extra)
    return cache.get(key, referents, lambda: _ready(figure.build()))


def test_the_same_recipe_is_built_once_and_what_changes_it_builds_again():
    cache = ChartCache(2**26, 2**24)
    builder = Counting()
    trace = _trace()
    first = _get(cache, recipe(builder, trace, 0, "h"), "zh")
    assert _get(cache, recipe(builder, trace, 0, "h"), "zh") is first
    assert builder.calls == 1
    _get(cache, recipe(builder, trace, 1, "h"), "zh")  # another step
    _get(cache, recipe(builder, trace, 0, "h"), "en")  # another language
    _get(cache, recipe(builder, trace, 0, "hidden"), "zh")  # another title
    _get(cache, recipe(builder, _trace("我要去跑步"), 0, "h"), "zh")  # another sentence
    assert builder.calls == 5
    assert cache.builds == 5


def test_a_shallow_copy_with_other_class_names_is_another_chart():
    import dataclasses

    trace = _trace()
    english = dataclasses.replace(trace, labels=["negative", "positive"])
    again = dataclasses.replace(trace, labels=["negative", "positive"])
    assert _name(english, []) == _name(again, [])  # the same arrays, the same names
    assert _name(english, []) != _name(trace, [])


def test_a_key_naming_a_dead_object_is_not_served():
    cache = ChartCache(2**26, 2**24)
    builder = Counting()
    trace = _trace()
    _get(cache, recipe(builder, trace, 0, "h"))
    key = recipe(builder, trace, 0, "h").identity()[0]
    assert len(cache) == 1
    del trace
    gc.collect()
    assert len(cache) == 0 and cache.bytes == 0  # its chart left with it
    # the same key (as if a new trace reused the old one's id) finds the entry, but its
    # trace is gone: built again
    cache.get(key, (), lambda: _ready(go.Figure()))
    assert cache.builds == 2


def test_small_arrays_are_named_by_content_and_unnameable_arguments_are_refused():
    assert _name(np.arange(5.0), []) == _name(np.arange(5.0), [])
    assert _name(np.arange(5.0), []) != _name(np.arange(1.0, 6.0), [])
    assert _name({"a": [1, 2]}, []) != _name({"a": [1, 3]}, [])
    with pytest.raises(Uncacheable):
        _name(object(), [])
    assert recipe(figures.hidden_heatmap, object()).identity() is None


def test_the_cache_keeps_within_its_bytes_and_leaves_out_a_chart_too_large():
    cache = ChartCache(max_bytes=10_000, max_chart_bytes=3_000)
    for index in range(20):
        cache.get(("c", index), (), lambda: SharedChart("", "x" * 1_000, 300))
        assert cache.bytes <= 10_000
    assert 0 < len(cache) < 20
    big = cache.get(("big",), (), lambda: SharedChart("", "x" * 5_000, 300))
    assert chart_bytes(big) > 3_000
    cache.get(("big",), (), lambda: SharedChart("", "x" * 5_000, 300))
    assert cache.builds == 22  # drawn, not kept: built again


def test_remembered_returns_the_cached_object_and_forgets_failures():
    calls = []

    def load(name):
        calls.append(name)
        if name == "broken":
            raise ValueError(name)
        return object()

    front = remembered(load, 4)
    assert front("a") is front("a")
    assert calls == ["a"]
    for _ in range(2):
        with pytest.raises(ValueError):
            front("broken")
    assert calls == ["a", "broken", "broken"]


def _at_once(get, build_result, waiting):
    """Five threads ask `get(build)` for one key; the first one's build blocks until the four
    others are waiting. Returns (builds, results)."""
    started, release = threading.Event(), threading.Event()
    builds, results = [], []

    def build():
        builds.append(1)
        started.set()
        release.wait(30)
        return build_result()

    def ask():
        results.append(get(build))

    first = threading.Thread(target=ask)
    first.start()
    assert started.wait(30)
    others = [threading.Thread(target=ask) for _ in range(4)]
    for thread in others:
        thread.start()
    deadline = time.monotonic() + 30
    while waiting() < 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    release.set()
    for thread in [first, *others]:
        thread.join(30)
    return builds, results


def test_sessions_asking_for_the_same_chart_at_once_build_it_once():
    cache = ChartCache(2**26, 2**24)
    builds, results = _at_once(
        lambda build: cache.get(("k",), (), build),
        lambda: SharedChart("", "{}", 300),
        lambda: cache._flights.waited,
    )
    assert len(builds) == 1 and len(results) == 5
    assert all(result is results[0] for result in results)


def test_sessions_asking_for_the_same_trace_at_once_compute_it_once():
    cache = TraceCache(2**26, 2**24)
    trace = _trace()
    builds, results = _at_once(
        lambda compute: cache.get(("k",), compute),
        lambda: trace,
        lambda: cache._flights.waited,
    )
    assert len(builds) == 1 and len(results) == 5
    assert all(result is trace for result in results)
