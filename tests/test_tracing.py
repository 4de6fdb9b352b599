"""trace() against references: PyTorch's own recurrent layers, a step computed by hand, and
finite differences of the loss."""

import dataclasses
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import torch

import rnnviz
from rnnviz import Vocab, build_model, trace

TWELVE = "我的职业是程序员，我最擅长的是电脑"


def _copy_from_torch(model, reference):
    cell = model.cell
    with torch.no_grad():
        cell.U.copy_(reference.weight_ih_l0)
        cell.W.copy_(reference.weight_hh_l0)
        if model.config.arch == "gru":
            cell.b.copy_(reference.bias_ih_l0)
            cell.b_hidden.copy_(reference.bias_hh_l0)
        else:
            cell.b.copy_(reference.bias_ih_l0 + reference.bias_hh_l0)


@pytest.mark.parametrize(
    "arch,layer", [("rnn", torch.nn.RNN), ("lstm", torch.nn.LSTM), ("gru", torch.nn.GRU)]
)
def test_parity_with_torch_layers(arch, layer, vocab):
    model = build_model(
        arch, "classifier", vocab, labels=["a", "b"], embed_size=8, hidden_size=16, seed=1
    )
    torch.manual_seed(7)
    reference = layer(8, 16, batch_first=True)
    _copy_from_torch(model, reference)
    result = trace(model, TWELVE)
    assert len(result.tokens) == 12
    with torch.no_grad():
        expected, final = reference(torch.tensor(result.inputs).unsqueeze(0))
    np.testing.assert_allclose(result.hidden, expected[0].numpy(), atol=1e-5)
    if arch == "lstm":
        # nn.LSTM returns only the last cell state: rerun prefix by prefix to get every c_t.
        cells = []
        for t in range(1, 13):
            with torch.no_grad():
                _, (_, cell_t) = reference(torch.tensor(result.inputs[:t]).unsqueeze(0))
            cells.append(cell_t[0, 0].numpy())
        np.testing.assert_allclose(result.cell, np.stack(cells), atol=1e-5)
        np.testing.assert_allclose(result.cell[-1], final[1][0, 0].numpy(), atol=1e-5)
    else:
        assert result.cell is None


def test_hand_computed_two_step_elman():
    vocab = Vocab(("<pad>", "<unk>", "甲", "乙"))
    model = build_model("rnn", "classifier", vocab, labels=["A", "B"], embed_size=2, hidden_size=2)
    with torch.no_grad():
        model.embedding.weight.copy_(torch.tensor([[0, 0], [0, 0], [1.0, 0], [0, 1.0]]))
        model.cell.U.copy_(torch.tensor([[0.5, -0.2], [0.1, 0.3]]))
        model.cell.W.copy_(torch.tensor([[0.4, 0.0], [-0.3, 0.2]]))
        model.cell.b.copy_(torch.tensor([0.1, -0.1]))
        model.V.copy_(torch.tensor([[1.0, -1.0], [0.5, 0.5]]))
        model.c.copy_(torch.tensor([0.0, 0.2]))
    result = trace(model, ["甲", "乙"])
    # h1 = tanh([0.5 + 0.1, 0.1 - 0.1]) = tanh([0.6, 0]);
    # h2 = tanh([-0.2 + 0.4*h1[0] + 0.1, 0.3 - 0.3*h1[0] - 0.1])
    np.testing.assert_allclose(
        result.hidden,
        [[0.5370495669980353, 0.0], [0.11431789426876666, 0.038865542950425366]],
        atol=1e-6,
    )
    # y = softmax([h0 - h1, 0.5 h0 + 0.5 h1 + 0.2])
    np.testing.assert_allclose(
        result.probs,
        [[0.5171244955184378, 0.48287550448156213], [0.4498840064425657, 0.5501159935574343]],
        atol=1e-6,
    )
    np.testing.assert_allclose(result.params["U"], [[0.5, -0.2], [0.1, 0.3]])


def _loss(model, inputs, offsets, step, target):
    result = model.run(inputs.unsqueeze(0), offsets.unsqueeze(0))
    return -torch.log_softmax(result["logits"][0], dim=-1)[step, target]


@pytest.mark.parametrize("head", ["classifier", "lm"])
def test_gradients_equal_finite_differences(arch, head, vocab):
    model = build_model(
        arch, head, vocab, labels=["x", "y", "z"], embed_size=5, hidden_size=4, seed=11
    ).double()
    result = trace(model, "我的职业是程序员，我最擅长的是电脑")
    inputs = torch.tensor(result.inputs, dtype=torch.float64)
    offsets = torch.zeros(len(result.tokens), 4, dtype=torch.float64)
    step_size = 1e-3  # five-point stencil: truncation ~h^4, round-off ~1e-16/h

    def loss_at(tensor, index, shift):
        moved = tensor.clone()
        moved[index] += shift
        args = (moved, offsets) if tensor is inputs else (inputs, moved)
        with torch.no_grad():
            return float(_loss(model, *args, result.loss_step, result.target))

    def numeric_norms(tensor):
        gradient = torch.zeros_like(tensor)
        for index in np.ndindex(*tensor.shape):
            gradient[index] = (
                -loss_at(tensor, index, 2 * step_size)
                + 8 * loss_at(tensor, index, step_size)
                - 8 * loss_at(tensor, index, -step_size)
                + loss_at(tensor, index, -2 * step_size)
            ) / (12 * step_size)
        return torch.linalg.vector_norm(gradient, dim=-1).numpy()

    np.testing.assert_allclose(result.grad_input, numeric_norms(inputs), rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(result.grad_hidden, numeric_norms(offsets), rtol=1e-6, atol=1e-12)
    assert result.loss == pytest.approx(
        float(_loss(model, inputs, offsets, result.loss_step, result.target).detach()), rel=1e-12
    )


def test_classifier_loss_defaults_to_predicted_class_at_last_step(classifier):
    result = trace(classifier, "我要去打篮球")
    assert result.loss_step == len(result.tokens) - 1
    assert result.target == int(np.argmax(result.probs[-1]))
    assert result.loss == pytest.approx(-np.log(result.probs[-1, result.target]), rel=1e-5)


def test_language_model_targets_last_word_from_the_step_before(vocab):
    model = build_model("lstm", "lm", vocab, seed=2)
    result = trace(model, "我的职业是程序员，我最擅长的是电脑")
    assert result.labels[result.target] == "电脑"
    assert result.loss_step == len(result.tokens) - 2
    assert np.all(result.grad_hidden[result.loss_step + 1 :] == 0)
    assert result.grad_hidden[result.loss_step] > 0
    other = trace(model, "我的职业是程序员，我最擅长的是电脑", target="程序员", loss_step=3)
    assert other.labels[other.target] == "程序员" and other.loss_step == 3
    with pytest.raises(ValueError, match="Unknown target"):
        trace(model, "我要去打篮球", target="不存在的词")


def test_shapes_follow_the_contract(classifier):
    result = trace(classifier, "我要去打篮球😀")
    steps = len(result.tokens)
    assert result.inputs.shape == (steps, 8)
    assert result.hidden.shape == (steps, 6)
    assert result.probs.shape == (steps, 2)
    np.testing.assert_allclose(result.probs.sum(axis=1), 1, rtol=1e-5)
    assert result.grad_hidden.shape == result.grad_input.shape == (steps,)
    assert result.is_unknown[-1] is True and result.tokens[-1] == "😀"
    expected_gates = {
        "rnn": set(),
        "bow": set(),
        "position": set(),
        "gru": {"reset", "update", "candidate"},
        "lstm": {"input", "forget", "candidate", "output"},
    }[result.arch]
    assert set(result.gates) == expected_gates
    for gate in result.gates.values():
        assert gate.shape == (steps, 6)
    if result.arch == "rnn":
        assert {name: p.shape for name, p in result.params.items()} == {
            "U": (6, 8),
            "W": (6, 6),
            "b": (6,),
            "V": (2, 6),
            "c": (2,),
        }


def test_bag_of_words_is_order_blind_and_rnns_are_not(vocab):
    import itertools

    bow = build_model("bow", "classifier", vocab, labels=["a", "b"], seed=5)
    tokens = rnnviz.tokenize("今天我要去打球")
    reference = trace(bow, tokens).probs[-1]
    for permutation in itertools.permutations(tokens):
        np.testing.assert_allclose(
            trace(bow, list(permutation)).probs[-1], reference, rtol=1e-6, atol=1e-7
        )
    for arch in ("rnn", "lstm", "gru"):
        model = build_model(arch, "classifier", vocab, labels=["a", "b"], seed=5)
        a, b = trace(model, "我要去打篮球"), trace(model, "我要打篮球去")
        assert np.linalg.norm(a.hidden[-1] - b.hidden[-1]) > 1e-3


def test_deterministic_and_thread_safe(classifier):
    sentences = [
        "我要去打篮球",
        "我要打篮球去",
        "今天我要去打球",
        "我的职业是程序员，我最擅长的是电脑",
    ] * 5
    sequential = [trace(classifier, text) for text in sentences]
    with ThreadPoolExecutor(8) as pool:
        for _ in range(8):
            threaded = list(pool.map(lambda text: trace(classifier, text), sentences))
            for a, b in zip(sequential, threaded, strict=True):
                assert np.array_equal(a.hidden, b.hidden)
                assert np.array_equal(a.probs, b.probs)
                assert np.array_equal(a.grad_hidden, b.grad_hidden)
                assert np.array_equal(a.grad_input, b.grad_input)
    assert all(parameter.grad is None for parameter in classifier.parameters())
    assert not classifier.training


def test_params_are_read_only(classifier):
    result = trace(classifier, "我要去打篮球")
    with pytest.raises(ValueError):
        result.params["V"][0, 0] = 1.0


@pytest.mark.parametrize("text", ["", "   ", "\x00\x1b"])
def test_empty_input_message(classifier, text):
    with pytest.raises(ValueError, match="empty"):
        trace(classifier, text)


def test_long_input_refused_with_limit(classifier):
    with pytest.raises(ValueError, match="limit"):
        trace(classifier, "好" * 100_000)
    with pytest.raises(ValueError, match="1,000"):
        trace(classifier, ["好"] * 1001)


def test_a_thousand_tokens_trace(classifier):
    result = trace(classifier, ["我要", "去", "打篮球"] * 333 + ["！"])
    assert result.hidden.shape[0] == 1000 and np.all(np.isfinite(result.grad_hidden))


def test_emoji_html_and_control_characters(classifier):
    result = trace(classifier, "<img src=x onerror=alert(1)>😀\x07我要")
    assert "<" in result.tokens and "😀" in result.tokens and "\x07" not in "".join(result.tokens)


def test_bad_names(vocab):
    with pytest.raises(ValueError, match="rnn, lstm, gru, bow"):
        build_model("transformer", "classifier", vocab, labels=["a"])
    with pytest.raises(ValueError, match="word, char"):
        trace(build_model("rnn", "lm", vocab), "我要", mode="bytes")


def test_spectral_radius_rescaling(vocab):
    from rnnviz.models import spectral_radius, with_spectral_radius

    model = build_model("rnn", "classifier", vocab, labels=["a", "b"], seed=0)
    scaled = with_spectral_radius(model, 1.5)
    assert spectral_radius(scaled.cell.W) == pytest.approx(1.5, rel=1e-5)
    assert spectral_radius(model.cell.W) != pytest.approx(1.5, rel=1e-3)


def test_target_position_is_the_word_read_one_step_before(vocab):
    model = build_model("gru", "lm", vocab, seed=4)
    tokens = rnnviz.tokenize(TWELVE)
    default = trace(model, TWELVE)
    assert default.target_position == len(tokens) - 1 and default.loss_token == "电脑"
    chosen = trace(model, TWELVE, target_position=2)
    assert chosen.loss_step == 1 and chosen.target_position == 2
    assert chosen.labels[chosen.target] == tokens[2] and chosen.loss_token == tokens[2]
    assert chosen.loss == pytest.approx(-np.log(chosen.probs[1, chosen.target]), rel=1e-5)
    # the same loss as naming the word and the step
    named = trace(model, TWELVE, target=tokens[2], loss_step=1)
    np.testing.assert_array_equal(named.grad_hidden, chosen.grad_hidden)
    assert trace(model, TWELVE, target_position=-1).target_position == len(tokens) - 1
    for bad in (0, len(tokens), -len(tokens)):
        with pytest.raises(ValueError, match="not a predicted token"):
            trace(model, TWELVE, target_position=bad)
    with pytest.raises(ValueError, match="alone"):
        trace(model, TWELVE, target_position=2, loss_step=1)


def test_target_position_of_an_unknown_word_is_unk(vocab):
    model = build_model("rnn", "lm", vocab, seed=4)
    result = trace(model, ["我要", "去", "火星"], target_position=2)
    assert result.is_unknown == [False, False, True]
    assert result.target_label == "<unk>" and result.loss_token == "火星"
    assert result.next_probability[1] == pytest.approx(result.probs[1, vocab.stoi["<unk>"]])


def test_target_position_is_refused_for_a_classifier(classifier):
    with pytest.raises(ValueError, match="language model"):
        trace(classifier, "我要去打篮球", target_position=1)


def test_next_probability_is_the_real_next_word(vocab):
    model = build_model("lstm", "lm", vocab, seed=6)
    result = trace(model, TWELVE)
    ids = vocab.encode(result.tokens)
    expected = [result.probs[t, ids[t + 1]] for t in range(len(ids) - 1)]
    np.testing.assert_allclose(result.next_probability, expected, rtol=1e-6)
    assert len(result.next_probability) == len(result.tokens) - 1


def test_classifier_has_no_next_word_and_names_its_loss_token(classifier):
    result = trace(classifier, "我要去打篮球", target=0)
    assert result.next_probability is None and result.target_position is None
    assert result.loss_token == result.tokens[-1] and result.target_label == "负面"


def test_one_prediction_definition(classifier):
    result = trace(classifier, "我要去打篮球")
    for step in range(len(result.tokens)):
        index = result.prediction_at(step)
        assert result.probs[step, index] == result.probs[step].max()
        assert result.predicted(step) == (result.labels[index], float(result.probs[step, index]))
    assert result.prediction == result.prediction_at(len(result.tokens) - 1)


def test_relative_gradient_is_the_decay_ratio_at_every_step(vocab):
    from rnnviz.gradients import decay_ratio

    model = build_model("rnn", "lm", vocab, seed=8)
    result = trace(model, TWELVE, target_position=6)
    relative = result.relative_gradient()
    assert relative.shape == (6,) and relative[-1] == pytest.approx(1.0)
    expected = [decay_ratio(result.grad_hidden, 5, source) for source in range(6)]
    np.testing.assert_allclose(relative, expected)


def test_gradients_finite_says_whether_any_gradient_overflowed(classifier):
    result = trace(classifier, "我要去打篮球")
    assert result.gradients_finite
    for name in ("grad_hidden", "grad_input"):
        broken = getattr(result, name).copy()
        broken[0] = np.inf
        assert not dataclasses.replace(result, **{name: broken}).gradients_finite
