"""The one-line readings of the gradient curve against the trace's own numbers."""

import dataclasses

import numpy as np
import pytest

import rnnviz
from rnnviz import figures
from rnnviz.app.common import decay_sentence, scientific
from rnnviz.gradients import decay_ratio, decay_reading, relative_gradient
from rnnviz.memory import memory_prompt_tokens


@pytest.fixture(scope="module")
def lm_trace():
    return rnnviz.trace(rnnviz.load_model("lm-lstm"), "我的职业是程序员，我最擅长的是电脑")


def test_decay_ratio_is_the_gradient_left_at_the_source(lm_trace):
    expected = lm_trace.grad_hidden[4] / lm_trace.grad_hidden[lm_trace.loss_step]
    assert decay_ratio(lm_trace.grad_hidden, lm_trace.loss_step, 4) == pytest.approx(expected)
    assert decay_ratio(lm_trace.grad_hidden, lm_trace.loss_step, lm_trace.loss_step) == 1.0
    # after the loss step the gradient is 0: no ratio can be read from it
    assert decay_ratio(lm_trace.grad_hidden * 0, lm_trace.loss_step, 0) is None
    with pytest.raises(ValueError):
        decay_ratio(lm_trace.grad_hidden, lm_trace.loss_step, lm_trace.loss_step + 1)


def test_decay_sentence_names_the_words_and_the_measured_ratio(lm_trace):
    ratio = decay_ratio(lm_trace.grad_hidden, lm_trace.loss_step, 0)
    sentence = decay_sentence(lm_trace, "en")
    assert "电脑" in sentence and "我" in sentence and scientific(ratio) in sentence


@pytest.mark.parametrize(
    "value,expected",
    [(0.000123, "1.2 × 10⁻⁴"), (0.27, "0.27"), (2.5, "2.50"), (35000.0, "3.5 × 10⁴"), (0, "0")],
)
def test_scientific(value, expected):
    assert scientific(value) == expected


def test_a_share_above_one_is_read_as_grown(lm_trace):
    rising = np.linspace(3.0, 1.0, len(lm_trace.tokens))  # larger far back than at the loss
    grown = dataclasses.replace(lm_trace, grad_hidden=rising)
    reading = decay_reading(grown, 0)
    assert reading.grew and reading.ratio == pytest.approx(rising[0] / rising[grown.loss_step])
    for language in ("zh", "en"):
        sentence = decay_sentence(grown, language)
        assert scientific(reading.ratio) in sentence
        assert "只剩" not in sentence and "left" not in sentence
    assert "变大" in decay_sentence(grown, "zh") and "grew" in decay_sentence(grown, "en")


def test_the_live_memory_reading_names_the_token_it_measures():
    model = rnnviz.load_model("memory-rnn")
    tokens = memory_prompt_tokens("程序员", ["今天", "天气", "很", "好"])
    trace = rnnviz.trace(model, tokens)
    source = tokens.index("程序员")
    reading = decay_reading(trace, source)
    assert (reading.source_token, reading.loss_token) == ("程序员", "是")
    expected = trace.grad_hidden[source] / trace.grad_hidden[trace.loss_step]
    assert reading.ratio == pytest.approx(expected)
    sentence = decay_sentence(trace, "zh", source)
    assert "「程序员」" in sentence and "「是」" in sentence and "「我」" not in sentence


def test_the_decay_chart_draws_the_cores_ratio(lm_trace):
    figure = figures.gradient_decay_comparison({"lm": lm_trace})
    relative = relative_gradient(lm_trace.grad_hidden, lm_trace.loss_step)
    assert list(figure.data[0].y) == pytest.approx(relative.tolist())
    for source in range(lm_trace.loss_step + 1):
        assert decay_ratio(lm_trace.grad_hidden, lm_trace.loss_step, source) == relative[source]
    # a zero gradient at the loss step: no ratio, nothing drawn, no reading
    flat = dataclasses.replace(lm_trace, grad_hidden=np.zeros(len(lm_trace.tokens)))
    assert np.all(np.isnan(relative_gradient(flat.grad_hidden, flat.loss_step)))
    assert all(y is None for y in figures.gradient_decay_comparison({"f": flat}).data[0].y)
    assert decay_reading(flat).ratio is None
