"""The training command line and the shared loop: every flag has help and its default comes from
the task's config; a dry run of each task writes a loadable checkpoint whose card holds the
config and the reproducing command; on a validation tie the card names the epoch whose weights
are kept; a run interrupted and resumed ends with the weights of one never interrupted."""

import random
from dataclasses import asdict, fields

import pytest
import torch

from rnnviz import build_model
from rnnviz.checkpoint import load_model
from rnnviz.registry import ARCHS_BY_TASK, TRAINED_TASKS
from rnnviz.train import RUNNERS, build_parser, main, parse_args
from rnnviz.training import Resume, Schedule, fit, lm_loss, pad


def test_every_task_of_the_registry_has_a_runner_and_every_flag_has_help():
    assert set(RUNNERS) == set(TRAINED_TASKS)
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "task").choices
    assert set(subparsers) == set(TRAINED_TASKS)
    for task, sub in subparsers.items():
        for action in sub._actions:
            assert action.help, f"{task} {action.option_strings} has no --help text"
        arch = next(a for a in sub._actions if a.dest == "arch")
        assert tuple(arch.choices) == ARCHS_BY_TASK[task]


@pytest.mark.parametrize("task", TRAINED_TASKS)
def test_flag_defaults_are_the_config_defaults(task):
    arch = ARCHS_BY_TASK[task][0]
    command = parse_args([task, "--arch", arch])
    assert command.config == RUNNERS[task].config(arch=arch)
    changed = parse_args([task, "--arch", arch, "--hidden-size", "7", "--seed", "3"])
    assert changed.config.hidden_size == 7 and changed.config.seed == 3


def test_an_architecture_the_task_does_not_ship_is_refused(capsys):
    with pytest.raises(SystemExit):
        parse_args(["lm", "--arch", "bow"])
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.parametrize(
    "task,arch",
    [
        ("sentiment", "gru"),
        ("lm", "rnn"),
        ("charlm", "rnn"),
        ("memory", "lstm"),
        ("activity", "position"),
    ],
)
def test_training_dry_run(task, arch, tmp_path):
    path = main([task, "--arch", arch, "--dry-run", "--out", str(tmp_path)])
    model = load_model(f"{task}-{arch}", tmp_path)
    assert path.exists() and model.card["dry_run"] is True
    assert model.card["command"] == f"python -m rnnviz.train {task} --arch {arch} --dry-run"
    assert model.card["config"] == asdict(RUNNERS[task].config(arch=arch))
    assert model.config.token_mode == ("char" if task == "charlm" else "word")


def test_pad_right_pads_with_zeros():
    ids, lengths = pad([[5, 6, 7], [8]])
    assert ids.tolist() == [[5, 6, 7], [8, 0, 0]] and lengths.tolist() == [3, 1]


def _tiny_language_model(vocab):
    return build_model("rnn", "lm", vocab, embed_size=4, hidden_size=5, seed=1).train()


def test_a_validation_tie_keeps_and_names_the_later_epoch(vocab):
    model = _tiny_language_model(vocab)
    sequences = [[2, 3, 4, 5], [3, 4, 5, 6, 7], [4, 5, 6]] * 4
    scores = iter([0.5, 0.7, 0.6, 0.7])
    weights_by_epoch = []

    def validate(model):
        weights_by_epoch.append(model.V.detach().clone())
        return next(scores)

    fitted = fit(
        model,
        [len(s) for s in sequences],
        lambda batch: lm_loss(model, pad([sequences[i] for i in batch])[0]),
        Schedule(epochs=4, batch_size=4, lr=0.05),
        random.Random(0),
        validate=validate,
    )
    assert fitted.validation_by_epoch == [0.5, 0.7, 0.6, 0.7]
    assert fitted.kept_epoch == 4
    assert torch.equal(model.V, weights_by_epoch[3])
    assert not torch.equal(model.V, weights_by_epoch[1])
    assert fitted.steps == 4 * 3


def test_the_learning_rate_decays_by_epoch(vocab, monkeypatch):
    model = _tiny_language_model(vocab)
    sequences = [[2, 3, 4], [3, 4, 5]]
    lr_seen = []

    def batch_loss(batch):
        return lm_loss(model, pad([sequences[i] for i in batch])[0])

    def validate(model):
        return 0.0

    class RecordingAdam(torch.optim.Adam):
        def step(self, closure=None):
            lr_seen.append(self.param_groups[0]["lr"])
            return super().step(closure)

    monkeypatch.setattr(torch.optim, "Adam", RecordingAdam)
    fit(model, [3, 3], batch_loss, Schedule(3, 2, 0.01, 0.5), random.Random(0), validate)
    assert lr_seen == [0.01, 0.01 * 0.5, 0.01 * 0.5**2]


def test_config_fields_are_typed_and_documented():
    for task in TRAINED_TASKS:
        for item in fields(RUNNERS[task].config):
            assert item.metadata.get("help"), f"{task}.{item.name}"


def _fit_lstm(vocab, resume=None, max_steps=None):
    """A tiny LSTM language model over 3 epochs of 3 batches, with dropout (torch's random
    stream matters too); returns the model and what the loop did."""
    model = build_model("lstm", "lm", vocab, embed_size=4, hidden_size=5, seed=1).train()
    sequences = [[2, 3, 4, 5], [3, 4, 5, 6, 7], [4, 5, 6], [5, 6, 7, 8, 9, 2]] * 3
    torch.manual_seed(0)
    fitted = fit(
        model,
        [len(s) for s in sequences],
        lambda batch: lm_loss(model, pad([sequences[i] for i in batch])[0], dropout=0.3),
        Schedule(epochs=3, batch_size=4, lr=0.05, lr_decay=0.5, max_steps=max_steps),
        random.Random(0),
        resume=resume,
    )
    return model, fitted


def test_an_interrupted_run_resumed_ends_with_the_same_weights(vocab, tmp_path):
    uninterrupted, fitted = _fit_lstm(vocab)
    assert fitted.steps == 9
    resume = Resume(tmp_path / "resume.pt", every=2)
    # stopped after step 5, in the middle of the second epoch: the last save is at step 4
    stopped, fitted = _fit_lstm(vocab, resume, max_steps=5)
    assert fitted.steps == 5
    assert torch.load(resume.path, weights_only=True)["steps"] == 4
    assert not torch.equal(stopped.V, uninterrupted.V)
    resumed, fitted = _fit_lstm(vocab, resume)
    assert fitted.steps == 9
    for name, value in uninterrupted.state_dict().items():
        assert torch.equal(resumed.state_dict()[name], value), name


def test_a_resumed_command_leaves_its_checkpoint_out_of_the_card(tmp_path):
    resume = tmp_path / "charlm-lstm.resume.pt"
    words = ["charlm", "--arch", "lstm", "--dry-run", "--hidden-size", "8", "--embed-size", "4"]
    main([*words, "--out", str(tmp_path), "--resume", str(resume)])
    assert resume.exists()
    model = load_model("charlm-lstm", tmp_path)
    assert model.card["command"] == "python -m rnnviz.train " + " ".join(words)
    assert model.config.token_mode == "char"
