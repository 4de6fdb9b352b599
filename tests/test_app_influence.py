"""The influence map, the per-step factors, word importance and hidden paths in the views,
through Streamlit's AppTest, in both languages."""

import pytest
from apptest import chart_specs, open_app
from streamlit.testing.v1 import AppTest

import rnnviz
from rnnviz.attribution import IMPORTANCE_LIMIT
from rnnviz.registry import RECURRENT, TASKS


def app(**query) -> AppTest:
    return open_app(180, **query)


def axis_title(spec: dict, axis: str) -> str:
    return spec["layout"].get(axis, {}).get("title", {}).get("text", "")


def page_text(at) -> str:
    parts = [*at.info, *at.caption, *at.markdown, *at.subheader, *at.warning]
    return " ".join(str(element.value) for element in parts)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_explore_draws_the_influence_map_and_the_factors(language):
    at = app(view="explore", lang=language, s="虽然服务很差但是环境很好", model="sentiment-lstm")
    assert not at.exception
    specs = chart_specs(at)
    heatmaps = [s for s in specs if s["data"][0].get("hovertemplate", "").find("∂ℓ_t/∂x_s") >= 0]
    assert len(heatmaps) == 1
    heatmap = heatmaps[0]["data"][0]
    assert heatmap["colorbar"]["ticktext"][0].startswith("10<sup>")
    assert heatmaps[0]["layout"]["shapes"], "the current step is outlined"
    text = page_text(at)
    if language == "en":
        assert "depends most on" in text and "does not mean" in text
        assert "Colour range (log scale)" in text and "cell path" in text.lower()
    else:
        assert "最依赖" in text and "这张图不代表" in text and "颜色范围" in text


def test_explore_bag_of_words_has_a_map_but_no_factor():
    at = app(view="explore", lang="en", s="虽然服务很差但是环境很好", model="sentiment-bow")
    assert not at.exception
    assert "has no recurrence" in page_text(at)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_architectures_draw_three_maps_and_the_products(language):
    at = app(view="arch", lang=language)
    assert not at.exception
    specs = chart_specs(at)
    maps = [s for s in specs if "∂ℓ_t/∂x_s" in s["data"][0].get("hovertemplate", "")]
    assert len(maps) == 3
    ranges = {(m["data"][0]["zmin"], m["data"][0]["zmax"]) for m in maps}
    assert len(ranges) == 1, "one colour range for the three maps"
    product_axis = "‖∂state_t/∂state_0‖"
    (products,) = [s for s in specs if product_axis in axis_title(s, "yaxis")]
    assert len(products["data"]) == 6, "three trained models and the same three untrained"
    text = page_text(at)
    assert ("at initialisation" in text) if language == "en" else ("随机初始化时" in text)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_compare_ranks_words_and_draws_paths(language):
    at = app(view="compare", lang=language)
    assert not at.exception
    specs = chart_specs(at)
    effect = "effect on p" if language == "en" else "对 p 的作用"
    bars = [s for s in specs if axis_title(s, "xaxis") == effect]
    assert len(bars) == 2, "one ranked bar chart per sentence"
    for spec in bars:
        values = [abs(value) for value in spec["data"][0]["x"]]
        assert values == sorted(values, reverse=True)
    stars = [
        s for s in specs if any(d.get("marker", {}).get("symbol") == "star" for d in s["data"])
    ]
    assert len(stars) == 2, "the model's paths and the bag of words' beside them"
    text = page_text(at)
    assert ("depends most on" in text) if language == "en" else ("最依赖" in text)
    assert ("full hidden space" in text) if language == "en" else ("完整隐藏空间" in text)
    # the default pair is one reordering, and the LSTM's verdicts rest on 好 and on 很差
    differs = "the order changed which word decides" if language == "en" else "顺序改变了"
    assert differs in text


def test_compare_integrated_gradients_writes_completeness():
    at = app(view="compare", lang="en")
    at.segmented_control(key="imp_method").set_value("integrated_gradients").run()
    assert not at.exception
    assert "Completeness: the bars sum to" in page_text(at)
    at.segmented_control(key="imp_method").set_value("unknown").run()
    assert not at.exception
    assert "<unk>" in page_text(at)


def test_typed_html_stays_text_in_the_new_figures():
    """<, b and > are tokens of their own; each reaches the figures escaped."""
    at = app(view="compare", lang="en", c1="<b>好</b>很好", c2="很好<b>好</b>")
    assert not at.exception
    bars = [s for s in chart_specs(at) if axis_title(s, "xaxis") == "effect on p"]
    labels = [row for spec in bars for row in spec["data"][0]["y"]]
    assert any(row.startswith("&lt; (") for row in labels)
    assert not any(row.startswith("<") for row in labels)
    paths = [s for s in chart_specs(at) if "component 1" in axis_title(s, "xaxis")]
    texts = [token for spec in paths for trace in spec["data"] for token in trace.get("text", [])]
    assert "&lt;" in texts and "<" not in texts


def test_compare_with_a_language_model_and_a_one_word_sentence():
    at = app(view="compare", lang="en", cmodel="lm-rnn", c1="我们要去北京", c2="我")
    assert not at.exception
    text = page_text(at)
    assert "the probability of the last word" in text
    assert "Sentence 2 has one word" in text
    at = app(view="compare", lang="en", n="2", c1="好", c2="")
    assert not at.exception
    assert "only one hidden state" in page_text(at)


def test_compare_a_long_paste_gets_a_message_not_word_importance():
    """A sentence over the word-importance limit is said so; the shorter one is still ranked."""
    long = "我们今天一起去公园散步" * 40
    at = app(view="compare", lang="en", cmodel="lm-lstm", c1=long, c2="我们要去北京")
    assert not at.exception
    assert f"word importance is computed for sentences of up to {IMPORTANCE_LIMIT}" in page_text(at)
    assert any(chart.key == "importance_2" for chart in at.get("plotly_chart"))
    assert not any(chart.key == "importance_1" for chart in at.get("plotly_chart"))


@pytest.mark.parametrize("task", TASKS)
def test_architectures_draw_a_map_per_model_of_every_task(task):
    at = app(view="arch", lang="en", task=task)
    assert not at.exception
    maps = [s for s in chart_specs(at) if "∂ℓ_t/∂x_s" in s["data"][0].get("hovertemplate", "")]
    names = [name for name in rnnviz.list_models() if name.split("-")[0] == task]
    assert len(maps) == len([name for name in names if name.split("-")[1] in RECURRENT])


def test_explore_with_an_untrained_language_model_at_its_last_step():
    at = app(view="explore", lang="en", model="lm-lstm", s="我们 要 去 北京", step="4")
    assert not at.exception
    assert "nothing follows it" in page_text(at)
