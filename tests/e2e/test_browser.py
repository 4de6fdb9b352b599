"""The dashboard in headless Chromium, used as a person would use it."""

from __future__ import annotations

from playwright.sync_api import Page

from rnnviz.app.i18n import text

from .helpers import chart_ticks, exceptions, open_app, wait_for_run


def type_sentence(page: Page, label: str, sentence: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(sentence)
    box.press("Enter")
    wait_for_run(page)


def press_outside_text_boxes(page: Page, key: str, times: int = 1) -> None:
    """Presses of `key` with nothing focused, as a presenter's clicker sends them."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    for _ in range(times):
        page.keyboard.press(key)


def wait_for_url_step(page: Page, step: int, name: str = "step") -> None:
    """The browser tells the server the step when the user pauses; then the URL has it."""
    page.wait_for_function(
        f"() => new URLSearchParams(location.search).get('{name}') === '{step}'", timeout=30_000
    )
    wait_for_run(page)


def test_page_loads_and_draws_the_default_sentence(page, server):
    open_app(page, server)
    assert exceptions(page) == 0
    assert page.locator(".stPlotlyChart").count() >= 3
    assert page.locator("svg.diagram").is_visible()  # the step-through, drawn in the browser
    ticks = chart_ticks(page)
    assert ["酒店", "很", "干净", "，", "服务", "很", "好", "，", "早餐", "也", "不错"] in ticks
    assert page.get_by_text(text("app_title", "zh")).is_visible()


def test_typing_a_sentence_redraws_the_heatmap(page, server):
    open_app(page, server)
    type_sentence(page, text("sentence", "zh"), "我要打篮球去")
    assert exceptions(page) == 0
    assert ["我要", "打篮球", "去"] in chart_ticks(page)
    assert "s=" in page.url


def test_arrow_keys_move_the_highlighted_step(page, server):
    open_app(page, server + "/?s=我的职业是程序员，我最擅长的是电脑")
    reading = page.get_by_text(text("reading", "zh", t=1))
    assert reading.is_visible()
    press_outside_text_boxes(page, "ArrowRight", 4)
    assert page.get_by_text(text("reading", "zh", t=5)).is_visible()
    wait_for_url_step(page, 5)  # 1-based like the screen
    assert exceptions(page) == 0
    assert page.get_by_text(text("reading", "zh", t=5)).is_visible()
    assert "step=5" in page.url
    outline = page.evaluate(
        "() => document.querySelector('.st-key-step_hidden .js-plotly-plot').layout.shapes[0].x0"
    )
    assert outline == 3.5  # the heatmap outlines the fifth token


def test_compare_view_shows_columns_and_equal_bag_of_words(page, server):
    open_app(page, server + "/?view=compare&cmodel=sentiment-lstm")
    assert exceptions(page) == 0
    assert page.get_by_text(text("sentence_n", "zh", n=1), exact=True).count() >= 1
    ticks = chart_ticks(page)
    assert ["虽然", "服务", "很差", "但是", "环境", "很", "好"] in ticks
    assert ["虽然", "环境", "很", "好", "但是", "服务", "很差"] in ticks
    equal = text("bow_equal", "zh", diff=0.0).split("（")[0]
    assert page.get_by_text(equal).is_visible()


def test_url_reproduces_the_view_in_a_new_context(page, server, browser):
    open_app(page, server + "/?model=memory-lstm")
    type_sentence(page, text("sentence", "zh"), "我的职业是厨师，我最擅长的是")
    press_outside_text_boxes(page, "ArrowRight", 2)
    wait_for_url_step(page, 3)
    shared = page.url
    assert "step=3" in shared and "model=memory-lstm" in shared
    other = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 2400})
    try:
        second = other.new_page()
        open_app(second, shared)
        assert exceptions(second) == 0
        assert chart_ticks(second) == chart_ticks(page)
        assert second.get_by_text(text("reading", "zh", t=3)).is_visible()
    finally:
        other.close()


def test_html_in_a_sentence_is_shown_as_text(page, server):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_app(page, server)
    type_sentence(page, text("sentence", "zh"), "<img src=x onerror=alert(1)>")
    page.wait_for_timeout(500)
    assert dialogs == []
    assert exceptions(page) == 0
    assert page.locator('img[src="x"]').count() == 0
    assert [
        "<",
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
        ">",
    ] in chart_ticks(page)
    assert page.get_by_text("onerror", exact=True).count() >= 1


def test_switching_language_changes_labels(page, server):
    open_app(page, server)
    assert page.get_by_label(text("sentence", "zh"), exact=True).is_visible()
    page.get_by_role("radio", name="English").click()
    wait_for_run(page)
    assert page.get_by_label(text("sentence", "en"), exact=True).is_visible()
    assert page.get_by_text(text("app_title", "en")).is_visible()
    assert "lang=en" in page.url
