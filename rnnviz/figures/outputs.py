"""The output layer and what reordering does to it: softmax in three panels, the
cross-entropy curve, probabilities of reordered sentences per model, similarities and
distances of hidden states. Builders take finished numbers (compare.py, steps.py compute them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from .base import ARCH_COLORS, DIVERGING, GRID, LEGEND, SERIES, _figure, label


def softmax_chart(
    labels: Sequence[str],
    logits: np.ndarray,
    exponentials: np.ndarray,
    probabilities: np.ndarray,
    titles: Sequence[str] = ("z = V h + c", "eᶻ", "p"),
    title: str = "softmax",
) -> go.Figure:
    """The output layer in three panels side by side over the same classes: the scores z, their
    exponentials, and the probabilities (exponentials divided by their sum). Every value is
    written just right of its bar's zero end or of its tip, whichever is further right, so a
    negative score's label sits inside its panel, never against the class names on the left.
    Each panel's title goes under its axis, one line per line of the title ("\n" breaks it),
    so the three titles stay apart on a phone."""
    names = [label(name) for name in labels]
    panels = (logits, exponentials, probabilities)
    width, gap = 0.28, 0.08
    data, layout = [], {}
    for index, (values, panel_title) in enumerate(zip(panels, titles, strict=True)):
        axis = "" if index == 0 else str(index + 1)
        numbers = [float(v) for v in values]
        left = index * (width + gap)
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": names,
                "x": numbers,
                "xaxis": f"x{axis}",
                "yaxis": f"y{axis}",
                "marker": {"color": SERIES[index if index < 2 else 0]},
                "showlegend": False,
                "hovertemplate": "%{y}: %{x:.4f}<extra></extra>",
            }
        )
        data.append(
            {
                "type": "scatter",
                "mode": "text",
                "y": names,
                "x": [max(number, 0.0) for number in numbers],
                "text": [f" {number:.2f}" for number in numbers],
                "textposition": "middle right",
                "xaxis": f"x{axis}",
                "yaxis": f"y{axis}",
                "cliponaxis": False,
                "showlegend": False,
                "hoverinfo": "skip",
            }
        )
        if index == 0:  # scores: bars both ways, room on the right for the widest label
            low, high = min(0.0, min(numbers)), max(0.0, max(numbers))
            span = high - low or 1.0
            value_range = [low - 0.05 * span, high + 0.55 * span]
        else:  # e^z over its largest and p are in [0, 1]: a fixed axis, labels beside
            value_range = [0, 1.45]
        layout[f"xaxis{axis}"] = {
            "domain": [round(left, 6), round(left + width, 6)],
            "anchor": f"y{axis}",
            "gridcolor": GRID,
            "zeroline": True,
            "range": value_range,
            "title": {"text": "<br>".join(label(line) for line in panel_title.split("\n"))},
        }
        layout[f"yaxis{axis}"] = {
            "anchor": f"x{axis}",
            "autorange": "reversed",
            "type": "category",
            "showticklabels": index == 0,
        }
    layout["margin"] = {"l": 70, "r": 20, "t": 50, "b": 40}
    return _figure(data, layout, title, height=420)


def cross_entropy_chart(
    probabilities: np.ndarray,
    labels: Sequence[str],
    target: int,
    title: str = "L = -log p",
    x_title: str = "p",
) -> go.Figure:
    """The curve L = -log p over p in (0, 1], with the model's probability for the right answer
    (target) marked on it, and the other outputs' probabilities as grey ticks for reference."""
    grid = np.linspace(0.01, 1.0, 200)
    value = float(probabilities[target])
    others = [i for i in range(len(labels)) if i != target]
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": grid,
            "y": -np.log(grid),
            "line": {"color": "#6c757d", "width": 3},
            "name": "−log p",
            "hoverinfo": "skip",
        },
        {
            "type": "scatter",
            "mode": "markers",
            "x": [float(probabilities[i]) for i in others],
            "y": [-float(np.log(max(probabilities[i], 1e-12))) for i in others],
            "marker": {"color": "#adb5bd", "size": 10},
            "customdata": [label(labels[i]) for i in others],
            "hovertemplate": "%{customdata}: p=%{x:.3f}<extra></extra>",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "mode": "markers+text",
            "x": [value],
            "y": [-float(np.log(value))],
            "marker": {"color": SERIES[1], "size": 18},
            "text": [f"{label(labels[target])}: p = {value:.2f}, L = {-np.log(value):.2f}"],
            "textposition": "top right" if value < 0.6 else "top left",
            "name": label(labels[target]),
            "hoverinfo": "skip",
            "showlegend": False,
        },
    ]
    layout = {
        "xaxis": {"range": [0, 1.02], "title": {"text": label(x_title)}, "gridcolor": GRID},
        "yaxis": {"range": [0, 4.8], "title": {"text": "L"}, "gridcolor": GRID},
        "showlegend": False,
    }
    return _figure(data, layout, title, height=420)


def reordering_bars(
    sentences: Sequence[str],
    series: Mapping[str, tuple[str, Sequence[float]]],
    title: str = "p",
    x_title: str = "p",
) -> go.Figure:
    """Grouped horizontal bars: for each sentence (a row), one bar per model.
    series: name -> (architecture, one probability per sentence)."""
    rows = [label(sentence) for sentence in sentences]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": rows,
            "x": list(values),
            "name": label(name),
            "marker": {"color": ARCH_COLORS.get(arch, SERIES[0])},
            "text": [f"{value:.3f}" for value in values],
            "textposition": "outside",
            "constraintext": "none",
            "cliponaxis": False,
            "hovertemplate": f"{label(name)} %{{y}}: %{{x:.6f}}<extra></extra>",
        }
        for name, (arch, values) in series.items()
    ]
    layout = {
        "barmode": "group",
        "xaxis": {"range": [0, 1.15], "title": {"text": label(x_title)}, "gridcolor": GRID},
        "yaxis": {"autorange": "reversed", "type": "category", "automargin": True},
        "legend": LEGEND,
    }
    return _figure(data, layout, title, height=420)


def similarity_matrix(
    names: Sequence[str], matrix: np.ndarray, title: str = "cos(h_T)"
) -> go.Figure:
    """Pairwise cosine similarity of final hidden states, colours fixed to [-1, 1]."""
    labels = [label(name) for name in names]
    data = [
        {
            "type": "heatmap",
            "z": matrix,
            "x": labels,
            "y": labels,
            "zmin": -1,
            "zmax": 1,
            "colorscale": DIVERGING,
            "text": [[f"{v:.3f}" for v in row] for row in matrix],
            "texttemplate": "%{text}",
            "hovertemplate": "%{y} · %{x}: %{z:.4f}<extra></extra>",
        }
    ]
    return _figure(data, {"yaxis": {"autorange": "reversed"}}, title, height=120 + 60 * len(names))


def aligned_distance_chart(
    names: Sequence[str],
    distances: Sequence[np.ndarray],
    tokens: Sequence[Sequence[str]],
    title: str = "‖Δh‖",
) -> go.Figure:
    """||h_i(A) - h_j(B)|| for the tokens of the first sentence that the other one also has."""
    data = [
        {
            "type": "bar",
            "x": [label(w) for w in words],
            "y": values,
            "name": label(name),
            "marker": {"color": SERIES[(index + 1) % len(SERIES)]},
            "hovertemplate": "%{x}: %{y:.3f}<extra></extra>",
        }
        for index, (name, values, words) in enumerate(zip(names, distances, tokens, strict=True))
    ]
    layout = {
        "barmode": "group",
        "legend": {"orientation": "h", "y": 1.15},
        "xaxis": {"type": "category"},
        "yaxis": {"gridcolor": GRID, "rangemode": "tozero"},
    }
    return _figure(data, layout, title, height=300)
