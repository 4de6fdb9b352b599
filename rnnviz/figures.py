"""Trace -> Plotly figure. Pure functions: they take data and return a go.Figure; nothing here
draws, caches or knows about Streamlit. Every token that reaches a figure is escaped, because
Plotly reads a subset of HTML in labels and a token like <b> must show as typed."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .tracing import Trace

DIVERGING = "RdBu_r"
ARCH_COLORS = {"rnn": "#d1495b", "lstm": "#1f6feb", "gru": "#2a9d8f", "bow": "#8d6a9f"}
SERIES = ["#1f6feb", "#d1495b", "#2a9d8f", "#e9a03b", "#8d6a9f", "#6c757d"]
GREY = "rgba(255,255,255,0.72)"
FONT = "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"
WINDOW = 120  # tokens drawn at once; longer sentences show a window around the step


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


def _layout(figure: go.Figure, title: str, height: int) -> go.Figure:
    figure.update_layout(
        title={"text": html.escape(title, quote=False), "x": 0, "font": {"size": 15}},
        height=height,
        margin={"l": 60, "r": 20, "t": 50, "b": 60},
        font={"family": FONT, "size": 13},
        plot_bgcolor="white",
        hoverlabel={"font": {"family": FONT}},
    )
    return figure


def _token_axis(figure: go.Figure, tokens: Sequence[str], start: int, row=None, col=None):
    positions = list(range(start, start + len(tokens)))
    figure.update_xaxes(
        tickmode="array",
        tickvals=positions,
        ticktext=[label(t) for t in tokens],
        tickangle=0 if len(tokens) <= 20 else -60,
        row=row,
        col=col,
    )


def _mark_step(figure: go.Figure, step: int | None, start: int, end: int, row=None, col=None):
    """Outline column `step` and grey out the steps the network has not read yet."""
    if step is None or not start <= step < end:
        return
    kwargs = {} if row is None else {"row": row, "col": col}
    figure.add_vrect(
        x0=step - 0.5,
        x1=step + 0.5,
        line={"color": "#111", "width": 2.5},
        fillcolor="rgba(0,0,0,0)",
        **kwargs,
    )
    if step + 1 < end:
        figure.add_vrect(
            x0=step + 0.5, x1=end - 0.5, fillcolor=GREY, line={"width": 0}, layer="above", **kwargs
        )


def _heatmap(values: np.ndarray, tokens: Sequence[str], start: int, zrange, name: str):
    """values (T, H) -> heatmap of units (rows) x tokens (columns)."""
    units = values.shape[1]
    hover_tokens = np.array([[label(t) for t in tokens]] * units, dtype=object)
    return go.Heatmap(
        z=values.T,
        x=list(range(start, start + len(tokens))),
        y=list(range(units)),
        zmin=zrange[0],
        zmax=zrange[1],
        colorscale=DIVERGING if zrange[0] < 0 else "Viridis",
        customdata=hover_tokens,
        hovertemplate=f"{name}<br>unit %{{y}}<br>%{{customdata}} (t=%{{x}})<br>"
        "value %{z:.3f}<extra></extra>",
        colorbar={"thickness": 12, "len": 0.9},
        name=name,
    )


def hidden_heatmap(
    trace: Trace, step: int | None = None, title: str = "h_t", window: int = WINDOW
) -> go.Figure:
    """Hidden units x tokens, colours fixed to [-1, 1] so that pictures compare."""
    start, end = token_window(len(trace.tokens), step, window)
    tokens = trace.tokens[start:end]
    figure = go.Figure(_heatmap(trace.hidden[start:end], tokens, start, (-1, 1), "h"))
    _token_axis(figure, tokens, start)
    figure.update_yaxes(title_text="unit", autorange="reversed")
    _mark_step(figure, step, start, end)
    units = trace.hidden.shape[1]
    return _layout(figure, title, height=min(560, 160 + 5 * units))


def gate_heatmaps(
    trace: Trace,
    step: int | None = None,
    titles: Mapping[str, str] | None = None,
    window: int = WINDOW,
) -> go.Figure:
    """LSTM/GRU: one heatmap per gate (range [0, 1]; candidate [-1, 1]) and the LSTM cell state
    (range fixed to [-2, 2], its values are not bounded by 1)."""
    if not trace.gates:
        raise ValueError(f"A {trace.arch} has no gates.")
    titles = titles or {}
    panels = [(name, values) for name, values in trace.gates.items()]
    if trace.cell is not None:
        panels.append(("cell", trace.cell))
    start, end = token_window(len(trace.tokens), step, window)
    tokens = trace.tokens[start:end]
    figure = make_subplots(
        rows=len(panels),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.05,
        subplot_titles=[titles.get(name, name) for name, _ in panels],
    )
    for row, (name, values) in enumerate(panels, start=1):
        zrange = (-1, 1) if name == "candidate" else (-2, 2) if name == "cell" else (0, 1)
        heatmap = _heatmap(values[start:end], tokens, start, zrange, name)
        heatmap.update(
            showscale=row in (1, len(panels)),
            colorbar={"y": 1 - (row - 0.5) / len(panels), "len": 1 / len(panels)},
        )
        figure.add_trace(heatmap, row=row, col=1)
        figure.update_yaxes(autorange="reversed", showticklabels=False, row=row, col=1)
        _mark_step(figure, step, start, end, row=row, col=1)
    _token_axis(figure, tokens, start, row=len(panels), col=1)
    return _layout(figure, titles.get("title", "gates"), height=130 * len(panels) + 80)


def class_probability_lines(
    trace: Trace, step: int | None = None, title: str = "p(class)", window: int = WINDOW
) -> go.Figure:
    """Classifier: the probability of each class after every token; the last is the prediction."""
    start, end = token_window(len(trace.tokens), step, window)
    tokens = trace.tokens[start:end]
    figure = go.Figure()
    for index, class_label in enumerate(trace.labels):
        figure.add_trace(
            go.Scatter(
                x=list(range(start, end)),
                y=trace.probs[start:end, index],
                mode="lines+markers",
                name=label(class_label),
                line={"color": SERIES[index % len(SERIES)], "width": 2.5},
                hovertemplate=f"{label(class_label)}: %{{y:.3f}}<extra></extra>",
            )
        )
    _token_axis(figure, tokens, start)
    figure.update_yaxes(range=[0, 1], title_text="p", gridcolor="#e5e5e5")
    _mark_step(figure, step, start, end)
    figure.update_layout(legend={"orientation": "h", "y": 1.12, "x": 1, "xanchor": "right"})
    return _layout(figure, title, height=300)


def probability_bars(
    trace: Trace, step: int, top_k: int = 10, title: str = "y_t", highlight: str | None = None
) -> go.Figure:
    """Output distribution at one step: every class, or the top-k next words of an LM."""
    probabilities = trace.probs[step]
    order = np.argsort(-probabilities, kind="stable")[: min(top_k, len(probabilities))]
    names = [trace.labels[i] for i in order]
    colors = [
        SERIES[1] if highlight is not None and name == highlight else SERIES[0] for name in names
    ]
    figure = go.Figure(
        go.Bar(
            x=probabilities[order],
            y=[label(n) for n in names],
            orientation="h",
            marker_color=colors,
            text=[f"{p:.1%}" for p in probabilities[order]],
            textposition="auto",
            hovertemplate="%{y}: %{x:.4f}<extra></extra>",
        )
    )
    figure.update_yaxes(autorange="reversed", type="category")
    figure.update_xaxes(range=[0, 1], title_text="p", gridcolor="#e5e5e5")
    return _layout(figure, title, height=max(220, 60 + 26 * len(order)))


def next_word_probability(
    trace: Trace, step: int | None = None, title: str = "p(next word)", window: int = WINDOW
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
    figure = go.Figure(
        go.Scatter(
            x=positions,
            y=values,
            mode="lines+markers",
            line={"color": SERIES[0], "width": 2.5},
            customdata=hover,
            hovertemplate="%{customdata}: %{y:.4f}<extra></extra>",
        )
    )
    _token_axis(figure, trace.tokens[start:end], start)
    figure.update_yaxes(type="log", title_text="p", gridcolor="#e5e5e5")
    _mark_step(figure, step, start, end)
    return _layout(figure, title, height=300)


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
    """||dL/dh_t|| and ||dL/dx_t|| per token on a log axis."""
    start, end = token_window(len(trace.tokens), step, window)
    figure = go.Figure()
    for values, name, color in (
        (trace.grad_hidden, names[0], SERIES[0]),
        (trace.grad_input, names[1], SERIES[3]),
    ):
        figure.add_trace(
            go.Scatter(
                x=list(range(start, end)),
                y=_positive(values[start:end]),
                mode="lines+markers",
                name=name,
                line={"color": color, "width": 2.5},
                hovertemplate=f"{name}: %{{y:.3e}}<extra></extra>",
            )
        )
    _token_axis(figure, trace.tokens[start:end], start)
    figure.update_yaxes(type="log", exponentformat="power", gridcolor="#e5e5e5")
    figure.add_vline(x=trace.loss_step, line={"color": "#111", "dash": "dot"})
    _mark_step(figure, step, start, end)
    figure.update_layout(legend={"orientation": "h", "y": 1.12, "x": 1, "xanchor": "right"})
    return _layout(figure, title, height=320)


def gradient_decay_comparison(
    traces: Mapping[str, Trace],
    title: str = "gradient vs distance",
    x_title: str = "distance",
    y_title: str = "relative",
) -> go.Figure:
    """Overlaid on a log axis, for each trace: ||dL/dh_t|| / ||dL/dh_loss_step|| against the
    distance loss_step - t, so that architectures of any scale compare."""
    figure = go.Figure()
    for name, trace in traces.items():
        reference = trace.grad_hidden[trace.loss_step]
        steps = np.arange(trace.loss_step + 1)
        relative = (
            trace.grad_hidden[: trace.loss_step + 1] / reference
            if reference > 0
            else np.zeros(trace.loss_step + 1)
        )
        figure.add_trace(
            go.Scatter(
                x=trace.loss_step - steps,
                y=_positive(relative),
                mode="lines+markers",
                name=name,
                line={"color": ARCH_COLORS.get(trace.arch, SERIES[0]), "width": 2.5},
                customdata=[label(trace.tokens[t]) for t in steps],
                hovertemplate=f"{name} %{{customdata}}: %{{y:.2e}}<extra></extra>",
            )
        )
    figure.update_yaxes(type="log", exponentformat="power", title_text=y_title, gridcolor="#e5e5e5")
    figure.update_xaxes(title_text=x_title)
    figure.update_layout(legend={"orientation": "h", "y": 1.12, "x": 1, "xanchor": "right"})
    return _layout(figure, title, height=340)


def unrolled_diagram(
    trace: Trace, step: int, window: int = 14, title: str = "unrolled"
) -> go.Figure:
    """x_1..x_T -> h_1..h_T -> y_1..y_T with the same U, W, V on every step; step t outlined,
    steps after it greyed. Long sentences show `window` steps around t."""
    start, end = token_window(len(trace.tokens), step, window)
    figure = go.Figure()
    rows = {"x": 0.0, "h": 1.0, "y": 2.0}
    recurrent = trace.arch != "bow"
    for t in range(start, end):
        active = t <= step
        color = "#111" if active else "#bbb"
        fill = (
            {"x": "#fde9c8", "h": "#d7e6fb", "y": "#d9f0e8"}
            if active
            else {"x": "#f3f3f3", "h": "#f3f3f3", "y": "#f3f3f3"}
        )
        for kind, y in rows.items():
            width = 3 if t == step else 1.2
            figure.add_shape(
                type="rect",
                x0=t - 0.32,
                x1=t + 0.32,
                y0=y - 0.22,
                y1=y + 0.22,
                line={"color": "#111" if t == step else color, "width": width},
                fillcolor=fill[kind],
            )
            figure.add_annotation(
                x=t,
                y=y,
                text=f"{kind}<sub>{t + 1}</sub>",
                showarrow=False,
                font={"color": color, "size": 13},
            )
        for y0, y1, name in ((0.22, 0.78, "U"), (1.22, 1.78, "V")):
            figure.add_annotation(
                x=t,
                y=y1,
                ax=t,
                ay=y0,
                xref="x",
                yref="y",
                axref="x",
                ayref="y",
                showarrow=True,
                arrowhead=2,
                arrowcolor=color,
                text="",
            )
            figure.add_annotation(
                x=t + 0.12,
                y=(y0 + y1) / 2,
                text=f"<i>{name}</i>",
                showarrow=False,
                font={"color": color, "size": 12},
            )
        if recurrent and t + 1 < end:
            next_color = "#111" if t + 1 <= step else "#bbb"
            figure.add_annotation(
                x=t + 0.68,
                y=1.0,
                ax=t + 0.32,
                ay=1.0,
                xref="x",
                yref="y",
                axref="x",
                ayref="y",
                showarrow=True,
                arrowhead=2,
                arrowcolor=next_color,
                text="",
            )
            figure.add_annotation(
                x=t + 0.5,
                y=1.13,
                text="<i>W</i>",
                showarrow=False,
                font={"color": next_color, "size": 12},
            )
        figure.add_annotation(
            x=t,
            y=-0.45,
            text=label(trace.tokens[t]),
            showarrow=False,
            font={"color": "#d1495b" if trace.is_unknown[t] else color, "size": 14},
        )
    figure.update_xaxes(visible=False, range=[start - 0.6, end - 0.4])
    figure.update_yaxes(visible=False, range=[-0.7, 2.35])
    return _layout(figure, title, height=300)


def memory_accuracy_chart(
    cards: Mapping[str, Mapping],
    title: str = "accuracy vs distance",
    x_title: str = "k",
    chance: float | None = None,
) -> go.Figure:
    """Held-out accuracy against the filler distance k, read from the memory models' cards."""
    figure = go.Figure()
    for name, card in cards.items():
        by_distance = card["metrics"]["accuracy_by_distance"]
        distances = sorted(by_distance, key=int)
        arch = card.get("architecture", "")
        figure.add_trace(
            go.Scatter(
                x=[int(k) for k in distances],
                y=[by_distance[k] for k in distances],
                mode="lines+markers",
                name=name,
                line={"color": ARCH_COLORS.get(arch, SERIES[0]), "width": 3},
                hovertemplate=f"{name} k=%{{x}}: %{{y:.1%}}<extra></extra>",
            )
        )
    if chance is not None:
        figure.add_hline(
            y=chance, line={"color": "#888", "dash": "dash"}, annotation_text=f"chance {chance:.0%}"
        )
    figure.update_yaxes(range=[0, 1.05], tickformat=".0%", gridcolor="#e5e5e5")
    figure.update_xaxes(title_text=x_title)
    figure.update_layout(legend={"orientation": "h", "y": 1.12, "x": 1, "xanchor": "right"})
    return _layout(figure, title, height=340)


def similarity_matrix(
    names: Sequence[str], matrix: np.ndarray, title: str = "cos(h_T)"
) -> go.Figure:
    """Pairwise cosine similarity of final hidden states, colours fixed to [-1, 1]."""
    labels = [label(name) for name in names]
    figure = go.Figure(
        go.Heatmap(
            z=matrix,
            x=labels,
            y=labels,
            zmin=-1,
            zmax=1,
            colorscale=DIVERGING,
            text=[[f"{v:.3f}" for v in row] for row in matrix],
            texttemplate="%{text}",
            hovertemplate="%{y} · %{x}: %{z:.4f}<extra></extra>",
        )
    )
    figure.update_yaxes(autorange="reversed")
    return _layout(figure, title, height=120 + 60 * len(names))


def aligned_distance_chart(
    names: Sequence[str],
    distances: Sequence[np.ndarray],
    tokens: Sequence[Sequence[str]],
    title: str = "‖Δh‖",
) -> go.Figure:
    """||h_i(A) - h_j(B)|| for the tokens of the first sentence that the other one also has."""
    figure = go.Figure()
    for index, (name, values, words) in enumerate(zip(names, distances, tokens, strict=True)):
        figure.add_trace(
            go.Bar(
                x=[label(w) for w in words],
                y=values,
                name=label(name),
                marker_color=SERIES[(index + 1) % len(SERIES)],
                hovertemplate="%{x}: %{y:.3f}<extra></extra>",
            )
        )
    figure.update_layout(barmode="group", legend={"orientation": "h", "y": 1.15})
    figure.update_xaxes(type="category")
    figure.update_yaxes(gridcolor="#e5e5e5", rangemode="tozero")
    return _layout(figure, title, height=300)
