"""Finished numbers of who-influences-whom -> Plotly figures: the influence map, the per-step
factors and their running products, ranked word importance, hidden-state paths. Pure
functions with the look of figures.base; nothing here runs a model or knows Streamlit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from .base import (
    ARCH_COLORS,
    ARCH_DASH,
    GRID,
    LEGEND,
    MAX_TICK_LABELS,
    SERIES,
    _figure,
    _positive,
    _step_shapes,
    _token_axis,
    label,
)

if TYPE_CHECKING:
    from ..results import InfluenceMap, StepFactors

POSITIVE, NEGATIVE = "#1f6feb", "#d1495b"


def _log_ticks(low: float, high: float) -> tuple[list[float], list[str]]:
    """Colour-bar ticks at the powers of ten between low and high (log10 values)."""
    powers = list(range(int(np.floor(low)), int(np.ceil(high)) + 1))
    if len(powers) > 6:  # a phone's colour bar has room for about six labels
        every = int(np.ceil(len(powers) / 6))
        powers = powers[::every]
    return [float(p) for p in powers], [f"10<sup>{p}</sup>" for p in powers]


def influence_heatmap(
    influence: InfluenceMap,
    step: int | None,
    title: str,
    step_title: str,
    source_title: str,
    max_labels: int = MAX_TICK_LABELS,
    height: int = 420,
    value_range: tuple[float, float] | None = None,
) -> go.Figure:
    """The map with the predicting step t across (columns, so the step-through's highlight
    moves along them) and the earlier token s down, colour log10 ||d l_t / d x_s|| over the
    map's own positive range (or `value_range`, shared by maps drawn side by side); blank above the diagonal (s after t) and on a row without a
    target."""
    tokens = influence.tokens
    steps = len(tokens)
    with np.errstate(divide="ignore", invalid="ignore"):
        logarithm = np.log10(influence.values.T)  # (s, t)
    shown = np.where(np.isfinite(logarithm), logarithm, np.nan)
    value_range = value_range or influence.finite_range()
    low, high = (np.log10(value_range[0]), np.log10(value_range[1])) if value_range else (0, 1)
    if high - low < 1e-9:
        low, high = low - 0.5, high + 0.5
    tickvals, ticktext = _log_ticks(low, high)
    token_labels = [label(token) for token in tokens]
    data = [
        {
            "type": "heatmap",
            "z": [[None if np.isnan(v) else float(v) for v in row] for row in shown],
            "x": list(range(steps)),
            "y": list(range(steps)),
            "zmin": low,
            "zmax": high,
            "colorscale": "Viridis",
            "colorbar": {
                "thickness": 12,
                "len": 0.9,
                "tickvals": tickvals,
                "ticktext": ticktext,
            },
            "customdata": [
                [
                    [token_labels[t], token_labels[s], float(influence.values[t, s])]
                    for t in range(steps)
                ]
                for s in range(steps)
            ],
            "hovertemplate": f"{label(step_title)}: %{{customdata[0]}} (t=%{{x}})<br>"
            f"{label(source_title)}: %{{customdata[1]}} (s=%{{y}})<br>"
            "‖∂ℓ_t/∂x_s‖ = %{customdata[2]:.3e}<extra></extra>",
            "hoverongaps": False,
        }
    ]
    layout = {
        "xaxis": _token_axis(tokens, 0, max_labels, title={"text": label(step_title)}),
        "yaxis": _token_axis(
            tokens,
            0,
            max_labels,
            title={"text": label(source_title)},
            autorange="reversed",
        ),
        "shapes": _step_shapes(step, 0, steps),
    }
    return _figure(data, layout, title, height=height)


def factor_chart(
    factors: StepFactors,
    step: int | None,
    title: str,
    names: Mapping[str, str],
    max_labels: int = MAX_TICK_LABELS,
) -> go.Figure:
    """Per-step factor norms and the running products on a log axis over the tokens, with a
    dotted line at 1 (above it a step stretches the signal, below it shrinks it).
    names: series -> legend name for "norms", "product_of_norms", "product_norm" and, for the
    LSTM, "cell_norms", "cell_product"."""
    steps = len(factors.tokens)
    series = [
        ("norms", factors.norms, SERIES[1], "dot"),
        ("product_of_norms", factors.product_of_norms, SERIES[3], "dash"),
        ("product_norm", factors.product_norm, SERIES[0], "solid"),
    ]
    if factors.cell_norms is not None:
        series += [
            ("cell_norms", factors.cell_norms, SERIES[2], "dot"),
            ("cell_product", factors.cell_product, SERIES[2], "solid"),
        ]
    data = [
        {
            "type": "scatter",
            "x": list(range(steps)),
            "y": _positive(values),
            "mode": "lines+markers",
            "name": label(names[key]),
            "line": {"color": color, "width": 2.5, "dash": dash},
            "hovertemplate": f"{label(names[key])}: %{{y:.3e}}<extra></extra>",
        }
        for key, values, color, dash in series
    ]
    one = {
        "type": "line",
        "xref": "paper",
        "x0": 0,
        "x1": 1,
        "yref": "y",
        "y0": 1,
        "y1": 1,
        "line": {"color": "#111", "dash": "dot", "width": 1},
    }
    layout = {
        "xaxis": _token_axis(factors.tokens, 0, max_labels),
        "yaxis": {
            "type": "log",
            "exponentformat": "power",
            "minorloglabels": "none",
            "gridcolor": GRID,
        },
        "shapes": [one, *_step_shapes(step, 0, steps)],
        "legend": LEGEND,
    }
    return _figure(data, layout, title, height=380)


def product_comparison(
    products: Mapping[str, tuple[str, Sequence[str], np.ndarray, bool]],
    title: str,
    x_title: str,
    y_title: str,
    max_labels: int = MAX_TICK_LABELS,
) -> go.Figure:
    """||d state_t / d state_0|| over the tokens of one sentence for several models.
    products: legend name -> (architecture, tokens, product_norm [T], initial); an initial
    (untrained) model's line is thin and dotted in its architecture's colour."""
    tokens = next(iter(products.values()))[1] if products else []
    data = []
    for name, (arch, words, values, initial) in products.items():
        data.append(
            {
                "type": "scatter",
                "x": list(range(len(values))),
                "y": _positive(np.asarray(values)),
                "mode": "lines" if initial else "lines+markers",
                "name": label(name),
                "line": {
                    "color": ARCH_COLORS.get(arch, SERIES[0]),
                    "width": 1.5 if initial else 2.5,
                    "dash": "dot" if initial else ARCH_DASH.get(arch, "solid"),
                },
                "customdata": [label(token) for token in words],
                "hovertemplate": f"{label(name)} %{{customdata}}: %{{y:.3e}}<extra></extra>",
            }
        )
    layout = {
        "xaxis": _token_axis(tokens, 0, max_labels, title={"text": label(x_title)}),
        "yaxis": {
            "type": "log",
            "exponentformat": "power",
            "minorloglabels": "none",
            "gridcolor": GRID,
            "title": {"text": label(y_title)},
        },
        "legend": LEGEND,
    }
    return _figure(data, layout, title, height=380)


def importance_bars(
    tokens: Sequence[str],
    scores: np.ndarray,
    order: Sequence[int],
    title: str,
    value_title: str,
    shown: int = 8,
) -> go.Figure:
    """The `shown` words with the largest |score|, largest on top, as horizontal bars (blue
    raises the explained probability, red lowers it); each row names the word and its position
    (a word can occur twice)."""
    picked = [index for index in order if np.isfinite(scores[index])][:shown]
    rows = [f"{label(tokens[index])} ({index + 1})" for index in picked]
    values = [float(scores[index]) for index in picked]
    largest = max((abs(value) for value in values), default=1.0) or 1.0
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": rows,
            "x": values,
            "marker": {"color": [POSITIVE if value >= 0 else NEGATIVE for value in values]},
            "text": [f"{value:+.3f}" for value in values],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{y}: %{x:+.4f}<extra></extra>",
        }
    ]
    layout = {
        "xaxis": {
            "range": [-1.45 * largest, 1.45 * largest],
            "title": {"text": label(value_title)},
            "gridcolor": GRID,
            "zeroline": True,
            "zerolinecolor": "#111",
        },
        "yaxis": {"autorange": "reversed", "type": "category"},
        "showlegend": False,
    }
    return _figure(data, layout, title, height=120 + 34 * max(1, len(rows)))


def hidden_paths_chart(
    paths: Sequence[np.ndarray],
    tokens: Sequence[Sequence[str]],
    names: Sequence[str],
    explained: np.ndarray,
    title: str,
    axis_titles: tuple[str, str],
    end_name: str,
) -> go.Figure:
    """One path per sentence through the plane of the two shared principal components, each
    point labelled with its token, the final point a large star; the axis titles carry the
    explained variance (axis_titles are formats with {share})."""
    data = []
    for index, (path, words, name) in enumerate(zip(paths, tokens, names, strict=True)):
        color = SERIES[index % len(SERIES)]
        data.append(
            {
                "type": "scatter",
                "x": path[:, 0].tolist(),
                "y": path[:, 1].tolist(),
                "mode": "lines+markers+text",
                "text": [label(word) for word in words],
                "textposition": "top center",
                "textfont": {"color": color, "size": 12},
                "name": label(name),
                "line": {"color": color, "width": 2},
                "marker": {"size": 7, "color": color},
                "hovertemplate": f"{label(name)} %{{text}}: (%{{x:.3f}}, %{{y:.3f}})"
                "<extra></extra>",
            }
        )
        data.append(
            {
                "type": "scatter",
                "x": [float(path[-1, 0])],
                "y": [float(path[-1, 1])],
                "mode": "markers",
                "marker": {
                    "symbol": "star",
                    "size": 18,
                    "color": color,
                    "line": {"color": "#111", "width": 1},
                },
                "name": label(f"{name} · {end_name}"),
                "showlegend": False,
                "hovertemplate": f"{label(name)} · {label(end_name)}: (%{{x:.3f}}, %{{y:.3f}})"
                "<extra></extra>",
            }
        )
    layout = {
        "xaxis": {
            "title": {"text": label(axis_titles[0].format(share=100 * explained[0]))},
            "gridcolor": GRID,
            "zerolinecolor": GRID,
        },
        "yaxis": {
            "title": {"text": label(axis_titles[1].format(share=100 * explained[1]))},
            "gridcolor": GRID,
            "zerolinecolor": GRID,
        },
        "legend": LEGEND,
    }
    return _figure(data, layout, title, height=420)
