"""The dashboard's server, the st.App that dashboard.py defines when Streamlit imports it: the
live class's routes and event stream, compressed responses, the warm-up that runs the
pages once before the server answers its health check (rnnviz/app/warm.py) and the collector
that replaces Streamlit's collection after every run (rnnviz/app/collector.py). No page code
here."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from streamlit.runtime import Runtime

from .collector import Collector, collect_seconds
from .live_class.routes import class_server
from .warm import warm

# Streamlit sends its scripts uncompressed (its Plotly chunk alone is 4.7 MB), and a class of
# phones fetches them at once over one Wi-Fi. Starlette never compresses text/event-stream, so
# the class's event stream still reaches the phones event by event.
COMPRESS_FROM_BYTES = 1024


def server_options() -> dict[str, Any]:
    """The keyword arguments of the dashboard's st.App."""
    options = class_server()
    class_lifespan = options["lifespan"]

    @contextlib.asynccontextmanager
    async def lifespan(app) -> AsyncIterator[None]:
        # uvicorn answers nothing, /_stcore/health included, until this yields: the pages are
        # warm before the server says it is healthy (a plain `streamlit run` as serve.sh).
        async with class_lifespan(app):
            await warm(Runtime.instance())
            collector = Collector(collect_seconds()).start()
            try:
                yield
            finally:
                collector.stop()

    return {
        **options,
        "lifespan": lifespan,
        "middleware": [Middleware(GZipMiddleware, minimum_size=COMPRESS_FROM_BYTES)],
    }
