"""Warm before healthy: the dashboard's pages run once inside the server while it starts, so
the first student finds the models, jieba's dictionary, the learning signal, the traces and
the charts ready.

How: st.App's lifespan (rnnviz/app/server.py) runs before uvicorn answers anything, not even
/_stcore/health. It runs each page of WARM_PAGES in a session of the server's own runtime —
what Streamlit's /_stcore/script-health-check does for the default page, with a query string
— so the warm-up goes through the very caches a student's session then reads
(st.cache_resource, the trace cache, the chart cache), and nothing is warmed that a page
would not use. A page that fails or takes too long is logged and skipped: the page then loads
on first use, as before."""

from __future__ import annotations

import asyncio
import gc
import os
import time
from dataclasses import dataclass

from streamlit.logger import get_logger
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.runtime import Runtime
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.script_data import ScriptData
from streamlit.runtime.state import SCRIPT_RUN_WITHOUT_ERRORS_KEY

from rnnviz.teaching import SECTION_COUNT

LOG = get_logger("rnnviz.warm")
PAGE_SECONDS = 120.0  # one page's run, at most

# The landing page (explore), the other views' defaults, and every lesson section as a phone
# in a Chinese class first opens it. $RNNVIZ_WARM_PAGES replaces the list: query strings
# separated by spaces ("" or "none": no warm-up).
WARM_PAGES: tuple[str, ...] = (
    "",
    "view=arch",
    "view=compare",
    *(f"view=lesson&sec={section}" for section in range(1, SECTION_COUNT + 1)),
)


def warm_pages() -> tuple[str, ...]:
    chosen = os.environ.get("RNNVIZ_WARM_PAGES")
    if chosen is None:
        return WARM_PAGES
    return tuple(page for page in chosen.split() if page != "none")


@dataclass
class WarmRun:
    query: str
    ok: bool
    seconds: float


async def run_page(runtime: Runtime, query: str, timeout: float = PAGE_SECONDS) -> bool:
    """Run the app's script once with `query` in a session of `runtime` (on its event loop);
    True if it finished without an error."""
    session = AppSession(
        script_data=ScriptData(str(runtime._main_script_path), False),
        uploaded_file_manager=runtime._uploaded_file_mgr,
        script_cache=runtime._script_cache,
        message_enqueued_callback=None,
        user_info={},
    )
    try:
        session.request_rerun(ClientState(query_string=query))
        started = time.perf_counter()
        while SCRIPT_RUN_WITHOUT_ERRORS_KEY not in session.session_state:
            if time.perf_counter() - started > timeout:
                return False
            await asyncio.sleep(0.05)
        return bool(session.session_state[SCRIPT_RUN_WITHOUT_ERRORS_KEY])
    finally:
        session.shutdown()


async def warm(runtime: Runtime, pages: tuple[str, ...] | None = None) -> list[WarmRun]:
    """Run every page of `pages` (default: warm_pages()) once, one after the other."""
    runs = []
    started = time.perf_counter()
    for query in warm_pages() if pages is None else pages:
        begun = time.perf_counter()
        try:
            ok = await run_page(runtime, query)
        except Exception:  # a warm-up never stops the server from starting
            LOG.exception("warm-up of ?%s failed", query)
            ok = False
        runs.append(WarmRun(query, ok, time.perf_counter() - begun))
        LOG.debug("warm-up of ?%s: %.1f s", query, runs[-1].seconds)
        if not ok:
            LOG.warning("warm-up of ?%s did not finish; it loads on first use", query)
    # What the warm-up made lives as long as the server: out of the collector's way. A full
    # collection (Streamlit's after every run then, rnnviz/app/collector.py's every 2 s now)
    # walked all of it each time: 33 of 54 ms of server CPU per explore rerun, 21 ms in all
    # once frozen (benchmarks/bench_rerun.py).
    gc.collect()
    gc.freeze()
    if runs:
        LOG.info(
            "rnnviz warm: %d of %d pages in %.1f s",
            sum(run.ok for run in runs),
            len(runs),
            time.perf_counter() - started,
        )
    return runs
