"""The look on a projector and in the dark: `presentable` (larger type, title and legend
apart) and `dark_figure` (the dark template and each builder's colours swapped for their dark
counterparts). They restyle a finished figure; they add no data."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from .base import GREY, GRID

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
