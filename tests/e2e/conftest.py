"""Real-browser fixtures: a Streamlit server on a free loopback port and headless Chromium
driven by Playwright. The browser is found via $RNNVIZ_CHROMIUM, then Debian's
/usr/bin/chromium, then Playwright's own; with none and CI unset, Playwright's is installed
the way a user's machine can get it. Under CI the browser tests never skip: no browser fails."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from .serve import streamlit_server

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _playwright_chromium(playwright) -> str | None:
    try:
        path = playwright.chromium.executable_path
    except Exception:
        return None
    return path if path and Path(path).exists() else None


def find_browser(playwright) -> str:
    candidates = [
        os.environ.get("RNNVIZ_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            return candidate
    found = _playwright_chromium(playwright)
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(
            "No Chromium for the browser tests: install Debian's chromium "
            "(apt-get install chromium) or set RNNVIZ_CHROMIUM. CI never skips them."
        )
    subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], check=True)
    found = _playwright_chromium(playwright)
    if not found:
        pytest.fail("python -m playwright install chromium did not provide a browser.")
    return found


@pytest.fixture(scope="session")
def server():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with (
        open(ARTIFACTS / "server.log", "w") as log,
        streamlit_server("dashboard.py", ["--browser.gatherUsageStats", "false"], log) as (
            url,
            _,
            _,
        ),
    ):
        yield url


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        executable = find_browser(playwright)
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser):
    created = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 2400})
    yield created
    created.close()


@pytest.fixture
def page(context, request) -> Page:
    opened = context.new_page()
    opened.set_default_timeout(60_000)
    yield opened
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
    opened.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
