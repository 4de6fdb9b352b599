"""Your own model: train_classifier on twenty order-only sentences (the LSTM and RNN fit them,
bag-of-words cannot), its card checked against rnnviz.trace, Stop, and load_checkpoint: a
round trip, and every bad file of issue 31 refused with its reason."""

from __future__ import annotations

import io
import os
import pickle

import numpy as np
import pytest
import torch

import rnnviz
from rnnviz.labelled import example_set, split
from rnnviz.own_model import MAX_CHECKPOINT_BYTES

# Twenty sentences, ten mirrored pairs: who does it, 猫 or 狗.
VERBS = ("咬", "看见", "喜欢", "帮助", "抱着", "等着", "叫醒", "追着", "跟着", "找到了")
TWENTY = [(f"{a}{verb}{b}", a) for verb in VERBS for a, b in (("猫", "狗"), ("狗", "猫"))]


@pytest.fixture(scope="module")
def trained() -> dict[str, rnnviz.RecurrentModel]:
    torch.set_num_threads(1)
    return {arch: rnnviz.train_classifier(TWENTY, arch, "word") for arch in ("lstm", "bow")}


def predicted(model, sentence: str) -> str:
    trace = rnnviz.trace(model, sentence)
    return trace.labels[int(np.argmax(trace.probs[-1]))]


def test_lstm_fits_the_order_task_and_its_card_says_what_trace_measures(trained):
    model = trained["lstm"]
    card = model.card
    parts = split(TWENTY, seed=0)
    assert card["split"]["training"] == parts.train_counts == {"猫": 8, "狗": 8}
    assert card["split"]["held_out"] == parts.held_out_counts == {"猫": 2, "狗": 2}
    assert card["data"]["sentences"] == 20 and card["architecture"] == "lstm"
    assert card["training"]["seconds"] > 0 and not card["training"]["stopped_by_user"]
    train_correct = [predicted(model, TWENTY[i][0]) == TWENTY[i][1] for i in parts.train]
    held_correct = [predicted(model, TWENTY[i][0]) == TWENTY[i][1] for i in parts.held_out]
    assert card["metrics"]["training_accuracy"] == round(np.mean(train_correct), 4) == 1.0
    assert card["metrics"]["held_out_accuracy"] == round(np.mean(held_correct), 4)
    assert model.labels == ["猫", "狗"] and not model.training
    assert not any(parameter.requires_grad for parameter in model.parameters())


def test_bag_of_words_cannot_tell_mirrors_apart(trained):
    """Same tokens, same output, whatever the training: so it cannot fit a training set that
    holds both sentences of a pair."""
    model = trained["bow"]
    for sentence, _ in TWENTY:
        mirror = sentence.replace("猫", "X").replace("狗", "猫").replace("X", "狗")
        np.testing.assert_allclose(
            rnnviz.trace(model, sentence).probs[-1],
            rnnviz.trace(model, mirror).probs[-1],
            atol=1e-6,  # the sum is taken in another order
        )
    assert model.card["metrics"]["training_accuracy"] < 1.0
    assert (
        model.card["metrics"]["training_accuracy"]
        < trained["lstm"].card["metrics"]["training_accuracy"]
    )


def test_stop_keeps_the_weights_so_far():
    calls = []
    model = rnnviz.train_classifier(
        TWENTY, "rnn", "char", should_stop=lambda: len(calls) >= 3, on_progress=calls.append
    )
    training = model.card["training"]
    assert training["stopped_by_user"] and training["steps"] == 3
    assert len(training["by_epoch"]) == 3 and [p.epoch for p in calls] == [1, 2, 3]


def test_bad_pairs_and_names():
    with pytest.raises(ValueError, match="labels"):
        rnnviz.train_classifier([("猫咬狗", "猫"), ("狗咬猫", "猫")])
    with pytest.raises(ValueError, match="architecture"):
        rnnviz.train_classifier(TWENTY, arch="transformer")
    with pytest.raises(ValueError, match="mode"):
        rnnviz.train_classifier(TWENTY, mode="bytes")


def test_checkpoint_round_trip(trained):
    model = trained["lstm"]
    loaded = rnnviz.load_checkpoint(rnnviz.checkpoint_bytes(model))
    assert loaded.card == model.card and loaded.labels == model.labels
    assert loaded.vocab.itos == model.vocab.itos and loaded.config == model.config
    for sentence, _ in TWENTY[:4]:
        np.testing.assert_allclose(  # weights travel as float16
            rnnviz.trace(loaded, sentence).probs, rnnviz.trace(model, sentence).probs, atol=2e-3
        )


def test_a_checkpoint_written_by_the_command_line_loads():
    data = (rnnviz.checkpoint.WEIGHTS_DIR / "sentiment-gru.pt").read_bytes()
    model = rnnviz.load_checkpoint(data)
    shipped = rnnviz.load_model("sentiment-gru")
    assert model.card == {} and model.config == shipped.config
    np.testing.assert_array_equal(
        rnnviz.trace(model, "服务很好").probs, rnnviz.trace(shipped, "服务很好").probs
    )


def refused(data) -> rnnviz.RefusedInput:
    with pytest.raises(rnnviz.RefusedInput) as caught:
        rnnviz.load_checkpoint(data)
    return caught.value


def saved(checkpoint) -> bytes:
    buffer = io.BytesIO()
    torch.save(checkpoint, buffer)
    return buffer.getvalue()


def good_checkpoint(model) -> dict:
    return torch.load(io.BytesIO(rnnviz.checkpoint_bytes(model)), weights_only=True)


def test_empty_and_huge_files():
    assert refused(b"").key == "ckpt_empty"
    assert refused(b"\0" * (200 * 2**20)).key == "ckpt_too_big"
    assert refused(b"\0" * (MAX_CHECKPOINT_BYTES + 1)).key == "ckpt_too_big"


def test_not_a_checkpoint():
    assert refused("猫咬狗\t猫\n".encode()).key == "ckpt_not"
    assert refused(os.urandom(5000)).key == "ckpt_not"
    assert refused(saved([1, 2, 3])).key == "ckpt_not"
    assert refused(saved({"weights": torch.zeros(3)})).key == "ckpt_invalid"


class RunsCode:
    def __reduce__(self):
        return (os.system, ("touch /tmp/rnnviz-pwned",))


def test_a_pickle_that_would_run_code_is_refused_unread(tmp_path):
    assert refused(saved({"config": RunsCode()})).key == "ckpt_code"
    assert refused(pickle.dumps(RunsCode(), protocol=2)).key == "ckpt_code"
    assert refused(pickle.dumps(RunsCode())).key in ("ckpt_code", "ckpt_not")
    assert not os.path.exists("/tmp/rnnviz-pwned")


def test_truncated(trained):
    data = rnnviz.checkpoint_bytes(trained["lstm"])
    for cut in (len(data) // 2, len(data) - 30, 100):
        assert refused(data[:cut]).key == "ckpt_truncated"


def test_wrong_shapes_are_named(trained):
    checkpoint = good_checkpoint(trained["lstm"])
    checkpoint["state_dict"]["cell.W"] = torch.zeros(3, 3)
    error = refused(saved(checkpoint))
    assert error.key == "ckpt_invalid" and "cell.W" in str(error) and "[3, 3]" in str(error)
    checkpoint = good_checkpoint(trained["lstm"])
    checkpoint["config"]["hidden_size"] = 64
    assert "shape" in str(refused(saved(checkpoint)))
    checkpoint = good_checkpoint(trained["lstm"])
    checkpoint["config"]["arch"] = "gru"
    assert "weights" in str(refused(saved(checkpoint)))
    checkpoint = good_checkpoint(trained["lstm"])
    checkpoint["state_dict"]["V"] = torch.full_like(checkpoint["state_dict"]["V"], float("nan"))
    assert "NaN" in str(refused(saved(checkpoint)))


def test_vocabulary_and_labels_that_do_not_match(trained):
    checkpoint = good_checkpoint(trained["lstm"])
    checkpoint["vocab"] = checkpoint["vocab"][:-1]
    error = refused(saved(checkpoint))
    assert error.key == "ckpt_invalid" and "vocabulary" in str(error)
    checkpoint = good_checkpoint(trained["lstm"])
    checkpoint["vocab"][0] = "猫猫"
    assert "<pad>" in str(refused(saved(checkpoint)))
    checkpoint = good_checkpoint(trained["lstm"])
    checkpoint["labels"] = ["猫", "狗", "鸟"]
    assert "labels" in str(refused(saved(checkpoint)))
    checkpoint = good_checkpoint(trained["lstm"])
    checkpoint["config"]["vocab_size"] = 10**9
    assert "vocab_size" in str(refused(saved(checkpoint)))
    checkpoint = good_checkpoint(trained["lstm"])
    checkpoint["card"] = "not json {"
    assert refused(saved(checkpoint)).key == "ckpt_card"


def test_order_example_set_lstm_beats_bag_of_words_on_held_out_lines():
    pairs = example_set("order")
    lstm = rnnviz.train_classifier(pairs, "lstm", "char", epochs=60)
    bow = rnnviz.train_classifier(pairs, "bow", "char", epochs=60)
    assert lstm.card["metrics"]["held_out_accuracy"] >= 0.9
    assert bow.card["metrics"]["held_out_accuracy"] <= 0.5
