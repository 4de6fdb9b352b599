"""The one-line readings of the gradient curve against the trace's own numbers."""

import pytest

import rnnviz
from rnnviz.app.common import decay_sentence, scientific
from rnnviz.gradients import decay_ratio


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
