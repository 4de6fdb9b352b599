"""State and language in a real browser: what a teacher sets survives a view switch and a
shared link keeps its language; pages fit a phone."""

from __future__ import annotations

import urllib.parse

import pytest
from playwright.sync_api import Page

from rnnviz.app.i18n import text

from .helpers import exceptions, open_app, wait_for_run

SENTENCE = "我的职业是程序员，我最擅长的是电脑"
# Elements of the page (chart text included) that reach past the right edge of the screen,
# where they are clipped: Streamlit's main area hides its overflow, so the page itself never
# scrolls sideways. A box that scrolls sideways on its own (overflow-x auto) is allowed.
OUTSIDE = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (node) => {
    for (let up = node.parentElement; up; up = up.parentElement) {
      const style = getComputedStyle(up).overflowX;
      if ((style === 'auto' || style === 'scroll') && up.scrollWidth > up.clientWidth
          && up.getBoundingClientRect().right <= width + 1) return true;
    }
    return false;
  };
  return [...document.querySelectorAll('[data-testid="stMain"] *')]
    .filter(node => {
      const box = node.getBoundingClientRect();
      return box.width > 0 && box.right > width + 1 && !scrolls(node);
    })
    .slice(0, 5)
    .map(node => node.tagName + ' ' + (node.textContent || '').slice(0, 30));
}"""


def switch_view(page: Page, view: str, language: str = "zh") -> None:
    page.locator('[data-testid="stSidebar"]').get_by_text(
        text(f"view_{view}", language), exact=True
    ).click()
    wait_for_run(page)


def query(page: Page) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlparse(page.url).query))


def selectbox_text(page: Page, label: str) -> str:
    """What a select box shows: its text and the value of its input."""
    box = (
        page.locator('[data-testid="stSelectbox"]')
        .filter(has=page.get_by_text(label, exact=True))
        .first
    )
    return box.evaluate(
        "node => node.innerText + ' ' + [...node.querySelectorAll('input')]"
        ".map(input => input.value + ' ' + (input.getAttribute('aria-label') || '')).join(' ')"
    )


def test_explore_and_compare_keep_their_state_across_view_switches(page, server):
    link = "/?" + urllib.parse.urlencode({"model": "lm-rnn", "s": SENTENCE, "step": "6"})
    open_app(page, server + link)
    switch_view(page, "compare")
    box = page.get_by_label(text("sentence_n", "zh", n=2), exact=True)
    box.fill("今天天气很好")
    box.press("Enter")
    wait_for_run(page)
    assert query(page)["c2"] == "今天天气很好" and "s" not in query(page)
    switch_view(page, "explore")
    assert exceptions(page) == 0
    assert page.get_by_label(text("sentence", "zh"), exact=True).input_value() == SENTENCE
    assert "lm-rnn" in selectbox_text(page, text("model", "zh"))
    shown = query(page)
    assert (shown["s"], shown["model"], shown["step"], shown["view"]) == (
        SENTENCE,
        "lm-rnn",
        "6",
        "explore",
    )
    switch_view(page, "compare")
    assert page.get_by_label(text("sentence_n", "zh", n=2), exact=True).input_value() == (
        "今天天气很好"
    )


def test_a_chinese_link_stays_chinese_in_an_english_browser(page, server, browser):
    open_app(page, server)
    shared = page.url
    assert query(page)["lang"] == "zh"
    english = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 720})
    try:
        student = english.new_page()
        open_app(student, shared)
        assert student.get_by_text(text("app_title", "zh")).is_visible()
        assert student.get_by_label(text("sentence", "zh"), exact=True).is_visible()
        unpinned = english.new_page()
        open_app(unpinned, server)  # no lang in the link: the browser's language
        assert unpinned.get_by_text(text("app_title", "en")).is_visible()
        assert query(unpinned)["lang"] == "en"
    finally:
        english.close()


@pytest.mark.parametrize("view", ["explore", "compare", "arch"])
def test_english_pages_have_no_chinese_class_names(page, server, view):
    open_app(page, server + f"/?lang=en&view={view}&model=sentiment-lstm&cmodel=sentiment-lstm")
    assert exceptions(page) == 0
    body = page.locator('[data-testid="stMain"]').inner_text()
    charts = page.evaluate(
        "() => [...document.querySelectorAll('.stPlotlyChart')].map(c => c.textContent).join(' ')"
    )
    for word in ("负面", "正面"):
        assert word not in body and word not in charts
    if view != "arch":
        assert "positive" in body + charts or "negative" in body + charts


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("view", ["explore", "compare", "arch"])  # the lesson tests its own
def test_no_horizontal_overflow_on_a_phone(browser, server, view, language):
    phone = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        page = phone.new_page()
        page.set_default_timeout(60_000)
        open_app(page, server + f"/?lang={language}&view={view}")
        assert exceptions(page) == 0
        widths = page.evaluate(
            """() => [document.documentElement.scrollWidth,
                      document.documentElement.clientWidth]"""
        )
        assert widths[0] <= widths[1], f"page is {widths[0]} px wide on a {widths[1]} px screen"
        assert page.evaluate(OUTSIDE) == []
    finally:
        phone.close()


def test_the_chart_toolbar_speaks_chinese(page, server):
    open_app(page, server + "/?view=compare&lang=zh")
    chart = page.locator(".stPlotlyChart").first
    chart.scroll_into_view_if_needed()
    chart.hover()
    page.wait_for_timeout(300)
    titles = chart.evaluate(
        "node => [...node.querySelectorAll('.modebar-btn')].map(b => b.getAttribute('data-title'))"
    )
    for key in ("plotly_download", "plotly_zoom", "plotly_pan", "plotly_reset"):
        assert text(key, "zh") in titles
    assert "Zoom" not in titles and "Pan" not in titles
