"""Helpers for a live class behind HAProxy (deploy/serve.sh), shared by the browser test and
the benchmark: a presenter page that starts a class however loaded the replicas are."""

from __future__ import annotations

import time

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .class_client import SECRET_PREFIX


def open_class(page: Page, url: str, section: int = 1, limit: float = 180.0) -> tuple[str, str]:
    """Open the lesson in presenter mode and press C until the page's URL names a class (on a
    freshly started, busy replica the first press can come before the page listens to keys).
    Returns (code, secret) as class_client.start_class does."""
    page.goto(f"{url}/?view=lesson&sec={section}&present=1&lang=en")
    page.wait_for_selector(".st-key-class_start", state="attached", timeout=int(limit * 1000))
    deadline = time.monotonic() + limit
    while True:
        page.keyboard.press("c")
        try:
            page.wait_for_function("() => location.search.includes('class=')", timeout=10_000)
            break
        except PlaywrightTimeout:
            if time.monotonic() > deadline:
                raise
    code = page.evaluate("() => new URLSearchParams(location.search).get('class')")
    page.wait_for_function(
        f"() => localStorage.getItem('{SECRET_PREFIX}{code}') !== null", timeout=60_000
    )
    return code, page.evaluate(f"() => localStorage.getItem('{SECRET_PREFIX}{code}')")
