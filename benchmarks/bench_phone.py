"""A phone in class: headless Chromium as a 390x844 phone with its CPU throttled 4x (a
mid-range phone, as Chrome's DevTools emulate it) opens the lesson on a warm plain
`streamlit run dashboard.py`, then pages on from section to section. For each: the bytes
received (HTTP responses on the wire plus the websocket's frames, as Chromium counts them) and
the time until the page shows it (the first page: its first chart drawn; a section change:
its title). Bytes on the wire are counted by a relay between Chromium and the server
(benchmarks/wire.py): Chromium's own count of a websocket is its frames after decompression.
Run: python benchmarks/bench_phone.py [--sections 4] [--throttle 4] [--detail] [--write]
       [--server-arg=--server.enableWebsocketCompression=false]"""

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
from wire import WireCounter  # noqa: E402

# Section 2: the first one with a figure before any question (a question hides its figure)
PAGE = "/?view=lesson&sec=2&lang=zh"
FIRST_CHART = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
  .some(chart => chart.querySelector('.main-svg text'))"""
IDLE = """() => document.querySelector('[data-test-script-state]')
  ?.dataset.testScriptState === 'notRunning'"""


class Counter:
    """What Chromium received since the last reset: the websocket's frames (their payload,
    decompressed) and, with `detail`, each HTTP response's bytes on the wire and when it
    finished, in seconds from the reset."""

    def __init__(self, client) -> None:
        self.socket = 0
        self.responses: list[tuple[str, int, float]] = []
        self._urls: dict[str, str] = {}
        self._since = time.perf_counter()
        client.send("Network.enable")
        client.send("Network.setCacheDisabled", {"cacheDisabled": True})
        client.on("Network.requestWillBeSent", self._request)
        client.on("Network.loadingFinished", self._finished)
        client.on("Network.webSocketFrameReceived", self._frame)

    def _request(self, event) -> None:
        self._urls[event["requestId"]] = event["request"]["url"]

    def _finished(self, event) -> None:
        url = self._urls.get(event["requestId"], "?").split("/")[-1][:60]
        self.responses.append(
            (url, int(event["encodedDataLength"]), time.perf_counter() - self._since)
        )

    def _frame(self, event) -> None:
        # binary frames arrive base64-encoded: 3 bytes for every 4 characters
        data = event["response"]["payloadData"]
        self.socket += len(data) * 3 // 4 if event["response"]["opcode"] == 2 else len(data)

    def take(self) -> tuple[int, list[tuple[str, int, float]]]:
        taken = (self.socket, self.responses)
        self.socket, self.responses = 0, []
        self._since = time.perf_counter()
        return taken


def detail(name: str, responses: list[tuple[str, int, float]], seconds: float) -> str:
    """The largest responses of one step, with when each finished."""
    largest = sorted(responses, key=lambda item: -item[1])[:12]
    rows = [[url, f"{size:,}", f"{done:.1f} s"] for url, size, done in largest]
    return f"\n{name} (shown after {seconds:.1f} s):\n" + table(
        ["response", "bytes (Chromium)", "finished after"], rows
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=4, help="section changes to measure")
    parser.add_argument("--throttle", type=float, default=4.0, help="CPU slowdown factor")
    parser.add_argument("--detail", action="store_true", help="print each step's responses")
    parser.add_argument(
        "--server-arg", action="append", default=[], help="extra `streamlit run` option"
    )
    parser.add_argument("--write", action="store_true", help="write docs/PERFORMANCE.md")
    args = parser.parse_args()
    rows = []
    details = []
    with (
        streamlit_server("dashboard.py", args.server_arg, timeout=300) as (
            server_url,
            _,
            healthy_after,
        ),
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
        wire = WireCounter(server_url)
        started = time.perf_counter()
        counter.take()
        page.goto(wire.url + PAGE)
        page.wait_for_function(FIRST_CHART, timeout=180_000, polling=50)
        first_chart = time.perf_counter() - started
        page.wait_for_function(IDLE, timeout=180_000)
        page.wait_for_timeout(1000)  # the lazily loaded chunks that follow the first chart
        frames, responses = counter.take()
        http, socket = wire.take()
        rows.append(["first page (section 2)", f"{first_chart:.1f} s", http, socket, frames])
        details.append(detail("first page (section 2)", responses, first_chart))
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
            frames, responses = counter.take()
            http, socket = wire.take()
            changes.append(http + socket)
            rows.append([f"to section {section}", f"{shown:.1f} s", http, socket, frames])
            details.append(detail(f"to section {section}", responses, shown))
        browser.close()
        wire.close()
    body = table(
        [
            f"phone (390x844, CPU ÷{args.throttle:g})",
            "shown after",
            "HTTP bytes (wire)",
            "websocket bytes (wire)",
            "websocket bytes (decoded)",
        ],
        [[name, seconds, *(f"{n:,}" for n in counts)] for name, seconds, *counts in rows],
    )
    body += (
        f"\n\nServer healthy after {healthy_after:.1f} s (its warm-up included); a section change"
        f" received {statistics.median(changes) / 1000:.0f} kB on the wire in the median"
        f" (largest {max(changes) / 1000:.0f} kB); load average {os.getloadavg()[0]:.1f} on"
        f" {os.cpu_count()} cores at the end."
        + (f" Server options: {' '.join(args.server_arg)}." if args.server_arg else "")
    )
    if args.detail:
        print("\n".join(details))
    if args.write:
        write_section("bench_phone", "python benchmarks/bench_phone.py --write", body)
    else:
        print(body)


if __name__ == "__main__":
    main()
