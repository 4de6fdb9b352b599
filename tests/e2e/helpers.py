"""What a person sees, read from the page: waiting for a rerun to settle, tick labels of
charts, visible text."""

from __future__ import annotations

import contextlib

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

APP = '[data-testid="stApp"]'
CHART = ".stPlotlyChart"
WATCH_CHANGES = """() => {
  window.__lastChange = performance.now();
  new MutationObserver(() => { window.__lastChange = performance.now(); })
    .observe(document.body, {subtree: true, childList: true, attributes: true,
                             characterData: true});
}"""
SETTLED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const charts = [...document.querySelectorAll('.stPlotlyChart')];
  return app && app.getAttribute('data-test-script-state') === 'notRunning'
    && charts.every(chart => chart.querySelector('.main-svg'))
    && performance.now() - window.__lastChange > 300;
}"""


def wait_for_run(page: Page, started_timeout: int = 1500) -> None:
    """Wait until Streamlit has finished the rerun that an action started (stApp's
    data-test-script-state, as Streamlit's own e2e tests do), the charts are drawn and the
    page has stopped changing."""
    with contextlib.suppress(PlaywrightTimeout):  # the rerun may be over already
        page.wait_for_selector(f'{APP}[data-test-script-state="running"]', timeout=started_timeout)
    page.wait_for_function(SETTLED, timeout=90_000, polling=50)


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(f"{CHART} .main-svg", timeout=120_000)
    page.evaluate(WATCH_CHANGES)
    wait_for_run(page, started_timeout=100)


def chart_ticks(page: Page) -> list[list[str]]:
    """The x tick labels of every chart on the page, in order."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.stPlotlyChart')].map(chart =>
               [...chart.querySelectorAll('.xaxislayer-above .xtick text')]
                 .map(node => node.textContent))"""
    )


def exceptions(page: Page) -> int:
    return page.locator('[data-testid="stException"]').count()
