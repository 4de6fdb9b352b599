"""No file watchers on a reconnected session. `server.fileWatcherType = "none"` keeps a new
session from watching the sources (Streamlit issue #8738), but Streamlit 1.67 starts the
watchers again when a session's websocket reconnects (`WebsocketSessionManager.connect_session`
calls `register_file_watchers()` whatever the option says). The next successful run then walks
every imported module's files (torch's thousands) holding the interpreter's lock, and again
whenever a module is imported later: a phone whose Wi-Fi drops cost the server ~1 s of CPU, and
a class of 120 whose sessions reconnected fell to p95 11 s (benchmarks/bench_load.py with
sticky sessions). Each run drops them again, through public methods."""

from __future__ import annotations

from streamlit import config
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx


def drop_file_watchers() -> bool:
    """Disconnect the running session's file watchers if the server watches no files.
    Returns whether it did (False outside a server's session, e.g. in AppTest)."""
    if config.get_option("server.fileWatcherType") != "none" or not Runtime.exists():
        return False
    context = get_script_run_ctx()
    session = None if context is None else Runtime.instance().get_app_session(context.session_id)
    if session is None:
        return False
    session.disconnect_file_watchers()
    return True
