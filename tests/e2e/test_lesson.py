"""The lesson in headless Chromium, driven by the keyboard only, as a teacher with a presenter
clicker (PageDown) and a student on a phone would use it: every section from the first to the
last, light and dark, in both languages, on a 1280x720 projector and a 390x844 phone, checking
what a class sees: nothing answers a question before its reveal, every text readable against
what is behind it (WCAG contrast), nothing spills below the screen or lies over a control."""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from rnnviz.app.i18n import text
from rnnviz.memory import live_prompt_tokens
from rnnviz.teaching import SECTION_COUNT, SECTIONS

from .helpers import APP, WATCH_CHANGES, exceptions, open_app, wait_for_run
from .room import contrast_failures, covered

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
      + ' [data-testid="stMarkdownContainer"] code, button p, [data-testid="stCaptionContainer"],'
      + ' [data-testid="stCode"] code',
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


def _title_shown(page: Page, title: str, timeout: int = 10_000) -> None:
    with contextlib.suppress(PlaywrightTimeout):
        page.get_by_role("heading", name=title).wait_for(timeout=timeout)
    assert page.get_by_role("heading", name=title).is_visible(), title


THEMES = {"light": "", "dark": "&dark=1"}
# Before its reveal a question section shows none of these: they answer it.
ANSWERS = """() => ({
  charts: document.querySelectorAll('.stMainBlockContainer [data-testid="stPlotlyChart"]').length,
  stepper: document.querySelectorAll('.st-key-lesson_stepper').length,
  answer: document.querySelectorAll('[data-testid="stAlertContentSuccess"]').length,
  takeaways: [...document.querySelectorAll('.stMainBlockContainer h4')].map(h => h.textContent),
})"""


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("layout", ["presenter-1280", "phone"])
def test_walk_the_lesson_as_a_class_sees_it(browser, server, layout, language, theme):
    walk(browser, server, layout, language, theme)


def test_presenter_fits_a_1920_screen(browser, server):
    walk(browser, server, "presenter-1920", "zh", "light")


def _nothing_answers(page: Page, name: str, language: str, where: str) -> None:
    shown = page.evaluate(ANSWERS)
    assert shown["charts"] == shown["stepper"] == shown["answer"] == 0, (where, shown)
    assert text(f"lesson_take_{name}", language) not in shown["takeaways"], where


def _readable(page: Page, where: str) -> None:
    measured = contrast_failures(page)
    assert measured["checked"] > 10, (where, measured)
    assert measured["count"] == 0, (where, measured)


def _uncovered(page: Page, where: str) -> None:
    """Nothing lies over a control or a chart, at the top of the section and at its end."""
    assert covered(page) == [], where
    page.evaluate(SCROLL_TO_END)
    page.wait_for_timeout(300)
    assert covered(page) == [], (where, "scrolled to the end")
    page.evaluate(SCROLL_TO_TOP)
    page.wait_for_timeout(100)


SCROLL_TO_END = """() => { const main = document.querySelector('[data-testid="stMain"]');
  main.scrollTo(0, main.scrollHeight); window.scrollTo(0, document.body.scrollHeight); }"""
SCROLL_TO_TOP = """() => { document.querySelector('[data-testid="stMain"]').scrollTo(0, 0);
  window.scrollTo(0, 0); }"""


def walk(browser, server, layout: str, language: str, theme: str) -> None:
    viewport, flags = LAYOUTS[layout]
    presenter = bool(flags)
    flags += THEMES[theme]
    locale = "zh-CN" if language == "zh" else "en-US"
    context = browser.new_context(locale=locale, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        _open(page, f"{server}/?view=lesson&lang={language}{flags}")
        revealed = 0
        for section in range(1, SECTION_COUNT + 1):
            name = SECTIONS[section - 1]
            where = f"{layout} {language} {theme} section {section}"
            _title_shown(page, text(f"lesson_title_{name}", language))
            assert f"sec={section}" in page.url, where
            if page.locator(".st-key-lesson_reveal button").count():
                # predict first: the question and its choices, nothing that answers it
                _nothing_answers(page, name, language, where)
                _readable(page, where)
                _press(page, "1")  # a student's choice reveals nothing either
                _nothing_answers(page, name, language, where)
                _press(page, "Enter")
                revealed += 1
                assert measure(page)["answer"], where
                assert (
                    text(f"lesson_take_{name}", language) in page.evaluate(ANSWERS)["takeaways"]
                ), where
            if name == "loop":  # the QR panel: on localhost, the addresses offered
                _press(page, "q")
                _readable(page, f"{where} QR panel")
                _uncovered(page, f"{where} QR panel")
                _press(page, "q")
            if name == "unrolled":
                every_step_at_end(page, presenter)
            _readable(page, where)
            _uncovered(page, where)
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
            if name == "step" and layout == "presenter-1280":
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


DIAGRAM = """() => {
  const host = [...document.querySelectorAll('.st-key-lesson_stepper *')].find(n => n.shadowRoot);
  const svg = host.shadowRoot.querySelector('svg.diagram');
  const texts = [...svg.querySelectorAll('text')];
  return {
    step: Number(host.shadowRoot.querySelector('.stepper').dataset.step),
    boxes: texts.filter(t => /^h[₀-₉]+$/.test(t.textContent)).map(t => t.textContent),
    sizes: texts.map(t => parseFloat(getComputedStyle(t).fontSize)
      * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width),
  };
}"""


def every_step_at_end(page: Page, presenter: bool) -> None:
    """End lights up the whole sentence: on a projector every step's boxes are drawn, h₁ to
    h_T, their labels at least 18 px as drawn on screen."""
    page.keyboard.press("End")
    page.wait_for_function(
        "() => { const host = [...document.querySelectorAll('.st-key-lesson_stepper *')]"
        ".find(n => n.shadowRoot); const s = host && host.shadowRoot.querySelector('.stepper');"
        " return s && s.dataset.step === String(" + str(len(FLAGSHIP_TOKENS)) + "); }",
        timeout=20_000,
    )
    drawn = page.evaluate(DIAGRAM)
    if presenter:
        subscripts = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
        expected = [f"h{str(t).translate(subscripts)}" for t in range(1, drawn["step"] + 1)]
        assert drawn["boxes"] == expected, drawn
        assert min(drawn["sizes"]) >= 18, drawn
    wait_for_run(page)


FLAGSHIP_TOKENS = live_prompt_tokens("程序员", 0)


def test_five_fast_clicker_presses_move_five_sections(browser, server):
    """A clicker pressed 5 times 100 ms apart, while the page is still drawing: 5 sections."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        _open(page, f"{server}/?view=lesson&lang=zh&present=1&sec=1")
        for _ in range(5):
            page.keyboard.press("PageDown")
            page.wait_for_timeout(100)
        page.wait_for_function("() => location.search.includes('sec=6')", timeout=60_000)
        wait_for_run(page)
        _title_shown(page, text(f"lesson_title_{SECTIONS[5]}", "zh"), timeout=30_000)
        page.keyboard.press("PageUp")
        page.wait_for_timeout(100)
        page.keyboard.press("PageUp")
        page.wait_for_function("() => location.search.includes('sec=4')", timeout=30_000)
        assert exceptions(page) == 0
    finally:
        context.close()


def test_the_back_button_returns_to_the_section_before(browser, server):
    """A section change is a step in the browser's history: Back draws the section before,
    Forward the one after (only Back / Forward move the lesson by its URL within a session)."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        _open(page, f"{server}/?view=lesson&lang=zh&present=1&sec=2")
        _press(page, "PageDown")
        page.wait_for_function("() => location.search.includes('sec=3')", timeout=30_000)
        _title_shown(page, text(f"lesson_title_{SECTIONS[2]}", "zh"), timeout=60_000)
        page.go_back()
        page.wait_for_function("() => location.search.includes('sec=2')", timeout=30_000)
        _title_shown(page, text(f"lesson_title_{SECTIONS[1]}", "zh"), timeout=60_000)
        page.go_forward()
        page.wait_for_function("() => location.search.includes('sec=3')", timeout=30_000)
        _title_shown(page, text(f"lesson_title_{SECTIONS[2]}", "zh"), timeout=60_000)
        assert exceptions(page) == 0
    finally:
        context.close()


def test_keys_come_back_to_the_page_after_enter_in_a_text_box(browser, server):
    """The teacher types the students' address and presses Enter: P then toggles presenter
    mode (no "p" typed into the box); in explore, → steps after Enter in the sentence box."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        _open(page, f"{server}/?view=lesson&lang=en&sec=2")
        _press(page, "q")
        # opened as 127.0.0.1: a warning and no QR code until an address is chosen
        assert page.get_by_text(text("lesson_localhost", "en")).is_visible()
        assert page.locator('[data-testid="stImage"]').count() == 0
        box = page.locator(".st-key-lesson_host_box input")
        box.fill("http://192.168.1.10:8501")
        box.press("Enter")
        wait_for_run(page)
        page.locator('[data-testid="stImage"]').wait_for(timeout=20_000)
        assert page.get_by_text("http://192.168.1.10:8501/?view=lesson&sec=2&lang=en").is_visible()
        page.keyboard.press("p")
        page.wait_for_function("() => location.search.includes('present=1')", timeout=20_000)
        wait_for_run(page)
        assert box.count() == 0 or "p" not in box.input_value().removeprefix("http")
        assert not page.get_by_text(text("lesson_localhost", "en")).is_visible()
        open_app(page, f"{server}/?s=我的职业是程序员，我最擅长的是电脑&lang=en")
        sentence = page.locator(".st-key-s input")
        sentence.click()
        sentence.press("End")
        sentence.press("Enter")
        wait_for_run(page)
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        step = page.evaluate(
            "() => [...document.querySelectorAll('.st-key-stepper *')].find(n => n.shadowRoot)"
            ".shadowRoot.querySelector('.stepper').dataset.step"
        )
        assert step == "3"
        assert exceptions(page) == 0
    finally:
        context.close()


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
