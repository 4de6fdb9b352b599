import numpy as np
import pytest

from rnnviz import align, build_model, compare, cosine_similarity, join_tokens, reorder, trace

TOKENS = ["我要", "去", "打篮球"]


def test_reorderings():
    assert reorder(TOKENS, "reverse") == ["打篮球", "去", "我要"]
    assert reorder(TOKENS, "move_to_end", index=1) == ["我要", "打篮球", "去"]
    assert reorder(TOKENS, "move_to_front", index=2) == ["打篮球", "我要", "去"]
    assert reorder(TOKENS, "swap", index=0, other=2) == ["打篮球", "去", "我要"]
    shuffled = reorder(TOKENS * 3, "shuffle", seed=4)
    assert sorted(shuffled) == sorted(TOKENS * 3)
    assert shuffled == reorder(TOKENS * 3, "shuffle", seed=4)
    assert TOKENS == ["我要", "去", "打篮球"]  # the input is not changed


def test_bad_reorderings():
    with pytest.raises(ValueError, match="reverse, move_to_end"):
        reorder(TOKENS, "rotate")
    with pytest.raises(ValueError, match="outside"):
        reorder(TOKENS, "swap", index=0, other=9)


def test_join_tokens_spaces_only_between_latin_words():
    assert join_tokens(["我要", "打篮球", "去"]) == "我要打篮球去"
    assert join_tokens(["dog", "bites", "man", "。"]) == "dog bites man。"


def test_align_pairs_repeated_tokens_in_order():
    a = ["我", "的", "我", "好"]
    b = ["好", "我", "我", "的"]
    assert align(a, b) == [(0, 1), (1, 3), (2, 2), (3, 0)]
    assert align(["甲"], ["乙"]) == []


def test_cosine():
    assert cosine_similarity(np.array([1.0, 0]), np.array([2.0, 0])) == pytest.approx(1)
    assert cosine_similarity(np.array([1.0, 0]), np.array([0, 3.0])) == pytest.approx(0)
    assert cosine_similarity(np.zeros(2), np.zeros(2)) == 1.0


def test_compare_traces(vocab):
    model = build_model("rnn", "classifier", vocab, labels=["a", "b"], seed=1)
    first, second = trace(model, "我要去打篮球"), trace(model, "我要打篮球去")
    result = compare(first, second)
    assert result.aligned == [(0, 0), (1, 2), (2, 1)]
    # the first token is read from the same start state: identical h_1
    assert result.aligned_distance[0] == pytest.approx(0, abs=1e-7)
    expected = np.linalg.norm(first.hidden[1] - second.hidden[2])
    assert result.aligned_distance[1] == pytest.approx(expected)
    assert result.final_cosine == pytest.approx(
        cosine_similarity(first.hidden[-1], second.hidden[-1])
    )
    np.testing.assert_allclose(result.prediction_difference, second.probs[-1] - first.probs[-1])
    same = compare(first, first)
    assert same.final_cosine == pytest.approx(1) and same.max_probability_change == 0
