"""A phone in class: headless Chromium as a 390x844 phone with its CPU throttled 4x (a
mid-range phone, as Chrome's DevTools emulate it) opens the lesson on a warm plain
`streamlit run dashboard.py`, then pages on from section to section. For each: the bytes
received (HTTP responses on the wire plus the websocket's frames, as Chromium counts them) and
the time until the page shows it (the first page: its first chart drawn; a section change:
its title).
Run: python benchmarks/bench_phone.py [--sections 4] [--throttle 4] [--write]"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from e2e.conftest import CHROMIUM_FLAGS  # noqa: E402
from e2e.serve import streamlit_server  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from report import table, write_section  # noqa: E402

# Section 2: the first one with a figure before any question (a question hides its figure)
PAGE = "/?view=lesson&sec=2&lang=zh"
FIRST_CHART = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
  .some(chart => chart.querySelector('.main-svg text'))"""
IDLE = """() => document.querySelector('[data-test-script-state]')
  ?.dataset.testScriptState === 'notRunning'"""


class Counter:
    """Bytes Chromium received since the last reset: HTTP responses as sent (compressed) and
    the websocket's frames (their payload)."""

    def __init__(self, client) -> None:
        self.http = self.socket = 0
        client.send("Network.enable")
        client.send("Network.setCacheDisabled", {"cacheDisabled": True})
        client.on("Network.loadingFinished", self._finished)
        client.on("Network.webSocketFrameReceived", self._frame)

    def _finished(self, event) -> None:
        self.http += int(event["encodedDataLength"])

    def _frame(self, event) -> None:
        # binary frames arrive base64-encoded: 3 bytes for every 4 characters
        data = event["response"]["payloadData"]
        self.socket += len(data) * 3 // 4 if event["response"]["opcode"] == 2 else len(data)

    def take(self) -> tuple[int, int]:
        taken = (self.http, self.socket)
        self.http = self.socket = 0
        return taken


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=4, help="section changes to measure")
    parser.add_argument("--throttle", type=float, default=4.0, help="CPU slowdown factor")
    parser.add_argument("--write", action="store_true", help="write docs/PERFORMANCE.md")
    args = parser.parse_args()
    rows = []
    with (
        streamlit_server("dashboard.py", timeout=300) as (url, _, healthy_after),
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("RNNVIZ_CHROMIUM", "/usr/bin/chromium"),
            args=CHROMIUM_FLAGS,
        )
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
        )
        page = context.new_page()
        client = context.new_cdp_session(page)
        client.send("Emulation.setCPUThrottlingRate", {"rate": args.throttle})
        counter = Counter(client)
        started = time.perf_counter()
        page.goto(url + PAGE)
        page.wait_for_function(FIRST_CHART, timeout=180_000, polling=50)
        first_chart = time.perf_counter() - started
        page.wait_for_function(IDLE, timeout=180_000)
        page.wait_for_timeout(1000)  # the lazily loaded chunks that follow the first chart
        http, frames = counter.take()
        rows.append(["first page (section 2)", f"{first_chart:.1f} s", http, frames])
        changes = []
        for section in range(3, 3 + args.sections):
            title = page.locator("h2").first.text_content()
            started = time.perf_counter()
            page.keyboard.press("PageDown")
            page.wait_for_function(
                f"() => location.search.includes('sec={section}')", timeout=120_000
            )
            page.wait_for_function(
                "title => { const h = document.querySelector('h2');"
                " return h && h.textContent !== title; }",
                arg=title,
                timeout=120_000,
                polling=50,
            )
            shown = time.perf_counter() - started
            page.wait_for_function(IDLE, timeout=120_000)
            page.wait_for_timeout(500)
            http, frames = counter.take()
            changes.append(http + frames)
            rows.append([f"to section {section}", f"{shown:.1f} s", http, frames])
        browser.close()
    body = table(
        [
            f"phone (390x844, CPU ÷{args.throttle:g})",
            "shown after",
            "HTTP bytes",
            "websocket bytes",
        ],
        [[name, seconds, f"{http:,}", f"{frames:,}"] for name, seconds, http, frames in rows],
    )
    body += (
        f"\n\nServer healthy after {healthy_after:.1f} s (its warm-up included); a section change"
        f" received {statistics.median(changes) / 1024:.0f} kB in the median; load average"
        f" {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the end."
    )
    if args.write:
        write_section("bench_phone", "python benchmarks/bench_phone.py --write", body)
    else:
        print(body)


if __name__ == "__main__":
    main()
