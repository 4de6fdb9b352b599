"""The long-memory task's prompts and the race: determinism, identical batches, the --json
contract, stopping, bad input. Races here are tiny (tens of steps, small hidden size)."""

import json
import random
import subprocess
import sys
import time
from pathlib import Path

import plotly.graph_objects as go
import pytest
import torch
from streamlit.testing.v1 import AppTest

import rnnviz
from rnnviz import figures, memory, race, race_runner
from rnnviz.app.i18n import text
from rnnviz.models import RecurrentModel
from rnnviz.tokens import tokenize

ROOT = Path(__file__).resolve().parent.parent


def messages(at) -> str:
    return " ".join(str(e.value) for e in [*at.warning, *at.info, *at.error, *at.success])


TINY = dict(steps=12, hidden_size=8, embed_size=8, eval_every=4, eval_prompts=10, batch_size=8)


def test_every_clause_is_tokenized_as_listed():
    for clause in memory.CLAUSES:
        for other in memory.PROFESSIONS if memory.OTHER in clause else [None]:
            tokens = [other if token == memory.OTHER else token for token in clause]
            assert tokenize("".join(tokens), "word") == tokens


@pytest.mark.parametrize("distance", [0, 1, 2, 3, 4, 7, 10, 30, 50, 120])
def test_distance_is_the_exact_number_of_tokens_between_the_commas(distance):
    rng = random.Random(distance)
    for _ in range(20):
        tokens, label = memory.memory_example(rng, distance)
        assert tokens[:4] == list(memory.HEAD) and tokens[-5:] == list(memory.QUESTION)
        profession = tokens[4]
        assert memory.memory_labels()[label] == memory.PROFESSIONS[profession]
        # 6 head tokens (with the comma after the profession), k fillers, a comma, 5 question
        assert len(tokens) == (6 + distance + 1 + 5 if distance else 11)
        fillers = tokens[6:-6] if distance else []
        assert len(fillers) == distance
        assert not fillers or (fillers[0] != "，" and fillers[-1] != "，")
        # typed as text, the prompt is the same tokens (jieba reads it back exactly)
        assert tokenize("".join(tokens), "word") == tokens
        assert set(tokens) <= set(memory.memory_vocab_tokens())


def test_some_fillers_name_another_profession():
    rng = random.Random(0)
    prompts = [memory.memory_example(rng, 30)[0] for _ in range(50)]
    assert sum(any(t in memory.PROFESSIONS for t in p[6:]) for p in prompts) >= 10


def test_live_prompt_is_the_same_on_every_call_and_only_the_profession_changes():
    first = memory.live_prompt_tokens("程序员", 20)
    assert first == memory.live_prompt_tokens("程序员", 20)
    other = memory.live_prompt_tokens("厨师", 20)
    assert [i for i, (a, b) in enumerate(zip(first, other, strict=True)) if a != b] == [4]
    assert len(first) == 6 + 20 + 1 + 5
    with pytest.raises(ValueError, match="程序员"):
        memory.live_prompt_tokens("宇航员", 5)


def test_a_typed_full_sentence_gives_the_prompt_and_the_answer():
    tokens = tokenize("我的职业是程序员，今天天气很好，我最擅长的是电脑。", "word")
    prompt, answer = memory.split_answer(tokens)
    assert answer == "电脑"
    assert prompt == tokenize("我的职业是程序员，今天天气很好，我最擅长的是", "word")
    question = tokenize("我的职业是程序员，我最擅长的是", "word")
    assert memory.split_answer(question) == (question, None)
    assert memory.split_answer(["电脑"]) == (["电脑"], None)
    assert memory.split_answer([]) == ([], None)


def _curves(config: race.RaceConfig) -> list[dict]:
    return [e.to_json() for p in race.run_race(config) for e in p.evaluations]


def test_same_seed_same_curves_bit_for_bit_and_another_seed_differs():
    config = race.RaceConfig(seed=3, **TINY)
    first = _curves(config)
    assert first == _curves(config)
    assert first != _curves(race.RaceConfig(seed=4, **TINY))
    steps = sorted({e["step"] for e in first})
    assert steps == [0, 4, 8, 12]
    assert [e["arch"] for e in first[:3]] == ["rnn", "lstm", "gru"]


def test_every_architecture_sees_the_same_batches(monkeypatch):
    seen: dict[str, list[torch.Tensor]] = {}
    forward = RecurrentModel.forward

    def spy(self, ids, dropout=0.0):
        if self.training:
            seen.setdefault(self.config.arch, []).append(ids.clone())
        return forward(self, ids, dropout)

    monkeypatch.setattr(RecurrentModel, "forward", spy)
    for _ in race.run_race(race.RaceConfig(seed=1, **TINY)):
        pass
    assert set(seen) == {"rnn", "lstm", "gru"} and len(seen["rnn"]) == TINY["steps"]
    for rnn_ids, lstm_ids, gru_ids in zip(seen["rnn"], seen["lstm"], seen["gru"], strict=True):
        assert torch.equal(rnn_ids, lstm_ids) and torch.equal(rnn_ids, gru_ids)
    # varied distances: the batches are not all one length
    assert len({ids.shape[1] for ids in seen["rnn"]}) > 1


def test_an_architecture_learns_the_same_alone_as_in_the_race():
    together = [e for e in _curves(race.RaceConfig(seed=2, **TINY)) if e["arch"] == "lstm"]
    alone = _curves(race.RaceConfig(seed=2, archs=("lstm",), **TINY))
    assert together == alone


def test_stop_mid_race_keeps_the_partial_curves_and_the_models():
    contest = race.Race(race.RaceConfig(seed=0, **TINY))
    for progress in contest.run():
        if progress.step == 6:
            break
    assert contest.step == 6
    assert [e.step for e in contest.evaluations] == [0, 0, 0, 4, 4, 4]
    weights = contest.models["gru"].V.detach().clone()
    assert not torch.equal(weights, race.Race(race.RaceConfig(seed=0, **TINY)).models["gru"].V)
    assert progress.steps_per_second > 0 and progress.seconds_left is not None


def test_long_prompts_only_draws_no_short_link():
    config = race.RaceConfig(long_only=True, max_distance=40, **TINY)
    rng = random.Random(0)
    distances = {race.training_distance(rng, config, step) for step in range(500)}
    assert min(distances) == 20 and max(distances) == 40
    mixed = race.RaceConfig(max_distance=40, **TINY)
    assert min(race.training_distance(rng, mixed, step) for step in range(500)) == 0


def test_curriculum_starts_with_short_links():
    config = race.RaceConfig(curriculum=0.5, max_distance=50, **{**TINY, "steps": 100})
    rng = random.Random(0)
    assert max(race.training_distance(rng, config, 0) for _ in range(200)) <= 2
    assert max(race.training_distance(rng, config, 60) for _ in range(2000)) >= 40


@pytest.mark.parametrize(
    "options,message",
    [
        ({"steps": 0}, "Steps must be between 1"),
        ({"steps": race.MAX_STEPS + 1}, "Steps must be between 1"),
        ({"seed": -1}, "Seed must be between 0"),
        ({"archs": ()}, "at least one architecture"),
        ({"archs": ("rnn", "bow")}, "distinct names from rnn, lstm, gru"),
        ({"hidden_size": 0}, "Hidden size"),
    ],
)
def test_bad_options_say_what_is_allowed(options, message):
    with pytest.raises(race.RaceInputError, match=message):
        race.RaceConfig(**options)


def _cli(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rnnviz.race", *arguments],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_json_lines_follow_the_contract():
    result = _cli(
        "--steps", "6", "--seed", "5", "--hidden-size", "8", "--eval-every", "3", "--json",
        "--eval-prompts", "10", "--batch-size", "8",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 3 * 3  # steps 0, 3, 6 for three architectures
    for line in lines:
        assert set(line) == {"step", "arch", "accuracy_by_distance", "loss"}
        assert isinstance(line["step"], int) and line["arch"] in ("rnn", "lstm", "gru")
        assert list(line["accuracy_by_distance"]) == ["0", "10", "30", "50"]
        assert all(0 <= v <= 1 for v in line["accuracy_by_distance"].values())
        assert isinstance(line["loss"], float) and line["loss"] > 0
    assert [(line["step"], line["arch"]) for line in lines[:4]] == [
        (0, "rnn"), (0, "lstm"), (0, "gru"), (3, "rnn"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "arguments,message",
    [
        (["--steps", "0"], "Steps must be between 1"),
        (["--seed", "-3"], "Seed must be between 0"),
        (["--seed", "x"], "invalid int value"),
        (["--archs"], "at least one architecture"),
        (["--archs", "lstm,cnn"], "unknown architecture 'cnn'"),
    ],
)
def test_cli_bad_input_is_one_message_and_status_2(arguments, message):
    result = _cli(*arguments)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_cli_help_explains_every_option():
    result = _cli("--help")
    assert result.returncode == 0
    for option in ("--steps", "--seed", "--archs", "--max-distance", "--hidden-size",
                   "--eval-every", "--curriculum", "--skew", "--long-only", "--json"):  # fmt: skip
        assert option in result.stdout
    assert result.stdout.count("(default") >= 10


def _wait(background: race_runner.BackgroundRace, seconds: float = 120) -> race_runner.RaceSnapshot:
    background.join(seconds)
    return background.snapshot()


def test_one_background_race_at_a_time_and_stop_keeps_the_curves():
    slot = race_runner.RaceSlot()
    config = race.RaceConfig(**{**TINY, "steps": 5000})
    first = slot.claim(config, "teacher")
    assert first is not None and first.running
    assert slot.claim(config, "student") is None  # one race at a time
    assert first.take_models() is None  # not while it runs
    deadline = time.monotonic() + 120
    while first.snapshot().step < 5 and time.monotonic() < deadline:
        first.beat()
        time.sleep(0.05)
    first.stop()
    snapshot = _wait(first)
    assert snapshot.status == "stopped" and 5 <= snapshot.step < 5000
    assert [e["step"] for e in snapshot.evaluations[:3]] == [0, 0, 0]
    assert snapshot.evaluations == tuple(e.to_json() for e in first._race.evaluations)
    models = first.take_models()
    assert set(models) == {"rnn", "lstm", "gru"} and not models["rnn"].training
    assert first.take_models() is None  # handed out once
    assert slot.claim(config, "student").owner == "student"
    slot.current.stop()
    _wait(slot.current)


def test_a_race_whose_owner_stops_polling_is_abandoned():
    background = race_runner.BackgroundRace(
        race.RaceConfig(**{**TINY, "steps": 5000}), "gone", heartbeat_timeout=0.0
    ).start()
    snapshot = _wait(background)
    assert snapshot.status == "abandoned" and snapshot.step < 5000


def test_a_finished_background_race_equals_the_same_race_in_the_foreground():
    config = race.RaceConfig(seed=7, **TINY)
    snapshot = _wait(race_runner.BackgroundRace(config, "me", heartbeat_timeout=600).start())
    assert snapshot.status == "finished" and snapshot.step == TINY["steps"]
    assert list(snapshot.evaluations) == _curves(config)


def test_race_chart_draws_each_distance_and_architecture():
    evaluations = _curves(race.RaceConfig(seed=1, **TINY))
    figure = figures.race_chart(evaluations, TINY["steps"], (0, 10, 30), chance=0.1)
    go.Figure(figure.to_dict())  # a valid figure
    assert len(figure.data) == 3 * 3
    lstm_at_30 = [t for t in figure.data if t.name == "LSTM" and t.xaxis == "x3"][0]
    expected = [e for e in evaluations if e["arch"] == "lstm"]
    assert list(lstm_at_30.x) == [e["step"] for e in expected]
    assert list(lstm_at_30.y) == [e["accuracy_by_distance"]["30"] for e in expected]


def _race_page():
    from rnnviz.app.views.race import render_race

    render_race("en")


@pytest.fixture
def race_page(monkeypatch):
    from rnnviz.app.views.race import race_slot

    monkeypatch.syspath_prepend(str(ROOT))

    def stop_current():
        current = race_slot().current
        if current is not None:
            current.stop()
            current.join(60)

    stop_current()
    yield AppTest.from_function(_race_page, default_timeout=120)
    stop_current()


def _progress(at) -> str:
    return " ".join(element.proto.text for element in at.get("progress"))


def test_race_page_starts_updates_live_and_stops(race_page, monkeypatch):
    at = race_page.run()
    assert not at.exception and text("race_none", "en") in messages(at)
    at.multiselect(key="race_archs").set_value(["rnn", "gru"])
    at.number_input(key="race_steps").set_value(1500)
    at.button(key="race_start").click().run()
    assert not at.exception
    assert "/ 1500" in _progress(at)
    steps = []
    deadline = time.monotonic() + 120
    while len(set(steps)) < 2 and time.monotonic() < deadline:
        time.sleep(0.5)
        at.run()  # what the page's fragment does every second
        steps.append(int(_progress(at).split("step ")[1].split(" /")[0]))
    assert len(set(steps)) >= 2 and steps == sorted(steps)  # the progress moved live
    at.button(key="race_stop").click().run()
    assert not at.exception
    assert "Stopped at step" in messages(at)
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert {trace["name"] for trace in chart["data"]} == {"RNN", "GRU"}
    assert at.get("download_button")
    assigned = []

    def spy(model, name, value):
        assigned.append(name)
        torch.nn.Module.__setattr__(model, name, value)

    monkeypatch.setattr(RecurrentModel, "__setattr__", spy)
    at.run()  # the stopped race's models are now the session's own, to step through
    assert [metric.label for metric in at.metric] == ["RNN", "GRU"]
    assert len(at.get("plotly_chart")) == 1 + 2 + 1  # race, two h_t heatmaps, GRU gates
    assert "info" not in assigned  # the page names nothing on the models it was handed
    traced = []
    monkeypatch.setattr(rnnviz, "trace", lambda *args, **kwargs: traced.append(args))
    at.run()  # the same prompt again: its traces come from the shared cache
    assert not at.exception and traced == []
    assert [metric.label for metric in at.metric] == ["RNN", "GRU"]


def test_race_page_says_what_is_wrong_and_who_is_racing(race_page):
    at = race_page.run()
    at.multiselect(key="race_archs").set_value([])
    at.button(key="race_start").click().run()
    assert not at.exception and text("race_no_arch", "en") in messages(at)
    from rnnviz.app.views.race import race_slot

    other = race_slot().claim(race.RaceConfig(**{**TINY, "steps": 5000}), "another session")
    assert other is not None
    at.run()
    assert "another session started" in messages(at)
    assert at.button(key="race_start").disabled and at.button(key="race_stop").disabled


def test_memory_live_try_reads_a_typed_full_sentence_up_to_its_answer():
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
    at.query_params["view"] = "arch"
    at.query_params["lang"] = "en"
    at.run()
    at.text_input(key="mem_own").set_value(
        "我的职业是程序员，今天天气很好，我最擅长的是电脑。"
    ).run()
    assert not at.exception
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics["memory-lstm"] == "电脑"
    assert any(caption.value.startswith("p(电脑) = ") for caption in at.caption)
    # the line the models read, as a Markdown code span (tokens_line)
    assert "`我的职业是程序员，今天天气很好，我最擅长的是 → 电脑`" in [m.value for m in at.markdown]
    assert "race_start" in [button.key for button in at.button]  # the race is drawn in the view


def test_profession_distances_count_the_steps_in_each_segmentation():
    text = "我的职业是程序员，我最擅长的是电脑"
    readings = {mode: rnnviz.tokenize(text, mode) for mode in ("word", "char")}
    profession, skill, steps = memory.profession_distances(readings)
    words, chars = readings["word"], readings["char"]
    assert (profession, skill) == ("程序员", "电脑")
    assert steps["word"] == words.index("电脑") - words.index("程序员") == 7
    assert steps["char"] == chars.index("电") - chars.index("程") == 10
    assert memory.profession_distances({"char": list("今天天气很好")}) == ("", "", {})
