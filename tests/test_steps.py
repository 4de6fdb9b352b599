"""The browser's step-through data and softmax/cross-entropy at a step: numbers equal the trace
they come from, and softmax/cross-entropy equal torch.nn.functional's on the model itself."""

import dataclasses
import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import rnnviz
from rnnviz.equations import step_terms
from rnnviz.steps import (
    lockstep_payload,
    softmax_breakdown,
    step_payload,
    step_target,
    top_indices,
)

SENTENCE = "我的职业是程序员，我最擅长的是电脑"


def model_logits(model, tokens) -> torch.Tensor:
    """The model's own logits (T, C), computed by PyTorch, not from the trace."""
    ids = torch.tensor(model.vocab.encode(tokens))
    with torch.no_grad():
        return model.run(model.embedding.weight[ids].unsqueeze(0))["logits"][0].double()


@pytest.fixture(scope="module")
def lm():
    return rnnviz.load_model("lm-rnn")


@pytest.fixture(scope="module")
def lm_trace(lm):
    return rnnviz.trace(lm, SENTENCE)


def test_softmax_and_cross_entropy_equal_torch_for_a_language_model(lm, lm_trace):
    logits = model_logits(lm, lm_trace.tokens)
    for step in range(len(lm_trace.tokens)):
        result = softmax_breakdown(lm_trace, step, top=5)
        reference = F.softmax(logits[step], dim=-1)
        assert result["count"] == len(lm.labels)
        for row in result["rows"]:
            assert row["logit"] == pytest.approx(float(logits[step, row["index"]]), abs=1e-4)
            assert row["p"] == pytest.approx(float(reference[row["index"]]), rel=1e-4, abs=1e-9)
            assert row["exp"] / result["sum"] == pytest.approx(row["p"], rel=1e-9)
        top = torch.topk(reference, 5).indices.tolist()
        assert [row["index"] for row in result["rows"][:5]] == top
        target = result["target"]
        if step + 1 < len(lm_trace.tokens):
            # the real next word (by id: <unk> when the model does not know it)
            assert target == lm.vocab.encode([lm_trace.tokens[step + 1]])[0]
            expected = F.cross_entropy(logits[step : step + 1], torch.tensor([target]))
            assert result["loss"] == pytest.approx(float(expected), rel=1e-5)
            assert [row["is_target"] for row in result["rows"]].count(True) == 1
        else:
            assert target is None and result["loss"] is None


def test_cross_entropy_at_the_loss_step_is_the_traced_loss(lm_trace):
    result = softmax_breakdown(lm_trace, lm_trace.loss_step)
    assert result["target"] == lm_trace.target
    assert result["loss"] == pytest.approx(lm_trace.loss, rel=1e-5)


def test_classifier_softmax_with_a_chosen_target(classifier):
    tokens = rnnviz.tokenize("我要去打篮球")
    trace = rnnviz.trace(classifier, tokens, target=0)
    logits = model_logits(classifier, tokens)
    for step in range(len(tokens)):
        assert step_target(trace, step) == 0
        result = softmax_breakdown(trace, step)
        expected = F.cross_entropy(logits[step : step + 1], torch.tensor([0]))
        assert result["loss"] == pytest.approx(float(expected), rel=1e-5)
        probabilities = F.softmax(logits[step], dim=-1)
        assert sorted(row["index"] for row in result["rows"]) == [0, 1]
        for row in result["rows"]:
            assert row["p"] == pytest.approx(float(probabilities[row["index"]]), rel=1e-5)
    assert softmax_breakdown(trace, trace.loss_step)["loss"] == pytest.approx(trace.loss, rel=1e-5)


def test_huge_logits_are_shifted_not_overflowed(lm_trace):
    params = dict(lm_trace.params)
    params["c"] = lm_trace.params["c"] + np.float32(900)
    shifted = dataclasses.replace(lm_trace, params=params)
    result = softmax_breakdown(shifted, 2)
    plain = softmax_breakdown(lm_trace, 2)
    assert result["shift"] > 800 and plain["shift"] == 0
    assert np.isfinite(result["sum"])
    for row, reference in zip(result["rows"], plain["rows"], strict=True):
        assert row["p"] == pytest.approx(reference["p"], rel=1e-4)
    assert result["loss"] == pytest.approx(plain["loss"], rel=1e-4)


def test_step_outside_the_sentence_is_refused(lm_trace):
    with pytest.raises(ValueError, match="outside"):
        softmax_breakdown(lm_trace, len(lm_trace.tokens))


def test_payload_numbers_equal_the_trace(lm, lm_trace):
    payload = step_payload(lm_trace)
    json.dumps(payload, allow_nan=False)  # plain JSON, no NaN
    assert payload["tokens"] == lm_trace.tokens
    assert payload["unknown"] == list(lm_trace.is_unknown)
    assert payload["loss_step"] == lm_trace.loss_step
    assert payload["nonfinite"] == []
    assert len(payload["steps"]) == len(lm_trace.tokens)
    for step, entry in enumerate(payload["steps"]):
        order = np.argsort(-lm_trace.probs[step], kind="stable")[:10]
        assert [label for label, _ in entry["bars"]] == [lm_trace.labels[i] for i in order]
        np.testing.assert_allclose(
            [p for _, p in entry["bars"]], lm_trace.probs[step, order], rtol=1e-5
        )
        expected = step_terms(lm_trace, step, [0, 1, 2])
        for row, reference in zip(entry["terms"], expected, strict=True):
            assert row.keys() == reference.keys()
            for name, value in reference.items():
                assert row[name] == pytest.approx(value, rel=1e-5, abs=1e-9)
        np.testing.assert_allclose(
            [row["h"] for row in entry["terms"]], lm_trace.hidden[step, :3], atol=1e-5
        )
        following = lm_trace.tokens[step + 1] if step + 1 < len(lm_trace.tokens) else None
        assert entry["next"] == following
        # unknown to the model exactly when the model's vocabulary reads it as <unk>
        unknown_id = lm.vocab.encode(["<unk>"])[0]
        expected_unknown = following is not None and lm.vocab.encode([following])[0] == unknown_id
        assert entry["next_unknown"] == expected_unknown
        if expected_unknown:
            (target_row,) = [row for row in entry["softmax"]["rows"] if row["is_target"]]
            assert target_row["label"] == "<unk>"
        reference_loss = softmax_breakdown(lm_trace, step)["loss"]
        if reference_loss is None:
            assert entry["softmax"]["loss"] is None
        else:
            assert entry["softmax"]["loss"] == pytest.approx(reference_loss, rel=1e-5)


def test_non_finite_numbers_are_flagged_never_sent(classifier):
    trace = rnnviz.trace(classifier, "我要去打篮球")
    hidden = trace.hidden.copy()
    hidden[1, 0] = np.nan
    broken = dataclasses.replace(trace, hidden=hidden)
    payload = step_payload(broken)
    text = json.dumps(payload, allow_nan=False)
    assert "NaN" not in text
    assert "softmax" in payload["nonfinite"]
    assert payload["steps"][1]["softmax"]["sum"] is None
    assert payload["steps"][0]["softmax"]["sum"] is not None


def test_long_sentence_payload_covers_every_step():
    model = rnnviz.load_model("sentiment-rnn")
    tokens = (rnnviz.tokenize("我要去打篮球。") * 250)[:1000]
    payload = step_payload(rnnviz.trace(model, tokens))
    assert len(payload["steps"]) == len(payload["tokens"]) == 1000


def test_lockstep_payload_reads_each_model(classifier, vocab):
    tokens = rnnviz.tokenize("我要去打篮球")
    other = rnnviz.build_model("gru", "classifier", vocab, labels=["负面", "正面"], seed=5)
    traces = {"a": rnnviz.trace(classifier, tokens), "b": rnnviz.trace(other, tokens)}
    payload = lockstep_payload(traces)
    json.dumps(payload, allow_nan=False)
    for entry, trace in zip(payload["models"], traces.values(), strict=True):
        for step, (label, p) in enumerate(entry["top"]):
            best = int(np.argmax(trace.probs[step]))
            assert label == trace.labels[best]
            assert p == pytest.approx(float(trace.probs[step, best]), rel=1e-5)
    with pytest.raises(ValueError, match="same tokens"):
        lockstep_payload({"a": traces["a"], "c": rnnviz.trace(other, "我要打篮球去今天")})


def test_top_indices_equal_a_stable_sort():
    generator = np.random.default_rng(0)
    for size, count in ((1, 1), (7, 3), (10_000, 10), (50, 50)):
        values = generator.integers(0, 5, size).astype(np.float32)  # many ties
        expected = np.argsort(-values, kind="stable")[:count].tolist()
        assert top_indices(values, count) == expected
    with_nan = np.array([0.2, np.nan, 0.5, 0.2])
    assert top_indices(with_nan, 4) == [2, 0, 3, 1]
