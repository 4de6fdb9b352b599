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

from .tracing import Trace

DIVERGING = "RdBu_r"
ARCH_COLORS = {"rnn": "#d1495b", "lstm": "#1f6feb", "gru": "#2a9d8f", "bow": "#8d6a9f"}
SERIES = ["#1f6feb", "#d1495b", "#2a9d8f", "#e9a03b", "#8d6a9f", "#6c757d"]
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
    index = {name: i for i, name in enumerate(trace.labels)}
    unknown = index.get("<unk>", 1)
    start, end = token_window(len(trace.tokens), step, window)
    positions = list(range(start, min(end, len(trace.tokens) - 1)))
    values = [float(trace.probs[t, index.get(trace.tokens[t + 1], unknown)]) for t in positions]
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
        "yaxis": {"type": "log", "exponentformat": "power", "gridcolor": GRID},
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
    distance loss_step - t, so that architectures of any scale compare."""
    data = []
    for name, trace in traces.items():
        reference = trace.grad_hidden[trace.loss_step]
        steps = np.arange(trace.loss_step + 1)
        relative = (
            trace.grad_hidden[: trace.loss_step + 1] / reference
            if reference > 0
            else np.zeros(trace.loss_step + 1)
        )
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


def _card_line(name: str, card: Mapping, x: list, y: list, hover: str) -> dict[str, Any]:
    """One model's accuracy line, in its architecture's colour."""
    return {
        "type": "scatter",
        "x": x,
        "y": y,
        "mode": "lines+markers",
        "name": name,
        "line": {"color": ARCH_COLORS.get(card.get("architecture"), SERIES[0]), "width": 3},
        "hovertemplate": f"{name} {hover}<extra></extra>",
    }


def memory_accuracy_chart(
    cards: Mapping[str, Mapping],
    title: str = "accuracy vs distance",
    x_title: str = "k",
    chance: float | None = None,
    chance_label: str = "chance",
) -> go.Figure:
    """Held-out accuracy against the filler distance k, read from the memory models' cards."""
    data = []
    for name, card in cards.items():
        by_distance = card["metrics"]["accuracy_by_distance"]
        distances = sorted(by_distance, key=int)
        data.append(
            _card_line(
                name,
                card,
                [int(k) for k in distances],
                [by_distance[k] for k in distances],
                "k=%{x}: %{y:.1%}",
            )
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
    """Validation accuracy at one filler distance k against the training step, from the
    validation_by_step records of the memory models' cards."""
    data = []
    for name, card in cards.items():
        curve = card["training"]["validation_by_step"]
        data.append(
            _card_line(
                name,
                card,
                [point["step"] for point in curve],
                [point[str(distance)] for point in curve],
                "%{x}: %{y:.0%}",
            )
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


# --- the race (issue 15) ---


# --- vanishing gradients at initialisation, memory path (issue 12) ---
