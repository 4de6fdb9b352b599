"""The shipped models: they load (checked against the manifest), trace, and still measure exactly
what their cards say on the whole held-out data; a damaged or missing file is refused with a
message that says how to restore it."""

import json
import random
import shutil

import numpy as np
import pytest

import rnnviz
from rnnviz import data, memory
from rnnviz.checkpoint import MANIFEST, WEIGHTS_DIR, CheckpointError, load_model, model_status
from rnnviz.ngram import KneserNeyTrigram
from rnnviz.registry import ARCHS_BY_TASK, model_name
from rnnviz.tokens import tokenize
from rnnviz.training import classifier_accuracy, lm_perplexity


def shipped_names() -> list[str]:
    """Every `<task>-<arch>` the project trains and ships, in task then architecture order."""
    return [model_name(task, arch) for task, archs in ARCHS_BY_TASK.items() for arch in archs]


FLAGSHIP = "我的职业是程序员，我最擅长的是电脑"


def test_every_shipped_model_is_there_and_small():
    assert rnnviz.list_models() == shipped_names()
    total = sum(path.stat().st_size for path in WEIGHTS_DIR.iterdir())
    assert total <= 30 * 2**20


@pytest.mark.parametrize("name", shipped_names())
def test_shipped_model_loads_read_only_and_traces(name):
    model = rnnviz.load_model(name)
    assert not model.training and model.card["name"] == name
    assert not any(parameter.requires_grad for parameter in model.parameters())
    for sentence in ("我要去打篮球", FLAGSHIP):
        result = rnnviz.trace(model, sentence)
        assert np.all(np.isfinite(result.hidden)) and np.all(np.isfinite(result.grad_hidden))
        # gradients still reach the per-call leaves though the parameters are read-only
        assert result.grad_input[0] > 0 and result.grad_hidden[result.loss_step] > 0
        np.testing.assert_allclose(result.probs.sum(axis=1), 1, rtol=1e-5)
    assert all(parameter.grad is None for parameter in model.parameters())


@pytest.fixture(scope="module")
def sentiment_test_split():
    """The whole held-out split, as the sentiment models read it (segmented once)."""
    split = data.sentiment_split(0)
    return [data.review_tokens(text) for text in split.test_texts], split.test_labels


@pytest.mark.parametrize("name", [n for n in shipped_names() if n.startswith("sentiment-")])
def test_sentiment_accuracy_equals_the_card(name, sentiment_test_split):
    model = rnnviz.load_model(name)
    tokens, labels = sentiment_test_split
    assert len(labels) == data.SENTIMENT_TEST_SIZE
    measured = classifier_accuracy(model, [model.vocab.encode(t) for t in tokens], labels)
    assert round(measured, 4) == model.card["metrics"]["held_out_accuracy"]


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
    rnn_near, rnn_far = _memory_accuracy(rnn, 0), _memory_accuracy(rnn, 30)
    assert rnn_far < _memory_accuracy(lstm, 30)
    assert rnn_far < rnn_near
    # other prompts than the card's test set, so agreement within sampling error (300 prompts)
    by_distance = rnn.card["metrics"]["accuracy_by_distance"]
    assert abs(rnn_near - by_distance["0"]) <= 0.1 and abs(rnn_far - by_distance["30"]) <= 0.1


def test_memory_cards_record_every_seed_and_ship_the_median():
    for arch in ("rnn", "lstm", "gru"):
        card = rnnviz.load_model(f"memory-{arch}").card
        runs = card["seeds"]
        assert len(runs) >= 5 and [run["seed"] for run in runs] == card["training"]["seeds"]
        ranked = sorted(runs, key=lambda run: (run["mean_accuracy"], run["seed"]))
        median = ranked[(len(ranked) - 1) // 2]
        assert card["training"]["shipped_seed"] == median["seed"]
        assert card["metrics"]["accuracy_by_distance"] == median["accuracy_by_distance"]
        assert "median" in card["training"]["shipping_rule"]


@pytest.fixture(scope="module")
def peoples_daily_test():
    """People's Daily's held-out sentences, read once per unit ("word", "char") on demand."""
    _, test_text = data.lm_split(data.peoples_daily_sentences())
    tokens_by_mode: dict[str, list[list[str]]] = {}

    def tokens(mode: str, max_tokens: int) -> list[list[str]]:
        if mode not in tokens_by_mode:
            tokens_by_mode[mode] = [tokenize(text, mode) for text in test_text]
        return [t[:max_tokens] for t in tokens_by_mode[mode] if len(t) >= 2]

    return tokens


LANGUAGE_MODELS = [n for n in shipped_names() if n.partition("-")[0] in ("lm", "charlm")]


@pytest.mark.parametrize("name", LANGUAGE_MODELS)
def test_language_model_perplexity_equals_the_card(name, peoples_daily_test):
    model = rnnviz.load_model(name)
    sentences = peoples_daily_test(model.config.token_mode, model.card["config"]["max_tokens"])
    measured = lm_perplexity(model, [model.vocab.encode(tokens) for tokens in sentences])
    # The card rounds to 2 decimals.
    assert abs(measured - model.card["metrics"]["held_out_perplexity"]) <= 0.005 + 1e-9
    result = rnnviz.trace(model, FLAGSHIP)
    assert result.labels[result.target] == result.tokens[-1]


def test_character_models_are_scored_on_the_same_sentences_as_one_trigram():
    cards = [rnnviz.load_model(n).card for n in shipped_names() if n.startswith("charlm-")]
    assert len(cards) == 2
    for key in ("data", "split", "input"):
        assert cards[0][key] == cards[1][key], key
    trigram = {card["baselines"]["kneser_ney_trigram_perplexity"] for card in cards}
    assert len(trigram) == 1


def test_word_lstm_beats_its_ngram():
    # The character RNN does not beat its character trigram (its card: 141.3 against 48.9 after
    # one epoch); the comparison is stated, not asserted in its favour.
    card = rnnviz.load_model("lm-lstm").card
    assert (
        card["metrics"]["held_out_perplexity"] < card["baselines"]["kneser_ney_trigram_perplexity"]
    )


@pytest.mark.parametrize("name", [n for n in shipped_names() if n.startswith("charlm-")])
def test_character_model_reads_the_flagship_sentence_without_unknowns(name):
    model = rnnviz.load_model(name)
    assert rnnviz.token_mode(model) == "char"
    result = rnnviz.trace(model, FLAGSHIP)
    assert result.tokens == list(FLAGSHIP) and not any(result.is_unknown)
    # the prediction of 脑 is read after 电: the default loss is about the last character
    assert result.labels[result.target] == "脑" and result.loss_step == len(FLAGSHIP) - 2


@pytest.mark.parametrize("damage", ["flip", "truncate", "delete"])
def test_damaged_checkpoint_names_the_file_and_how_to_restore_it(damage, tmp_path):
    for path in WEIGHTS_DIR.glob("memory-*"):
        shutil.copy(path, tmp_path / path.name)
    shutil.copy(WEIGHTS_DIR / MANIFEST, tmp_path / MANIFEST)
    target = tmp_path / "memory-gru.pt"
    content = bytearray(target.read_bytes())
    if damage == "flip":
        content[len(content) // 2] ^= 0xFF
        target.write_bytes(bytes(content))
    elif damage == "truncate":
        target.write_bytes(bytes(content[: len(content) // 3]))
    else:
        target.unlink()
    command = json.loads((tmp_path / "memory-gru.json").read_text(encoding="utf-8"))["command"]
    with pytest.raises(CheckpointError, match="memory-gru.pt") as raised:
        load_model("memory-gru", tmp_path)
    assert "git checkout rnnviz/weights/memory-gru.pt" in str(raised.value)
    assert command in str(raised.value)
    assert model_status("memory-gru", tmp_path) == str(raised.value)
    assert model_status("memory-lstm", tmp_path) is None
    assert load_model("memory-lstm", tmp_path).card["name"] == "memory-lstm"


def test_missing_manifest_is_an_error_not_an_empty_list(tmp_path):
    shutil.copy(WEIGHTS_DIR / "memory-gru.pt", tmp_path / "memory-gru.pt")
    with pytest.raises(CheckpointError, match="missing") as raised:
        rnnviz.list_models(tmp_path)
    assert "git checkout rnnviz/weights/MANIFEST.json" in str(raised.value)
    assert "MANIFEST.json" in model_status("memory-gru", tmp_path)


def test_unknown_model_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match="memory-lstm"):
        rnnviz.load_model("gpt-5")
    assert "memory-lstm" in model_status("gpt-5")


def test_kneser_ney_is_a_distribution_and_matches_a_hand_computation():
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
    # p(去 | 我 要), D = 0.75, counted by hand:
    # unigram: 去 ends 2 of the 9 bigram types; 6 known words of a 7-word vocabulary
    unigram = (2 - 0.75 + 0.75 * 6 / 7) / 9
    # bigram: 要 is the middle of 2 trigram types, (要 去) follows 1 of them; 2 followers
    bigram = (1 - 0.75 + 0.75 * 2 * unigram) / 2
    # trigram: c(我 要) = 3, c(我 要 去) = 2, 2 distinct followers of 我 要
    trigram = (2 - 0.75 + 0.75 * 2 * bigram) / 3
    assert model.probability("我", "要", "去") == pytest.approx(trigram, rel=1e-12)
