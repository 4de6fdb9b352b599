"""Take the README's screenshots of each view from a real browser (headless Chromium).
Run: python docs/screenshots.py"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from e2e.conftest import CHROMIUM_FLAGS, find_browser  # noqa: E402
from e2e.serve import streamlit_server  # noqa: E402

VIEWS = {
    "explore": "/?s=我的职业是程序员，我最擅长的是电脑&model=lm-lstm&step=4",
    "compare": "/?view=compare&n=4",
    "architectures": "/?view=arch&k=20&astep=40",
}


def main() -> None:
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright, streamlit_server("dashboard.py") as (url, _, _):
        browser = playwright.chromium.launch(
            executable_path=find_browser(playwright), args=CHROMIUM_FLAGS
        )
        for name, query in VIEWS.items():
            page = browser.new_page(viewport={"width": 1440, "height": 1800}, locale="zh-CN")
            page.goto(url + query)
            page.wait_for_selector(
                '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=120_000
            )
            page.wait_for_selector(".stPlotlyChart .main-svg", timeout=60_000)
            page.wait_for_timeout(1500)
            page.screenshot(path=str(out / f"{name}.png"))
            print(out / f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main()
