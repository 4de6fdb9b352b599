"""The bytes a first visit downloads, with and without HAProxy's gzip (deploy/haproxy.cfg,
issue 32): `deploy/serve.sh --replicas 1`, headless Chromium with an empty cache opening the
lesson once through HAProxy (compressed) and once straight from the replica (what HAProxy
passed on before: Streamlit sends its files uncompressed). Bytes on the wire are Chromium's
own count (the DevTools protocol's encodedDataLength of every response, headers included;
the websocket's frames are not HTTP responses and are left out).
Run: python benchmarks/bench_compression.py [--write]"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from classroom_load import served  # noqa: E402
from e2e.conftest import CHROMIUM_FLAGS  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from report import table, write_section  # noqa: E402

PAGE = "/?view=lesson&sec=1&lang=en"


def first_visit(browser, url: str) -> tuple[int, int, dict[str, int]]:
    """(bytes on the wire, bytes decoded, wire bytes per kind) of one first visit."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    client = context.new_cdp_session(page)
    client.send("Network.enable")
    client.send("Network.setCacheDisabled", {"cacheDisabled": True})
    kinds: dict[str, str] = {}
    decoded: dict[str, int] = {}
    wire: dict[str, int] = {}
    client.on("Network.responseReceived", lambda e: kinds.update({e["requestId"]: e["type"]}))
    client.on(
        "Network.dataReceived",
        lambda e: decoded.update(
            {e["requestId"]: decoded.get(e["requestId"], 0) + e["dataLength"]}
        ),
    )
    client.on(
        "Network.loadingFinished",
        lambda e: wire.update({e["requestId"]: int(e["encodedDataLength"])}),
    )
    page.goto(url + PAGE)
    page.wait_for_selector("h2", timeout=180_000)
    page.wait_for_load_state("networkidle", timeout=180_000)
    by_kind: dict[str, int] = {}
    for request, size in wire.items():
        kind = kinds.get(request, "Other")
        by_kind[kind] = by_kind.get(kind, 0) + size
    context.close()
    return sum(wire.values()), sum(decoded.values()), by_kind


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write docs/PERFORMANCE.md")
    args = parser.parse_args()
    with (
        tempfile.TemporaryFile("w+") as log,
        served(1, log) as (url, replicas, _),
        sync_playwright() as playwright,
    ):
        arguments = replicas[0].cmdline()
        direct = f"http://127.0.0.1:{arguments[arguments.index('--server.port') + 1]}"
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS
        )
        before = first_visit(browser, direct)
        after = first_visit(browser, url)
        browser.close()
    kinds = sorted(set(before[2]) | set(after[2]), key=lambda k: -before[2].get(k, 0))
    rows = [
        [kind, f"{before[2].get(kind, 0) / 1024:.0f}", f"{after[2].get(kind, 0) / 1024:.0f}"]
        for kind in kinds
    ]
    rows.append(["all (on the wire)", f"{before[0] / 1024:.0f}", f"{after[0] / 1024:.0f}"])
    rows.append(["all (decoded)", f"{before[1] / 1024:.0f}", f"{after[1] / 1024:.0f}"])
    body = table(["first visit of the lesson", "uncompressed (KiB)", "HAProxy gzip (KiB)"], rows)
    if args.write:
        write_section("bench_compression", "python benchmarks/bench_compression.py --write", body)
    else:
        print(body)


if __name__ == "__main__":
    main()
