"""Stepping in the browser (issue 13): keys outside any text box, Play at the teacher's speed,
the URL's 1-based step after a pause, nothing fetched from another host, long sentences."""

from __future__ import annotations

import re
import statistics
from urllib.parse import urlsplit

from playwright.sync_api import Page

from rnnviz.app.i18n import text

from .helpers import exceptions, open_app, wait_for_run

FLAGSHIP = "我的职业是程序员，我最擅长的是电脑"  # 12 tokens
STEPPER = """(key) => [...document.querySelectorAll(`.st-key-${key} *`)]
    .find(node => node.shadowRoot).shadowRoot.querySelector('.stepper')"""
RECORD_STEPS = (
    "(key) => { const stepper = ("
    + STEPPER
    + """)(key);
  window.__steps = [];
  new MutationObserver(() => {
    const last = window.__steps[window.__steps.length - 1];
    if (!last || last[1] !== stepper.dataset.step) {
      window.__steps.push([performance.now(), stepper.dataset.step]);
    }
  }).observe(stepper, {attributes: true, attributeFilter: ['data-step']});
}"""
)


def shown_step(page: Page, key: str = "stepper") -> int:
    return int(page.evaluate(f"(key) => ({STEPPER})(key).dataset.step", key))


def press(page: Page, key: str, times: int = 1) -> None:
    """Presses with nothing focused, as a presenter's clicker sends them."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    for _ in range(times):
        page.keyboard.press(key)


def url_step(page: Page, name: str = "step") -> str | None:
    return page.evaluate(f"() => new URLSearchParams(location.search).get('{name}')")


def wait_for_url_step(page: Page, step: int, name: str = "step") -> None:
    page.wait_for_function(
        f"() => new URLSearchParams(location.search).get('{name}') === '{step}'", timeout=30_000
    )
    wait_for_run(page)


def test_five_presses_show_step_six_and_the_url_has_it_after_a_pause(page, server):
    open_app(page, f"{server}/?s={FLAGSHIP}")
    assert shown_step(page) == 1
    press(page, "ArrowRight", 5)
    assert shown_step(page) == 6  # drawn at once, without the server
    assert page.get_by_text(text("reading", "zh", t=6)).is_visible()
    diagram_current = page.evaluate(
        f"""() => [...({STEPPER})('stepper').querySelectorAll('svg.diagram rect')]
              .filter(rect => rect.getAttribute('stroke-width') === '3').length"""
    )
    assert diagram_current == 3  # x, h and y of the current step are outlined
    wait_for_url_step(page, 6)
    assert shown_step(page) == 6  # the server's rerun after the pause keeps the step shown
    press(page, "ArrowLeft", 2)
    wait_for_url_step(page, 4)
    assert shown_step(page) == 4
    press(page, "ArrowRight")
    assert shown_step(page) == 5
    press(page, "Home")
    assert shown_step(page) == 1
    press(page, "End")
    assert shown_step(page) == 12
    wait_for_url_step(page, 12)
    assert exceptions(page) == 0


def test_keys_typed_in_the_sentence_box_do_not_step(page, server):
    open_app(page, f"{server}/?s={FLAGSHIP}")
    box = page.get_by_label(text("sentence", "zh"), exact=True)
    box.focus()
    box.press("End")
    box.press("ArrowLeft")
    box.press(" ")
    assert shown_step(page) == 1


def test_keys_step_after_a_click_on_a_radio_button(page, server):
    open_app(page, f"{server}/?s={FLAGSHIP}")
    # already chosen: focus only (the tokenization radio follows the model, so it is disabled)
    page.get_by_text(text("view_explore", "zh"), exact=True).click()
    wait_for_run(page)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert shown_step(page) == 3
    assert "view=explore" in page.url  # the arrows stepped; they did not change the radio


def test_space_plays_and_pauses_at_the_chosen_speed(page, server):
    open_app(page, f"{server}/?s={FLAGSHIP}")
    seconds = 0.5
    page.evaluate(
        f"""(seconds) => {{
          const speed = ({STEPPER})('stepper').querySelector('.speed input');
          speed.value = String(seconds);
          speed.dispatchEvent(new Event('input', {{bubbles: true}}));
        }}""",
        seconds,
    )
    page.evaluate(RECORD_STEPS, "stepper")
    press(page, " ")
    page.wait_for_timeout(3_000)
    press(page, " ")
    stopped_at = shown_step(page)
    changes = page.evaluate("() => window.__steps")
    steps = [int(step) for _, step in changes]
    assert steps == list(range(2, stopped_at + 1))
    intervals = [(b[0] - a[0]) / 1000 for a, b in zip(changes, changes[1:], strict=False)]
    assert len(intervals) >= 3
    assert abs(statistics.median(intervals) - seconds) <= 0.2 * seconds
    page.wait_for_timeout(1_500)
    assert shown_step(page) == stopped_at  # paused stays paused
    wait_for_url_step(page, stopped_at)
    press(page, " ")  # resumes where it was
    page.wait_for_timeout(int(seconds * 1000 * 1.6))
    assert shown_step(page) == stopped_at + 1
    press(page, " ")


def test_the_page_requests_nothing_from_another_host(page, server):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    open_app(page, f"{server}/?s={FLAGSHIP}&model=lm-lstm")
    press(page, "ArrowRight", 3)
    press(page, " ")
    page.wait_for_timeout(2_000)
    press(page, " ")
    page.get_by_text(text("view_arch", "zh"), exact=True).click()
    wait_for_run(page)
    press(page, "ArrowRight", 2)
    page.wait_for_timeout(1_500)
    hosts = {urlsplit(url).netloc for url in requests if not url.startswith(("data:", "blob:"))}
    assert hosts == {urlsplit(server).netloc}
    assert len(requests) > 5


def test_a_thousand_token_sentence_still_steps(page, server):
    open_app(page, server)
    box = page.get_by_label(text("sentence", "zh"), exact=True)
    box.fill("我要去打篮球。" * 250)
    box.press("Enter")
    wait_for_run(page)
    assert exceptions(page) == 0
    total = page.evaluate(f"() => ({STEPPER})('stepper').querySelector('input[type=range]').max")
    total = int(total) + 1
    assert total == 1000
    press(page, "End")
    assert shown_step(page) == total
    press(page, "ArrowLeft")
    assert shown_step(page) == total - 1
    window = text("step_window", "zh", start="START", end=total, total=total)
    pattern = re.escape(window).replace("START", r"\d+")
    assert page.get_by_text(re.compile(pattern)).count() == 1  # the diagram shows a window
    wait_for_url_step(page, total - 1)
    assert exceptions(page) == 0


def test_the_three_models_step_together(page, server):
    open_app(page, f"{server}/?view=arch&task=memory")
    assert shown_step(page, "arch_stepper") == 1
    press(page, "ArrowRight", 3)
    assert shown_step(page, "arch_stepper") == 4
    outlines = page.evaluate(
        """() => [...document.querySelectorAll('[class*="st-key-arch_hidden_"] .js-plotly-plot')]
              .map(graph => graph.layout.shapes[0].x0)"""
    )
    assert outlines == [2.5, 2.5, 2.5]
    wait_for_url_step(page, 4, "astep")
    assert exceptions(page) == 0


def test_the_review_of_the_explore_page(page, server):
    """An unknown next word is <unk> in the bars and the softmax alike; every W of the diagram
    is clear of the h boxes; a click on the page, which gives the main section focus for the
    keys, draws no frame."""
    open_app(page, f"{server}/?lang=en&model=lm-lstm&s={FLAGSHIP}&step=4")  # 是 → 程序员
    assert exceptions(page) == 0
    seen = page.evaluate(
        f"""() => {{
      const stepper = ({STEPPER})('stepper');
      const next = stepper.querySelector('.barfill.next');
      const target = stepper.querySelector('table.softmax tr.target td');
      const boxes = [...stepper.querySelectorAll('svg.diagram rect')]
        .map(rect => rect.getBoundingClientRect());
      const overlaps = [...stepper.querySelectorAll('svg.diagram text')]
        .filter(label => label.textContent === 'W')
        .map(label => label.getBoundingClientRect())
        .filter(w => boxes.some(box => w.left < box.right && w.right > box.left
                                    && w.top < box.bottom && w.bottom > box.top));
      return {{
        next: next && next.closest('.barrow').querySelector('.barlabel').textContent,
        target: target && target.textContent,
        loss: stepper.querySelector('.loss').textContent,
        labels: [...stepper.querySelectorAll('svg.diagram text')]
          .filter(label => label.textContent === 'W').length,
        overlaps: overlaps.length,
      }};
    }}"""
    )
    assert seen["next"] == "<unk>"
    assert seen["target"] == text("softmax_unknown_row", "en", word="程序员")
    assert "程序员" in seen["loss"] and "<unk>" in seen["loss"]
    assert seen["labels"] >= 3 and seen["overlaps"] == 0
    page.mouse.click(1300, 300)
    focused = page.evaluate(
        """() => [document.activeElement.dataset.testid,
                  getComputedStyle(document.activeElement).outlineStyle]"""
    )
    assert focused == ["stMain", "none"]
