"""The dashboard's server, the st.App that dashboard.py defines when Streamlit imports it: the
live class's routes and event stream, and compressed responses. No page code here."""

from __future__ import annotations

from typing import Any

from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware

from .live_class.routes import class_server

# Streamlit sends its scripts uncompressed (its Plotly chunk alone is 4.7 MB), and a class of
# phones fetches them at once over one Wi-Fi. Starlette never compresses text/event-stream, so
# the class's event stream still reaches the phones event by event.
COMPRESS_FROM_BYTES = 1024


def server_options() -> dict[str, Any]:
    """The keyword arguments of the dashboard's st.App."""
    return {
        **class_server(),
        "middleware": [Middleware(GZipMiddleware, minimum_size=COMPRESS_FROM_BYTES)],
    }
