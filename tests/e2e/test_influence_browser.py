"""The influence map and the per-step factors in headless Chromium: the step highlight moves
with the keys in the browser, the reading follows when the user pauses, and a phone shows the
charts without sideways scrolling."""

from __future__ import annotations

from rnnviz.app.i18n import text

from .helpers import exceptions, open_app
from .test_browser import press_outside_text_boxes, wait_for_url_step

OUTLINE = """key => {
  const plot = document.querySelector(`.st-key-${key} .js-plotly-plot`);
  const rect = (plot.layout.shapes || []).find(s => s.type === 'rect' && s.line.width > 0);
  return rect ? rect.x0 : null;
}"""


def test_keys_move_the_influence_highlight_and_the_reading_follows(page, server):
    open_app(page, server + "/?s=虽然服务很差但是环境很好&model=sentiment-lstm&lang=en")
    assert exceptions(page) == 0
    assert page.evaluate(OUTLINE, "step_influence") == -0.5  # step 1
    press_outside_text_boxes(page, "ArrowRight", 4)
    page.wait_for_function(f"() => ({OUTLINE})('step_influence') === 3.5", timeout=10_000)
    assert page.evaluate(OUTLINE, "step_factors") == 3.5
    wait_for_url_step(page, 5)
    assert exceptions(page) == 0
    assert page.get_by_text("At step 5 (“环境”)").is_visible()


def test_a_phone_shows_the_new_figures_without_sideways_scrolling(browser, server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    try:
        for query in ("/?s=虽然服务很差但是环境很好&model=sentiment-lstm", "/?view=compare"):
            phone = context.new_page()
            open_app(phone, server + query)
            assert exceptions(phone) == 0
            title = "influence_title" if "model" in query else "importance_title"
            heading = phone.get_by_text(text(title, "zh"))
            heading.scroll_into_view_if_needed()
            assert heading.is_visible()
            width = phone.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 390
            phone.close()
    finally:
        context.close()
