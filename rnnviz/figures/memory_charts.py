"""The long-memory task's results as charts: accuracy against the filler distance and
learning curves (mean and min–max over seeds, computed in rnnviz.memory), the race's live
accuracy panels, accuracy by training design. It draws numbers it is given; it reads no card
statistics and trains nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from .base import (
    ARCH_COLORS,
    DESIGN_BARS,
    GRID,
    LEGEND,
    SERIES,
    _arch_style,
    _figure,
    _translucent,
    label,
)

# A model's accuracy over its training seeds, as rnnviz.memory computes it (accuracy_bands,
# curve_bands): name -> (architecture, [(x, mean, min, max), ...]).
Band = tuple[str | None, Sequence[tuple[int, float, float, float]]]


def _band_line(name: str, arch: str | None, x: list, y: list, hover: str) -> dict[str, Any]:
    """One model's accuracy line, in its architecture's colour."""
    return {
        "type": "scatter",
        "x": x,
        "y": y,
        "mode": "lines+markers",
        "name": name,
        **_arch_style(arch),
        "hovertemplate": f"{name} {hover}<extra></extra>",
    }


def _band_lines(name: str, band: Band, hover: str) -> list[dict[str, Any]]:
    """A model's mean line over seeds and, behind it, the min–max band (one closed polygon)."""
    arch, points = band
    color = ARCH_COLORS.get(arch, SERIES[0])
    x = [point[0] for point in points]
    line = _band_line(name, arch, x, [point[1] for point in points], hover)
    line["customdata"] = [[point[2], point[3]] for point in points]
    line["legendgroup"] = name
    band = {
        "type": "scatter",
        "x": x + x[::-1],
        "y": [point[3] for point in points] + [point[2] for point in points][::-1],
        "fill": "toself",
        "fillcolor": _translucent(color, 0.16),
        "line": {"width": 0},
        "mode": "lines",
        "hoverinfo": "skip",
        "showlegend": False,
        "legendgroup": name,
        "name": name,
    }
    return [band, line]


def memory_accuracy_chart(
    bands: Mapping[str, Band],
    title: str = "accuracy vs distance",
    x_title: str = "k",
    chance: float | None = None,
    chance_label: str = "chance",
) -> go.Figure:
    """Held-out accuracy against the filler distance k (bands: memory.accuracy_bands of the
    memory models' cards): per model the mean over its training seeds (line) and their min–max
    (band). Traces come in pairs per model: band, then mean line."""
    data = []
    for name, band in bands.items():
        data += _band_lines(
            name,
            band,
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


def learning_curve_chart(
    bands: Mapping[str, Band],
    title: str = "learning curve",
    x_title: str = "training step",
    y_title: str = "accuracy",
) -> go.Figure:
    """Validation accuracy at one filler distance k against the training step (bands:
    memory.curve_bands of the memory models' cards at k): per model the mean over its seeds
    (line) and their min–max (band). Traces come in pairs per model: band, then mean line."""
    data = []
    for name, band in bands.items():
        data += _band_lines(
            name,
            band,
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


def _race_panel(
    index: int, distance: int, steps: int, left: float, width: float, labels: Mapping[str, Any]
) -> dict[str, Any]:
    """Panel `index` (distance k) of the race: its x and y axes, its title above it and, when
    labels["chance"] is set, the dashed chance line. Returns layout entries: the two axes,
    "annotation" and "shape" (None without a chance line)."""
    suffix = "" if index == 0 else str(index + 1)
    chance = labels["chance"]
    return {
        f"xaxis{suffix}": {
            "domain": [left, left + width],
            "range": [0, max(steps, 1)],
            "title": {"text": label(labels["x_title"]) if labels["middle"] else ""},
            "anchor": f"y{suffix}",
        },
        f"yaxis{suffix}": {
            "range": [0, 1.05],
            "tickformat": ".0%",
            "gridcolor": GRID,
            "anchor": f"x{suffix}",
            "showticklabels": index == 0,
        },
        "annotation": {
            "text": label(labels["panel_title"].format(k=distance)),
            "xref": "paper",
            "x": left + width / 2,
            "yref": "paper",
            "y": 1.0,
            "yanchor": "bottom",
            "showarrow": False,
        },
        "shape": None
        if chance is None
        else {
            "type": "line",
            "xref": f"x{suffix}",
            "x0": 0,
            "x1": max(steps, 1),
            "yref": f"y{suffix}",
            "y0": chance,
            "y1": chance,
            "line": {"color": "#888", "dash": "dash", "width": 1},
        },
    }


def _race_line(
    evaluations: Sequence[Mapping[str, Any]], arch: str, distance: int, index: int
) -> dict[str, Any]:
    """One architecture's accuracy at distance k against the step, in panel `index`."""
    suffix = "" if index == 0 else str(index + 1)
    points = [e for e in evaluations if e["arch"] == arch]
    return {
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
        "hovertemplate": f"{label(arch.upper())} k={distance}, %{{x}}: %{{y:.0%}}<extra></extra>",
    }


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
        labels = {
            "x_title": x_title,
            "panel_title": panel_title,
            "chance": chance,
            "middle": index == panels // 2,
        }
        panel = _race_panel(index, distance, steps, index * (width + gap), width, labels)
        layout["annotations"].append(panel.pop("annotation"))
        shape = panel.pop("shape")
        if shape is not None:
            layout["shapes"].append(shape)
        layout.update(panel)
        data += [_race_line(evaluations, arch, distance, index) for arch in archs]
    return _figure(data, layout, title, height=300)


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
