import numpy as np
import pytest

from rnnviz import (
    align,
    build_model,
    compare,
    cosine_similarity,
    join_tokens,
    rank_reorderings,
    reorder,
    trace,
)
from rnnviz.compare import (
    largest_change,
    predictions,
    ranking_limit,
    same_word_groups,
    similarity_matrix,
)

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


def test_similarity_matrix_and_prediction_table(vocab):
    model = build_model("lstm", "classifier", vocab, labels=["a", "b"], seed=2)
    traces = [trace(model, text) for text in ("我要去打篮球", "我要打篮球去", "今天我要去打球")]
    matrix = similarity_matrix(traces)
    assert matrix.shape == (3, 3)
    for i, a in enumerate(traces):
        for j, b in enumerate(traces):
            h_a, h_b = a.hidden[-1].astype(float), b.hidden[-1].astype(float)
            expected = h_a @ h_b / np.linalg.norm(h_a) / np.linalg.norm(h_b)
            assert matrix[i, j] == pytest.approx(expected, rel=1e-5)
    rows = predictions(traces)
    for row, result in zip(rows, traces, strict=True):
        assert row.probability == pytest.approx(float(result.probs[-1].max()))
        assert row.label == result.labels[row.index] and result.probs[-1, row.index] == max(
            result.probs[-1]
        )
    expected_change = max(
        float(np.max(np.abs(result.probs[-1] - traces[0].probs[-1]))) for result in traces
    )
    assert largest_change(traces) == pytest.approx(expected_change)


def _brute_force_ranking(model, tokens):
    """Independently of rank_reorderings: every swap and every move built by list surgery,
    each read by trace() one at a time, effect = total variation of the final outputs."""
    base = trace(model, tokens).probs[-1].astype(float)
    sentences = set()
    for i in range(len(tokens)):
        for j in range(len(tokens)):
            swapped = list(tokens)
            swapped[i], swapped[j] = swapped[j], swapped[i]
            sentences.add(tuple(swapped))
            moved = list(tokens)
            moved.insert(j, moved.pop(i))
            sentences.add(tuple(moved))
    sentences.discard(tuple(tokens))
    scored = []
    for sentence in sentences:
        final = trace(model, list(sentence)).probs[-1].astype(float)
        scored.append((sum(abs(final - base)) / 2, sentence))
    return sorted(scored, key=lambda item: (-item[0], item[1]))


@pytest.mark.parametrize("arch", ["rnn", "gru"])
@pytest.mark.parametrize("head", ["classifier", "lm"])
def test_ranked_reorderings_equal_a_brute_force(vocab, arch, head):
    model = build_model(arch, head, vocab, labels=["a", "b", "c"], seed=9)
    tokens = ["我要", "去", "打篮球", "今天", "去"]  # a repeated token: duplicates collapse
    ranked = rank_reorderings(model, tokens)
    expected = _brute_force_ranking(model, tokens)
    assert [item.tokens for item in ranked] == [sentence for _, sentence in expected]
    np.testing.assert_allclose(
        [item.effect for item in ranked], [effect for effect, _ in expected], atol=1e-6
    )
    top = ranked[0]
    final = trace(model, list(top.tokens)).probs[-1]
    assert top.prediction == int(np.argmax(final))
    assert top.probability == pytest.approx(float(final.max()), rel=1e-5)


def test_reordering_descriptions_rebuild_the_sentence(vocab):
    model = build_model("rnn", "classifier", vocab, labels=["a", "b"], seed=1)
    tokens = ["我要", "去", "打篮球", "今天"]
    for item in rank_reorderings(model, tokens):
        if item.how == "swap":
            rebuilt = reorder(tokens, "swap", index=item.first, other=item.second)
        else:
            rebuilt = list(tokens)
            rebuilt.insert(item.second, rebuilt.pop(item.first))
        assert tuple(rebuilt) == item.tokens


def test_bag_of_words_reorderings_change_nothing(vocab):
    model = build_model("bow", "classifier", vocab, labels=["a", "b"], seed=3)
    ranked = rank_reorderings(model, ["我要", "去", "打篮球", "今天"])
    # 6 swaps; 12 moves, of which the 6 between neighbours repeat the 3 neighbour swaps
    assert len(ranked) == 6 + 12 - 6
    assert max(item.effect for item in ranked) < 1e-6


def test_nothing_to_reorder(vocab):
    model = build_model("rnn", "classifier", vocab, labels=["a", "b"], seed=3)
    assert rank_reorderings(model, ["我要"]) == []
    assert rank_reorderings(model, ["去", "去"]) == []
    with pytest.raises(ValueError, match="no tokens"):
        rank_reorderings(model, [])
    with pytest.raises(ValueError, match="up to 30 tokens"):
        rank_reorderings(model, ["去"] * 31)


def test_ranking_limit_bounds_the_work_for_a_language_model():
    from rnnviz import load_model
    from rnnviz.compare import MAX_RANKED_TOKENS, MAX_RANKING_WORK, single_reorderings

    model = load_model("lm-rnn")
    limit = ranking_limit(model)
    assert 3 <= limit < MAX_RANKED_TOKENS  # 10,000 outputs per step
    words = [f"{index}" for index in range(limit + 1)]  # distinct: the most reorderings

    def work(count):
        return (len(single_reorderings(words[:count])) + 1) * count * len(model.labels)

    assert work(limit) <= MAX_RANKING_WORK < work(limit + 1)
    assert len(rank_reorderings(model, words[:limit])) == len(single_reorderings(words[:limit]))
    with pytest.raises(ValueError, match=f"up to {limit} tokens"):
        rank_reorderings(model, words)


def test_ranking_limit_of_a_classifier_is_the_token_cap(vocab):
    from rnnviz.compare import MAX_RANKED_TOKENS

    model = build_model("lstm", "classifier", vocab, labels=["a", "b"], seed=1)
    assert ranking_limit(model) == MAX_RANKED_TOKENS


def test_same_word_groups_are_the_reorderings_of_each_other():
    sentences = [
        ["虽然", "服务", "很差"],
        ["很差", "虽然", "服务"],
        ["酒店", "干净"],
        ["干净", "酒店"],
    ]
    assert same_word_groups(sentences) == [[0, 1], [2, 3]]
    assert same_word_groups([["我"], ["你"]]) == []
    assert same_word_groups([["我", "我"], ["我"]]) == []  # a repeated word counts
