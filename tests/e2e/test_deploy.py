"""deploy/serve.sh as a teacher runs it: two replicas behind HAProxy, two browsers, cookie
affinity, and a SIGTERM that leaves nothing running. Without haproxy these tests skip with the
install line; under CI=true a missing haproxy fails them (.ci/run installs it)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from rnnviz.app.i18n import text

from .helpers import chart_ticks, exceptions, open_app, wait_for_run
from .serve import SERVE, free_port, start_serve_sh, stop_group

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
INSTALL = "apt-get install haproxy (Debian, Ubuntu) or brew install haproxy (macOS)"


def find_haproxy() -> str | None:
    """Where serve.sh will find haproxy: PATH, then Debian's /usr/sbin."""
    candidates = [shutil.which("haproxy"), "/usr/sbin/haproxy", "/usr/local/sbin/haproxy"]
    return next((path for path in candidates if path and os.access(path, os.X_OK)), None)


def require_haproxy() -> None:
    if find_haproxy():
        return
    if os.environ.get("CI"):
        pytest.fail(f"haproxy is missing under CI ({INSTALL}; .ci/run installs it)")
    pytest.skip(f"haproxy is not installed, so deploy/serve.sh cannot run: {INSTALL}")


@dataclass
class Deployment:
    url: str
    port: int
    process: subprocess.Popen
    children: list[psutil.Process]
    replica_ports: list[int]


def listening_ports() -> set[int]:
    return {
        connection.laddr.port
        for connection in psutil.net_connections(kind="tcp")
        if connection.status == psutil.CONN_LISTEN
    }


@pytest.fixture(scope="module")
def deployment():
    require_haproxy()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log_path = ARTIFACTS / "serve-sh.log"
    with open(log_path, "w") as log:
        process = start_serve_sh(2, port, log)
    try:
        started = time.monotonic()
        while "serving rnnviz on" not in log_path.read_text():
            assert process.poll() is None, f"serve.sh exited early:\n{log_path.read_text()}"
            assert time.monotonic() - started < 300, "serve.sh not serving after 300 s"
            time.sleep(0.3)
        children = psutil.Process(process.pid).children(recursive=True)
        replicas = [child for child in children if "streamlit" in " ".join(child.cmdline())]
        assert len(replicas) == 2, [child.cmdline() for child in children]
        replica_ports = [
            int(child.cmdline()[child.cmdline().index("--server.port") + 1]) for child in replicas
        ]
        yield Deployment(f"http://127.0.0.1:{port}", port, process, children, replica_ports)
    finally:
        stop_group(process)


def served_by(url: str, cookie: str | None = None) -> tuple[str, str | None]:
    """(the replica that answered a GET, the SERVERID cookie HAProxy set, if any)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        inserted = next(
            (
                header.split(";")[0].split("=", 1)[1]
                for header in response.headers.get_all("Set-Cookie") or []
                if header.startswith("SERVERID=")
            ),
            None,
        )
        return response.headers["X-Served-By"], inserted


def websocket_session(url: str, cookie: str, session_id: str = "") -> tuple[str, str]:
    """Open Streamlit's websocket as the browser does (cookies, and the last session id when
    reconnecting), run the script once; returns (replica that answered, session id)."""
    protocols = ["streamlit", "PLACEHOLDER_AUTH_TOKEN"] + ([session_id] if session_id else [])
    socket = websocket.create_connection(
        url.replace("http://", "ws://") + "/_stcore/stream",
        subprotocols=protocols,
        cookie=cookie,
        timeout=120,
    )
    try:
        replica = socket.getheaders()["x-served-by"]
        message = BackMsg()
        message.rerun_script.query_string = "s=我要打篮球去"
        message.rerun_script.page_script_hash = ""
        socket.send_binary(message.SerializeToString())
        got = ""
        while True:
            reply = ForwardMsg.FromString(socket.recv())
            if reply.WhichOneof("type") == "new_session":
                got = reply.new_session.initialize.session_id
            if reply.WhichOneof("type") == "script_finished":
                return replica, got
    finally:
        socket.close()


def test_missing_haproxy_stops_with_the_install_line():
    result = subprocess.run(
        ["bash", str(SERVE), "--replicas", "2", "--port", str(free_port())],
        cwd=ROOT,
        env={**os.environ, "HAPROXY": "/nonexistent/haproxy"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "apt-get install haproxy" in result.stderr
    assert "brew install haproxy" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--replicas", "0", "--port", "8501"], "--replicas must be 1-64"),
        (["--replicas", "two", "--port", "8501"], "--replicas must be a whole number"),
        (["--replicas", "2"], "--port is required"),
        (["--port", "99999"], "--port must be 1-65535"),
        (["--color", "red"], "unknown argument"),
    ],
)
def test_bad_arguments_get_a_clear_message(arguments, message):
    result = subprocess.run(
        ["bash", str(SERVE), *arguments], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert message in result.stderr


def test_two_browsers_each_get_a_working_page_on_their_own_replica(deployment, browser):
    replicas = []
    contexts = [
        browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 2400})
        for _ in range(2)
    ]
    try:
        for number, context in enumerate(contexts, start=1):
            page = context.new_page()
            page.set_default_timeout(60_000)
            open_app(page, deployment.url + "/?s=我要去打篮球")
            page.screenshot(path=str(ARTIFACTS / f"deploy-browser-{number}.png"), full_page=True)
            assert exceptions(page) == 0
            assert page.locator(".stPlotlyChart").count() >= 3
            assert ["我要", "去", "打篮球"] in chart_ticks(page)
            cookies = {cookie["name"]: cookie["value"] for cookie in context.cookies()}
            replicas.append(cookies["SERVERID"])
        # leastconn: the first browser's websocket is open, so the second goes to the other.
        assert sorted(replicas) == ["r1", "r2"], replicas
    finally:
        for context in contexts:
            context.close()


def test_a_session_stays_on_its_replica_across_reruns_reloads_and_reconnects(deployment, browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 2400})
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        answered: list[str] = []
        page.on(
            "response",
            lambda response: answered.append(response.headers.get("x-served-by", "")),
        )
        open_app(page, deployment.url)
        replica = next(c["value"] for c in context.cookies() if c["name"] == "SERVERID")
        for sentence in ["我要打篮球去", "我的职业是程序员，我最擅长的是电脑"]:
            box = page.get_by_label(text("sentence", "zh"), exact=True)
            box.fill(sentence)
            box.press("Enter")
            wait_for_run(page)
        for _ in range(2):  # a reload is a new page request and a new websocket
            open_app(page, page.url)
        assert exceptions(page) == 0
        assert [tick for tick in chart_ticks(page) if "程序员" in tick]
        proxied = [name for name in answered if name]
        assert len(proxied) >= 3 and set(proxied) == {replica}, answered

        cookie = f"SERVERID={replica}"
        assert served_by(deployment.url + "/_stcore/health", cookie) == (replica, None)
        first_replica, session_id = websocket_session(deployment.url, cookie)
        again_replica, resumed_id = websocket_session(deployment.url, cookie, session_id)
        assert first_replica == again_replica == replica
        assert session_id and resumed_id == session_id  # only that process knew the session
    finally:
        context.close()


def test_each_new_visitor_gets_the_cookie_of_the_replica_that_served_it(deployment):
    """HAProxy balances new visitors by least connections (a student holds one websocket for
    the lesson; the two-browser test shows two pages landing on the two replicas), so which
    replica a bare request reaches depends on the pages still open; what must always hold is
    that the cookie it inserts names the replica that answered."""
    visits = [served_by(deployment.url + "/_stcore/health") for _ in range(6)]
    assert all(served in ("r1", "r2") and cookie == served for served, cookie in visits), visits


def test_sigterm_stops_every_process_and_frees_every_port(deployment):
    ports = [deployment.port, *deployment.replica_ports]
    assert set(ports) <= listening_ports()
    deployment.process.send_signal(signal.SIGTERM)
    assert deployment.process.wait(timeout=60) == 143
    for child in deployment.children:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.wait(timeout=10)
        assert not child.is_running(), child
    assert not set(ports) & listening_ports()
