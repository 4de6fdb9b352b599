"""The curves of a training run on your sentences (loss, training and held-out accuracy after
each pass), one line per architecture. It draws the numbers it is given; it trains nothing."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

# This chart's own colours (RNN blue, LSTM orange, GRU green), older than base.ARCH_COLORS and
# not the same: moving it to ARCH_COLORS would change how the own-model view looks.
ARCH_COLOURS = {"rnn": "#1f77b4", "lstm": "#ff7f0e", "gru": "#2ca02c", "bow": "#7f7f7f"}


def training_curves(
    progress: dict[str, list[dict]], titles: dict[str, str], height: int = 300
) -> go.Figure:
    """progress: arch -> one dict per pass with epoch, loss, train_accuracy and
    held_out_accuracy (None when nothing is held out). titles: "loss", "accuracy", "train",
    "held_out", "epoch". Left: the mean training loss; right: the accuracies (training solid,
    held-out dashed)."""
    figure = make_subplots(
        rows=1, cols=2, subplot_titles=(titles["loss"], titles["accuracy"]), horizontal_spacing=0.1
    )
    for arch, items in progress.items():
        colour = ARCH_COLOURS.get(arch, "#333333")
        epochs = [item["epoch"] for item in items]
        name = arch.upper()
        figure.add_scatter(
            x=epochs,
            y=[item["loss"] for item in items],
            name=name,
            legendgroup=arch,
            line_color=colour,
            row=1,
            col=1,
        )
        figure.add_scatter(
            x=epochs,
            y=[item["train_accuracy"] for item in items],
            name=f"{name} · {titles['train']}",
            legendgroup=arch,
            line_color=colour,
            row=1,
            col=2,
        )
        held = [item["held_out_accuracy"] for item in items]
        if any(value is not None for value in held):
            figure.add_scatter(
                x=epochs,
                y=held,
                name=f"{name} · {titles['held_out']}",
                legendgroup=arch,
                line={"color": colour, "dash": "dash"},
                row=1,
                col=2,
            )
    figure.update_xaxes(title_text=titles["epoch"])
    figure.update_yaxes(rangemode="tozero", row=1, col=1)
    figure.update_yaxes(range=[-0.02, 1.02], tickformat=".0%", row=1, col=2)
    figure.update_layout(
        height=height,
        margin={"l": 40, "r": 10, "t": 40, "b": 40},
        legend={"orientation": "h", "y": -0.3},
    )
    return figure
