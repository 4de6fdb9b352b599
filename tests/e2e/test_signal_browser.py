"""The learning signal and the LSTM's memory path in a real browser, on a phone-sized page."""

from __future__ import annotations

from rnnviz.app.i18n import text

from .helpers import exceptions, open_app


def test_learning_signal_and_memory_path_draw_on_a_phone(browser, server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        open_app(page, server + "/?view=arch&lang=zh")
        assert exceptions(page) == 0
        for key in ("learning_signal", "memory_path_forget", "memory_path_separation"):
            chart = page.locator(f".st-key-{key} .main-svg").first
            chart.scroll_into_view_if_needed()
            assert chart.is_visible()
        # a chart's title is page text above the chart (common.chart), where it wraps on a phone
        for key in ("signal_chart", "path_forget_chart"):
            assert page.get_by_text(text(key, "zh"), exact=True).first.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()
