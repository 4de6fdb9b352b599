"""A trace's steps as charts: hidden states and gates as heat maps, the output probabilities
step by step, the per-step gradient and its decay, chosen units. Each builder takes a finished
Trace (or its arrays) and only draws; it never runs a model."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from .base import (
    ARCH_COLORS,
    GRID,
    LEGEND,
    MAX_TICK_LABELS,
    SERIES,
    WINDOW,
    _figure,
    _heatmap,
    _positive,
    _step_shapes,
    _token_axis,
    label,
    token_window,
)

if TYPE_CHECKING:
    from ..results import Trace


def hidden_heatmap(
    trace: Trace,
    step: int | None = None,
    title: str = "h_t",
    window: int = WINDOW,
    unit_title: str = "unit",
    max_labels: int = MAX_TICK_LABELS,
) -> go.Figure:
    """Hidden units x tokens, colours fixed to [-1, 1] so that pictures compare; unit_title
    names the row axis (in the page's language)."""
    start, end = token_window(len(trace.tokens), step, window)
    tokens = trace.tokens[start:end]
    units = trace.hidden.shape[1]
    data = [
        _heatmap(
            trace.hidden[start:end],
            tokens,
            start,
            (-1, 1),
            "h",
            colorbar={"thickness": 12, "len": 0.9},
        )
    ]
    layout = {
        "xaxis": _token_axis(tokens, start, max_labels),
        "yaxis": {"title": {"text": label(unit_title)}, "autorange": "reversed"},
        "shapes": _step_shapes(step, start, end),
    }
    return _figure(data, layout, title, height=min(560, 160 + 5 * units))


def gate_heatmaps(
    trace: Trace,
    step: int | None = None,
    titles: Mapping[str, str] | None = None,
    window: int = WINDOW,
    max_labels: int = MAX_TICK_LABELS,
) -> go.Figure:
    """LSTM/GRU: one heatmap per gate (range [0, 1]; candidate [-1, 1]) and the LSTM cell state
    (range fixed to [-2, 2], its values are not bounded by 1), stacked over one token axis."""
    if not trace.gates:
        raise ValueError(f"A {trace.arch} has no gates.")
    titles = titles or {}
    panels = list(trace.gates.items())
    if trace.cell is not None:
        panels.append(("cell", trace.cell))
    start, end = token_window(len(trace.tokens), step, window)
    tokens = trace.tokens[start:end]
    count, gap = len(panels), 0.05
    height = (1 - gap * (count - 1)) / count
    data, layout, annotations = [], {}, []
    for index, (name, values) in enumerate(panels):
        top = 1 - index * (height + gap)
        axis = "" if index == 0 else str(index + 1)
        zrange = (-1, 1) if name == "candidate" else (-2, 2) if name == "cell" else (0, 1)
        show_scale = index in (0, count - 1)
        data.append(
            _heatmap(
                values[start:end],
                tokens,
                start,
                zrange,
                name,
                xaxis="x",
                yaxis=f"y{axis}",
                showscale=show_scale,
                colorbar={"thickness": 12, "y": top - height / 2, "len": height},
            )
        )
        bottom = max(0.0, round(top - height, 6))
        layout[f"yaxis{axis}"] = {
            "domain": [bottom, round(top, 6)],
            "autorange": "reversed",
            "showticklabels": False,
        }
        annotations.append(
            {
                "text": label(titles.get(name, name)),
                "x": 0.5,
                "y": top,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 13},
            }
        )
    anchor = f"y{count if count > 1 else ''}"
    layout["xaxis"] = _token_axis(tokens, start, max_labels, anchor=anchor)
    layout["annotations"] = annotations
    layout["shapes"] = _step_shapes(step, start, end)
    return _figure(data, layout, titles.get("title", "gates"), height=130 * count + 80)


def class_probability_lines(
    trace: Trace,
    step: int | None = None,
    title: str = "p(class)",
    window: int = WINDOW,
    class_names: Sequence[str] | None = None,
    probability_title: str = "p",
    max_labels: int = MAX_TICK_LABELS,
) -> go.Figure:
    """Classifier: the probability of each class after every token; the last is the prediction.
    class_names: what to call trace.labels on screen (default the labels themselves)."""
    start, end = token_window(len(trace.tokens), step, window)
    data = [
        {
            "type": "scatter",
            "x": list(range(start, end)),
            "y": trace.probs[start:end, index],
            "mode": "lines+markers",
            "name": label(class_label),
            "line": {"color": SERIES[index % len(SERIES)], "width": 2.5},
            "hovertemplate": f"{label(class_label)}: %{{y:.3f}}<extra></extra>",
        }
        for index, class_label in enumerate(class_names or trace.labels)
    ]
    layout = {
        "xaxis": _token_axis(trace.tokens[start:end], start, max_labels),
        "yaxis": {"range": [0, 1], "title": {"text": label(probability_title)}, "gridcolor": GRID},
        "shapes": _step_shapes(step, start, end),
        "legend": LEGEND,
    }
    return _figure(data, layout, title, height=300)


def next_word_probability(
    trace: Trace,
    step: int | None = None,
    title: str = "p(next word)",
    window: int = WINDOW,
    probability_title: str = "p",
    max_labels: int = MAX_TICK_LABELS,
) -> go.Figure:
    """Language model: at step t, the probability it gave to the word that really came next."""
    if trace.head != "lm":
        raise ValueError("Only a language model predicts the next word.")
    start, end = token_window(len(trace.tokens), step, window)
    positions = list(range(start, min(end, len(trace.tokens) - 1)))
    values = [float(trace.next_probability[t]) for t in positions]
    hover = [f"{label(trace.tokens[t])} → {label(trace.tokens[t + 1])}" for t in positions]
    data = [
        {
            "type": "scatter",
            "x": positions,
            "y": values,
            "mode": "lines+markers",
            "line": {"color": SERIES[0], "width": 2.5},
            "customdata": hover,
            "hovertemplate": "%{customdata}: %{y:.4f}<extra></extra>",
        }
    ]
    layout = {
        "xaxis": _token_axis(trace.tokens[start:end], start, max_labels),
        "yaxis": {"type": "log", "title": {"text": label(probability_title)}, "gridcolor": GRID},
        "shapes": _step_shapes(step, start, end),
    }
    return _figure(data, layout, title, height=300)


def gradient_chart(
    trace: Trace,
    step: int | None = None,
    title: str = "gradient",
    names: Sequence[str] = ("‖∂L/∂h_t‖", "‖∂L/∂x_t‖"),
    window: int = WINDOW,
) -> go.Figure:
    """||dL/dh_t|| and ||dL/dx_t|| per token on a log axis; a dotted line at the loss step."""
    start, end = token_window(len(trace.tokens), step, window)
    data = [
        {
            "type": "scatter",
            "x": list(range(start, end)),
            "y": _positive(values[start:end]),
            "mode": "lines+markers",
            "name": name,
            "line": {"color": color, "width": 2.5},
            "hovertemplate": f"{name}: %{{y:.3e}}<extra></extra>",
        }
        for values, name, color in (
            (trace.grad_hidden, names[0], SERIES[0]),
            (trace.grad_input, names[1], SERIES[3]),
        )
    ]
    loss_line = {
        "type": "line",
        "x0": trace.loss_step,
        "x1": trace.loss_step,
        "xref": "x",
        "yref": "paper",
        "y0": 0,
        "y1": 1,
        "line": {"color": "#111", "dash": "dot"},
    }
    layout = {
        "xaxis": _token_axis(trace.tokens[start:end], start),
        "yaxis": {
            "type": "log",
            "exponentformat": "power",
            "minorloglabels": "none",  # Plotly draws its 2 and 5 under 11 px
            "gridcolor": GRID,
        },
        "shapes": [loss_line, *_step_shapes(step, start, end)],
        "legend": LEGEND,
    }
    return _figure(data, layout, title, height=320)


def gradient_decay_comparison(
    traces: Mapping[str, Trace],
    title: str = "gradient vs distance",
    x_title: str = "distance",
    y_title: str = "relative",
) -> go.Figure:
    """Overlaid on a log axis, for each trace: ||dL/dh_t|| / ||dL/dh_loss_step|| against the
    distance loss_step - t, so that architectures of any scale compare. The values are the
    core's relative_gradient (the same definition the reading under the chart uses)."""
    data = []
    for name, trace in traces.items():
        steps = np.arange(trace.loss_step + 1)
        relative = trace.relative_gradient()
        data.append(
            {
                "type": "scatter",
                "x": trace.loss_step - steps,
                "y": _positive(relative),
                "mode": "lines+markers",
                "name": name,
                "line": {"color": ARCH_COLORS.get(trace.arch, SERIES[0]), "width": 2.5},
                "customdata": [label(trace.tokens[t]) for t in steps],
                "hovertemplate": f"{name} %{{customdata}}: %{{y:.2e}}<extra></extra>",
            }
        )
    layout = {
        "yaxis": {
            "type": "log",
            "exponentformat": "power",
            # Plotly's 2 and 5 between powers of ten come at 3/4 of the font (under 11 px)
            "minorloglabels": "none",
            "title": {"text": label(y_title)},
            "gridcolor": GRID,
        },
        "xaxis": {"title": {"text": label(x_title)}},
        "legend": LEGEND,
    }
    return _figure(data, layout, title, height=340)


def unit_heatmap(
    values: np.ndarray,
    tokens: Sequence[str],
    units: Sequence[int],
    zrange: tuple[float, float] = (-1, 1),
    title: str = "h_t",
    name: str = "h",
    tick_labels: Mapping[int, str] | None = None,
) -> go.Figure:
    """values float [T, U] for the chosen `units` (their ids label the rows) x tokens.
    tick_labels: position -> label, to name only some columns (a long sentence's every
    token would not fit unrotated); default every token."""
    data = [
        {
            **_heatmap(values, tokens, 0, zrange, name, colorbar={"thickness": 14, "len": 0.9}),
            "y": [f"#{unit}" for unit in units],
        }
    ]
    if tick_labels is None:
        tick_labels = dict(enumerate(tokens))
    positions = sorted(tick_labels)
    layout = {
        "xaxis": {
            "tickmode": "array",
            "tickvals": positions,
            "ticktext": [label(tick_labels[position]) for position in positions],
            "tickangle": 0,
        },
        "yaxis": {"type": "category", "autorange": "reversed", "dtick": 1},
    }
    return _figure(data, layout, title, height=460)
