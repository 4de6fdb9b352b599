"""The charts' accessibility (rnnviz.app.a11y): a second channel beside colour, colour scales
named in words on the colour bar and in the text alternative, one line naming each chart."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

import rnnviz
from rnnviz import figures
from rnnviz.app.a11y import accessible_chart, summary

SENTENCE = "虽然服务很差但是环境很好"


@pytest.fixture(scope="module")
def trace():
    return rnnviz.trace(rnnviz.load_model("sentiment-lstm"), SENTENCE)


def test_compared_lines_differ_by_dash_and_marker_not_only_colour(trace):
    figure = figures.class_probability_lines(trace, class_names=["negative", "positive"])
    assert len({line.line.dash for line in figure.data}) == 1  # the builder: colour alone
    accessible_chart(figure, "p(class)", "en")
    dashes = [line.line.dash for line in figure.data]
    symbols = [line.marker.symbol for line in figure.data]
    assert len(set(dashes)) == len(dashes) == 2
    assert len(set(symbols)) == 2
    assert all("markers" in line.mode for line in figure.data)


def test_lines_already_told_apart_keep_their_style():
    figure = go.Figure(
        [
            go.Scatter(x=[0, 1], y=[1, 2], name="RNN", mode="lines", line_dash="solid"),
            go.Scatter(x=[0, 1], y=[2, 1], name="GRU", mode="lines", line_dash="dash"),
        ]
    )
    accessible_chart(figure, "curves", "en")
    assert [line.line.dash for line in figure.data] == ["solid", "dash"]
    assert [line.mode for line in figure.data] == ["lines", "lines"]


def test_heatmap_scale_is_named_on_its_colour_bar_and_in_the_summary(trace):
    figure = figures.hidden_heatmap(trace, title="h")
    accessible_chart(figure, "Hidden state", "en")
    bar = figure.data[0].colorbar
    assert list(bar.tickvals) == [-1, 0, 1]
    assert list(bar.ticktext) == ["−1 blue", "0 white", "1 red"]
    alt = figure.layout.meta["alt"]
    assert alt.startswith("Hidden state. Heatmap. Colour: blue −1 · white 0 · red 1")


def test_gate_scales_read_low_to_high_in_chinese(trace):
    figure = figures.gate_heatmaps(trace)
    accessible_chart(figure, "门", "zh")
    gates = [panel for panel in figure.data if panel.zmin == 0]
    cell = figure.data[-1]
    assert list(cell.colorbar.ticktext) == ["−2 蓝", "0 白", "2 红"]
    assert gates and all(
        list(panel.colorbar.ticktext) == ["0 深紫", "0.5 绿", "1 黄"]
        for panel in gates
        if panel.showscale is not False
    )


def test_summary_reads_the_last_value_of_each_line(trace):
    figure = figures.class_probability_lines(trace, class_names=["negative", "positive"])
    line = summary(figure, "p(class)", "en")
    negative, positive = (f"{round(float(value), 3):g}" for value in trace.probs[-1])
    assert line == f"p(class). Lines, last values: negative {negative}; positive {positive}. y: p"


def test_every_kind_of_series_is_summarised_without_error():
    """Bars with numpy values, horizontal bars, words on an axis, gaps and NaN at the end."""
    figure = go.Figure(
        [
            go.Bar(x=np.array(["a", "b"]), y=np.array([0.2, 0.8]), name="p"),
            go.Bar(y=np.array(["c", "d", "e"]), x=np.array([1, 2, 3]), orientation="h"),
        ]
    )
    accessible_chart(figure, "bars", "en")
    assert figure.layout.meta["alt"] == "bars. 5 bars"
    lines = go.Figure(
        [
            go.Scatter(x=[0, 1, 2], y=np.array([0.5, 0.25, np.nan]), name="RNN"),
            go.Scatter(x=[0, 1, 2], y=["x", "y", "z"], name="words"),
        ]
    )
    assert summary(lines, "t", "en") == "t. Lines, last values: RNN 0.25; words"
