"""The dashboard's logic through Streamlit's AppTest: every view runs, reacts to input, reads
its state from the URL, switches language, and answers bad input with a message."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rnnviz.app.i18n import text

TIMEOUT = 120
DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard.py"


def app(**query) -> AppTest:
    at = AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def tick_texts(at) -> list[list[str]]:
    found = []
    for spec in specs(at):
        for name, axis in spec["layout"].items():
            if name.startswith("xaxis") and "ticktext" in axis:
                found.append(axis["ticktext"])
    return found


def messages(at) -> str:
    return " ".join(str(e.value) for e in [*at.warning, *at.info, *at.error, *at.success])


@pytest.mark.parametrize("view,least", [("explore", 4), ("compare", 6), ("arch", 8)])
def test_each_view_runs_with_defaults(view, least):
    at = app(view=view)
    assert not at.exception
    assert len(at.get("plotly_chart")) >= least


def stepper_data(at) -> dict:
    """The data sent to the browser's step-through (the diagram and bars are drawn there)."""
    (component,) = [e for e in at.get("bidi_component") if e.proto.component_name]
    return json.loads(component.proto.json)


def test_default_explore_draws_the_default_sentence():
    at = app()
    assert ["我要", "去", "打篮球"] in tick_texts(at)
    assert at.title[0].value == text("app_title", "zh")


def test_typed_sentence_changes_the_charts():
    at = app()
    at.text_input(key="s").set_value("我要打篮球去").run()
    assert not at.exception
    assert ["我要", "打篮球", "去"] in tick_texts(at)


def test_step_in_the_url_is_one_based_and_drives_the_step_through():
    at = app(s="我的职业是程序员，我最擅长的是电脑", step="5")
    assert not at.exception
    assert at.session_state["step"] == 5
    data = stepper_data(at)
    assert data["step"] == 4  # 0-based inside the page: 第 5 步 reads 程序员
    assert data["payload"]["tokens"][4] == "程序员"
    assert len(data["payload"]["steps"]) == len(data["payload"]["tokens"])
    heatmap = specs(at)[0]
    assert heatmap["layout"]["shapes"][0]["x0"] == 3.5  # the charts outline the same step


def test_a_step_past_the_end_is_kept_inside_the_sentence():
    at = app(s="我要去打篮球", step="40")
    assert not at.exception
    assert at.session_state["step"] == 3
    assert stepper_data(at)["step"] == 2


def test_query_params_reproduce_a_view():
    at = app(view="compare", cmodel="sentiment-gru", n="3", c2="今天我要去打球", lang="en")
    assert not at.exception
    assert at.session_state["view"] == "compare"
    assert at.selectbox(key="cmodel").value == "sentiment-gru"
    assert at.text_input(key="c2").value == "今天我要去打球"
    assert len([t for t in at.text_input if t.key in ("c1", "c2", "c3", "c4")]) == 3
    assert at.title[0].value == text("app_title", "en")


def test_explore_query_with_model_mode_and_step():
    at = app(model="lm-lstm", mode="char", s="我要去打篮球", step="2")
    assert not at.exception
    assert at.session_state["step"] == 2
    assert ["我", "要", "去", "打", "篮", "球"] in tick_texts(at)


@pytest.mark.parametrize(
    "query",
    [
        {"model": "<script>alert(1)</script>"},
        {"step": "-5"},
        {"n": "99", "view": "compare"},
        {"rho": "nan", "view": "arch"},
        {"view": "javascript:alert(1)"},
        {"seed": "1e99"},
        {"lang": "xx"},
    ],
)
def test_hostile_query_values_fall_back_with_a_notice(query):
    at = app(**query)
    assert not at.exception
    names = ", ".join(sorted(query))
    assert any(names.split(", ")[0] in str(w.value) for w in at.warning)


def test_language_toggle_changes_labels():
    at = app()
    assert at.text_input(key="s").label == text("sentence", "zh")
    at.segmented_control(key="lang").set_value("en").run()
    assert not at.exception
    assert at.text_input(key="s").label == text("sentence", "en")
    assert at.title[0].value == text("app_title", "en")


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("", "err_empty"),
        ("   \t ", "err_empty"),
        ("\x00\x07", "err_empty"),
    ],
)
def test_empty_input_gets_a_message(sentence, expected):
    at = app()
    at.text_input(key="s").set_value(sentence).run()
    assert not at.exception
    assert text(expected, "zh") in messages(at)


def test_only_unknown_words_gets_a_message():
    at = app(model="memory-lstm")
    at.text_input(key="s").set_value("zzqx qqvv").run()
    assert not at.exception
    assert text("err_all_unknown", "zh") in messages(at)


def test_very_long_text_is_cut_with_a_message():
    at = app()
    at.text_input(key="s").set_value("我要去打篮球。" * 1000).run()
    assert not at.exception
    assert "5,000" in messages(at) and "1,000" in messages(at)
    assert text("more_tokens", "zh", shown=200, total=1000) in [c.value for c in at.caption]


@pytest.mark.parametrize(
    "sentence", ["😀太好了👍🏽", "我要\x07去\x1b打篮球", "<img src=x onerror=alert(1)>"]
)
def test_emoji_control_characters_and_html_are_read_as_text(sentence):
    at = app()
    at.text_input(key="s").set_value(sentence).run()
    assert not at.exception
    chips = [m.value for m in at.markdown if "-badge[" in m.value]
    assert chips and "<img" not in chips[0]
    if "img" in sentence:
        assert r"\<" in chips[0]
        assert [
            "&lt;",
            "img",
            "src",
            "=",
            "x",
            "onerror",
            "=",
            "alert",
            "(",
            "1",
            ")",
            "&gt;",
        ] in tick_texts(at)


def test_untrained_model_with_seed():
    at = app(untrained="1", seed="7")
    assert not at.exception
    assert at.toggle(key="untrained").value is True
    assert text("card_none", "zh", seed=7) in " ".join(m.value for m in at.markdown)


def test_lm_target_word_choice():
    at = app(model="lm-lstm", s="我的职业是程序员，我最擅长的是电脑")
    assert not at.exception
    assert any("电脑" in c.value for c in at.caption)
    at.selectbox(key="explore_target_word").set_value(2).run()  # the prediction of 职业
    assert not at.exception
    assert any("职业" in c.value and "第 2 步" in c.value for c in at.caption)
    at.selectbox(key="explore_target_word").set_value(4).run()  # 程序员: not in the vocabulary
    assert not at.exception
    assert any("<unk>" in c.value for c in at.caption)
    at.selectbox(key="explore_target_word").set_value(10).run()
    at.text_input(key="s").set_value("我要去").run()  # the chosen position no longer exists
    assert not at.exception


def test_compare_reorder_button_and_bag_of_words():
    at = app(view="compare", cmodel="sentiment-lstm")
    at.button(key="reorder_reverse").click().run()
    assert not at.exception
    assert at.text_input(key="c2").value == "打篮球 去 我要"
    assert text("bow_equal", "zh", diff=0.0).split("（")[0] in messages(at)


def test_compare_with_different_words_says_bow_differs():
    at = app(view="compare", c2="今天天气很好")
    assert not at.exception
    assert text("bow_differ", "zh", diff=0.0).split("（")[0] in messages(at)


def test_architecture_view_radius_and_live_memory():
    at = app(view="arch", rho="2.0", k="30", prof="厨师")
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert set(metrics) >= {"memory-rnn", "memory-lstm", "memory-gru"}
    assert metrics["memory-lstm"] == "做饭"
    at.slider(key="rho").set_value(0.5).run()
    assert not at.exception


def test_step_through_strings_exist_in_both_languages():
    from rnnviz.app.stepper import _strings

    for language in ("zh", "en"):
        for arch, head in (("rnn", "classifier"), ("lstm", "lm"), ("gru", "lm"), ("bow", None)):
            strings = _strings(language, arch, head, 3)
            assert all(isinstance(value, str) and value for value in strings.values())
            assert "{t}" in strings["reading"] and "{total}" in strings["count"]
            assert "{s}" in strings["speed"] and "{loss}" in strings["ce_line"]
