"""Interaction latency in a real browser (headless Chromium via Playwright): from pressing
Enter on a new sentence (or moving the step slider) to the last DOM change of the rerun.
Settled = stApp's data-test-script-state is notRunning, the charts are drawn and the page has been
quiet for 300 ms;
the time reported is that of the last change, not the quiet wait. The floor is
benchmarks/floor_app.py (same charts from random numbers, no model), measured in the same run.
Run: python benchmarks/bench_latency.py [--edits 20]"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from e2e.conftest import CHROMIUM_FLAGS, find_browser  # noqa: E402
from e2e.helpers import SETTLED, WATCH_CHANGES  # noqa: E402
from e2e.serve import streamlit_server  # noqa: E402
from report import SENTENCES, table, write_section  # noqa: E402


def settle(page) -> None:
    page.wait_for_timeout(50)
    page.wait_for_function(SETTLED, timeout=120_000, polling=25)  # quiet for 300 ms


def timed(page, action) -> float:
    """Seconds from the action to the last DOM change that followed it."""
    start = page.evaluate("() => performance.now()")
    action()
    settle(page)
    return (page.evaluate("() => window.__lastChange") - start) / 1000


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1600}, locale="zh-CN")
    page.goto(url)
    page.wait_for_selector(".stPlotlyChart .main-svg", timeout=120_000)
    page.evaluate(WATCH_CHANGES)
    settle(page)
    return page


def edits(page, box_label: str, count: int) -> list[float]:
    box = page.get_by_label(box_label, exact=True).first
    times = []
    for index in range(count):
        box.fill(SENTENCES[index % len(SENTENCES)])
        times.append(timed(page, lambda: box.press("Enter")))
    return times


def slider_moves(page, count: int) -> list[float]:
    thumb = page.locator('[data-testid="stSlider"] input[type="range"]').first
    thumb.focus()
    times = []
    for index in range(count):
        key = "ArrowRight" if (index // 5) % 2 == 0 else "ArrowLeft"
        times.append(timed(page, lambda k=key: thumb.press(k)))
    return times


def summary(name: str, times: list[float], floor: float | None) -> list:
    median = statistics.median(times)
    return [
        name,
        len(times),
        f"{median * 1e3:.0f}",
        f"{max(times) * 1e3:.0f}",
        f"{median / floor:.2f}×" if floor else "—",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edits", type=int, default=20, help="edits per measurement")
    args = parser.parse_args()
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=find_browser(playwright), args=CHROMIUM_FLAGS
        )
        with streamlit_server("benchmarks/floor_app.py") as (url, _, _):
            page = open_page(browser, url + "/?s=我要去打篮球")
            floor_edit = statistics.median(edits(page, "Sentence", args.edits))
            page = open_page(browser, url + "/?s=我的职业是程序员，我最擅长的是电脑")
            floor_step = statistics.median(slider_moves(page, args.edits))
        rows.append(["floor: edit", args.edits, f"{floor_edit * 1e3:.0f}", "", "1.00×"])
        rows.append(["floor: step slider", args.edits, f"{floor_step * 1e3:.0f}", "", "1.00×"])
        started = time.perf_counter()
        with streamlit_server("dashboard.py") as (url, _, healthy):
            page = browser.new_page(viewport={"width": 1400, "height": 1600}, locale="zh-CN")
            page.goto(url)
            page.wait_for_selector(".stPlotlyChart .main-svg", timeout=120_000)
            cold = time.perf_counter() - started
            page.close()
            page = open_page(browser, url)
            rows.append(summary("explore: edit", edits(page, "句子", args.edits), floor_edit))
            page = open_page(browser, url + "/?s=我的职业是程序员，我最擅长的是电脑")
            rows.append(summary("explore: step slider", slider_moves(page, args.edits), floor_step))
            page = open_page(browser, url + "/?view=compare&n=4")
            rows.append(
                summary(
                    "compare (4 sentences): edit", edits(page, "句子 1", args.edits), floor_edit
                )
            )
            page = open_page(browser, url + "/?view=arch")
            rows.append(summary("RNN·LSTM·GRU: edit", edits(page, "句子", args.edits), floor_edit))
            page = open_page(browser, url)
            box = page.get_by_label("句子", exact=True).first
            box.fill("我要去打篮球。" * 250)
            long_paste = timed(page, lambda: box.press("Enter"))
        browser.close()
    body = table(["interaction", "n", "median ms", "max ms", "median / floor"], rows)
    body += (
        f"\n\nCold start (server process start to the first chart drawn): {cold:.1f} s "
        f"(server healthy after {healthy:.1f} s). A 1,000-token paste (cut to the limit, "
        f"with a notice): {long_paste:.2f} s to the last change.\n\nTargets: each edit "
        "≤ 1.5× the floor's median; a step-slider move ≤ 1.2× the floor; cold start ≤ 8 s; "
        "a 1,000-token paste ≤ 3 s."
    )
    write_section("bench_latency", "python benchmarks/bench_latency.py", body)


if __name__ == "__main__":
    main()
