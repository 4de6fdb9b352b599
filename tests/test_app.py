"""The dashboard's logic through Streamlit's AppTest: every view runs, reacts to input, reads
its state from the URL, switches language, and answers bad input with a message."""

import json
import shutil

import pytest
from apptest import chart_specs, open_app
from streamlit.testing.v1 import AppTest

import rnnviz
from rnnviz.app import controls
from rnnviz.app.i18n import text
from rnnviz.app.resources import TraceCache, trace_bytes
from rnnviz.app.state import DEFAULT_SENTENCE


def app(**query) -> AppTest:
    return open_app(**query)


def tick_texts(at) -> list[list[str]]:
    found = []
    for spec in chart_specs(at):
        for name, axis in spec["layout"].items():
            if name.startswith("xaxis") and "ticktext" in axis:
                found.append(axis["ticktext"])
    return found


def messages(at) -> str:
    return " ".join(str(e.value) for e in [*at.warning, *at.info, *at.error, *at.success])


@pytest.mark.parametrize("view,least", [("explore", 3), ("compare", 6), ("arch", 8)])
def test_each_view_runs_with_defaults(view, least):
    at = app(view=view)
    assert not at.exception
    assert len(at.get("plotly_chart")) >= least


def stepper_data(at) -> dict:
    """The data sent to the browser's step-through (the diagram and bars are drawn there)."""
    (component,) = [
        e for e in at.get("bidi_component") if "rnnviz_stepper" in e.proto.component_name
    ]
    return json.loads(component.proto.json)


def test_default_explore_draws_the_default_sentence():
    at = app()
    assert [
        "酒店",
        "很",
        "干净",
        "，",
        "服务",
        "很",
        "好",
        "，",
        "早餐",
        "也",
        "不错",
    ] in tick_texts(at)
    assert at.title[0].value == text("app_title", "zh")


def test_typed_sentence_changes_the_charts():
    at = app()
    at.text_input(key="s").set_value("我要打篮球去").run()
    assert not at.exception
    assert ["我要", "打篮球", "去"] in tick_texts(at)


def test_step_in_the_url_is_one_based_and_drives_the_step_through():
    at = app(s="我的职业是程序员，我最擅长的是电脑", step="5")
    assert not at.exception
    assert at.session_state["step"] == 4
    data = stepper_data(at)
    assert data["step"] == 4  # 0-based inside the page: 第 5 步 reads 程序员
    assert data["payload"]["tokens"][4] == "程序员"
    assert len(data["payload"]["steps"]) == len(data["payload"]["tokens"])
    heatmap = chart_specs(at)[0]
    assert heatmap["layout"]["shapes"][0]["x0"] == 3.5  # the charts outline the same step


def test_a_step_past_the_end_is_kept_inside_the_sentence():
    at = app(s="我要去打篮球", step="40")
    assert not at.exception
    assert at.session_state["step"] == 2
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
    at = app(model="charlm-rnn", mode="char", s="我要去打篮球", step="3")
    assert not at.exception
    assert at.session_state["step"] == 2  # the URL is 1-based like the screen's 第 3 步
    assert at.query_params["step"] == "3"
    assert stepper_data(at)["step"] == 2
    assert ["我", "要", "去", "打", "篮", "球"] in tick_texts(at)


@pytest.mark.parametrize(
    "query",
    [
        {"model": "<script>alert(1)</script>"},
        {"step": "-5"},
        {"step": "0"},  # a 0-based link from before the URL became 1-based
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
    language = query.get("lang", "zh") if query.get("lang") in ("zh", "en") else "zh"
    names = ", ".join(sorted(name for name in query if name != "view" or len(query) == 1))
    notice = text("notice_query", language, names=names)
    assert notice in [w.value for w in at.warning]
    for name in names.split(", "):
        assert at.query_params.get(name) != query[name]


def test_language_toggle_changes_labels():
    at = app()
    assert at.text_input(key="s").label == text("sentence", "zh")
    at.segmented_control(key="lang").set_value("en").run()
    assert not at.exception
    assert at.text_input(key="s").label == text("sentence", "en")
    assert at.title[0].value == text("app_title", "en")


def test_english_step_through_names_the_classes_in_english():
    """The zh page runs first, so a payload cached for it must not be reused on the en page."""
    at = app()
    assert "负面" in json.dumps(stepper_data(at), ensure_ascii=False)
    at.segmented_control(key="lang").set_value("en").run()
    assert not at.exception
    sent = json.dumps(stepper_data(at), ensure_ascii=False)
    assert "负面" not in sent and "正面" not in sent
    assert "negative" in sent and "positive" in sent


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


@pytest.mark.parametrize(
    ("value", "span"),
    [
        ("我要去打篮球 → ?", "`我要去打篮球 → ?`"),
        ("a`b", "``a`b``"),
        ("`x``", "``` `x`` ```"),
        ("<b>$x$</b> :red[y]\n*z*", "`<b>$x$</b> :red[y] *z*`"),
        (" \n\t", ""),
    ],
)
def test_a_code_span_shows_its_text_as_written(value, span):
    from rnnviz.app.inputs import code_span

    assert code_span(value) == span


def test_a_typed_sentence_reaches_the_architectures_view_as_a_code_span():
    at = app(view="arch")
    typed = "我的职业是`<b>程序员</b>`，我最擅长的是电脑"
    at.text_input(key="mem_own").set_value(typed).run()
    assert not at.exception
    assert not at.code
    assert any(m.value.startswith("``") and "<b>程序员</b>" in m.value for m in at.markdown)


def test_untrained_model_with_seed():
    at = app(untrained="1", seed="7")
    assert not at.exception
    assert at.toggle(key="untrained").value is True
    assert text("card_none", "zh", seed=7) in " ".join(m.value for m in at.markdown)


def test_lm_target_word_choice():
    at = app(model="lm-lstm", s="我的职业是程序员，我最擅长的是电脑")
    assert not at.exception
    assert text("target_next_word", "zh", word="电脑", t=11) in [c.value for c in at.caption]
    at.selectbox(key="target").set_value(3).run()  # the prediction of 职业, word 3
    assert not at.exception
    assert text("target_next_word", "zh", word="职业", t=2) in [c.value for c in at.caption]
    assert at.query_params["target"] == "3"
    assert any("职业" in c.value and "第 2 步" in c.value for c in at.caption)
    at.selectbox(key="target").set_value(5).run()  # 程序员: not in the vocabulary
    assert not at.exception
    assert any(text("target_next_unknown", "zh", word="程序员") in c.value for c in at.caption)
    at.selectbox(key="target").set_value(12).run()
    at.text_input(key="s").set_value("我要去").run()  # the chosen position no longer exists
    assert not at.exception
    assert at.session_state["target"] == 0 and "target" not in at.query_params


def test_compare_reorder_button_and_bag_of_words():
    at = app(view="compare", cmodel="sentiment-lstm")
    at.button(key="reorder_reverse").click().run()
    assert not at.exception
    assert at.text_input(key="c2").value == "好 很 环境 但是 很差 服务 虽然"
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
        for arch, head in (
            ("rnn", "classifier"),
            ("lstm", "lm"),
            ("gru", "lm"),
            ("bow", None),
            ("position", "classifier"),
        ):
            strings = _strings(language, arch, head, 3)
            assert all(isinstance(value, str) and value for value in strings.values())
            assert "{t}" in strings["reading"] and "{total}" in strings["count"]
            assert "{s}" in strings["speed"] and "{loss}" in strings["ce_line"]
            # plain text in the browser: subscripts are Unicode, never LaTeX's _ and braces
            assert "_" not in strings["general"] and "{" not in strings["general"]
            for name in ("bars_title", "sm_intro", "ce_line_unknown", "next_word_unknown"):
                assert "_" not in strings[name], strings[name]


def test_explore_state_survives_a_visit_to_compare():
    at = app(model="lm-rnn", s="我的职业是程序员，我最擅长的是电脑", step="6")
    at.radio(key="view").set_value("compare").run()
    assert not at.exception
    at.text_input(key="c2").set_value("今天天气很好").run()
    assert "s" not in at.query_params and at.query_params["c2"] == "今天天气很好"
    at.radio(key="view").set_value("explore").run()
    assert not at.exception
    assert at.text_input(key="s").value == "我的职业是程序员，我最擅长的是电脑"
    assert at.selectbox(key="model").value == "lm-rnn"
    assert at.session_state["step"] == 5
    assert at.query_params["s"] == "我的职业是程序员，我最擅长的是电脑"
    assert at.query_params["step"] == "6" and at.query_params["model"] == "lm-rnn"
    assert "c2" not in at.query_params
    at.radio(key="view").set_value("compare").run()
    assert at.text_input(key="c2").value == "今天天气很好"


def test_language_is_always_in_the_url():
    at = app()
    assert at.query_params["lang"] == "zh" and at.query_params["view"] == "explore"


def test_a_link_with_a_too_long_sentence_is_refused_with_a_notice():
    at = app(s="我" * 5001)
    assert not at.exception
    assert text("notice_link_too_long", "zh", names="s") in [w.value for w in at.warning]
    assert at.text_input(key="s").value == DEFAULT_SENTENCE


def test_the_url_carries_at_most_the_text_that_is_used():
    at = app(view="compare", n="3")
    at.text_input(key="c1").set_value("我要去打篮球。" * 700).run()  # 4,900 characters
    at.text_input(key="c3").set_value("今天天气很好" * 50).run()
    assert not at.exception
    assert len(at.query_params["c1"]) == 4900
    assert "c3" not in at.query_params
    notice = text("notice_link_budget", "zh", names="c3", chars=5000)
    assert notice in [c.value for c in at.caption]
    at.text_input(key="c1").set_value("我要去打篮球。" * 3000).run()  # 21,000: 5,000 are read
    assert not at.exception
    assert at.query_params["c1"] == ("我要去打篮球。" * 3000)[:5000]


@pytest.mark.parametrize("view", ["explore", "compare", "arch"])
def test_english_pages_name_classes_in_english(view):
    at = app(
        lang="en", view=view, model="sentiment-lstm", cmodel="sentiment-lstm", task="sentiment"
    )
    assert not at.exception
    shown = json.dumps(chart_specs(at), ensure_ascii=False) + json.dumps(
        [[m.label, m.value] for m in at.metric] + [str(d.value) for d in at.dataframe],
        ensure_ascii=False,
    )
    shown += json.dumps(
        [e.proto.json for e in at.get("bidi_component") if e.proto.component_name],
        ensure_ascii=False,
    )
    assert "负面" not in shown and "正面" not in shown
    assert "positive" in shown or "negative" in shown


def axis_titles(at) -> list[str]:
    return [
        axis["title"]["text"]
        for spec in chart_specs(at)
        for name, axis in spec["layout"].items()
        if name.startswith(("xaxis", "yaxis")) and "title" in axis
    ]


def test_chinese_charts_have_chinese_axis_titles_and_toolbar():
    compare = app(view="compare")
    assert text("axis_p", "zh") in axis_titles(compare) and "p" not in axis_titles(compare)
    arch = app(view="arch")
    assert text("axis_unit", "zh") in axis_titles(arch) and "unit" not in axis_titles(arch)
    config = json.loads(compare.get("plotly_chart")[0].proto.config)
    assert config["locale"] == "zh-CN"
    assert config["locales"]["zh-CN"]["dictionary"]["Zoom"] == text("plotly_zoom", "zh")


@pytest.fixture
def broken_weights(tmp_path, monkeypatch):
    """A temporary copy of the shipped weights with one byte of sentiment-gru.pt flipped (the
    shipped files are never touched); the app reads it through $RNNVIZ_WEIGHTS."""
    from rnnviz.checkpoint import WEIGHTS_DIR

    copy = tmp_path / "weights"
    shutil.copytree(WEIGHTS_DIR, copy)
    broken = copy / "sentiment-gru.pt"
    data = bytearray(broken.read_bytes())
    data[len(data) // 2] ^= 0xFF
    broken.write_bytes(bytes(data))
    monkeypatch.setenv("RNNVIZ_WEIGHTS", str(copy))
    return copy


def test_a_corrupted_checkpoint_disables_only_its_model(broken_weights):
    at = app(model="sentiment-gru")
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "sentiment-gru.pt" in errors and "git checkout rnnviz/weights/sentiment-gru.pt" in errors
    assert "python -m rnnviz.train sentiment --arch gru" in errors
    assert not at.get("plotly_chart")
    at.selectbox(key="model").set_value("sentiment-lstm").run()
    assert not at.exception and not at.error
    assert rnnviz.tokenize(DEFAULT_SENTENCE) in tick_texts(at)
    for view, least in (("compare", 6), ("arch", 8)):
        other = app(view=view, task="sentiment", cmodel="sentiment-rnn")
        assert not other.exception
        assert len(other.get("plotly_chart")) >= least
    arch = app(view="arch", task="sentiment")
    assert "sentiment-gru.pt" in " ".join(e.value for e in arch.error)
    columns = {m.value for m in arch.markdown}
    assert {"**sentiment-rnn**", "**sentiment-lstm**"} <= columns
    assert "**sentiment-gru**" not in columns


def test_a_missing_manifest_says_so(broken_weights):
    (broken_weights / "MANIFEST.json").unlink()
    for view in ("explore", "compare", "arch"):
        at = app(view=view)
        assert not at.exception
        errors = " ".join(e.value for e in at.error)
        assert "MANIFEST.json" in errors and "git checkout rnnviz/weights/MANIFEST.json" in errors
        assert "Unknown model" not in errors


def test_the_trace_cache_stays_under_its_byte_ceiling():
    """Ten heavy distinct language-model traces (~10 MB each) through a 48 MB cache: the bytes
    held never pass the ceiling, the least recently used go first, and a trace above the
    per-trace cap is returned but not kept."""
    model = rnnviz.load_model("lm-rnn")
    words = rnnviz.tokenize("我的职业是程序员，今天天气很好，我们一起去公园散步，我最擅长的是电脑")
    ceiling = 48 * 2**20
    cache = TraceCache(ceiling, max_trace_bytes=16 * 2**20)
    computed = []

    def heavy(index: int):
        tokens = [f"{index}", *words * 12][:250]
        return lambda: computed.append(index) or rnnviz.trace(model, tokens)

    sizes = []
    for index in range(10):
        trace = cache.get(index, heavy(index))
        sizes.append(trace_bytes(trace))
        assert cache.bytes <= ceiling
    assert min(sizes) > 8 * 2**20 and sum(sizes) > 2 * ceiling
    kept = len(cache)
    assert cache.bytes == sum(sizes[-kept:]) and 2 <= kept < 10
    oldest = 10 - kept
    cache.get(oldest, heavy(oldest))  # a hit, and now the most recently used
    assert computed == list(range(10))
    cache.get(10, heavy(10))  # evicts the least recently used: oldest + 1, not oldest
    cache.get(oldest, heavy(oldest))
    assert computed == list(range(11))
    cache.get(oldest + 1, heavy(oldest + 1))
    assert computed == [*range(11), oldest + 1]
    assert cache.bytes <= ceiling
    huge = TraceCache(ceiling, max_trace_bytes=4 * 2**20)
    huge.get("long", heavy(11))
    assert len(huge) == 0 and huge.bytes == 0


def test_classifier_target_is_the_true_class_of_an_example_and_named_on_screen():
    at = app()
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert text("target_known_class", "zh", label="正面") in captions
    assert any("L = −log p(「正面」)" in c for c in captions)
    at.text_input(key="s").set_value("我要去上学").run()  # no known label
    assert text("target_no_label", "zh", label="负面") in [c.value for c in at.caption]
    at.selectbox(key="target").set_value(2).run()
    assert not at.exception
    assert text("target_picked_class", "zh", label="正面") in [c.value for c in at.caption]
    assert at.query_params["target"] == "2"


def test_target_in_the_url_is_read_and_a_bad_one_falls_back():
    at = app(target="1")
    assert not at.exception
    assert at.selectbox(key="target").value == 1
    assert text("target_picked_class", "zh", label="负面") in [c.value for c in at.caption]
    for raw in ("-1", "abc", "99999"):
        at = app(target=raw)
        assert not at.exception
        assert at.session_state["target"] == 0
        assert any("target" in str(w.value) for w in at.warning)


def test_explore_offers_only_examples_the_model_knows():
    at = app()
    assert at.selectbox(key="s_example").options == list(controls.SENTIMENT_EXAMPLES)
    at = app(model="memory-gru")
    assert at.selectbox(key="s_example").options == list(controls.MEMORY_EXAMPLES)


def test_compare_opens_on_the_pair_whose_order_flips_the_lstm():
    at = app(view="compare")
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["sentiment-lstm"]) == ["正面 0.907", "负面 0.662"]
    assert list(table["sentiment-bow"]) == ["正面 0.935", "正面 0.935"]
    # three short columns, so that a phone shows the bag of words; the sentences in a caption
    assert list(table.columns) == [text("col_sentence", "zh"), "sentiment-lstm", "sentiment-bow"]
    assert any(c.value.startswith("1：") and " · 2：" in c.value for c in at.caption)
    assert text("bow_equal", "zh", diff=0.0).split("（")[0] in messages(at)
    assert text("order_meaning", "zh") in messages(at)


def test_ranked_reorderings_are_one_click_buttons():
    at = app(view="compare")
    assert any(text("ranked_note", "zh") == c.value for c in at.caption)
    top = at.button(key="ranked_0")
    assert top.label == "虽然服务好但是环境很很差"
    top.click().run()
    assert not at.exception
    assert at.text_input(key="c2").value == "虽然 服务 好 但是 环境 很 很差"
    # the reordered sentence is read as the same tokens, so the bag of words is unmoved
    assert text("bow_equal", "zh", diff=0.0).split("（")[0] in messages(at)


def test_ranked_reorderings_for_the_bag_of_words_and_one_token():
    at = app(view="compare", cmodel="sentiment-bow")
    assert not at.exception
    assert text("ranked_zero", "zh", model="sentiment-bow", max=0.0).split("（")[0] in messages(at)
    assert not [b for b in at.button if b.key and b.key.startswith("ranked_")]
    at = app(view="compare", c1="好")
    assert not at.exception
    assert text("ranked_none", "zh") in messages(at)


def test_compare_presets_load_a_pair_with_a_model_that_knows_it():
    at = app(view="compare", n="3")
    at.button(key="preset_preset_keep").click().run()
    assert not at.exception
    assert at.session_state["n"] == 2
    assert at.text_input(key="c1").value == "酒店很干净，服务很好，早餐也不错"
    at.button(key="preset_preset_article").click().run()
    assert not at.exception
    assert at.selectbox(key="cmodel").value == "activity-rnn"
    assert at.session_state["n"] == 4
    assert [at.text_input(key=f"c{i}").value for i in range(1, 5)] == [
        "我要去打篮球",
        "我要打篮球去",
        "今天我要去打球",
        "我要打球去今天",
    ]
    chips = [m.value for m in at.markdown if "-badge[" in m.value]
    assert chips and not any(":red-badge[" in chip for chip in chips)  # no <unk>
    # the article's traditional network and the bag of words beside the RNN
    columns = list(at.dataframe[0].value.columns)
    assert "activity-position" in columns and "activity-bow" in columns
    bow = list(at.dataframe[0].value["activity-bow"])
    assert all(cell.startswith("打球") for cell in bow)


def test_picking_an_example_reads_it_in_the_models_own_mode():
    at = app(model="lm-lstm")
    at.selectbox(key="s_example").set_value(controls.LM_EXAMPLES[0]).run()
    assert not at.exception
    assert at.text_input(key="s").value == controls.LM_EXAMPLES[0]
    assert at.radio(key="mode").value == "word"
    chips = [m.value for m in at.markdown if "-badge[" in m.value]
    assert chips and ":red-badge[" not in chips[0]  # every token known in the word mode


@pytest.mark.parametrize("view,model_field", [("explore", "model"), ("compare", "cmodel")])
def test_a_models_tokenization_follows_the_model(view, model_field):
    """Whatever the link says, a model reads text the way it was trained (its config's
    token_mode, not its name): the control shows it and the URL keeps it."""
    for name in rnnviz.list_models():
        own = rnnviz.token_mode(rnnviz.load_model(name))
        other = "word" if own == "char" else "char"
        if view == "compare" and name not in controls_compare_models():
            continue
        at = app(view=view, **{model_field: name, "mode": other})
        assert not at.exception, name
        assert at.session_state["mode"] == own, name
        assert at.query_params.get("mode", "word") == own, name
        if view == "explore":
            assert at.radio(key="mode").value == own and at.radio(key="mode").disabled, name


def controls_compare_models() -> list[str]:
    """Two shipped models per tokenization are enough for the compare view's check."""
    names = rnnviz.list_models()
    return [n for n in names if n.startswith("charlm-")][:1] + ["sentiment-rnn"]


def test_a_character_model_reads_the_articles_sentence_as_characters():
    at = app(model="charlm-rnn", s="我的职业是程序员，我最擅长的是电脑")
    assert not at.exception
    assert at.query_params["mode"] == "char"
    chips = [m.value for m in at.markdown if "-badge[" in m.value]
    assert chips and ":red-badge[" not in chips[0]  # no unknown token


def test_compare_with_a_language_model_says_what_its_final_state_is_about():
    at = app(view="compare", cmodel="lm-lstm", c1="我要 去 打 篮球", c2="我要 打 篮球 去")
    assert not at.exception
    assert text("lm_order_note", "zh") in [c.value for c in at.caption]
    assert "sentiment-bow" not in at.dataframe[0].value.columns  # no bag of words for an LM
    # 我要打篮球去 → <unk> is the most likely next word: said to be unknown, not shown as a word
    assert list(at.dataframe[0].value["lm-lstm"])[1].startswith(text("unk_output", "zh") + " ")
    assert any(c.value.startswith(text("ranked_note_lm", "zh", count=0)[:20]) for c in at.caption)
    assert not any("ΔP(正面)" in c.value for c in at.caption)
    assert text("lm_order_note", "zh") not in [c.value for c in app(view="compare").caption]


def _token_lines(at) -> dict[str, str]:
    """The arch view's token line of each model (its chips), by model name (its bold heading)."""
    lines = {}
    for block in at.markdown:
        heading = block.value.split("**")[1].replace("\\", "") if block.value[:2] == "**" else ""
        if heading.endswith(("-rnn", "-lstm", "-gru")) and "-badge[" in block.value:
            lines[heading] = block.value
    return lines


def test_architecture_view_tokens_and_each_task_brings_its_own_example():
    at = app(view="arch")
    assert not at.exception
    lines = _token_lines(at)
    assert set(lines) == {"memory-rnn", "memory-lstm", "memory-gru"}
    assert all(":blue-badge[" in line and ":red-badge[" not in line for line in lines.values())
    at.segmented_control(key="task").set_value("sentiment").run()
    assert not at.exception
    assert at.text_input(key="a").value == controls.task_examples("sentiment")[0]
    lines = _token_lines(at)
    assert set(lines) == {"sentiment-rnn", "sentiment-lstm", "sentiment-gru"}
    assert all(":red-badge[" not in line for line in lines.values())
    typed = "程序员很擅长散步"
    at.text_input(key="a").set_value(typed).run()
    at.segmented_control(key="task").set_value("lm").run()
    assert not at.exception
    assert at.text_input(key="a").value == typed  # the user's own sentence stays
    lines = _token_lines(at)
    assert set(lines) == {"lm-rnn", "lm-lstm"}  # no word-level GRU language model is shipped
    assert all(":red-badge[" in line for line in lines.values())


def test_architecture_view_signal_at_start_before_trained_gradients():
    from rnnviz.app.inputs import escape_markdown

    at = app(view="arch", lang="en")
    assert not at.exception
    blocks = [block.value for block in at.markdown]

    def title(key: str) -> str:
        return f"**{escape_markdown(text(key, 'en'))}**"

    signal, bridge = blocks.index(title("signal_chart")), blocks.index(text("signal_bridge", "en"))
    trained = [index for index, block in enumerate(blocks) if block == title("decay_trained")]
    assert len(trained) == 2  # the sentence's chart and the live try's
    assert signal < bridge < min(trained)
    for page, language in ((at, "en"), (app(view="arch"), "zh")):
        (chance,) = [
            note["text"]
            for spec in chart_specs(page)
            for note in spec["layout"].get("annotations", [])
            if note["text"].endswith("%") and "yref" in note and note.get("xanchor") == "right"
        ]
        assert chance.startswith(text("chance", language) + " ")


def test_four_sentences_compare_the_bag_of_words_within_each_reordering():
    at = app(view="compare", n="4")
    assert not at.exception
    groups = "1 = 2；3 = 4"
    assert text("bow_equal_groups", "zh", diff=0.0, groups=groups) in messages(at)
    assert text("bow_differ", "zh", diff=0.0).split("（")[0] not in messages(at)


def test_explore_says_how_far_the_profession_is_in_words_and_in_characters():
    at = app(s="我的职业是程序员，我最擅长的是电脑", model="charlm-rnn", mode="char")
    assert not at.exception
    note = text("segmentation_steps", "zh", first="程序员", last="电脑", words=7, chars=10)
    assert note in [c.value for c in at.caption]
    assert text("segmentation_steps", "zh", first="", last="", words=0, chars=0)[:6] not in [
        c.value[:6] for c in app().caption
    ]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_activity_models_run_in_explore_and_the_architecture_view(language):
    """The position-wise network steps through like the others (no W, one U per position), and
    the activity task reads 我要去打篮球 with every word known."""
    at = app(model="activity-position", s="我要去打篮球", lang=language)
    assert not at.exception
    chips = [m.value for m in at.markdown if "-badge[" in m.value]
    assert chips and not any(":red-badge[" in chip for chip in chips)
    data = stepper_data(at)
    assert data["strings"]["diagram_title"] == text("position_unrolled", language)
    assert "U₁ x₁" in data["strings"]["general"] and data["payload"]["arch"] == "position"
    # the equation's terms at step 2 make that step's h, as the model computed it
    reference = rnnviz.trace(rnnviz.load_model("activity-position"), "我要去打篮球")
    for row in data["payload"]["steps"][1]["terms"]:
        assert row["h"] == pytest.approx(float(reference.hidden[1, row["unit"]]), abs=1e-5)
    arch = app(view="arch", task="activity", lang=language)
    assert not arch.exception
    assert any(m.value == "**activity-rnn**" for m in arch.markdown)


def test_both_character_models_read_the_flagship_sentence_in_characters():
    flagship = controls.CHAR_LM_EXAMPLES[0]
    at = app(view="arch")
    at.segmented_control(key="task").set_value("charlm").run()
    assert not at.exception
    assert at.text_input(key="a").value == flagship
    lines = _token_lines(at)
    assert set(lines) == {"charlm-rnn", "charlm-lstm"}  # no character GRU is shipped
    for line in lines.values():
        assert line.count(":blue-badge[") == len(flagship) and ":red-badge[" not in line
    explore = app(model="charlm-lstm", mode="char", s=flagship)
    assert not explore.exception
    chips = [m.value for m in explore.markdown if "-badge[" in m.value]
    assert chips and not any(":red-badge[" in chip for chip in chips)


def test_a_long_sentence_step_through_payload_is_built_not_kept():
    """The step-through's data of a sentence over PAYLOAD_KEPT_STEPS tokens is built for its run
    only (a visitor's new long pastes cannot grow the server); a short one's is shared."""
    from rnnviz.app import stepper

    model = rnnviz.load_model("sentiment-rnn")
    long = rnnviz.trace(model, ["好"] * (stepper.PAYLOAD_KEPT_STEPS + 1))
    short = rnnviz.trace(model, ["好", "很", "好"])
    assert stepper._trace_payload("long", long) is not stepper._trace_payload("long", long)
    assert stepper._trace_payload("short", short) is stepper._trace_payload("short", short)
