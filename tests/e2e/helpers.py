"""What a person sees, read from the page: waiting for a rerun to settle, tick labels of
charts, visible text."""

from __future__ import annotations

import contextlib

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

APP = '[data-testid="stApp"]'


def wait_for_run(page: Page, started_timeout: int = 1500) -> None:
    """Wait until Streamlit has finished the rerun that an action started (as Streamlit's own
    e2e tests do, through stApp's data-test-script-state), then for the charts to draw."""
    with contextlib.suppress(PlaywrightTimeout):  # the rerun may be over already
        page.wait_for_selector(f'{APP}[data-test-script-state="running"]', timeout=started_timeout)
    page.wait_for_selector(f'{APP}[data-test-script-state="notRunning"]', timeout=90_000)
    page.wait_for_function(
        """() => [...document.querySelectorAll('.stPlotlyChart')]
                 .every(chart => chart.querySelector('.main-svg'))""",
        timeout=30_000,
    )


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(f'{APP}[data-test-script-state="notRunning"]', timeout=120_000)
    wait_for_run(page, started_timeout=200)


def chart_ticks(page: Page) -> list[list[str]]:
    """The x tick labels of every chart on the page, in order."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.stPlotlyChart')].map(chart =>
               [...chart.querySelectorAll('.xaxislayer-above .xtick text')]
                 .map(node => node.textContent))"""
    )


def exceptions(page: Page) -> int:
    return page.locator('[data-testid="stException"]').count()
