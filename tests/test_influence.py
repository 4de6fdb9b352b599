"""The influence map against finite differences, the per-step factors against autograd, word
importance against a brute-force loop (occlusion) and completeness (Integrated Gradients), and
the hidden-state projection against an eigendecomposition of the covariance."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import rnnviz
from rnnviz import attribution
from rnnviz.attribution import IMPORTANCE_LIMIT
from rnnviz.influencing import FACTOR_LIMIT, state_jacobians

TOKENS = ["我", "要", "去", "打", "篮球", "今天", "很", "好"]
SENTENCE = ["今天", "我", "要", "去", "打", "篮球", "很", "好"]


def small_model(arch: str, head: str = "classifier", seed: int = 0) -> rnnviz.RecurrentModel:
    """A float64 model small enough for finite differences on every coordinate."""
    vocab = rnnviz.Vocab(("<pad>", "<unk>", *TOKENS))
    labels = ["a", "b", "c"] if head == "classifier" else None
    model = rnnviz.build_model(
        arch, head, vocab, labels=labels, embed_size=5, hidden_size=6, seed=seed
    )
    return model.double()


def finite_difference_map(model, tokens, epsilon: float = 1e-6) -> np.ndarray:
    """||d l_t / d x_s|| by central differences over every coordinate of every x_s (every
    nudged sentence in one batch)."""
    ids = model.vocab.encode(tokens)
    inputs = model.embedding.weight.detach()[torch.tensor(ids)].clone()
    steps, size = inputs.shape
    with torch.no_grad():
        final = torch.softmax(model.run(inputs.unsqueeze(0))["logits"][0, -1], dim=-1)
    targets = [*ids[1:], 0] if model.config.head == "lm" else [int(torch.argmax(final))] * steps
    nudges = torch.zeros(steps, size, 2, steps, size, dtype=inputs.dtype)
    for s in range(steps):
        for coordinate in range(size):
            nudges[s, coordinate, 0, s, coordinate] = epsilon
            nudges[s, coordinate, 1, s, coordinate] = -epsilon
    batch = (inputs + nudges).reshape(-1, steps, size)
    with torch.no_grad():
        log_probs = torch.log_softmax(model.run(batch)["logits"], dim=-1)  # (N, T, C)
    chosen = log_probs[:, torch.arange(steps), targets].reshape(steps, size, 2, steps)
    gradient = (chosen[:, :, 0] - chosen[:, :, 1]) / (2 * epsilon)  # (s, coordinate, t)
    values = torch.linalg.vector_norm(gradient, dim=1).T.numpy()  # (t, s)
    if model.config.head == "lm":
        values[-1] = np.nan
    return values


@pytest.mark.parametrize("arch", ["rnn", "lstm", "gru", "bow"])
@pytest.mark.parametrize("head", ["classifier", "lm"])
def test_influence_matches_finite_differences(arch, head):
    model = small_model(arch, head)
    values = rnnviz.influence(model, SENTENCE)
    reference = finite_difference_map(model, SENTENCE)
    assert values.shape == (len(SENTENCE), len(SENTENCE))
    np.testing.assert_allclose(values, reference, rtol=1e-5, atol=1e-8)
    rows = len(SENTENCE) - 1 if head == "lm" else len(SENTENCE)
    assert np.all(np.triu(values[:rows], 1) == 0)  # later words never reach earlier outputs
    assert np.all(values[:rows][np.tril_indices(rows)] > 0)
    if head == "lm":
        assert np.all(np.isnan(values[-1]))


def test_influence_map_reading_and_shared_model_untouched():
    model = rnnviz.load_model("sentiment-lstm")
    flags = {name: p.requires_grad for name, p in model.named_parameters()}
    result = rnnviz.influence_map(model, "虽然服务很差但是环境很好")
    assert all(p.grad is None for p in model.parameters())
    assert flags == {name: p.requires_grad for name, p in model.named_parameters()}
    trace = rnnviz.trace(model, "虽然服务很差但是环境很好")
    assert set(result.targets) == {trace.labels[trace.prediction]}
    last = len(result.tokens) - 1
    strongest = result.strongest_source(last)
    assert result.values[last, strongest] == np.max(result.values[last])
    assert result.first_share(last) == result.values[last, 0] / np.max(result.values[last])
    low, high = result.finite_range()
    assert 0 < low <= high == np.max(result.values)
    assert not result.values.flags.writeable
    # The last row is the gradient the trace keeps: ||d(-L)/dx_s|| for the same loss.
    np.testing.assert_allclose(result.values[last], trace.grad_input, rtol=1e-4)


def test_influence_refuses_bad_input():
    model = small_model("rnn")
    with pytest.raises(ValueError, match="empty"):
        rnnviz.influence(model, "   ")


def autograd_jacobians(model, tokens) -> list[torch.Tensor]:
    """d state_t / d state_{t-1} for t = 1..T-1 by torch.autograd.functional.jacobian of one
    step of the model's own cell."""
    ids = model.vocab.encode(tokens)
    inputs = model.embedding.weight.detach()[torch.tensor(ids)]
    projected = model.cell.project_inputs(inputs.unsqueeze(0))[0].detach()
    size = model.config.hidden_size
    lstm = model.config.arch == "lstm"
    state = torch.zeros(2 * size if lstm else size, dtype=torch.float64)
    jacobians = []
    for t in range(len(ids)):

        def step(previous, t=t):
            hidden = previous[:size].unsqueeze(0)
            cell = previous[size:].unsqueeze(0) if lstm else None
            hidden, cell, _ = model.cell.step(projected[t : t + 1], hidden, cell, t + 1)
            return torch.cat([hidden[0], cell[0]]) if lstm else hidden[0]

        if t > 0:
            jacobians.append(torch.autograd.functional.jacobian(step, state))
        with torch.no_grad():
            state = step(state)
    return jacobians


@pytest.mark.parametrize("arch", ["rnn", "lstm", "gru"])
def test_step_factors_match_autograd(arch):
    model = small_model(arch, seed=3)
    trace = rnnviz.trace(model, SENTENCE)
    reference = autograd_jacobians(model, SENTENCE)
    closed_form = state_jacobians(trace)
    np.testing.assert_allclose(closed_form.numpy(), torch.stack(reference).numpy(), atol=1e-12)
    factors = rnnviz.step_factors(trace)
    matrices = [jacobian.numpy() for jacobian in reference]
    expected_norms = [np.linalg.svd(matrix, compute_uv=False)[0] for matrix in matrices]
    np.testing.assert_allclose(factors.norms[1:], expected_norms, rtol=1e-10)
    assert np.isnan(factors.norms[0])
    product = np.eye(matrices[0].shape[0])
    expected_products = [1.0]
    for matrix in matrices:
        product = matrix @ product
        expected_products.append(np.linalg.svd(product, compute_uv=False)[0])
    np.testing.assert_allclose(factors.product_norm, expected_products, rtol=1e-10)
    np.testing.assert_allclose(factors.product_of_norms, np.cumprod([1.0, *expected_norms]))
    assert factors.median_factor == pytest.approx(float(np.median(expected_norms)), rel=1e-10)
    # the norm of a product never exceeds the product of the norms
    assert np.all(factors.product_norm <= factors.product_of_norms * (1 + 1e-12))
    if arch == "lstm":
        size = model.config.hidden_size
        cell_blocks = [matrix[size:, size:] for matrix in matrices]
        np.testing.assert_allclose(
            factors.cell_norms[1:], [np.abs(np.diag(block)).max() for block in cell_blocks]
        )
        forget = trace.gates["forget"][1:]
        np.testing.assert_allclose(factors.cell_product[1:], np.cumprod(forget, axis=0).max(axis=1))
    else:
        assert factors.cell_norms is None and factors.cell_product is None


def test_step_factors_refuse_bag_of_words_and_long_sentences():
    with pytest.raises(ValueError, match="no recurrence"):
        rnnviz.step_factors(rnnviz.trace(small_model("bow"), SENTENCE))
    long = rnnviz.trace(small_model("rnn"), TOKENS * (FACTOR_LIMIT // len(TOKENS) + 1))
    with pytest.raises(ValueError, match=str(FACTOR_LIMIT)):
        rnnviz.step_factors(long)


@pytest.mark.parametrize("name", ["sentiment-lstm", "sentiment-bow", "lm-lstm"])
@pytest.mark.parametrize("sentence", ["虽然服务很差但是环境很好", "我要去打篮球"])
def test_occlusion_equals_a_brute_force_loop(name, sentence):
    model = rnnviz.load_model(name)
    result = rnnviz.word_importance(model, sentence, method="occlusion")
    tokens = result.tokens
    context = tokens[:-1] if model.config.head == "lm" else tokens

    def probability(words):
        return float(rnnviz.trace(model, words).probs[-1, result.target])

    full = rnnviz.trace(model, context)
    if model.config.head == "lm":
        assert result.target == model.vocab.encode([tokens[-1]])[0]
    else:
        assert result.target == full.prediction
    assert result.value == pytest.approx(probability(context), abs=1e-6)
    for index in range(len(context)):
        removed = context[:index] + context[index + 1 :]
        unknown = [*context[:index], "<unk>", *context[index + 1 :]]
        assert result.scores[index] == pytest.approx(result.value - probability(removed), abs=1e-6)
        assert result.unknown_scores[index] == pytest.approx(
            result.value - probability(unknown), abs=1e-6
        )
    if model.config.head == "lm":
        assert np.isnan(result.scores[-1]) and np.isnan(result.unknown_scores[-1])


@pytest.mark.parametrize(
    "name", ["sentiment-rnn", "sentiment-lstm", "sentiment-gru", "sentiment-bow", "lm-rnn"]
)
@pytest.mark.parametrize(
    "sentence",
    ["虽然服务很差但是环境很好", "虽然环境很好但是服务很差", "这本书写得太好了，推荐大家看"],
)
def test_integrated_gradients_are_complete_within_one_percent(name, sentence):
    model = rnnviz.load_model(name)
    result = rnnviz.word_importance(model, sentence, method="integrated_gradients")
    assert all(p.grad is None for p in model.parameters())
    difference = result.value - result.baseline_value
    total = sum(score for score in result.scores if not np.isnan(score))
    assert result.total == pytest.approx(total, rel=1e-12)
    assert abs(result.total - difference) <= 0.01 * abs(difference)
    assert abs(result.convergence_delta) <= 0.01 * abs(difference)
    # the explained output is the one the model really gives
    context = result.tokens[:-1] if model.config.head == "lm" else result.tokens
    trace = rnnviz.trace(model, context)
    assert result.value == pytest.approx(float(trace.probs[-1, result.target]), abs=1e-6)
    with torch.no_grad():
        zeros = torch.zeros(1, len(context), model.config.embed_size)
        baseline = torch.softmax(model.run(zeros)["logits"][0, -1].double(), dim=-1)
    # float32 logits: the last step's product alone may round differently in the 8th digit
    assert result.baseline_value == pytest.approx(float(baseline[result.target]), abs=1e-7)


def test_bag_of_words_importance_ignores_order():
    """The order-blind network gives each word the same importance in either order."""
    model = rnnviz.load_model("sentiment-bow")
    first = rnnviz.word_importance(model, "虽然服务很差但是环境很好", method="occlusion")
    second = rnnviz.word_importance(model, "虽然环境很好但是服务很差", method="occlusion")
    by_word = dict(zip(first.tokens, first.scores, strict=True))
    for token, score in zip(second.tokens, second.scores, strict=True):
        assert score == pytest.approx(by_word[token], abs=1e-5)


def test_word_importance_refuses_bad_input():
    model = rnnviz.load_model("lm-rnn")
    with pytest.raises(ValueError, match="Unknown method"):
        rnnviz.word_importance(model, "我要去打篮球", method="saliency")
    with pytest.raises(ValueError, match="at least two"):
        rnnviz.word_importance(model, "我", method="occlusion")
    ranked = rnnviz.word_importance(small_model("rnn"), SENTENCE).ranked()
    assert sorted(ranked) == list(range(len(SENTENCE)))
    too_long = ["好"] * (IMPORTANCE_LIMIT + 1)
    with pytest.raises(ValueError, match=f"up to {IMPORTANCE_LIMIT} tokens"):
        rnnviz.word_importance(model, too_long, method="occlusion")


def test_word_importance_in_small_batches_is_the_same(monkeypatch):
    """Variants run a few at a time (as a long sentence's are) give the one-batch scores,
    and Integrated Gradients in batches of 3 stays complete."""
    model = rnnviz.load_model("lm-lstm")
    sentence = "我的职业是程序员，早上天气很好，我最擅长的是电脑"
    whole = rnnviz.word_importance(model, sentence, method="occlusion")
    ig_whole = rnnviz.word_importance(model, sentence, method="integrated_gradients")
    monkeypatch.setattr(attribution, "BATCH_FLOATS", 3 * 12 * model.config.hidden_size * 30)
    assert attribution.batch_size(model, 30) == 3
    split = rnnviz.word_importance(model, sentence, method="occlusion")
    np.testing.assert_allclose(split.scores, whole.scores, atol=1e-6)
    np.testing.assert_allclose(split.unknown_scores, whole.unknown_scores, atol=1e-6)
    ig_split = rnnviz.word_importance(model, sentence, method="integrated_gradients")
    np.testing.assert_allclose(ig_split.scores, ig_whole.scores, atol=1e-5)
    difference = ig_split.value - ig_split.baseline_value
    assert abs(ig_split.convergence_delta) <= 0.01 * abs(difference)


@pytest.mark.parametrize("arch", ["rnn", "lstm", "gru"])
def test_the_last_output_alone_is_the_last_of_every_output(arch):
    model = small_model(arch, head="lm")
    inputs = torch.randn(3, 7, model.config.embed_size, dtype=torch.float64)
    every = model.run(inputs)["logits"]
    last = model.run(inputs, every_output=False)["logits"]
    assert last.shape == (3, 1, every.shape[-1])
    torch.testing.assert_close(last[:, 0], every[:, -1])


def test_hidden_paths_match_the_covariance_eigenvectors():
    model = rnnviz.load_model("sentiment-lstm")
    traces = [
        rnnviz.trace(model, sentence)
        for sentence in ("虽然服务很差但是环境很好", "虽然环境很好但是服务很差", "我要去打篮球")
    ]
    paths = rnnviz.hidden_paths(traces)
    states = np.concatenate([trace.hidden for trace in traces]).astype(np.float64)
    covariance = np.cov(states, rowvar=False, bias=True)
    eigenvalues, eigenvectors = np.linalg.eigh(covariance)
    order = np.argsort(eigenvalues)[::-1]
    np.testing.assert_allclose(
        paths.explained, eigenvalues[order[:2]] / eigenvalues.sum(), rtol=1e-8
    )
    for index in range(2):
        vector = eigenvectors[:, order[index]]
        assert abs(vector @ paths.components[index]) == pytest.approx(1, abs=1e-8)
    np.testing.assert_allclose(paths.components @ paths.components.T, np.eye(2), atol=1e-12)
    for trace, path in zip(traces, paths.paths, strict=True):
        assert path.shape == (len(trace.tokens), 2)
        np.testing.assert_allclose(path, (trace.hidden - paths.mean) @ paths.components.T)
    np.testing.assert_allclose(paths.final_points(), [path[-1] for path in paths.paths])


def test_hidden_paths_refuse_mixed_models():
    sentence = "我要去打篮球"
    traces = [
        rnnviz.trace(rnnviz.load_model(name), sentence)
        for name in ("sentiment-lstm", "sentiment-rnn")
    ]
    with pytest.raises(ValueError, match="different models"):
        rnnviz.hidden_paths(traces)
    with pytest.raises(ValueError, match="at least one"):
        rnnviz.hidden_paths([])


def test_influence_refuses_sentences_over_the_limit():
    from rnnviz.influencing import INFLUENCE_LIMIT

    with pytest.raises(ValueError, match=str(INFLUENCE_LIMIT)):
        rnnviz.influence(small_model("rnn"), TOKENS * (INFLUENCE_LIMIT // len(TOKENS) + 1))


def test_the_measured_claims_of_the_readme_hold():
    """What the README and the views say was measured on the article's examples."""
    prompt = "我的职业是程序员，早上天气很好，我们一起去公园散步，我最擅长的是"
    initial, trained = {}, {}
    for arch in ("rnn", "lstm", "gru"):
        name = f"memory-{arch}"
        untrained = rnnviz.untrained_like(name, 0)
        initial[arch] = rnnviz.step_factors(rnnviz.trace(untrained, prompt)).product_norm[-1]
        model = rnnviz.load_model(name)
        trained[arch] = rnnviz.step_factors(rnnviz.trace(model, prompt)).product_norm[-1]
    # at initialisation the product vanishes, the RNN's ~100 times more than the others
    assert initial["rnn"] < 1e-5
    assert initial["rnn"] * 50 < min(initial["lstm"], initial["gru"]) < 1e-3
    assert min(trained.values()) > 1  # trained, the first word's state still moves the last
    lstm = rnnviz.load_model("sentiment-lstm")
    tops = []
    for sentence in ("虽然服务很差但是环境很好", "虽然环境很好但是服务很差"):
        result = rnnviz.word_importance(lstm, sentence, method="occlusion")
        tops.append(result.tokens[result.ranked()[0]])
    assert tops == ["好", "很差"]
    bow = rnnviz.load_model("sentiment-bow")
    ends = [
        rnnviz.trace(bow, s).hidden[-1]
        for s in ("虽然服务很差但是环境很好", "虽然环境很好但是服务很差")
    ]
    assert np.linalg.norm(ends[0] - ends[1]) < 1e-5


@pytest.mark.parametrize("arch,head", [("rnn", "lm"), ("lstm", "classifier")])
def test_rows_in_blocks_match_finite_differences_on_a_long_sentence(arch, head):
    """Above BLOCK_STEPS tokens the rows come in blocks, each through its own prefix."""
    from rnnviz.influencing import BLOCK_STEPS

    sentence = (SENTENCE * 20)[: 3 * BLOCK_STEPS + 7]
    model = small_model(arch, head, seed=1)
    values = rnnviz.influence(model, sentence)
    np.testing.assert_allclose(values, finite_difference_map(model, sentence), rtol=1e-5, atol=1e-9)
