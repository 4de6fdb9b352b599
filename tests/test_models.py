"""The shipped models: they load (checked against the manifest), trace, and still measure what
their cards say; training runs; a damaged checkpoint is refused with a clear message."""

import random
import shutil

import numpy as np
import pytest

import rnnviz
from rnnviz import data, memory
from rnnviz.checkpoint import WEIGHTS_DIR, CheckpointError, load_model
from rnnviz.train import KneserNeyTrigram, main

EXPECTED = {
    f"{task}-{arch}"
    for task, archs in {
        "sentiment": ("rnn", "lstm", "gru", "bow"),
        "lm": ("rnn", "lstm"),
        "memory": ("rnn", "lstm", "gru"),
    }.items()
    for arch in archs
}


def test_every_shipped_model_is_there_and_small():
    assert set(rnnviz.list_models()) == EXPECTED
    total = sum(path.stat().st_size for path in WEIGHTS_DIR.iterdir())
    assert total <= 30 * 2**20


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_shipped_model_loads_and_traces(name):
    model = rnnviz.load_model(name)
    assert not model.training and model.card["name"] == name
    for sentence in ("我要去打篮球", "我的职业是程序员，我最擅长的是电脑"):
        result = rnnviz.trace(model, sentence)
        assert np.all(np.isfinite(result.hidden)) and np.all(np.isfinite(result.grad_hidden))
        np.testing.assert_allclose(result.probs.sum(axis=1), 1, rtol=1e-5)


@pytest.fixture(scope="module")
def held_out_sample():
    split = data.sentiment_split(0)
    rng = random.Random(2024)
    indices = rng.sample(range(len(split.test_texts)), 600)
    return [split.test_texts[i] for i in indices], [split.test_labels[i] for i in indices]


@pytest.mark.parametrize(
    "name", ["sentiment-rnn", "sentiment-lstm", "sentiment-gru", "sentiment-bow"]
)
def test_sentiment_accuracy_matches_the_card(name, held_out_sample):
    model = rnnviz.load_model(name)
    texts, labels = held_out_sample
    correct = sum(
        rnnviz.trace(model, data.review_tokens(text)).prediction == label
        for text, label in zip(texts, labels, strict=True)
    )
    measured = correct / len(labels)
    assert abs(measured - model.card["metrics"]["held_out_accuracy"]) <= 0.02


def test_sentiment_split_is_fixed_and_disjoint():
    split = data.sentiment_split(0)
    assert len(split.test_texts) == data.SENTIMENT_TEST_SIZE >= 2000
    assert not set(split.test_texts) & set(split.train_texts)
    assert split.test_texts[:5] == data.sentiment_split(0).test_texts[:5]


def test_memory_lstm_remembers_the_programmer_over_twenty_words():
    model = rnnviz.load_model("memory-lstm")
    tokens = memory.live_prompt_tokens("程序员", 20)
    assert len(tokens) == 6 + 20 + 1 + 5
    result = rnnviz.trace(model, tokens)
    assert result.labels[result.prediction] == "电脑"
    # the same prompt typed as a full sentence: the answer is split off, the prompt is read
    typed = rnnviz.tokenize("".join(tokens) + "电脑", "word")
    prompt, answer = memory.split_answer(typed)
    assert answer == "电脑" and prompt == tokens


def _memory_accuracy(model, distance: int, samples: int = 300) -> float:
    rng = random.Random(99)
    hits = 0
    for _ in range(samples):
        tokens, label = memory.memory_example(rng, distance)
        hits += rnnviz.trace(model, tokens).prediction == label
    return hits / samples


def test_vanilla_rnn_forgets_over_distance_where_the_lstm_does_not():
    rnn, lstm = rnnviz.load_model("memory-rnn"), rnnviz.load_model("memory-lstm")
    assert _memory_accuracy(rnn, 30) < _memory_accuracy(lstm, 30)
    assert _memory_accuracy(rnn, 0) >= 0.85


@pytest.mark.parametrize("name", ["lm-rnn", "lm-lstm"])
def test_language_model_perplexity_matches_the_card(name):
    from rnnviz.tokens import tokenize
    from rnnviz.train import lm_perplexity

    model = rnnviz.load_model(name)
    _, test_text = data.lm_split(data.peoples_daily_sentences())
    sentences = [tokenize(text, "word")[: data.LM_MAX_TOKENS] for text in test_text]
    encoded = [model.vocab.encode(tokens) for tokens in sentences if len(tokens) >= 2]
    measured = lm_perplexity(model, encoded)
    assert measured == pytest.approx(model.card["metrics"]["held_out_perplexity"], rel=0.01)
    if name == "lm-lstm":  # the LSTM must beat the smoothed n-gram on the same split
        assert measured < model.card["baselines"]["kneser_ney_trigram_perplexity"]
    result = rnnviz.trace(model, "我的职业是程序员，我最擅长的是电脑")
    assert result.labels[result.target] == "电脑"


@pytest.mark.parametrize("task,arch", [("sentiment", "gru"), ("lm", "rnn"), ("memory", "lstm")])
def test_training_dry_run(task, arch, tmp_path):
    path = main([task, "--arch", arch, "--dry-run", "--out", str(tmp_path)])
    model = load_model(f"{task}-{arch}", tmp_path)
    assert path.exists() and model.card["dry_run"] is True
    assert model.card["command"] == f"python -m rnnviz.train {task} --arch {arch} --dry-run"


@pytest.mark.parametrize("damage", ["flip", "truncate"])
def test_damaged_checkpoint_gives_a_clear_error(damage, tmp_path):
    for path in WEIGHTS_DIR.iterdir():
        shutil.copy(path, tmp_path / path.name)
    target = tmp_path / "memory-gru.pt"
    content = bytearray(target.read_bytes())
    if damage == "flip":
        content[len(content) // 2] ^= 0xFF
    else:
        content = content[: len(content) // 3]
    target.write_bytes(bytes(content))
    with pytest.raises(CheckpointError, match="memory-gru.pt"):
        load_model("memory-gru", tmp_path)
    assert load_model("memory-lstm", tmp_path).card["name"] == "memory-lstm"


def test_unknown_model_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match="memory-lstm"):
        rnnviz.load_model("gpt-5")


def test_kneser_ney_is_a_distribution():
    sentences = [
        ["我", "要", "去", "打", "篮球"],
        ["我", "要", "打", "篮球", "去"],
        ["今天", "我", "要", "去"],
    ]
    vocabulary = sorted({w for s in sentences for w in s}) + ["<unk>"]
    model = KneserNeyTrigram(sentences, vocab_size=len(vocabulary))
    for context in (("我", "要"), ("<s>", "<s>"), ("篮球", "去"), ("从未", "见过")):
        total = sum(model.probability(*context, word) for word in vocabulary)
        assert total == pytest.approx(1.0, abs=1e-9)
