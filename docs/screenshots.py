"""Take the README's screenshots of each view from a real browser (headless Chromium).
Run: python docs/screenshots.py            (the views, then every lesson section)
     python docs/screenshots.py lesson     (only docs/screenshots/lesson-<N>.png)"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from e2e.conftest import CHROMIUM_FLAGS, find_browser  # noqa: E402
from e2e.serve import streamlit_server  # noqa: E402

from rnnviz.teaching import SECTION_COUNT  # noqa: E402

VIEWS = {
    # the character LM knows every character of the article's sentence: no <unk> on screen
    "explore": "/?s=我的职业是程序员，我最擅长的是电脑&model=charlm-rnn&mode=char&step=13",
    "compare": "/?view=compare&n=4",
    "architectures": "/?view=arch&k=20&astep=40",
}


# sections with a step-through, shown at a later step: the unrolled network read to its end,
# one step with the old memory W h already at work (step 5, reading 程序员)
STEP_KEYS = {3: ("End",), 4: ("ArrowRight",) * 4}
SETTLED = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# Plotly loads lazily: a skeleton stands in for a chart until its code has arrived.
CHARTS_DRAWN = """() => !document.querySelector('[data-testid="stSkeleton"]')
  && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
       .every(chart => chart.querySelector('.main-svg text'))"""


def views(browser, url: str, out: Path) -> None:
    for name, query in VIEWS.items():
        page = browser.new_page(viewport={"width": 1440, "height": 1800}, locale="zh-CN")
        page.goto(url + query)
        page.wait_for_selector(SETTLED, timeout=120_000)
        page.wait_for_selector(".stPlotlyChart .main-svg", timeout=60_000)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(out / f"{name}.png"))
        print(out / f"{name}.png")


def lesson(browser, url: str, out: Path) -> None:
    """Every section as the class sees it on a 1280x720 projector: presenter mode, Chinese,
    the question answered (Enter, as the teacher reveals it)."""
    page = browser.new_page(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    for section in range(1, SECTION_COUNT + 1):
        page.goto(f"{url}/?view=lesson&lang=zh&present=1&sec={section}")
        page.wait_for_selector(SETTLED, timeout=120_000)
        page.wait_for_timeout(500)
        if page.locator(".st-key-lesson_reveal button").count():
            page.keyboard.press("Enter")
            page.wait_for_selector('[data-testid="stAlertContentSuccess"]', timeout=60_000)
        page.wait_for_function(CHARTS_DRAWN, timeout=60_000, polling=100)
        for key in STEP_KEYS.get(section, ()):
            page.keyboard.press(key)
            page.wait_for_timeout(700)
        page.wait_for_timeout(1000)
        path = out / f"lesson-{section}.png"
        page.screenshot(path=str(path))
        print(path)
    page.close()


def main() -> None:
    only_lesson = sys.argv[1:] == ["lesson"]
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright, streamlit_server("dashboard.py") as (url, _, _):
        browser = playwright.chromium.launch(
            executable_path=find_browser(playwright), args=CHROMIUM_FLAGS
        )
        if not only_lesson:
            views(browser, url, out)
        lesson(browser, url, out)
        browser.close()


if __name__ == "__main__":
    main()
