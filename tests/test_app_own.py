"""The "your model" view through Streamlit's AppTest: bad data answered by line in both
languages, the split shown, training through the server's queue until the models appear,
explore opening one, a checkpoint moving to another session by upload, bad checkpoints
refused, and two sessions never seeing each other's models."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from apptest import open_app
from streamlit.testing.v1 import AppTest

import rnnviz
from rnnviz.app.own_models import MAX_SESSION_MODELS

TWENTY = "".join(
    f"{a}{verb}{b}\t{a}\n"
    for verb in ("咬", "看见", "喜欢", "帮助", "抱着", "等着", "叫醒", "追着", "跟着", "找到了")
    for a, b in (("猫", "狗"), ("狗", "猫"))
)


def app(**query) -> AppTest:
    return open_app(**query)


def messages(at) -> str:
    return " ".join(str(e.value) for e in [*at.warning, *at.info, *at.error, *at.success])


def own_names(at) -> list[str]:
    return list(at.session_state["_own_models"]) if "_own_models" in at.session_state else []


def paste(at, data: str) -> AppTest:
    at.radio(key="own_source").set_value("paste").run()
    return at.text_area(key="own_text").set_value(data).run()


@pytest.mark.parametrize(
    "data,zh,en",
    [
        ("猫咬狗\t猫\n狗咬猫 狗\n", "第 2 行在句子和标签之间没有 TAB", "Line 2 has no TAB"),
        ("猫咬狗\t猫\n狗咬猫\t猫\n", "每一行的标签都是「猫」", "Every line has the label “猫”"),
        ("".join(f"句子{i}\t标签{i}\n" for i in range(11)), "共有 11 个标签", "11 labels"),
        ("<b>坏</b>\t<script>x</script>\n好\t\n", "第 2 行：标签是空的", "Line 2: the label is"),
    ],
)
def test_bad_pastes_are_named_in_both_languages(data, zh, en):
    for language, expected in (("zh", zh), ("en", en)):
        at = paste(app(view="own", lang=language), data)
        assert not at.exception
        assert expected in messages(at)
        assert at.button(key="own_train").disabled


def test_bad_uploads_are_named():
    at = app(view="own", lang="en")
    at.radio(key="own_source").set_value("upload").run()
    cases = [
        ("gbk.tsv", "猫咬狗\t猫\n".encode() + "狗咬猫\t狗\n".encode("gbk"), "Line 2 is not UTF-8"),
        ("u16.tsv", "猫咬狗\t猫\n狗咬猫\t狗\n".encode("utf-16"), "UTF-16"),
        ("bin.txt", bytes(range(256)) * 8, "binary data"),
        ("empty.txt", b"", "There is no data"),
        ("big.tsv", "猫咬狗\t猫\n".encode() * 200_000, "the limit is 1 MB"),
    ]
    for name, data, expected in cases:
        at.file_uploader(key="own_file").set_value((name, data, "text/plain")).run()
        assert not at.exception
        assert expected in messages(at), name


def train(at: AppTest, archs: list[str], seconds: float = 300) -> list[str]:
    """Click Train and rerun (as the page's one-second poll does) until the models arrive."""
    before = set(own_names(at))
    at.session_state["own_archs"] = archs
    at.run()  # a choice reruns the page, as in a browser
    at.button(key="own_train").click().run()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert not at.exception
        if "_own_job" not in at.session_state:
            break
        time.sleep(0.5)
        at.run()
    added = [name for name in own_names(at) if name not in before]
    assert len(added) == len(archs), messages(at)
    return added


def test_paste_train_explore_download_and_isolation():
    at = paste(app(view="own", lang="zh"), TWENTY)
    assert "20 句，2 个标签：16 句用来训练，4 句留出" in " ".join(m.value for m in at.markdown)
    (table,) = at.dataframe
    assert table.value.to_dict("list") == {"标签": ["猫", "狗"], "训练": [8, 8], "留出": [2, 2]}
    names = train(at, ["lstm", "bow"])
    assert [name.split("-")[1] for name in names] == ["lstm", "bow"]
    lstm_name = names[0]
    card = at.session_state["_own_models"][lstm_name].model.card
    assert card["metrics"]["training_accuracy"] == 1.0
    text = " ".join(m.value for m in at.markdown)
    assert f"**{lstm_name}** · LSTM" in text and "训练准确率 100%" in text

    # Explore opens the model on a sentence it was trained on, like a shipped one.
    at.button(key=f"own_explore_{lstm_name}").click().run()
    assert not at.exception
    assert at.query_params["view"] == "explore" and at.query_params["model"] == lstm_name
    assert at.selectbox(key="model").value == lstm_name
    assert len(at.get("plotly_chart")) >= 3

    # So does the RNN·LSTM·GRU view: the models trained together are one task there.
    at.radio(key="view").set_value("own").run()
    at.button(key=f"own_arch_{lstm_name}").click().run()
    assert not at.exception
    group = lstm_name.partition("-")[0]
    assert at.query_params["view"] == "arch" and at.query_params["task"] == group
    assert names[1].partition("-")[0] == group  # trained together, one group
    assert len(at.get("plotly_chart")) >= 4
    assert at.session_state["a"] == "猫咬狗"  # read with the sentence it was trained on

    # The compare view takes it too.
    at.radio(key="view").set_value("compare").run()
    at.selectbox(key="cmodel").set_value(lstm_name).run()
    assert not at.exception and len(at.get("plotly_chart")) >= 2

    # Another session never sees it, not even through a link naming it.
    other = app(view="explore", model=lstm_name, lang="en")
    assert not at.exception
    assert lstm_name not in other.selectbox(key="model").options
    assert other.selectbox(key="model").value == "sentiment-rnn"
    assert "model" in messages(other)
    assert own_names(other) == []

    # The downloaded checkpoint loads in the other session and reads as the first did.
    data = rnnviz.checkpoint_bytes(at.session_state["_own_models"][lstm_name].model)
    other.radio(key="view").set_value("own").run()
    other.file_uploader(key="own_checkpoint").set_value((f"{lstm_name}.pt", data, "x")).run()
    assert not other.exception
    (uploaded,) = own_names(other)
    assert uploaded != lstm_name and "Loaded as" in messages(other)
    model = other.session_state["_own_models"][uploaded].model
    assert model.card == card
    assert own_names(at) == names  # the first session is unchanged


@pytest.mark.parametrize(
    "data,expected",
    [
        (b"", "0 bytes"),
        (b"not a checkpoint at all", "not a PyTorch checkpoint"),
        (b"PK\x03\x04" + b"\0" * 100, "truncated"),
    ],
)
def test_bad_checkpoints_are_refused_with_their_reason(data, expected):
    at = app(view="own", lang="en")
    at.file_uploader(key="own_checkpoint").set_value(("bad.pt", data, "x")).run()
    assert not at.exception
    assert expected in messages(at)
    assert own_names(at) == []


def test_the_oldest_model_is_evicted_with_a_notice():
    data = (rnnviz.checkpoint.WEIGHTS_DIR / "sentiment-bow.pt").read_bytes()
    at = app(view="own", lang="en")
    names = []
    for index in range(MAX_SESSION_MODELS + 1):
        at.file_uploader(key="own_checkpoint").set_value((f"{index}.pt", data, "x")).run()
        names = own_names(at)
    assert len(names) == MAX_SESSION_MODELS
    assert "was removed" in messages(at)


def test_html_labels_and_sentences_stay_text_in_explore():
    pairs = [("<b>好</b>吃", "<i>正</i>"), ("难<script>吃", "<a href=x>负</a>")] * 3
    model = rnnviz.train_classifier(pairs, "rnn", "char", epochs=1)
    at = app(view="own", lang="en")
    data = rnnviz.checkpoint_bytes(model)
    at.file_uploader(key="own_checkpoint").set_value(("html.pt", data, "x")).run()
    (name,) = own_names(at)
    at.button(key=f"own_explore_{name}").click().run()
    assert not at.exception
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    legend_names = {trace.get("name") for spec in specs for trace in spec["data"]}
    assert "&lt;i&gt;正&lt;/i&gt;" in legend_names and "<i>正</i>" not in legend_names


def test_stop_keeps_the_weights_so_far_and_skips_the_rest():
    at = app(view="own", lang="en")
    at.radio(key="own_source").set_value("reviews").run()
    at.session_state["own_archs"] = ["lstm", "gru", "rnn", "bow"]
    at.run()  # a choice reruns the page, as in a browser
    at.button(key="own_train").click().run()
    deadline = time.monotonic() + 300
    # wait for the first curves: a pass of the first architecture is done
    while not any(button.key == "own_stop" for button in at.button) or not at.get("plotly_chart"):
        assert time.monotonic() < deadline and not at.exception
        time.sleep(0.3)
        at.run()
    at.button(key="own_stop").click().run()
    while "_own_job" in at.session_state:
        assert time.monotonic() < deadline and not at.exception
        time.sleep(0.3)
        at.run()
    names = own_names(at)
    assert 1 <= len(names) < 4
    last = at.session_state["_own_models"][names[-1]].model.card
    assert last["training"]["stopped_by_user"]


def test_removing_the_model_a_view_shows_falls_back_to_the_default():
    data = (rnnviz.checkpoint.WEIGHTS_DIR / "sentiment-gru.pt").read_bytes()
    at = app(view="own", lang="en")
    at.file_uploader(key="own_checkpoint").set_value(("gru.pt", data, "x")).run()
    (name,) = own_names(at)
    at.button(key=f"own_compare_{name}").click().run()
    assert at.selectbox(key="cmodel").value == name and not at.exception
    at.radio(key="view").set_value("own").run()
    at.button(key=f"own_remove_{name}").click().run()
    assert own_names(at) == []
    at.radio(key="view").set_value("compare").run()
    assert not at.exception and at.selectbox(key="cmodel").value != name


def test_every_refusal_the_page_can_meet_is_in_both_languages():
    """Each key the core refuses a visitor's file or text with has its i18n line (the two
    only the Python API can meet excepted)."""
    from rnnviz.app.i18n import STRINGS

    root = Path(rnnviz.__file__).parent
    source = (root / "labelled.py").read_text() + (root / "own_model.py").read_text()
    keys = set(re.findall(r'(?:RefusedInput|LabelledDataError)\(\s*"(\w+)"', source))
    keys |= {f"{what}_{problem}" for what in ("sentence", "label") for problem in ("empty", "long")}
    assert len(keys) >= 20
    missing = {key for key in keys - {"item", "ckpt_type"} if f"own_err_{key}" not in STRINGS}
    assert not missing


def test_a_second_session_waits_and_is_told_its_place():
    first = app(view="own", lang="en")
    first.radio(key="own_source").set_value("reviews").run()
    first.session_state["own_archs"] = ["lstm", "gru", "rnn"]
    first.run()  # a choice reruns the page, as in a browser
    first.button(key="own_train").click().run()
    second = app(view="own", lang="zh")
    second.session_state["own_archs"] = ["rnn"]
    second.run()  # a choice reruns the page, as in a browser
    second.button(key="own_train").click().run()
    assert not second.exception
    assert "你排在第 1 位" in messages(second)
    assert second.button(key="own_train").disabled  # one job per session
    for at in (second, first):
        at.button(key="own_stop").click().run()
    deadline = time.monotonic() + 300
    while "_own_job" in first.session_state or "_own_job" in second.session_state:
        assert time.monotonic() < deadline
        time.sleep(0.5)
        first.run()
        second.run()
    assert own_names(second) == []  # stopped before it started: nothing trained
    assert len(own_names(first)) <= 1
