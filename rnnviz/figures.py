"""Trace -> Plotly figure. Pure functions: they take data and return a go.Figure; nothing here
draws, caches or knows about Streamlit.

Figures are assembled from plain dicts and built without Plotly's per-property validation,
which cost ~100 ms for a figure of a hundred shapes (measured in docs/PERFORMANCE.md); the
tests validate every builder's output instead. Every token that reaches a figure is escaped,
because Plotly reads a subset of HTML in labels and a token like <b> must show as typed."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from . import memory
from .memory_path import CellPath
from .tracing import Trace
from .vanishing import SignalCurve

DIVERGING = "RdBu_r"
ARCH_COLORS = {
    "rnn": "#d1495b",
    "lstm": "#1f6feb",
    "gru": "#2a9d8f",
    "bow": "#8d6a9f",
    "position": "#e9a03b",
    # the LSTM whose forget gate's bias starts at 1 (the learning signal at initialisation)
    "lstm-forget-start": "#1f6feb",
}
# The GRU's lines often lie exactly on the LSTM's: dashed, with open markers, the LSTM's solid
# line and dots show through (the legend draws the same dash and marker).
ARCH_DASH = {"gru": "dash", "lstm-forget-start": "dot"}
ARCH_MARKERS = {"gru": "diamond-open", "lstm-forget-start": "square-open"}
SERIES = ["#1f6feb", "#d1495b", "#2a9d8f", "#e9a03b", "#8d6a9f", "#6c757d"]
# Bars with their percentage written inside: each fill with an ink it reads at 4.5:1 or more
# (WCAG AA), in the light and the dark theme alike (so neither is in DARK_COLORS).
DESIGN_BARS = (("#e9a03b", "#0a0a0a"), ("#5b4370", "#fefefe"))  # not swapped by dark_figure
GREY = "rgba(255,255,255,0.72)"
GRID = "#e5e5e5"
FONT = "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"
WINDOW = 120  # tokens drawn at once; longer sentences show a window around the step
# Above the plot on the left: the right of the top margin is where Plotly puts its toolbar.
LEGEND = {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "xanchor": "left"}
# Room for token labels on one axis, in labels of two Chinese characters (about 65 px at 13 px
# type: 10 fit a 390 px phone); more tokens are thinned (every k-th), never rotated. Views with
# charts in columns pass less.
MAX_TICK_LABELS = 10
LABEL_UNITS = 5  # half-width characters a two-character label takes, gap included


def label(token: str) -> str:
    """A token as Plotly text: HTML-escaped so it is shown literally, never interpreted."""
    return html.escape(token, quote=False)


def token_window(length: int, step: int | None, size: int = WINDOW) -> tuple[int, int]:
    """[start, end) of the tokens to draw: all of them, or `size` around the step."""
    if length <= size:
        return 0, length
    centre = length - 1 if step is None else step
    start = min(max(0, centre - size // 2), length - size)
    return start, start + size


def _figure(data: list[dict], layout: dict[str, Any], title: str, height: int) -> go.Figure:
    """The shared look; every axis grows its margin to fit its labels (a long y label such as
    "Sentence 1" was clipped by a fixed margin)."""
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")):
            axis.setdefault("automargin", True)
    base = {
        "title": {"text": label(title), "x": 0, "font": {"size": 15}},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 50, "b": 60},
        "font": {"family": FONT, "size": 13},
        "plot_bgcolor": "white",
        "hoverlabel": {"font": {"family": FONT}},
    }
    return go.Figure(data=data, layout={**base, **layout}, _validate=False)


def _label_width(tokens: Sequence[str]) -> int:
    """Width of the labels in half-width characters (a Chinese character counts two), one
    space between labels."""
    wide = sum(1 for token in tokens for character in token if ord(character) >= 0x2E80)
    return sum(len(token) for token in tokens) + wide + len(tokens)


def _token_axis(
    tokens: Sequence[str], start: int, max_labels: int = MAX_TICK_LABELS, **extra
) -> dict[str, Any]:
    """An axis labelled with the tokens at start, start+1, ...: all of them up to max_labels,
    else every k-th, horizontal (rotated labels of 20+ tokens ran into each other); the hover
    of every column still names its token."""
    every = 1
    while every < len(tokens) and _label_width(tokens[::every]) > LABEL_UNITS * max_labels:
        every += 1
    shown = range(0, len(tokens), every)
    return {
        "tickmode": "array",
        "tickvals": [start + index for index in shown],
        "ticktext": [label(tokens[index]) for index in shown],
        "tickangle": 0,
        **extra,
    }


def _step_shapes(step: int | None, start: int, end: int, yref: str = "paper") -> list[dict]:
    """Outline column `step` and grey out the steps the network has not read yet."""
    if step is None or not start <= step < end:
        return []
    vertical = {"xref": "x", "yref": yref, "y0": 0, "y1": 1}
    shapes = [
        {
            "type": "rect",
            "x0": step - 0.5,
            "x1": step + 0.5,
            "line": {"color": "#111", "width": 2.5},
            "fillcolor": "rgba(0,0,0,0)",
            **vertical,
        }
    ]
    if step + 1 < end:
        shapes.append(
            {
                "type": "rect",
                "x0": step + 0.5,
                "x1": end - 0.5,
                "fillcolor": GREY,
                "line": {"width": 0},
                "layer": "above",
                **vertical,
            }
        )
    return shapes


def _heatmap(
    values: np.ndarray, tokens: Sequence[str], start: int, zrange, name: str, **extra
) -> dict[str, Any]:
    """values (T, H) -> heatmap trace of units (rows) x tokens (columns)."""
    units = values.shape[1]
    return {
        "type": "heatmap",
        "z": values.T,
        "x": list(range(start, start + len(tokens))),
        "y": list(range(units)),
        "zmin": zrange[0],
        "zmax": zrange[1],
        "colorscale": DIVERGING if zrange[0] < 0 else "Viridis",
        "customdata": [[label(token) for token in tokens]] * units,
        "hovertemplate": f"{name}<br>unit %{{y}}<br>%{{customdata}} (t=%{{x}})<br>"
        "value %{z:.3f}<extra></extra>",
        "name": name,
        **extra,
    }


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


def probability_bars(
    trace: Trace,
    step: int,
    top_k: int = 10,
    title: str = "y_t",
    highlight: str | None = None,
    class_names: Sequence[str] | None = None,
    probability_title: str = "p",
) -> go.Figure:
    """Output distribution at one step: every class, or the top-k next words of an LM.
    class_names: what to call trace.labels on screen (default the labels themselves)."""
    probabilities = trace.probs[step]
    order = np.argsort(-probabilities, kind="stable")[: min(top_k, len(probabilities))]
    names = [(class_names or trace.labels)[i] for i in order]
    colors = [
        SERIES[1] if highlight is not None and name == highlight else SERIES[0] for name in names
    ]
    data = [
        {
            "type": "bar",
            "x": probabilities[order],
            "y": [label(n) for n in names],
            "orientation": "h",
            "marker": {"color": colors},
            "text": [f"{p:.1%}" for p in probabilities[order]],
            "textposition": "auto",
            "hovertemplate": "%{y}: %{x:.4f}<extra></extra>",
        }
    ]
    layout = {
        "yaxis": {"autorange": "reversed", "type": "category"},
        "xaxis": {"range": [0, 1], "title": {"text": label(probability_title)}, "gridcolor": GRID},
    }
    return _figure(data, layout, title, height=max(220, 60 + 26 * len(order)))


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


def _positive(values: np.ndarray) -> list[float | None]:
    """Log axes cannot show 0 (after the loss step) or non-finite values: leave gaps."""
    return [float(v) if np.isfinite(v) and v > 0 else None for v in values]


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


def unrolled_diagram(
    trace: Trace, step: int, window: int = 14, title: str = "unrolled"
) -> go.Figure:
    """x_1..x_T -> h_1..h_T -> y_1..y_T with the same U, W, V on every step; step t outlined,
    steps after it greyed. Long sentences show `window` steps around t.

    Boxes and arrow shafts are shapes; every label is one text trace and the arrowheads one
    marker trace: Plotly.js lays out a hundred annotations far more slowly than two traces."""
    start, end = token_window(len(trace.tokens), step, window)
    rows = {"x": 0.0, "h": 1.0, "y": 2.0}
    fills = {"x": "#fde9c8", "h": "#d7e6fb", "y": "#d9f0e8"}
    recurrent = trace.arch != "bow"
    shapes: list[dict] = []
    texts: dict[str, list] = {"x": [], "y": [], "text": [], "color": [], "size": []}
    heads: dict[str, list] = {"x": [], "y": [], "symbol": [], "color": []}

    def arrow(x0, y0, x1, y1, color, symbol):
        shapes.append(
            {
                "type": "line",
                "x0": x0,
                "y0": y0,
                "x1": x1,
                "y1": y1,
                "line": {"color": color, "width": 1.5},
            }
        )
        for key, value in (("x", x1), ("y", y1), ("symbol", symbol), ("color", color)):
            heads[key].append(value)

    def note(x, y, text, color, size=13):
        for key, value in (("x", x), ("y", y), ("text", text), ("color", color), ("size", size)):
            texts[key].append(value)

    for t in range(start, end):
        color = "#111" if t <= step else "#bbb"
        for kind, y in rows.items():
            shapes.append(
                {
                    "type": "rect",
                    "x0": t - 0.32,
                    "x1": t + 0.32,
                    "y0": y - 0.22,
                    "y1": y + 0.22,
                    "fillcolor": fills[kind] if t <= step else "#f3f3f3",
                    "line": {"color": color, "width": 3 if t == step else 1.2},
                    "layer": "below",
                }
            )
            note(t, y, f"{kind}<sub>{t + 1}</sub>", color)
        for y0, y1, name in ((0.22, 0.76, "U"), (1.22, 1.76, "V")):
            arrow(t, y0, t, y1, color, "triangle-up")
            note(t + 0.12, (y0 + y1) / 2, f"<i>{name}</i>", color, 12)
        if recurrent and t + 1 < end:
            next_color = "#111" if t + 1 <= step else "#bbb"
            arrow(t + 0.32, 1.0, t + 0.66, 1.0, next_color, "triangle-right")
            note(t + 0.5, 1.13, "<i>W</i>", next_color, 12)
        note(t, -0.45, label(trace.tokens[t]), "#d1495b" if trace.is_unknown[t] else color, 14)
    data = [
        {
            "type": "scatter",
            "mode": "markers",
            "x": heads["x"],
            "y": heads["y"],
            "marker": {"symbol": heads["symbol"], "color": heads["color"], "size": 8},
            "hoverinfo": "skip",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "mode": "text",
            "x": texts["x"],
            "y": texts["y"],
            "text": texts["text"],
            "textfont": {"color": texts["color"], "size": texts["size"]},
            "hoverinfo": "skip",
            "showlegend": False,
        },
    ]
    layout = {
        "xaxis": {"visible": False, "range": [start - 0.6, end - 0.4]},
        "yaxis": {"visible": False, "range": [-0.7, 2.35]},
        "shapes": shapes,
    }
    return _figure(data, layout, title, height=300)


def _arch_style(arch: str | None) -> dict[str, Any]:
    """An architecture's line and marker: its colour, dashed and open-marked for the GRU."""
    color = ARCH_COLORS.get(arch, SERIES[0])
    return {
        "line": {"color": color, "width": 3, "dash": ARCH_DASH.get(arch, "solid")},
        "marker": {"color": color, "size": 8, "symbol": ARCH_MARKERS.get(arch, "circle")},
    }


def _card_line(name: str, card: Mapping, x: list, y: list, hover: str) -> dict[str, Any]:
    """One model's accuracy line, in its architecture's colour."""
    return {
        "type": "scatter",
        "x": x,
        "y": y,
        "mode": "lines+markers",
        "name": name,
        **_arch_style(card.get("architecture")),
        "hovertemplate": f"{name} {hover}<extra></extra>",
    }


def _band_lines(
    name: str, card: Mapping, points: Sequence[tuple[int, float, float, float]], hover: str
) -> list[dict[str, Any]]:
    """A model's mean line over seeds and, behind it, the min–max band (one closed polygon).
    points: (x, mean, min, max)."""
    color = ARCH_COLORS.get(card.get("architecture"), SERIES[0])
    x = [point[0] for point in points]
    line = _card_line(name, card, x, [point[1] for point in points], hover)
    line["customdata"] = [[point[2], point[3]] for point in points]
    line["legendgroup"] = name
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    band = {
        "type": "scatter",
        "x": x + x[::-1],
        "y": [point[3] for point in points] + [point[2] for point in points][::-1],
        "fill": "toself",
        "fillcolor": f"rgba({red},{green},{blue},0.16)",
        "line": {"width": 0},
        "mode": "lines",
        "hoverinfo": "skip",
        "showlegend": False,
        "legendgroup": name,
        "name": name,
    }
    return [band, line]


def memory_accuracy_chart(
    cards: Mapping[str, Mapping],
    title: str = "accuracy vs distance",
    x_title: str = "k",
    chance: float | None = None,
    chance_label: str = "chance",
) -> go.Figure:
    """Held-out accuracy against the filler distance k, read from the memory models' cards:
    per model the mean over its training seeds (line) and their min–max (band). Traces come in
    pairs per model: band, then mean line."""
    data = []
    for name, card in cards.items():
        data += _band_lines(
            name,
            card,
            memory.accuracy_over_seeds(card),
            "k=%{x}: %{y:.1%} (%{customdata[0]:.0%}–%{customdata[1]:.0%})",
        )
    layout: dict[str, Any] = {
        "yaxis": {"range": [0, 1.05], "tickformat": ".0%", "gridcolor": GRID},
        "xaxis": {"title": {"text": label(x_title)}},
        "legend": LEGEND,
    }
    if chance is not None:
        layout["shapes"] = [
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": chance,
                "y1": chance,
                "line": {"color": "#888", "dash": "dash"},
            }
        ]
        layout["annotations"] = [
            {
                "text": f"{label(chance_label)} {chance:.0%}",
                "xref": "paper",
                "x": 1,
                "xanchor": "right",
                "yref": "y",
                "y": chance,
                "yanchor": "bottom",
                "showarrow": False,
            }
        ]
    return _figure(data, layout, title, height=340)


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


def learning_curve_chart(
    cards: Mapping[str, Mapping],
    distance: int,
    title: str = "learning curve",
    x_title: str = "training step",
    y_title: str = "accuracy",
) -> go.Figure:
    """Validation accuracy at one filler distance k against the training step, from the memory
    models' cards: per model the mean over its seeds (line) and their min–max (band). Traces
    come in pairs per model: band, then mean line."""
    data = []
    for name, card in cards.items():
        data += _band_lines(
            name,
            card,
            memory.curve_over_seeds(card, distance),
            "%{x}: %{y:.0%} (%{customdata[0]:.0%}–%{customdata[1]:.0%})",
        )
    layout = {
        "yaxis": {
            "range": [0, 1.05],
            "tickformat": ".0%",
            "gridcolor": GRID,
            "title": {"text": label(y_title)},
        },
        "xaxis": {"title": {"text": label(x_title)}},
        "legend": LEGEND,
    }
    return _figure(data, layout, title, height=320)


# --- state, language, layout (issue 10) ---


# --- examples, compare, softmax (issues 9, 11) ---


# --- stepping in the browser (issue 13) ---


# --- the lesson (issue 14) ---


# The dark theme, in one place: a Plotly template for what a figure leaves to its defaults
# (backgrounds, text, grid, axes, colour bars, legend) and, for the colours the builders set
# themselves, their counterpart on a dark page (ink becomes light, pale fills become deep).
DARK_PAPER, DARK_PLOT, DARK_INK = "#000000", "#141414", "#f2f2f2"
DARK_GRID = "#454545"
_DARK_AXIS = {
    "gridcolor": DARK_GRID,
    "linecolor": "#8a8a8a",
    "zerolinecolor": "#8a8a8a",
    "tickcolor": "#8a8a8a",
    "color": DARK_INK,
}
DARK_TEMPLATE = go.layout.Template(
    layout={
        "paper_bgcolor": DARK_PAPER,
        "plot_bgcolor": DARK_PLOT,
        "font": {"color": DARK_INK},
        "title": {"font": {"color": DARK_INK}},
        "xaxis": _DARK_AXIS,
        "yaxis": _DARK_AXIS,
        "legend": {"bgcolor": "rgba(0,0,0,0)", "font": {"color": DARK_INK}},
        "coloraxis": {"colorbar": {"tickfont": {"color": DARK_INK}}},
        "hoverlabel": {"bgcolor": "#222222", "font": {"color": DARK_INK}},
        "modebar": {"bgcolor": "rgba(0,0,0,0)", "color": "#bbbbbb", "activecolor": DARK_INK},
    }
)
DARK_COLORS = {
    "#111": DARK_INK,
    "#111111": DARK_INK,
    "black": DARK_INK,
    "white": DARK_PLOT,
    "#fff": DARK_PLOT,
    "#ffffff": DARK_PLOT,
    GRID: DARK_GRID,
    "#bbb": "#8a8a8a",
    "#888": "#a8a8a8",
    "#f3f3f3": "#262626",
    "#fde9c8": "#5c4215",  # the x box
    "#d7e6fb": "#1c3a66",  # the h box
    "#d9f0e8": "#1b4a36",  # the y box
    "#b07020": "#f0b45a",
    GREY: "rgba(0,0,0,0.72)",
}


def _swap_colors(value: Any) -> Any:
    """The same structure with every colour of DARK_COLORS replaced (keys ending in "color",
    and lists of colours such as a marker's per-bar colours)."""
    if isinstance(value, dict):
        return {
            key: (
                DARK_COLORS.get(item, item)
                if key.endswith("color") and isinstance(item, str)
                else _swap_colors(item)
            )
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [
            DARK_COLORS.get(item, item) if isinstance(item, str) else _swap_colors(item)
            for item in value
        ]
    return value


def dark_figure(figure: go.Figure) -> go.Figure:
    """A copy of `figure` in the dark theme: DARK_TEMPLATE under it, every colour the builder
    set swapped for its dark counterpart, colour-bar ticks and heat-map cell labels light."""
    data = [_swap_colors(trace.to_plotly_json()) for trace in figure.data]
    layout = _swap_colors(figure.layout.to_plotly_json())
    layout["template"] = DARK_TEMPLATE
    for name in ("paper_bgcolor", "plot_bgcolor"):
        layout.pop(name, None)  # the template's
    layout.setdefault("font", {})["color"] = DARK_INK
    layout.setdefault("title", {}).setdefault("font", {})["color"] = DARK_INK
    for trace in data:
        colorbar = trace.get("colorbar")
        if colorbar is not None or trace.get("type") == "heatmap":
            colorbar = trace.setdefault("colorbar", {})
            colorbar["tickfont"] = {**colorbar.get("tickfont", {}), "color": DARK_INK}
            title = colorbar.get("title")
            if isinstance(title, dict):
                title["font"] = {**title.get("font", {}), "color": DARK_INK}
    for annotation in layout.get("annotations", []):
        font = annotation.setdefault("font", {})
        font.setdefault("color", DARK_INK)
    return go.Figure(data=data, layout=layout, _validate=False)


def presentable(
    figure: go.Figure,
    font_size: int = 16,
    dark: bool = False,
    height: int | None = None,
    keep_title: bool = True,
) -> go.Figure:
    """A copy of `figure` readable from the back of a classroom: every text at least
    `font_size` px (titles a little larger), optionally in the dark theme (dark_figure). Without
    `keep_title` the title is left out (the page shows it as text, which wraps on a phone)."""
    data = [trace.to_plotly_json() for trace in figure.data]
    layout = figure.layout.to_plotly_json()
    layout["font"] = {**layout.get("font", {}), "size": font_size}
    title = layout.get("title", {})
    title["font"] = {**title.get("font", {}), "size": round(font_size * 1.2)}
    if not keep_title:
        title["text"] = ""
        layout.setdefault("margin", {})["t"] = 20
    layout["title"] = title
    if height is not None:
        layout["height"] = height
    for trace in data:
        text_font = trace.get("textfont")
        if text_font and "size" in text_font:
            sizes = text_font["size"]
            text_font["size"] = (
                [max(size, font_size) for size in sizes]
                if isinstance(sizes, list | tuple)
                else max(sizes, font_size)
            )
        colorbar = trace.get("colorbar")
        if colorbar is not None:
            colorbar["tickfont"] = {"size": font_size}
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            axis["automargin"] = True  # larger ticks push the axis titles out, not over them
    if "legend" in layout and layout.get("showlegend") is not False:
        # title on the first line, the legend under it, both above the plot: never overlapping
        if keep_title:
            title.update({"y": 0.985, "yref": "container", "yanchor": "top"})
        layout["legend"] = {
            **layout["legend"],
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 1.0,
            "yanchor": "bottom",
        }
        margin = layout.setdefault("margin", {})
        margin["t"] = round(font_size * (6.5 if keep_title else 3.5))
        margin["b"] = min(margin.get("b", 60), 60)  # a legend moved up leaves no room below
    for annotation in layout.get("annotations", []):
        font = annotation.setdefault("font", {})
        font["size"] = max(font.get("size", font_size), font_size)
    if dark:
        return dark_figure(go.Figure(data=data, layout=layout, _validate=False))
    return go.Figure(data=data, layout=layout, _validate=False)


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


def loop_diagram(names: Mapping[str, str], title: str = "RNN") -> go.Figure:
    """The folded RNN: x_t -U-> h_t -V-> y_t, with W looping from h back into itself.
    names: "x", "h", "y" -> what each box holds (drawn under the symbol)."""
    boxes = {"x": (0.0, "#fde9c8"), "h": (1.0, "#d7e6fb"), "y": (2.0, "#d9f0e8")}
    shapes: list[dict] = []
    texts: dict[str, list] = {"x": [], "y": [], "text": []}
    for kind, (y, fill) in boxes.items():
        shapes.append(
            {
                "type": "rect",
                "x0": -0.5,
                "x1": 0.5,
                "y0": y - 0.3,
                "y1": y + 0.3,
                "fillcolor": fill,
                "line": {"color": "#111", "width": 2},
                "layer": "below",
            }
        )
        texts["x"].append(0)
        texts["y"].append(y + 0.08)
        texts["text"].append(f"<b>{kind}<sub>t</sub></b>")
        texts["x"].append(0)
        texts["y"].append(y - 0.14)
        texts["text"].append(label(names.get(kind, kind)))
    for y0, y1, name in ((0.3, 0.7, "U"), (1.3, 1.7, "V")):
        shapes.append(
            {"type": "line", "x0": 0, "x1": 0, "y0": y0, "y1": y1, "line": {"color": "#111"}}
        )
        texts["x"].append(-0.12)
        texts["y"].append((y0 + y1) / 2)
        texts["text"].append(f"<i>{name}</i>")
    # W: out of the right side of h, round, and back in: h_{t-1} becomes part of the next step.
    shapes.append(
        {
            "type": "path",
            "path": "M 0.5,1.12 C 1.25,1.5 1.25,0.5 0.5,0.88",
            "line": {"color": "#d1495b", "width": 3},
        }
    )
    texts["x"].append(1.15)
    texts["y"].append(1.0)
    texts["text"].append("<i>W</i>")
    heads = {
        "x": [0, 0, 0.52],
        "y": [0.7, 1.7, 0.89],
        "symbol": ["triangle-up", "triangle-up", "triangle-left"],
        "color": ["#111", "#111", "#d1495b"],
    }
    data = [
        {
            "type": "scatter",
            "mode": "markers",
            "x": heads["x"],
            "y": heads["y"],
            "marker": {"symbol": heads["symbol"], "color": heads["color"], "size": 14},
            "hoverinfo": "skip",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "mode": "text",
            "x": texts["x"],
            "y": texts["y"],
            "text": texts["text"],
            "textfont": {"color": "#111", "size": 16},
            "hoverinfo": "skip",
            "showlegend": False,
        },
    ]
    layout = {
        "xaxis": {"visible": False, "range": [-1.6, 1.8]},
        "yaxis": {"visible": False, "range": [-0.4, 2.4], "scaleanchor": "x"},
        "shapes": shapes,
    }
    return _figure(data, layout, title, height=420)


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


# --- the race (issue 15) ---


def race_chart(
    evaluations: Sequence[Mapping[str, Any]],
    steps: int,
    distances: Sequence[int] = (0, 10, 30),
    title: str = "race",
    x_title: str = "training step",
    panel_title: str = "k = {k}",
    chance: float | None = None,
) -> go.Figure:
    """Accuracy against the training step, one panel per distance k and one line per
    architecture, from a race's evaluations (the --json objects: step, arch,
    accuracy_by_distance). The x axis spans the whole race so a running one fills it in."""
    panels = len(distances)
    gap = 0.05
    width = (1 - gap * (panels - 1)) / panels
    archs = list(dict.fromkeys(e["arch"] for e in evaluations))
    data: list[dict[str, Any]] = []
    layout: dict[str, Any] = {
        "legend": {"orientation": "h", "y": 1.3, "x": 0, "xanchor": "left"},
        "margin": {"l": 60, "r": 20, "t": 100, "b": 50},
        "annotations": [],
        "shapes": [],
    }
    for index, distance in enumerate(distances):
        suffix = "" if index == 0 else str(index + 1)
        start = index * (width + gap)
        layout[f"xaxis{suffix}"] = {
            "domain": [start, start + width],
            "range": [0, max(steps, 1)],
            "title": {"text": label(x_title) if index == panels // 2 else ""},
            "anchor": f"y{suffix}",
        }
        layout[f"yaxis{suffix}"] = {
            "range": [0, 1.05],
            "tickformat": ".0%",
            "gridcolor": GRID,
            "anchor": f"x{suffix}",
            "showticklabels": index == 0,
        }
        layout["annotations"].append(
            {
                "text": label(panel_title.format(k=distance)),
                "xref": "paper",
                "x": start + width / 2,
                "yref": "paper",
                "y": 1.0,
                "yanchor": "bottom",
                "showarrow": False,
            }
        )
        if chance is not None:
            layout["shapes"].append(
                {
                    "type": "line",
                    "xref": f"x{suffix}",
                    "x0": 0,
                    "x1": max(steps, 1),
                    "yref": f"y{suffix}",
                    "y0": chance,
                    "y1": chance,
                    "line": {"color": "#888", "dash": "dash", "width": 1},
                }
            )
        for arch in archs:
            points = [e for e in evaluations if e["arch"] == arch]
            data.append(
                {
                    "type": "scatter",
                    "x": [e["step"] for e in points],
                    "y": [e["accuracy_by_distance"][str(distance)] for e in points],
                    "mode": "lines+markers",
                    "marker": {"size": 4},
                    "name": label(arch.upper()),
                    "legendgroup": arch,
                    "showlegend": index == 0,
                    "line": {"color": ARCH_COLORS.get(arch, SERIES[0]), "width": 2.5},
                    "xaxis": f"x{suffix}",
                    "yaxis": f"y{suffix}",
                    "hovertemplate": f"{label(arch.upper())} k={distance}, "
                    "%{x}: %{y:.0%}<extra></extra>",
                }
            )
    return _figure(data, layout, title, height=300)


# --- vanishing gradients at initialisation, memory path (issue 12) ---


def _translucent(color: str, alpha: float) -> str:
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def learning_signal_chart(
    curves: Mapping[str, SignalCurve],
    names: Mapping[str, str],
    title: str = "learning signal at initialisation",
    x_title: str = "k",
    y_title: str = "‖∂L/∂x_1‖ / ‖∂L/∂x_T‖",
) -> go.Figure:
    """Per architecture, the median ratio against k (a line) inside its min–max band, log y.
    names: architecture -> legend text (e.g. with the fitted halving length)."""
    data: list[dict] = []
    for arch, curve in curves.items():
        color = ARCH_COLORS.get(arch, SERIES[0])
        distances = list(curve.distances)
        data.append(
            {
                "type": "scatter",
                "x": distances,
                "y": curve.high.tolist(),
                "mode": "lines",
                "line": {"width": 0, "color": color},
                "showlegend": False,
                "hoverinfo": "skip",
            }
        )
        data.append(
            {
                "type": "scatter",
                "x": distances,
                "y": curve.low.tolist(),
                "mode": "lines",
                "line": {"width": 0, "color": color},
                "fill": "tonexty",
                "fillcolor": _translucent(color, 0.18),
                "showlegend": False,
                "hoverinfo": "skip",
            }
        )
        data.append(
            {
                "type": "scatter",
                "x": distances,
                "y": curve.median.tolist(),
                "mode": "lines+markers",
                "name": label(names.get(arch, arch)),
                **_arch_style(arch),
                "customdata": list(zip(curve.low.tolist(), curve.high.tolist(), strict=True)),
                "hovertemplate": (
                    f"{label(arch.upper())} k=%{{x}}: %{{y:.1e}} "
                    "[%{customdata[0]:.1e}, %{customdata[1]:.1e}]<extra></extra>"
                ),
            }
        )
    layout = {
        "yaxis": {
            "type": "log",
            "exponentformat": "power",
            "dtick": 3,
            "title": {"text": label(y_title)},
            "gridcolor": GRID,
        },
        "xaxis": {"title": {"text": label(x_title)}, "gridcolor": GRID, "zeroline": False},
        "legend": {"orientation": "h", "y": -0.3, "yanchor": "top", "x": 0, "traceorder": "normal"},
        "margin": {"l": 60, "r": 20, "t": 50, "b": 110},
    }
    return _figure(data, layout, title, height=400)


PATH_RANGE = [-3, 1]  # log10: the two memory-path charts share this y range, 10⁻³ … 10


def forget_path_chart(
    path: CellPath,
    title: str = "forget gates f (dotted), ∏f (solid)",
    unit_name: str = "unit {unit}",
    median_name: str = "∏f, median unit",
    x_title: str = "steps after the profession",
    filler_name: str = "fillers",
) -> go.Figure:
    """The carrier units' forget gates f_t (dotted) and the running product of f from the step
    after the profession (solid), one legend entry per unit, with the median unit's running
    product dashed; log y. The x axis counts steps after the profession; fillers shaded."""
    after = np.arange(1, len(path.kept) + 1)
    forget_after = path.forget[path.profession_step + 1 :]
    tokens = [label(token) for token in path.tokens[path.profession_step + 1 :]]
    data: list[dict] = []
    for index, unit in enumerate(path.units.tolist()):
        color = SERIES[index % len(SERIES)]
        data.append(
            {
                "type": "scatter",
                "x": after.tolist(),
                "y": forget_after[:, index].tolist(),
                "mode": "lines",
                "name": label(unit_name.format(unit=unit)),
                "legendgroup": str(unit),
                "showlegend": False,
                "line": {"color": color, "width": 1.5, "dash": "dot"},
                "customdata": tokens,
                "hovertemplate": "%{customdata}: f = %{y:.3f}<extra></extra>",
            }
        )
        data.append(
            {
                "type": "scatter",
                "x": after.tolist(),
                "y": _positive(path.kept[:, index]),
                "mode": "lines",
                "name": label(unit_name.format(unit=unit)),
                "legendgroup": str(unit),
                "line": {"color": color, "width": 3},
                "customdata": tokens,
                "hovertemplate": "%{customdata}: ∏f = %{y:.2e}<extra></extra>",
            }
        )
    data.append(
        {
            "type": "scatter",
            "x": after.tolist(),
            "y": _positive(path.median_kept),
            "mode": "lines",
            "name": label(median_name),
            "line": {"color": "#6c757d", "width": 2.5, "dash": "dash"},
            "customdata": tokens,
            "hovertemplate": "%{customdata}: ∏f = %{y:.2e}<extra></extra>",
        }
    )
    return _path_figure(data, path, title, x_title, filler_name)


def profession_separation_chart(
    separations: Mapping[str, tuple[str, np.ndarray]],
    path: CellPath,
    title: str = "‖Δh_t‖",
    x_title: str = "steps after the profession",
    filler_name: str = "fillers",
) -> go.Figure:
    """Per model (name -> (architecture, values)): how far h moves when only the profession
    changes, 1 at the profession step, against the steps after it; the same log range and
    filler shading as forget_path_chart, so the two read side by side."""
    data = [
        {
            "type": "scatter",
            "x": list(range(len(values))),
            "y": _positive(values),
            "mode": "lines+markers",
            "name": label(name),
            "line": {"color": ARCH_COLORS.get(arch, SERIES[0]), "width": 2.5},
            "marker": {"size": 4},
            "hovertemplate": f"{label(name)} %{{x}}: %{{y:.2f}}<extra></extra>",
        }
        for name, (arch, values) in separations.items()
    ]
    return _path_figure(data, path, title, x_title, filler_name)


def _path_figure(
    data: list[dict], path: CellPath, title: str, x_title: str, filler_name: str
) -> go.Figure:
    first = path.fillers.start - path.profession_step
    last = path.fillers.stop - 1 - path.profession_step
    layout: dict[str, Any] = {
        "yaxis": {
            "type": "log",
            "exponentformat": "power",
            "range": PATH_RANGE,
            "dtick": 1,
            "gridcolor": GRID,
        },
        "xaxis": {
            "title": {"text": label(x_title)},
            "range": [-0.5, len(path.tokens) - path.profession_step - 0.5],
            "gridcolor": GRID,
            "zeroline": False,
        },
        "legend": {"orientation": "h", "y": -0.3, "yanchor": "top", "x": 0},
        "margin": {"l": 60, "r": 20, "t": 50, "b": 120},
    }
    if len(path.fillers):
        layout["shapes"] = [
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": first - 0.5,
                "x1": last + 0.5,
                "y0": 0,
                "y1": 1,
                "fillcolor": "rgba(233,160,59,0.12)",
                "line": {"width": 0},
                "layer": "below",
            }
        ]
        layout["annotations"] = [
            {
                "text": label(filler_name),
                "xref": "x",
                "x": (first + last) / 2,
                "yref": "paper",
                "y": 1,
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"color": "#b07020"},
            }
        ]
    return _figure(data, layout, title, height=400)


def seed_accuracy_bars(
    networks: Sequence[str],
    designs: Mapping[str, Mapping[str, tuple[float, float, float]]],
    chance: float,
    chance_name: str = "chance",
    title: str = "accuracy",
    y_title: str = "accuracy",
    names: Mapping[str, str] | None = None,
) -> go.Figure:
    """Grouped bars: per network (x), one bar per training design, its height the mean
    accuracy over seeds and its whisker the min–max; a dashed line at chance.
    designs: design name -> network -> (mean, min, max); names: network -> axis text."""
    names = names or {}
    columns = [label(names.get(network, network)) for network in networks]
    data = []
    for (fill, ink), (design, by_network) in zip(DESIGN_BARS, designs.items(), strict=False):
        means = [by_network[network][0] for network in networks]
        lows = [by_network[network][1] for network in networks]
        highs = [by_network[network][2] for network in networks]
        data.append(
            {
                "type": "bar",
                "x": columns,
                "y": means,
                "name": label(design),
                "marker": {"color": fill},
                "insidetextfont": {"color": ink},
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": [high - mean for high, mean in zip(highs, means, strict=True)],
                    "arrayminus": [mean - low for low, mean in zip(lows, means, strict=True)],
                    "color": "#444",
                },
                "text": [f"{mean:.0%}" for mean in means],
                "textposition": "inside",
                "customdata": list(zip(lows, highs, strict=True)),
                "hovertemplate": f"{label(design)} %{{x}}: %{{y:.0%}} "
                "(%{customdata[0]:.0%}–%{customdata[1]:.0%})<extra></extra>",
            }
        )
    layout = {
        "barmode": "group",
        "yaxis": {
            "range": [0, 1.05],
            "tickformat": ".0%",
            "title": {"text": label(y_title)},
            "gridcolor": GRID,
        },
        "xaxis": {"type": "category"},
        "legend": LEGEND,
    }
    # chance as a dashed line across the groups, named in the legend (a label on the line
    # would sit on a bar)
    data.append(
        {
            "type": "scatter",
            "x": [columns[0], columns[-1]],
            "y": [chance, chance],
            "mode": "lines",
            "name": label(f"{chance_name} {chance:.0%}"),
            "line": {"color": "#6c757d", "dash": "dash", "width": 2},
            "hoverinfo": "skip",
        }
    )
    return _figure(data, layout, title, height=420)
