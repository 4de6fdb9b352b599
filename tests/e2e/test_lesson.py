"""The lesson in headless Chromium, driven by the keyboard only, as a teacher with a presenter
clicker (PageDown) and a student on a phone would use it: every section from the first to the
last, in both languages, checking what a class sees."""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from rnnviz.app.i18n import text
from rnnviz.teaching import SECTION_COUNT, SECTIONS

from .helpers import APP, WATCH_CHANGES, exceptions, wait_for_run

LAYOUTS = {
    "presenter-1280": ({"width": 1280, "height": 720}, "&present=1"),
    "presenter-1920": ({"width": 1920, "height": 1080}, "&present=1"),
    "phone": ({"width": 390, "height": 844}, ""),
}
# What the page shows, measured in the browser: the first chart's box, the smallest computed
# font size of body text, titles and chart text, and the page's overflow to the right.
MEASURE = """() => {
  const visible = (el) => { const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
  const size = (el) => parseFloat(getComputedStyle(el).fontSize);
  const main = document.querySelector('.stMainBlockContainer');
  const smallest = (selector, extra = []) => {
    const sizes = [...main.querySelectorAll(selector), ...extra]
      .filter(el => visible(el) && el.textContent.trim()).map(size);
    return sizes.length ? Math.min(...sizes) : null; };
  // sections 3 and 4 step in the browser: their figure is the step-through (a shadow root)
  const stepperHost = [...main.querySelectorAll('.st-key-lesson_stepper *')]
    .find(node => node.shadowRoot);
  const slide = stepperHost ? stepperHost.shadowRoot : null;
  const inSlide = (selector) => slide ? [...slide.querySelectorAll(selector)] : [];
  const chart = main.querySelector('[data-testid="stPlotlyChart"]')
    || main.querySelector('.st-key-lesson_stepper');
  const box = chart ? chart.getBoundingClientRect() : null;
  const scroller = document.querySelector('[data-testid="stMain"]');
  return {
    chartTop: box ? box.top : null, chartBottom: box ? box.bottom : null,
    // the lowest element of the section (a folded expander's content is not on screen)
    contentBottom: Math.max(...[...main.querySelectorAll('[data-testid="stElementContainer"]')]
      .filter(el => visible(el) && !el.closest('details:not([open]) > div'))
      .map(el => el.getBoundingClientRect().bottom)),
    body: smallest('[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,'
      + ' button p, [data-testid="stCaptionContainer"], [data-testid="stCode"] code',
      inSlide('.reading, button, .count, .line')),
    title: smallest('h2'),
    titleTop: main.querySelector('h2') ? main.querySelector('h2').getBoundingClientRect().top : null,
    headerBottom: [...document.querySelectorAll('[data-testid="stHeader"]')].filter(visible)
      .map(el => el.getBoundingClientRect().bottom).concat([0])[0],
    chartText: smallest('[data-testid="stPlotlyChart"] svg text', inSlide('svg text')),
    overflow: Math.max(document.documentElement.scrollWidth - window.innerWidth,
      scroller ? scroller.scrollWidth - scroller.clientWidth : 0),
    answer: [...main.querySelectorAll('[data-testid="stAlertContentSuccess"]')]
      .filter(visible).map(el => el.textContent),
    sidebar: [...document.querySelectorAll('[data-testid="stSidebar"]')].some(visible),
    // inside a folded expander (the live race's settings) an input is not on screen
    inputs: [...main.querySelectorAll('input[type="text"], textarea')]
      .some(el => visible(el) && !el.closest('details:not([open])')),
  };
}"""


def _open(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(f'{APP}[data-test-script-state="notRunning"]', timeout=120_000)
    page.evaluate(WATCH_CHANGES)
    wait_for_run(page, started_timeout=300)
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000, polling=100)


# Plotly is loaded lazily: a skeleton stands in for a chart until its code has arrived.
CHARTS_DRAWN = """() => !document.querySelector('.stMainBlockContainer [data-testid="stSkeleton"]')
  && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
       .every(chart => chart.querySelector('.main-svg text'))"""


def _press(page: Page, key: str) -> None:
    page.keyboard.press(key)
    wait_for_run(page)
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000, polling=100)


def _title_shown(page: Page, title: str) -> None:
    with contextlib.suppress(PlaywrightTimeout):
        page.get_by_role("heading", name=title).wait_for(timeout=10_000)
    assert page.get_by_role("heading", name=title).is_visible(), title


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("layout", ["presenter-1280", "phone"])
def test_walk_the_lesson_with_the_keyboard(browser, server, layout, language):
    walk(browser, server, layout, language)


def test_presenter_fits_a_1920_screen(browser, server):
    walk(browser, server, "presenter-1920", "zh")


def walk(browser, server, layout: str, language: str) -> None:
    viewport, flags = LAYOUTS[layout]
    presenter = bool(flags)
    locale = "zh-CN" if language == "zh" else "en-US"
    context = browser.new_context(locale=locale, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        _open(page, f"{server}/?view=lesson&lang={language}{flags}")
        revealed = 0
        for section in range(1, SECTION_COUNT + 1):
            where = f"{layout} {language} section {section}"
            _title_shown(page, text(f"lesson_title_{SECTIONS[section - 1]}", language))
            assert f"sec={section}" in page.url, where
            if page.locator(".st-key-lesson_reveal button").count():
                # predict first: the figure is shown with the answer
                assert page.locator('[data-testid="stPlotlyChart"]').count() == 0, where
                _press(page, "Enter")
                revealed += 1
                assert measure(page)["answer"], where
            seen = measure(page)
            assert exceptions(page) == 0, where
            assert seen["chartTop"] is not None, where
            assert 0 <= seen["chartTop"] < viewport["height"], (where, seen)
            assert seen["overflow"] <= 0, (where, seen)
            assert seen["chartText"] >= 16, (where, seen)
            assert seen["titleTop"] >= seen["headerBottom"] - 1, (where, seen)  # not under it
            if presenter:
                assert seen["chartBottom"] <= viewport["height"], (where, seen)
                # everything fits, the link to the full view and a caveat included
                assert seen["contentBottom"] <= viewport["height"], (where, seen)
                assert seen["body"] >= 20 and seen["title"] >= 32, (where, seen)
                assert not seen["sidebar"] and not seen["inputs"], (where, seen)
            if SECTIONS[section - 1] == "step" and layout == "presenter-1280":
                step_with_keys(page, language)
            if section < SECTION_COUNT:
                _press(page, "PageDown")
        assert revealed >= 4
        _press(page, "PageUp")
        _title_shown(page, text(f"lesson_title_{SECTIONS[-2]}", language))
    finally:
        context.close()


def measure(page: Page) -> dict:
    return page.evaluate(MEASURE)


def _reading(page: Page, language: str, step: int) -> None:
    marker = "第 {t} 步" if language == "zh" else "Step {t},"
    page.get_by_text(marker.format(t=step)).first.wait_for(timeout=20_000)


def step_with_keys(page: Page, language: str) -> None:
    """→ / End / Home step the section; Space plays it on a timer until the last step."""
    _press(page, "ArrowRight")
    _reading(page, language, 2)
    _press(page, "End")
    _reading(page, language, 11)
    _press(page, "Home")
    _reading(page, language, 1)
    page.keyboard.press(" ")
    _reading(page, language, 4)  # advanced by the timer, with no further key
    page.keyboard.press(" ")  # pause
    wait_for_run(page)
    assert exceptions(page) == 0
