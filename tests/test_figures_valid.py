"""Every figure builder, validated by Plotly. The builders skip Plotly's per-property
validation for speed, so each one is built here on real results and rebuilt with validation
on; the list is checked against the builders the figures package defines, so a new builder
cannot be left out."""

import importlib
import inspect
import pkgutil

import numpy as np
import plotly.graph_objects as go
import pytest

import rnnviz
from rnnviz import figures, memory
from rnnviz.memory_path import lstm_cell_path
from rnnviz.results import SignalCurve
from rnnviz.teaching import softmax_parts

SENTENCE = "虽然服务很差但是环境很好"


@pytest.fixture(scope="module")
def built():
    lstm = rnnviz.load_model("sentiment-lstm")
    trace = rnnviz.trace(lstm, SENTENCE)
    memory_lstm = rnnviz.load_model("memory-lstm")
    lm_trace = rnnviz.trace(rnnviz.load_model("lm-rnn"), "我们一起去公园")
    cards = {name: rnnviz.load_model(name).card for name in ("memory-rnn", "memory-lstm")}
    factors = rnnviz.step_factors(trace)
    importance = rnnviz.word_importance(lstm, SENTENCE)
    paths = rnnviz.hidden_paths([trace, rnnviz.trace(lstm, "虽然环境很好但是服务很差")])
    parts = softmax_parts(trace, len(trace.tokens) - 1)
    path = lstm_cell_path(memory_lstm, "程序员", ["今天", "天气", "很", "好"])
    curve = SignalCurve(
        arch="rnn",
        distances=(0, 5),
        steps=(6, 12),
        median=np.array([0.5, 0.01]),
        low=np.array([0.4, 0.001]),
        high=np.array([0.6, 0.05]),
        slope=-1.0,
        halving_steps=1.0,
    )
    evaluations = [
        {"step": step, "arch": arch, "accuracy_by_distance": {"0": 0.5, "10": 0.3, "30": 0.1}}
        for step in (10, 20)
        for arch in ("rnn", "lstm")
    ]
    progress = {
        "rnn": [
            {"epoch": 1, "loss": 0.7, "train_accuracy": 0.5, "held_out_accuracy": 0.5},
            {"epoch": 2, "loss": 0.5, "train_accuracy": 0.8, "held_out_accuracy": None},
        ]
    }
    titles = {"loss": "l", "accuracy": "a", "train": "t", "held_out": "h", "epoch": "e"}
    names = {"norms": "σ", "product_of_norms": "∏σ", "product_norm": "‖∏J‖"}
    names |= {"cell_norms": "f", "cell_product": "∏f"}
    hidden = figures.hidden_heatmap(trace, 2)
    return {
        "hidden_heatmap": hidden,
        "gate_heatmaps": figures.gate_heatmaps(trace, 2),
        "class_probability_lines": figures.class_probability_lines(trace, 2),
        "next_word_probability": figures.next_word_probability(lm_trace, 2),
        "gradient_chart": figures.gradient_chart(trace, 2),
        "gradient_decay_comparison": figures.gradient_decay_comparison({"lstm": trace}),
        "unit_heatmap": figures.unit_heatmap(
            trace.gates["forget"][:, [1, 5]], trace.tokens, [1, 5], (0, 1)
        ),
        "unrolled_diagram": figures.unrolled_diagram(trace, 2),
        "loop_diagram": figures.loop_diagram({"x": "词", "h": "记忆", "y": "输出"}),
        "softmax_chart": figures.softmax_chart(
            trace.labels, parts.logits, parts.exponentials, parts.probabilities
        ),
        "cross_entropy_chart": figures.cross_entropy_chart(trace.probs[-1], trace.labels, 0),
        "reordering_bars": figures.reordering_bars(["甲", "乙"], {"rnn": ("rnn", [0.2, 0.7])}),
        "similarity_matrix": figures.similarity_matrix(["a", "b"], np.eye(2)),
        "aligned_distance_chart": figures.aligned_distance_chart(
            ["b"], [np.ones(2)], [["我", "的"]]
        ),
        "memory_accuracy_chart": figures.memory_accuracy_chart(
            memory.accuracy_bands(cards), chance=0.1
        ),
        "learning_curve_chart": figures.learning_curve_chart(memory.curve_bands(cards, 30)),
        "race_chart": figures.race_chart(evaluations, 30, (0, 10, 30), chance=0.1),
        "seed_accuracy_bars": figures.seed_accuracy_bars(
            ["rnn", "lstm"],
            {"a": {"rnn": (0.5, 0.4, 0.6), "lstm": (0.7, 0.6, 0.8)}},
            0.25,
        ),
        "learning_signal_chart": figures.learning_signal_chart({"rnn": curve}, {"rnn": "RNN"}),
        "forget_path_chart": figures.forget_path_chart(path),
        "profession_separation_chart": figures.profession_separation_chart(
            {"memory-rnn": ("rnn", np.array([1.0, 2.0, 0.0]))}, path
        ),
        "influence_heatmap": figures.influence_heatmap(
            rnnviz.influence_map(lstm, SENTENCE), 3, "m", "t", "s"
        ),
        "factor_chart": figures.factor_chart(factors, 3, "f", names),
        "product_comparison": figures.product_comparison(
            {"LSTM": ("lstm", trace.tokens, factors.product_norm, False)}, "p", "t", "y"
        ),
        "importance_bars": figures.importance_bars(
            importance.tokens, importance.scores, importance.ranked(), "w", "p"
        ),
        "hidden_paths_chart": figures.hidden_paths_chart(
            paths.paths, paths.tokens, ["1", "2"], paths.explained, "h", ("{share}", "{share}"), "e"
        ),
        "training_curves": figures.training_curves(progress, titles),
        "presentable": figures.presentable(hidden, keep_title=False),
        "dark_figure": figures.dark_figure(hidden),
    }


def defined_builders() -> set[str]:
    """Every public function of the figures package that returns a figure."""
    names = set()
    for module in pkgutil.iter_modules(figures.__path__):
        loaded = importlib.import_module(f"rnnviz.figures.{module.name}")
        for name, function in inspect.getmembers(loaded, inspect.isfunction):
            returns = inspect.signature(function).return_annotation
            mine = function.__module__ == loaded.__name__ and not name.startswith("_")
            if mine and returns in ("go.Figure", go.Figure):
                names.add(name)
    return names


def test_every_builder_is_built_here(built):
    assert defined_builders() == set(built)


def test_every_builder_passes_plotly_validation(built):
    for name, figure in built.items():
        assert isinstance(figure, go.Figure), name
        go.Figure(figure.to_dict())  # raises ValueError on any invalid property
