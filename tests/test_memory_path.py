"""The LSTM's memory path (rnnviz.memory_path) against the traces' own gates and cells."""

import dataclasses
from itertools import combinations

import numpy as np
import plotly.graph_objects as go
import pytest

import rnnviz
from rnnviz import figures
from rnnviz.memory import PROFESSIONS, live_fillers, memory_prompt_tokens
from rnnviz.memory_path import lstm_cell_path, profession_separation

FILLERS = live_fillers(30)


@pytest.fixture(scope="module")
def lstm():
    return rnnviz.load_model("memory-lstm")


@pytest.fixture(scope="module")
def path(lstm):
    return lstm_cell_path(lstm, "程序员", FILLERS)


def test_carriers_are_the_units_whose_final_cell_changes_most(lstm, path):
    finals = {p: rnnviz.trace(lstm, memory_prompt_tokens(p, FILLERS)).cell[-1] for p in PROFESSIONS}
    change = np.mean(
        [np.abs(finals["程序员"] - finals[q]) for q in PROFESSIONS if q != "程序员"], 0
    )
    np.testing.assert_allclose(path.change, change, rtol=1e-6)
    assert set(path.units.tolist()) == set(np.argsort(change)[-3:].tolist())
    assert change[path.units[0]] == change.max()


def test_forget_gates_and_product_are_the_traces_own(lstm, path):
    shown = rnnviz.trace(lstm, memory_prompt_tokens("程序员", FILLERS))
    forget = shown.gates["forget"][:, path.units]
    np.testing.assert_array_equal(path.forget, forget)
    assert path.tokens[path.profession_step] == "程序员"
    after = path.profession_step + 1
    np.testing.assert_allclose(path.kept, np.cumprod(forget[after:], axis=0), rtol=1e-6)
    # the fillers follow 我的职业是程序员，
    assert [path.tokens[t] for t in path.fillers] == FILLERS
    assert path.fillers.start == after + 1
    np.testing.assert_allclose(
        path.filler_product, forget[path.fillers.start : path.fillers.stop].prod(axis=0)
    )
    every_unit = shown.gates["forget"][path.fillers.start : path.fillers.stop].prod(axis=0)
    assert path.median_filler_product == pytest.approx(float(np.median(every_unit)))


def test_separation_is_the_mean_pairwise_distance_of_h(lstm):
    rnn = rnnviz.load_model("memory-rnn")
    values = profession_separation(rnn, FILLERS)
    hidden = [rnnviz.trace(rnn, memory_prompt_tokens(p, FILLERS)).hidden for p in PROFESSIONS]
    step = memory_prompt_tokens("程序员", FILLERS).index("程序员")
    pairs = list(combinations(hidden, 2))
    expected = [
        sum(float(np.linalg.norm(a[t] - b[t])) for a, b in pairs) / len(pairs)
        for t in range(step, len(hidden[0]))
    ]
    np.testing.assert_allclose(values, np.array(expected) / expected[0], rtol=1e-5)
    assert values[0] == pytest.approx(1.0)


def test_memory_path_charts(path):
    forget = figures.forget_path_chart(path)
    assert forget.layout.yaxis.type == "log"
    assert list(forget.data[1].y) == pytest.approx(path.kept[:, 0].tolist())
    assert len(forget.layout.shapes) == 1  # the filler span
    separation = figures.profession_separation_chart(
        {"memory-rnn": ("rnn", np.array([1.0, 2.0, 0.0]))}, path
    )
    assert list(separation.data[0].y) == [1.0, 2.0, None]
    for figure in (forget, separation):
        go.Figure(figure.to_dict())  # valid for Plotly


def test_cell_path_refuses_a_model_without_cells():
    with pytest.raises(ValueError, match="LSTM"):
        lstm_cell_path(rnnviz.load_model("memory-rnn"), "程序员", FILLERS)


@pytest.mark.parametrize(
    "carriers,others,verdict",
    [
        ([0.6, 0.01], 0.01, "kept"),
        ([0.6, 0.3], 0.3, "short"),
        ([0.5, 0.2], 0.1, "short"),
        ([0.05, 0.01], 0.001, "closed"),
    ],
)
def test_verdict_needs_a_tenth_and_ten_times_the_median(path, carriers, others, verdict):
    every_unit = np.full(path.change.shape, others)
    every_unit[: len(carriers)] = carriers
    changed = dataclasses.replace(
        path, filler_product=np.array(carriers), all_filler_products=every_unit
    )
    assert changed.verdict == verdict
