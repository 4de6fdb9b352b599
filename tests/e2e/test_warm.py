"""Warm before healthy (rnnviz/app/warm.py, the st.App lifespan in rnnviz/app/server.py): a
plain `streamlit run dashboard.py` answers /_stcore/health only once its pages have run in the
server, and a student's session then finds what the warm-up built: no trace computed and no
chart built again (counted from the server's debug log)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.request

import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from .serve import ROOT, free_port

PAGE = "view=lesson&sec=5&lang=zh"  # the softmax section: a trace and a chart


def healthy(url: str) -> bool:
    with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/_stcore/health") as reply:
        return reply.status == 200
    return False


def rerun(url: str, query: str) -> bool:
    """One session: the page with `query`, run to its end; True if it had no exception."""
    socket = websocket.create_connection(
        url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"], timeout=120
    )
    try:
        message = BackMsg()
        message.rerun_script.query_string = query
        message.rerun_script.page_script_hash = ""
        socket.send_binary(message.SerializeToString())
        failed = False
        while True:
            reply = ForwardMsg.FromString(socket.recv())
            kind = reply.WhichOneof("type")
            if kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
                failed |= reply.delta.new_element.WhichOneof("type") == "exception"
            if kind == "script_finished":
                return not failed
    finally:
        socket.close()


def test_the_pages_are_warm_before_the_server_is_healthy_and_sessions_use_what_it_built(
    tmp_path,
):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    environment = {**os.environ, "RNNVIZ_WARM_PAGES": PAGE}
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "dashboard.py"),
                "--server.headless",
                "true",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--logger.level",
                "debug",
            ],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        started = time.monotonic()
        while not healthy(url):
            assert process.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() - started < 300, "not healthy after 300 s"
            time.sleep(0.1)
        warmed = log.read_text()
        # healthy only after the warm-up: its summary is already in the log
        assert "rnnviz warm: 1 of 1 pages" in warmed
        traces = warmed.count("trace computed:")
        charts = warmed.count("chart built:")
        assert traces >= 1 and "chart built: softmax_chart" in warmed
        assert rerun(url, PAGE)
        assert rerun(url, PAGE.replace("lang=zh", "lang=en"))
        time.sleep(0.5)  # the log is written by the server's threads
        after = log.read_text()
        # the session read the warm trace and the warm chart ...
        assert after.count("trace computed:") == traces
        # ... and another language is another chart (so the count does see a session's build)
        assert after.count("chart built:") == charts + 1
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
