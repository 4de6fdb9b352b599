"""What every figure shares: the palette, the font, token labels (escaped), token axes, the
step outline, and `_figure`, the one place a figure is assembled. Draws no chart of its own,
runs no model, knows no Streamlit.

Figures are assembled from plain dicts and built without Plotly's per-property validation,
which cost ~100 ms for a figure of a hundred shapes (measured in docs/PERFORMANCE.md); the
tests validate every builder's output instead. Every token that reaches a figure is escaped,
because Plotly reads a subset of HTML in labels and a token like <b> must show as typed."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

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


def _positive(values: np.ndarray) -> list[float | None]:
    """Log axes cannot show 0 (after the loss step) or non-finite values: leave gaps."""
    return [float(v) if np.isfinite(v) and v > 0 else None for v in values]


def _arch_style(arch: str | None) -> dict[str, Any]:
    """An architecture's line and marker: its colour, dashed and open-marked for the GRU."""
    color = ARCH_COLORS.get(arch, SERIES[0])
    return {
        "line": {"color": color, "width": 3, "dash": ARCH_DASH.get(arch, "solid")},
        "marker": {"color": color, "size": 8, "symbol": ARCH_MARKERS.get(arch, "circle")},
    }


def _translucent(color: str, alpha: float) -> str:
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"
