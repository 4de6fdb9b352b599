"""Nothing floats over controls or charts: the step-through's floating bar (shown once its
step bar is scrolled away) in the explore and RNN·LSTM·GRU views, on a projector and a
phone, scrolled from the top of the page to its end; its own buttons never cut off."""

from __future__ import annotations

import pytest

from .helpers import exceptions, open_app
from .room import covered

FLOATING_SHOWN = """() => [...document.querySelectorAll('*')].filter(n => n.shadowRoot)
  .some(n => { const bar = n.shadowRoot.querySelector('.floating');
               return bar && bar.classList.contains('shown'); })"""
SCROLL = """(y) => { const main = document.querySelector('[data-testid="stMain"]');
  main.scrollTo(0, y); return [main.scrollTop, main.scrollHeight - main.clientHeight]; }"""
PAGES = {
    "explore": "/?s=我的职业是程序员，我最擅长的是电脑&lang=zh",
    "arch": "/?view=arch&k=20&lang=en",
}
SCREENS = {"projector": {"width": 1280, "height": 720}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("view", list(PAGES))
def test_nothing_floats_over_controls_or_charts(browser, server, view, screen):
    context = browser.new_context(locale="zh-CN", viewport=SCREENS[screen])
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        open_app(page, server + PAGES[view])
        floated = False
        position, end = page.evaluate(SCROLL, 0)
        while True:
            page.wait_for_timeout(250)  # the bar is placed on the next animation frame
            assert covered(page) == [], (view, screen, position)
            floated = floated or page.evaluate(FLOATING_SHOWN)
            if position >= end:
                break
            position, end = page.evaluate(SCROLL, position + SCREENS[screen]["height"] // 2)
        assert floated, "the floating step bar was never shown: nothing was checked"
        assert exceptions(page) == 0
    finally:
        context.close()
