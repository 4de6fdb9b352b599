"""The learning signal at initialisation (rnnviz.vanishing) against a direct autograd
computation through PyTorch's own recurrent layers, and its fit against known slopes."""

import random

import numpy as np
import plotly.graph_objects as go
import pytest
import torch

from rnnviz import build_model, figures, memory
from rnnviz.teaching import keeps_more
from rnnviz.vanishing import (
    EMBED_SIZE,
    FORGET_BIAS_START,
    HIDDEN_SIZE,
    forget_start_curve,
    initial_ratios,
    learning_signal,
    memory_vocab,
    prompt_steps,
    seed_medians,
    summarise,
    times_stronger,
)

LAYERS = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}


def _reference_ratio(
    arch: str, seed: int, tokens: list[str], answer: int, forget_bias: float | None = None
) -> float:
    """||dL/dx_1|| / ||dL/dx_T|| for one prompt, through torch.nn's layer holding the weights of
    the seeded model (an LSTM's forget-gate bias set to `forget_bias` when given), with the
    loss and its gradient written out here."""
    vocab = memory_vocab()
    model = build_model(
        arch, "classifier", vocab, memory.memory_labels(), EMBED_SIZE, HIDDEN_SIZE, seed=seed
    )
    layer = LAYERS[arch](EMBED_SIZE, HIDDEN_SIZE, batch_first=True)
    with torch.no_grad():
        layer.weight_ih_l0.copy_(model.cell.U)
        layer.weight_hh_l0.copy_(model.cell.W)
        layer.bias_ih_l0.copy_(model.cell.b)
        layer.bias_hh_l0.copy_(
            model.cell.b_hidden if arch == "gru" else torch.zeros_like(model.cell.b)
        )
        if forget_bias is not None:  # torch.nn.LSTM stacks the gates as i, f, g, o
            layer.bias_ih_l0[HIDDEN_SIZE : 2 * HIDDEN_SIZE] = forget_bias
    inputs = model.embedding.weight.detach()[torch.tensor(vocab.encode(tokens))]
    inputs = inputs.clone().unsqueeze(0).requires_grad_(True)  # (1, T, E)
    hidden = layer(inputs)[0][0, -1]  # h_T
    logits = model.V.detach() @ hidden + model.c.detach()
    loss = -torch.log_softmax(logits, dim=-1)[answer]
    (gradient,) = torch.autograd.grad(loss, inputs)
    norms = gradient[0].double().norm(dim=-1)
    return float(norms[0] / norms[-1])


@pytest.mark.parametrize("arch", ["rnn", "lstm", "gru"])
def test_ratio_equals_a_direct_autograd_computation(arch):
    seed, distance = 2, 7
    ratios = initial_ratios(arch, seed, distance, prompts=3)
    # the prompts are drawn from (seed, distance): draw the same ones here
    rng = random.Random(seed * 1000 + distance)
    examples = [memory.memory_example(rng, distance) for _ in range(3)]
    expected = [_reference_ratio(arch, seed, tokens, answer) for tokens, answer in examples]
    np.testing.assert_allclose(ratios, expected, rtol=1e-4)
    assert np.all(ratios < 1)


def test_the_forget_bias_start_equals_torch_lstm_with_that_bias():
    seed, distance = 1, 6
    ratios = initial_ratios("lstm", seed, distance, prompts=3, forget_bias=FORGET_BIAS_START)
    rng = random.Random(seed * 1000 + distance)
    examples = [memory.memory_example(rng, distance) for _ in range(3)]
    expected = [
        _reference_ratio("lstm", seed, tokens, answer, FORGET_BIAS_START)
        for tokens, answer in examples
    ]
    np.testing.assert_allclose(ratios, expected, rtol=1e-4)
    assert not np.allclose(ratios, initial_ratios("lstm", seed, distance, prompts=3))
    with pytest.raises(ValueError):
        initial_ratios("rnn", seed, distance, prompts=3, forget_bias=1.0)


def test_seed_by_seed_the_lstm_keeps_more_from_either_start(one_thread):
    """The lesson's answer, measured as the lesson measures it (k = 20, 5 seeds x 50)."""
    medians = seed_medians(20)
    assert np.all(medians.lstm > 100 * medians.rnn)
    assert np.all(medians.lstm_forget_start > 100 * medians.lstm)
    assert keeps_more(medians.rnn, [medians.lstm, medians.lstm_forget_start]) == 1
    curve = forget_start_curve(distances=(0, 20), seeds=(0,), prompts=5)
    assert curve.median[1] < curve.median[0] and curve.halving_steps > 0


def test_prompt_steps_are_the_steps_from_first_to_last_token():
    for distance in (0, 1, 20):
        tokens, _ = memory.memory_example(random.Random(0), distance)
        assert prompt_steps(distance) == len(tokens) - 1


def test_summary_fits_the_halving_length():
    distances = (0, 10, 20, 30)
    steps = np.array([prompt_steps(k) for k in distances])
    # ratios that halve exactly every 1.5 steps, spread by a factor 4 around the median
    ratios = [2.0 ** (-s / 1.5) * np.array([0.5, 1.0, 2.0]) for s in steps]
    curve = summarise("rnn", distances, ratios)
    assert curve.halving_steps == pytest.approx(1.5)
    np.testing.assert_allclose(curve.median, 2.0 ** (-steps / 1.5))
    np.testing.assert_allclose(curve.low, curve.median / 2)
    np.testing.assert_allclose(curve.high, curve.median * 2)
    # a second curve that halves every 3 steps: at k = 20 it is 2^(s/1.5 - s/3) times stronger
    slower = summarise("lstm", distances, [2.0 ** (-s / 3.0) * np.ones(3) for s in steps])
    expected = 2.0 ** (steps[2] / 1.5 - steps[2] / 3.0)
    times = times_stronger({"rnn": curve, "lstm": slower}, "lstm", than="rnn", distance=20)
    assert times == pytest.approx(expected)


@pytest.fixture
def one_thread():
    """As the server runs it: many small matrices on a shared machine, one thread each
    (with torch's default threads the contention made this 15 times slower)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_the_rnn_signal_falls_faster_than_the_gated_ones(one_thread):
    """The article's claim, measured at the defaults the dashboard draws (5 seeds x 50)."""
    curves = learning_signal()
    rnn, lstm, gru = curves["rnn"], curves["lstm"], curves["gru"]
    assert rnn.halving_steps < lstm.halving_steps and rnn.halving_steps < gru.halving_steps
    at = rnn.distances.index(20)
    assert rnn.median[at] * 100 < lstm.median[at]
    assert np.all(np.diff(rnn.median) < 0)  # it only falls with distance
    assert np.all(rnn.low <= rnn.median) and np.all(rnn.median <= rnn.high)
    figure = figures.learning_signal_chart(curves, {"rnn": "RNN"})
    assert figure.layout.yaxis.type == "log"
    assert list(figure.data[2].y) == rnn.median.tolist()
    assert figure.data[1].fill == "tonexty" and list(figure.data[1].y) == rnn.low.tolist()
    go.Figure(figure.to_dict())  # valid for Plotly
