"""What the compare view states, computed by rnnviz.compare: whether a change is beyond float
rounding, the largest change within groups of same-word sentences, and how far apart two
sentences end in the hidden space; each against a loop or numpy's own norm."""

import math

import numpy as np
import pytest

from rnnviz import build_model, trace
from rnnviz.compare import (
    ROUNDING,
    beyond_rounding,
    final_gap,
    largest_group_change,
    same_word_groups,
)

SENTENCES = [["我要", "去", "打篮球"], ["打篮球", "我要", "去"], ["我要", "去"], ["去", "我要"]]


@pytest.fixture
def traces(vocab):
    model = build_model("rnn", "classifier", vocab, labels=["a", "b", "c"], seed=2)
    return [trace(model, tokens) for tokens in SENTENCES]


def test_beyond_rounding_is_the_rounding_line():
    assert beyond_rounding(ROUNDING) and beyond_rounding(0.2)
    assert not beyond_rounding(ROUNDING / 2) and not beyond_rounding(0.0)


def test_largest_group_change_against_a_loop(traces):
    groups = same_word_groups(SENTENCES)
    assert groups == [[0, 1], [2, 3]]
    expected = 0.0
    for group in groups:
        first = traces[group[0]].probs[-1].astype(float)
        for index in group:
            for a, b in zip(traces[index].probs[-1].astype(float), first, strict=True):
                expected = max(expected, abs(a - b))
    assert largest_group_change(traces, groups) == pytest.approx(expected, rel=1e-12)
    assert expected > 0  # a recurrent network does see the order


def test_final_gap_is_the_distance_of_the_last_hidden_states(traces):
    first, second = traces[0].hidden[-1], traces[1].hidden[-1]
    expected = math.sqrt(
        sum((float(a) - float(b)) ** 2 for a, b in zip(first, second, strict=True))
    )
    assert final_gap(traces) == pytest.approx(expected, rel=1e-6)
    assert final_gap(traces[:1]) is None
    assert final_gap([traces[0], traces[0]]) == 0.0
    assert np.isfinite(final_gap(traces))
