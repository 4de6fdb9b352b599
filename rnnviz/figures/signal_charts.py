"""The learning signal and the memory path as charts: the signal at initialisation against
the distance (rnnviz.vanishing's SignalCurve), an LSTM's forget gates and their running product
over the fillers, and how far h moves when only the profession changes (rnnviz.memory_path's
CellPath). It draws the finished results; it never runs a model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import plotly.graph_objects as go

from .base import (
    ARCH_COLORS,
    GRID,
    SERIES,
    _arch_style,
    _figure,
    _positive,
    _translucent,
    label,
)

if TYPE_CHECKING:
    from ..results import CellPath, SignalCurve


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
