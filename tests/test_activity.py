"""The article's examples as a task: the templates tokenize as intended, every word of the
article's sentences is in the vocabulary, the reorderings are never in the training order, the
position-wise network is a feed-forward layer over the zero-padded sentence, and training is
bit-for-bit repeatable within one process."""

import hashlib

import pytest
import torch

from rnnviz import activity, build_model, tokenize, trace
from rnnviz.checkpoint import load_model
from rnnviz.models import POSITIONS
from rnnviz.train import main


def test_the_article_sentences_tokenize_as_the_lesson_says():
    assert tokenize("我要去打篮球") == ["我要", "去", "打篮球"]
    assert tokenize("我要打篮球去") == ["我要", "打篮球", "去"]
    assert tokenize("今天我要去打球") == ["今天", "我要", "去", "打球"]
    assert tokenize("我要打球去今天") == ["我要", "打球", "去", "今天"]


def test_every_template_sentence_has_its_activity_as_one_token_where_expected():
    vocab = activity.template_vocab()
    for subject in activity.SUBJECTS:
        for word in activity.activity_words():
            for time_word in ("", *activity.TIMES):
                for particle in ("", *activity.PARTICLES):
                    tokens = tokenize(activity.in_order(subject, word, time_word, particle))
                    position = activity.activity_position(tokens)
                    assert tokens[position] == word and tokens[position - 1] == "去"
                    assert tokens[position + 1 :] == ([particle] if particle else [])
                    assert not any(vocab.is_unknown(tokens))
                moved = tokenize(activity.reordered(subject, word, time_word))
                assert moved[activity.activity_position(moved) + 1] == "去"
                assert moved[-1] == (time_word or "去")
                assert not any(vocab.is_unknown(moved))
    for text, label in activity.ARTICLE_SENTENCES:
        assert not any(vocab.is_unknown(tokenize(text))) and label in activity.LABELS


def test_the_reorderings_are_never_training_sentences_and_the_groups_split_them():
    train = activity.training_sentences(400, 0.5, seed=0)
    assert all(
        tokens[-1] in activity.activity_words()
        for tokens, _ in activity.training_sentences(100, 0.0, seed=1)
    )
    seen = {tuple(tokens) for tokens, _ in train}
    groups = activity.test_groups(train)
    assert not seen & {tuple(tokens) for tokens, _ in groups["reordered"]}
    assert len(groups["new_position"]) + len(groups["seen_position"]) == len(groups["reordered"])
    # 我要打篮球去: 打篮球 is the second token, where no training sentence has its activity.
    assert (["我要", "打篮球", "去"], 0) in groups["new_position"]
    assert (["他", "要", "打篮球", "去"], 0) in groups["seen_position"]


def test_the_position_network_is_a_feed_forward_layer_over_the_padded_sentence():
    vocab = activity.template_vocab()
    model = build_model("position", "classifier", vocab, labels=activity.LABELS, seed=3)
    tokens = tokenize("今天我要去打球")
    result = trace(model, "今天我要去打球")
    weights = model.cell.U.detach().double()  # (POSITIONS, H, E)
    inputs = model.embedding.weight.detach().double()[torch.tensor(vocab.encode(tokens))]
    padded = torch.zeros(POSITIONS, inputs.shape[1], dtype=torch.double)
    padded[: len(tokens)] = inputs
    flat = weights.permute(1, 0, 2).reshape(weights.shape[1], -1)  # (H, POSITIONS * E)
    hidden = torch.tanh(flat @ padded.reshape(-1) + model.cell.b.detach().double())
    assert result.hidden[-1] == pytest.approx(hidden.numpy(), abs=1e-5)
    probs = torch.softmax(model.V.detach().double() @ hidden + model.c.detach().double(), -1)
    assert result.probs[-1] == pytest.approx(probs.numpy(), abs=1e-5)
    # Moving a word changes which block reads it; a token past the last block is not read.
    assert trace(model, "我要打球去今天").probs[-1] != pytest.approx(result.probs[-1], abs=1e-3)
    long = "我要去打球" * 5
    long_trace = trace(model, long)
    assert len(long_trace.tokens) > POSITIONS
    assert long_trace.hidden[-1] == pytest.approx(long_trace.hidden[POSITIONS - 1], abs=1e-6)


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("arch", ["rnn", "position"])
def test_two_short_training_runs_in_one_process_give_equal_weights(arch, tmp_path):
    first = main(["activity", "--arch", arch, "--dry-run", "--out", str(tmp_path / "a")])
    second = main(["activity", "--arch", arch, "--dry-run", "--out", str(tmp_path / "b")])
    assert _digest(first) == _digest(second)
    other = main(
        ["activity", "--arch", arch, "--dry-run", "--seed", "5", "--out", str(tmp_path / "c")]
    )
    assert _digest(other) != _digest(first)


SHIPPED = [f"activity-{arch}" for arch in ("position", "bow", "rnn", "lstm")]


@pytest.mark.parametrize("name", SHIPPED)
def test_the_shipped_models_accuracy_equals_its_card(name):
    """The card's metrics re-measured on the shipped weights, on the sentences of its seed."""
    model = load_model(name)
    config, seed = model.card["config"], model.card["training"]["shipped_seed"]
    train = activity.training_sentences(config["sentences"], config["particle_share"], seed)
    validation = activity.training_sentences(
        activity.VALIDATION_SIZE, config["particle_share"], activity.VALIDATION_SEED + seed
    )
    measured = {"in_order": activity.accuracy(model, validation)}
    for group, sentences in activity.test_groups(train).items():
        measured[group] = activity.accuracy(model, sentences)
    assert {k: round(v, 4) for k, v in measured.items()} == model.card["metrics"]["accuracy"]
    for text, _ in activity.ARTICLE_SENTENCES:
        assert not any(model.vocab.is_unknown(tokenize(text))), text


def test_what_the_lesson_says_holds_over_the_seeds_of_the_cards():
    """Section 12's claims, on the mean and range over seeds each card holds (both designs)."""
    cards = {name.split("-")[1]: load_model(name).card for name in SHIPPED}
    chance = cards["rnn"]["baselines"]["chance"]

    def over(card, share):
        by_share = {card["config"]["particle_share"]: card["over_seeds"]}
        by_share[card["other_design"]["particle_share"]] = card["other_design"]["over_seeds"]
        return by_share[share]

    for share in (0.0, 0.5):
        # the position-wise network: at chance where the activity moved to a new position
        assert over(cards["position"], share)["new_position"]["mean"] < chance + 0.1
        assert over(cards["position"], share)["seen_position"]["mean"] > 0.6
        # bag of words: every reordering, every seed
        assert over(cards["bow"], share)["reordered"]["min"] == 1.0
    for arch in ("rnn", "lstm"):
        # activity always last in training: no better than chance + 0.15 on a new position
        assert over(cards[arch], 0.0)["new_position"]["mean"] < chance + 0.15
        # half the sentences carry it one word on: it recognises the moved activity
        carry, last = over(cards[arch], 0.5), over(cards[arch], 0.0)
        assert carry["new_position"]["mean"] > 0.5
        assert carry["new_position"]["mean"] > last["new_position"]["mean"] + 0.3


def test_the_measurement_command_prints_a_table_over_seeds(capsys):
    activity.main(["--seeds", "2", "--archs", "bow", "--particle-share", "0"])
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("|")]
    assert lines[0].startswith("| particles | network | in_order | reordered")
    assert lines[2].startswith("| 0% | bow | 100% (100%–100%)")


def test_the_page_shows_the_article_sentences_the_task_was_measured_on():
    from rnnviz.app import controls
    from rnnviz.app.views.lesson.article import ARTICLE_PAIRS

    article = [text for text, _ in activity.ARTICLE_SENTENCES]
    assert [s for pair in ARTICLE_PAIRS for s in pair] == article
    assert controls.ACTIVITY_EXAMPLES[:4] == article
    for text, label in activity.ARTICLE_SENTENCES:
        assert controls.known_label(text) == label
    for text, label in controls.ACTIVITY_LABELS.items():
        tokens = tokenize(text)
        assert (
            label == activity.LABELS[activity.label_of(tokens[activity.activity_position(tokens)])]
        )
