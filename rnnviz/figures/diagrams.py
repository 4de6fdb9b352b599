"""The network as a drawing: the folded loop x -U-> h -V-> y with W back into h, and the
same network unrolled over a sentence with one step outlined. Boxes, arrows and labels only;
it computes nothing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from .base import _figure, label, token_window

if TYPE_CHECKING:
    from ..results import Trace


ROWS = {"x": 0.0, "h": 1.0, "y": 2.0}  # the unrolled diagram's rows, bottom to top
FILLS = {"x": "#fde9c8", "h": "#d7e6fb", "y": "#d9f0e8"}


class _Marks:
    """What a diagram is drawn from: shapes (boxes, arrow shafts), the arrowheads as one
    marker trace and the labels as one text trace."""

    def __init__(self) -> None:
        self.shapes: list[dict] = []
        self.texts: dict[str, list] = {"x": [], "y": [], "text": [], "color": [], "size": []}
        self.heads: dict[str, list] = {"x": [], "y": [], "symbol": [], "color": []}

    def arrow(self, x0, y0, x1, y1, color: str, symbol: str) -> None:
        self.shapes.append(
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
            self.heads[key].append(value)

    def note(self, x, y, text: str, color: str, size: int = 13) -> None:
        for key, value in (("x", x), ("y", y), ("text", text), ("color", color), ("size", size)):
            self.texts[key].append(value)

    def traces(self) -> list[dict]:
        return [
            {
                "type": "scatter",
                "mode": "markers",
                "x": self.heads["x"],
                "y": self.heads["y"],
                "marker": {"symbol": self.heads["symbol"], "color": self.heads["color"], "size": 8},
                "hoverinfo": "skip",
                "showlegend": False,
            },
            {
                "type": "scatter",
                "mode": "text",
                "x": self.texts["x"],
                "y": self.texts["y"],
                "text": self.texts["text"],
                "textfont": {"color": self.texts["color"], "size": self.texts["size"]},
                "hoverinfo": "skip",
                "showlegend": False,
            },
        ]


def _unrolled_step(marks: _Marks, trace: Trace, t: int, step: int, end: int) -> None:
    """Column t of the unrolled diagram: the x, h, y boxes, U and V up, W on to t + 1 (not for
    a bag of words), the token under it; in ink up to `step`, greyed after it."""
    color = "#111" if t <= step else "#bbb"
    for kind, y in ROWS.items():
        marks.shapes.append(
            {
                "type": "rect",
                "x0": t - 0.32,
                "x1": t + 0.32,
                "y0": y - 0.22,
                "y1": y + 0.22,
                "fillcolor": FILLS[kind] if t <= step else "#f3f3f3",
                "line": {"color": color, "width": 3 if t == step else 1.2},
                "layer": "below",
            }
        )
        marks.note(t, y, f"{kind}<sub>{t + 1}</sub>", color)
    for y0, y1, name in ((0.22, 0.76, "U"), (1.22, 1.76, "V")):
        marks.arrow(t, y0, t, y1, color, "triangle-up")
        marks.note(t + 0.12, (y0 + y1) / 2, f"<i>{name}</i>", color, 12)
    if trace.arch != "bow" and t + 1 < end:
        next_color = "#111" if t + 1 <= step else "#bbb"
        marks.arrow(t + 0.32, 1.0, t + 0.66, 1.0, next_color, "triangle-right")
        marks.note(t + 0.5, 1.13, "<i>W</i>", next_color, 12)
    marks.note(t, -0.45, label(trace.tokens[t]), "#d1495b" if trace.is_unknown[t] else color, 14)


def unrolled_diagram(
    trace: Trace, step: int, window: int = 14, title: str = "unrolled"
) -> go.Figure:
    """x_1..x_T -> h_1..h_T -> y_1..y_T with the same U, W, V on every step; step t outlined,
    steps after it greyed. Long sentences show `window` steps around t.

    Boxes and arrow shafts are shapes; every label is one text trace and the arrowheads one
    marker trace: Plotly.js lays out a hundred annotations far more slowly than two traces."""
    start, end = token_window(len(trace.tokens), step, window)
    marks = _Marks()
    for t in range(start, end):
        _unrolled_step(marks, trace, t, step, end)
    layout = {
        "xaxis": {"visible": False, "range": [start - 0.6, end - 0.4]},
        "yaxis": {"visible": False, "range": [-0.7, 2.35]},
        "shapes": marks.shapes,
    }
    return _figure(marks.traces(), layout, title, height=300)


def loop_diagram(names: Mapping[str, str], title: str = "RNN") -> go.Figure:
    """The folded RNN: x_t -U-> h_t -V-> y_t, with W looping from h back into itself.
    names: "x", "h", "y" -> what each box holds (drawn under the symbol)."""
    boxes = {kind: (ROWS[kind], FILLS[kind]) for kind in ROWS}
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
