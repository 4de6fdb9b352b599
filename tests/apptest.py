"""The dashboard opened through Streamlit's AppTest at a URL's query: the one way the app tests
start a page (a new session each time, as a new browser tab would be)."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard.py"
TIMEOUT = 120  # seconds a run may take on a busy 2-core machine


def open_app(timeout: float = TIMEOUT, **query: str) -> AppTest:
    """A new session of the dashboard, run once with `query` as its URL's parameters."""
    at = AppTest.from_file(str(DASHBOARD), default_timeout=timeout)
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def chart_specs(at: AppTest) -> list[dict]:
    """Every Plotly chart of the page, as the figure JSON the browser receives."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
