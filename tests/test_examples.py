"""The sentences the dashboard offers are ones its models can read: every example is fully in
the vocabulary of each model it is offered with, the landing sentence is read right, the
default compare pair flips the order-reading model and leaves the bag of words unmoved; and
the views compute no model quantity (they never touch a vocabulary or a config)."""

import ast
from pathlib import Path

import numpy as np
import pytest

import rnnviz
from rnnviz.app import controls, state
from rnnviz.compare import largest_change, similarity_matrix
from rnnviz.memory import memory_vocab_tokens

APP = Path(rnnviz.__file__).parent / "app"
FIELDS = state.fields(rnnviz.list_models())


@pytest.fixture(scope="module")
def models():
    return {name: rnnviz.load_model(name) for name in rnnviz.list_models()}


def unknown_tokens(model, sentence: str) -> list[str]:
    tokens = rnnviz.tokenize(sentence, model.config.token_mode)
    return [
        token
        for token, unknown in zip(tokens, model.vocab.is_unknown(tokens), strict=True)
        if unknown
    ]


def test_every_model_is_offered_examples_it_knows_every_token_of(models):
    checked = 0
    for name, model in models.items():
        examples = controls.examples_for(name)
        assert examples, f"no examples for {name}"
        for sentence in examples:
            assert unknown_tokens(model, sentence) == [], (name, sentence)
            checked += 1
    assert checked >= 3 * len(models)


def test_the_flagship_sentence_goes_only_with_a_model_that_knows_it(models):
    flagship = "我的职业是程序员，我最擅长的是电脑"
    offered = [name for name in models if flagship in controls.examples_for(name)]
    for name in offered:
        assert unknown_tokens(models[name], flagship) == []
    # the word models read 程序员 and 擅长 as <unk>: never offered with them
    for name in ("lm-rnn", "lm-lstm", "sentiment-rnn"):
        assert name not in offered and unknown_tokens(models[name], flagship)


@pytest.mark.parametrize(
    "field,model_field", [("s", "model"), ("c1", "cmodel"), ("c2", "cmodel"), ("c3", "cmodel")]
)
def test_default_sentences_are_known_to_their_default_model(models, field, model_field):
    model = models[FIELDS[model_field].default]
    assert unknown_tokens(model, FIELDS[field].default) == []


def test_default_memory_prompt_is_known_to_every_memory_model(models):
    for name in ("memory-rnn", "memory-lstm", "memory-gru"):
        assert unknown_tokens(models[name], FIELDS["a"].default) == []


def test_memory_examples_stay_known_when_the_memory_models_are_retrained():
    """Every token of the memory prompts is in the vocabulary the task builds."""
    vocabulary = set(memory_vocab_tokens())
    for sentence in [*controls.MEMORY_EXAMPLES, FIELDS["a"].default]:
        assert [t for t in rnnviz.tokenize(sentence) if t not in vocabulary] == [], sentence


def test_the_landing_view_reads_its_sentence_right(models):
    """The vanilla RNN opens the dashboard on a clearly positive review, and rates it so."""
    assert FIELDS["model"].default == "sentiment-rnn"
    sentence = FIELDS["s"].default
    result = rnnviz.trace(models["sentiment-rnn"], sentence)
    label, probability = result.predicted()
    assert label == controls.known_label(sentence) == "正面"
    assert probability > 0.85


def test_default_compare_pair_flips_the_lstm_and_not_the_bag_of_words(models):
    first, second = FIELDS["c1"].default, FIELDS["c2"].default
    tokens_first, tokens_second = rnnviz.tokenize(first), rnnviz.tokenize(second)
    assert sorted(tokens_first) == sorted(tokens_second) and tokens_first != tokens_second
    lstm = models[FIELDS["cmodel"].default]
    a, b = rnnviz.trace(lstm, first), rnnviz.trace(lstm, second)
    assert a.predicted()[0] == controls.known_label(first) == "正面"
    assert b.predicted()[0] == controls.known_label(second) == "负面"
    assert a.probs[-1, 1] - b.probs[-1, 1] > 0.5
    bow = models["sentiment-bow"]
    assert largest_change([rnnviz.trace(bow, first), rnnviz.trace(bow, second)]) < 1e-6


def test_default_meaning_keeping_pair_keeps_the_prediction_and_the_state(models):
    """c3/c4: the same words in another order with the same meaning: the same prediction and
    final states much closer than those of the meaning-changing pair c1/c2."""
    lstm = models[FIELDS["cmodel"].default]
    traces = [rnnviz.trace(lstm, FIELDS[f"c{n}"].default) for n in (1, 2, 3, 4)]
    assert sorted(traces[2].tokens) == sorted(traces[3].tokens)
    assert traces[2].predicted()[0] == traces[3].predicted()[0] == "正面"
    assert largest_change(traces[2:]) < 0.05
    matrix = similarity_matrix(traces)
    assert matrix[2, 3] > 0.85 > 0.5 > matrix[0, 1]


def test_compare_presets_are_same_word_reorderings_their_model_knows(models):
    shown = controls.compare_presets(list(models))
    assert {preset.key for preset in shown} >= {"preset_flip", "preset_keep"}
    assert any("我要" in preset.sentences[0] for preset in shown)  # the article's pair
    for preset in shown:
        model = models[preset.model]
        assert len(preset.sentences) in (2, 4)
        tokenized = [rnnviz.tokenize(s, preset.mode) for s in preset.sentences]
        for first, second in zip(tokenized[::2], tokenized[1::2], strict=True):
            assert sorted(first) == sorted(second) and first != second
        for tokens in tokenized:
            assert not any(model.vocab.is_unknown(tokens)), (preset.key, tokens)


# Fields only a model's config has (a race's config also has sizes and a seed).
MODEL_CONFIG_ONLY = {"head", "token_mode", "arch", "vocab_size", "num_outputs"}
MODEL_GETTERS = {"get_model", "load_model", "untrained_like", "build_model"}


def _is_model(node: ast.expr) -> bool:
    """A model as views name it: `model`, `...model`, or get_model(...)-like calls."""
    if isinstance(node, ast.Name):
        return node.id.endswith("model")
    if isinstance(node, ast.Attribute):
        return node.attr.endswith("model")
    if isinstance(node, ast.Call):
        function = node.func
        name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
        return name in MODEL_GETTERS
    return False


def _model_reads(path: Path) -> list[str]:
    """Reads of a vocabulary or of a model's config, and calls that encode tokens."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        where = f"{path.name}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Attribute):
            if node.attr in {"vocab", "stoi", "itos"}:
                found.append(f"{where} .{node.attr}")
            elif node.attr == "config" and _is_model(node.value):
                found.append(f"{where} .config")
            elif (
                node.attr in MODEL_CONFIG_ONLY
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "config"
                and not _is_model(node.value.value)
            ):
                found.append(f"{where} .config.{node.attr}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"encode", "is_unknown"}
            # tokens in, not str.encode() / str.encode("utf-8") to bytes
            and node.args
            and not isinstance(node.args[0], ast.Constant)
        ):
            found.append(f"{where} .{node.func.attr}()")
    return found


def test_views_read_no_vocabulary_or_config():
    modules = sorted(APP.glob("*.py"))
    assert len(modules) >= 8
    assert [read for module in modules for read in _model_reads(module)] == []


def test_the_ast_check_finds_a_view_that_encodes(tmp_path):
    view = tmp_path / "view.py"
    view.write_text(
        "def f(model, tokens, key, trace, snapshot):\n"
        "    a = model.vocab.encode(tokens), model.config\n"
        "    b = get_model(key).config, trace.model.config.head, x.config.token_mode\n"
        "    return snapshot.config.steps, snapshot.config.hidden_size, 'a'.encode()\n"
    )
    assert sorted(_model_reads(view)) == [
        "view.py:2 .config",
        "view.py:2 .encode()",
        "view.py:2 .vocab",
        "view.py:3 .config",
        "view.py:3 .config",
        "view.py:3 .config.token_mode",
    ]


def test_target_choices_are_what_trace_takes(models):
    tokens = rnnviz.tokenize("我的职业是老师，我每天都去学校")
    lm = models["lm-lstm"]
    choices = rnnviz.target_choices(lm, tokens)
    assert [c.number for c in choices] == list(range(len(tokens), 1, -1))
    for choice in choices[:3]:
        result = rnnviz.trace(lm, tokens, **choice.trace_arguments())
        assert result.loss_token == choice.label == tokens[choice.number - 1]
        assert result.loss_step == choice.number - 2
    classes = rnnviz.target_choices(models["sentiment-rnn"], tokens)
    assert [(c.kind, c.number, c.label) for c in classes] == [
        ("class", 1, "负面"),
        ("class", 2, "正面"),
    ]
    result = rnnviz.trace(models["sentiment-rnn"], tokens, **classes[1].trace_arguments())
    assert result.target_label == "正面"
    assert result.loss == pytest.approx(-np.log(result.probs[-1, 1]), rel=1e-5)


def test_known_labels_of_memory_prompts_are_the_skill_of_the_profession():
    assert controls.known_label("我的职业是厨师，今天下雨，我最擅长的是") == "做饭"
    assert controls.known_label(" 我的职业是程序员，我最擅长的是") == "电脑"
    assert controls.known_label("虽然环境很好但是服务很差") == "负面"
    assert controls.known_label("我要去上学") is None


def test_memory_examples_are_labelled_and_read_right_by_the_lstm(models):
    lstm = models["memory-lstm"]
    for sentence in controls.MEMORY_EXAMPLES:
        assert rnnviz.trace(lstm, sentence).predicted()[0] == controls.known_label(sentence)
