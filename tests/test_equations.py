"""The equation's terms at a step against arithmetic done by hand on tiny known weights."""

import math

import numpy as np
import pytest

from rnnviz.equations import step_terms
from rnnviz.tracing import Trace


def tiny_trace(arch: str, hidden: np.ndarray, params: dict, cell=None) -> Trace:
    steps = hidden.shape[0]
    return Trace(
        tokens=["我", "要"][:steps],
        is_unknown=[False] * steps,
        inputs=np.array([[1.0, 2.0], [0.5, -1.0]])[:steps],
        hidden=hidden,
        cell=cell,
        gates={},
        probs=np.full((steps, 2), 0.5),
        labels=["负面", "正面"],
        target=0,
        loss_step=steps - 1,
        target_position=None,
        next_probability=None,
        loss=math.log(2),
        grad_hidden=np.zeros(steps),
        grad_input=np.zeros(steps),
        params={name: np.asarray(value, dtype=np.float32) for name, value in params.items()},
        arch=arch,
        head="classifier",
        model_name="tiny",
    )


def test_elman_step_by_hand():
    # h_1 = [0.5, -0.5] given; step 2 reads x_2 = [0.5, -1].
    params = {"U": [[0.1, 0.2], [0.3, 0.4]], "W": [[1.0, 0.0], [0.0, 2.0]], "b": [0.05, -0.05]}
    trace = tiny_trace("rnn", np.array([[0.5, -0.5], [0.0, 0.0]]), params)
    first, second = step_terms(trace, 1, [0, 1])
    # unit 0: U x = 0.1*0.5 + 0.2*(-1) = -0.15; W h = 1*0.5 = 0.5; b = 0.05; pre = 0.4
    assert first["Ux"] == pytest.approx(-0.15)
    assert first["Wh"] == pytest.approx(0.5)
    assert first["b"] == pytest.approx(0.05)
    assert first["pre"] == pytest.approx(0.4)
    assert first["h"] == pytest.approx(0.379948962, abs=1e-8)  # tanh(0.4)
    # unit 1: U x = 0.15 - 0.4 = -0.25; W h = 2*(-0.5) = -1; b = -0.05; pre = -1.3
    assert second["pre"] == pytest.approx(-1.3)
    assert second["h"] == pytest.approx(-0.861723159, abs=1e-8)  # tanh(-1.3)
    # at the first step h_0 = 0: U x_1 = 0.1 + 0.4 = 0.5, W h_0 = 0
    start = step_terms(trace, 0, [0])[0]
    assert (start["Ux"], start["Wh"]) == (pytest.approx(0.5), 0.0)


def sigmoid(value: float) -> float:
    return 1 / (1 + math.exp(-value))


def test_lstm_step_by_hand():
    # one unit; gate rows in PyTorch's order i, f, g, o; step 2 with h_1 = 0.5, c_1 = 1.
    params = {
        "U": [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]],
        "W": [[0.0], [2.0], [0.0], [1.0]],
        "b": [0.0, 0.0, 0.0, 0.5],
    }
    trace = tiny_trace("lstm", np.array([[0.5], [0.0]]), params, cell=np.array([[1.0], [0.0]]))
    row = step_terms(trace, 1, [0])[0]
    # i = σ(0.5), f = σ(-1 + 2*0.5) = σ(0) = 0.5, g = tanh(0.5 - 1), o = σ(0.5 + 0.5)
    assert row["i"] == pytest.approx(sigmoid(0.5))
    assert row["f"] == pytest.approx(0.5)
    assert row["g"] == pytest.approx(math.tanh(-0.5))
    assert row["o"] == pytest.approx(sigmoid(1.0))
    assert row["c_prev"] == 1.0
    assert row["c"] == pytest.approx(0.5 * 1.0 + sigmoid(0.5) * math.tanh(-0.5))
    assert row["h"] == pytest.approx(sigmoid(1.0) * math.tanh(row["c"]))


def test_position_step_by_hand():
    # two position blocks, one unit: h_2 = tanh(U_1 x_1 + U_2 x_2 + b), no W.
    params = {"U": [[[1.0, 0.0]], [[0.0, 2.0]]], "b": [0.1]}
    trace = tiny_trace("position", np.array([[0.0], [0.0]]), params)
    row = step_terms(trace, 1, [0])[0]
    # U_1 x_1 = 1*1 = 1; U_2 x_2 = 2*(-1) = -2; sum -1; + 0.1
    assert row["U_sum_x"] == pytest.approx(-1.0)
    assert row["h"] == pytest.approx(math.tanh(-0.9))
    assert step_terms(trace, 0, [0])[0]["U_sum_x"] == pytest.approx(1.0)
