"""A live class across replicas, as deploy/serve.sh runs it: two Streamlit replicas behind
HAProxy sharing the class through its redis-server. One presenter and three phones (real
Chromium) follow, vote and see the reveal; the replica serving most phones is killed mid-class
(its phones come back through HAProxy on the class's section and round, every vote kept, and
serve.sh starts it again); Redis frozen, the pages say the live class is unavailable and the
lesson goes on, and the class resumes when Redis answers again. SIGTERM leaves nothing."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections import Counter

import psutil
import pytest
from playwright.sync_api import expect

from .class_client import request
from .class_replicas import open_class
from .helpers import exceptions
from .serve import ROOT, SERVE, free_port, start_serve_sh, stop_group
from .test_deploy import ARTIFACTS, require_haproxy

FOLLOW_MS = 30_000
IDLE = """() => document.querySelector('[data-testid="stApp"]')
  ?.getAttribute('data-test-script-state') === 'notRunning'"""


def require_redis() -> None:
    from redis_server import redis_program

    redis_program()  # a skip, or a failure under CI, when redis-server is missing


@pytest.fixture(scope="module")
def served():
    """serve.sh --replicas 2: (url, serve.sh's process, its log's path)."""
    require_haproxy()
    require_redis()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log_path = ARTIFACTS / "serve-sh-class.log"
    with open(log_path, "w") as log:
        process = start_serve_sh(2, port, log)
    try:
        started = time.monotonic()
        while "serving rnnviz on" not in log_path.read_text():
            assert process.poll() is None, f"serve.sh exited early:\n{log_path.read_text()}"
            assert time.monotonic() - started < 300, "serve.sh not serving after 300 s"
            time.sleep(0.3)
        yield f"http://127.0.0.1:{port}", process, log_path
    finally:
        stop_group(process)


def replica_ports(log_path) -> list[int]:
    """The replicas' ports in HAProxy's order (r1, r2), as serve.sh reports them."""
    found = re.search(r"replica\(s\) on 127\.0\.0\.1 ports ([\d ]+)", log_path.read_text())
    return [int(port) for port in found.group(1).split()]


def process_on(serve: subprocess.Popen, needle: str) -> psutil.Process:
    children = psutil.Process(serve.pid).children(recursive=True)
    return next(child for child in children if needle in " ".join(child.cmdline()))


def replica_of(context) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == "SERVERID")


def test_a_class_on_two_replicas_survives_a_replica_and_redis_outages(served, browser):
    url, serve, log_path = served
    presenter_context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 720})
    presenter = presenter_context.new_page()
    presenter.set_default_timeout(60_000)
    code, secret = open_class(presenter, url)
    contexts, phones = [], []
    for _ in range(3):
        context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
        phone = context.new_page()
        phone.set_default_timeout(60_000)
        phone.goto(f"{url}/?view=lesson&class={code}&lang=en")
        contexts.append(context)
        phones.append(phone)
    try:
        for phone in phones:
            phone.wait_for_selector(".rnnviz-class-choice", timeout=120_000)
        places = [replica_of(context) for context in (presenter_context, *contexts)]
        assert set(places) == {"r1", "r2"}, places  # the class spans both replicas
        expect(presenter.locator(".rnnviz-class-line")).to_have_text(
            re.compile(f"Class {code} · 3 following"), timeout=FOLLOW_MS
        )

        # round 1 from phones on both replicas reaches the presenter's tally
        phones[0].get_by_text("1 · It changes").click()
        phones[1].get_by_text("1 · It changes").click()
        phones[2].get_by_text("2 · The same").click()
        status = presenter.locator(".rnnviz-class-status")
        expect(status).to_have_text("Round 1: 3 of 3 following answered", timeout=FOLLOW_MS)

        # the replica serving most phones dies (SIGKILL) mid-class
        victim = Counter(replica_of(context) for context in contexts).most_common(1)[0][0]
        port = replica_ports(log_path)[int(victim[1:]) - 1]
        process_on(serve, f"--server.port {port}").kill()
        moved = [
            (phone, c) for phone, c in zip(phones, contexts, strict=True) if replica_of(c) == victim
        ]
        deadline = time.monotonic() + 60
        while any(replica_of(context) == victim for _, context in moved):
            assert time.monotonic() < deadline, "a phone was not moved to the other replica"
            time.sleep(0.5)
        for phone, _ in moved:  # back through HAProxy, on the class's section, its vote shown
            phone.wait_for_function(IDLE, timeout=60_000)
            expect(phone.locator(".rnnviz-class-choice.chosen")).to_have_count(1, timeout=60_000)
            expect(phone.locator(".rnnviz-class-line")).to_have_text(f"Following class {code}")
        assert request(url, f"/api/class/{code}", secret=secret)[1]["votes"]["1"] == [2, 1]
        expect(presenter.locator(".rnnviz-class-line")).to_have_text(
            re.compile(f"Class {code} · 3 following"), timeout=60_000
        )

        # the class goes on: close, reveal, next section, on every phone
        presenter.get_by_role("button", name="Close round 1").click()
        presenter.keyboard.press("r")
        for phone in phones:
            expect(phone.get_by_text("The right answer: The same")).to_be_visible(timeout=FOLLOW_MS)
            expect(phone.locator(".rnnviz-class-bars")).to_contain_text("Round 1: 2")
        presenter.keyboard.press("PageDown")
        for phone in phones:
            phone.wait_for_function(
                "() => new URLSearchParams(location.search).get('sec') === '2'",
                timeout=FOLLOW_MS,
            )
        # serve.sh started the killed replica again on its port
        deadline = time.monotonic() + 60
        while "starting it again" not in log_path.read_text():
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.5)
        assert process_on(serve, f"--server.port {port}").is_running()

        # Redis frozen: the presenter's next section says the live class is unavailable,
        # the lesson goes on; Redis back: the next PageDown moves the class again
        redis = process_on(serve, "redis-server")
        redis.suspend()
        try:
            presenter.keyboard.press("PageDown")
            expect(presenter.get_by_text("The live class is unavailable")).to_be_visible(
                timeout=FOLLOW_MS
            )
            expect(presenter.locator("h2").first).to_be_visible()
            assert exceptions(presenter) == 0
        finally:
            redis.resume()
        time.sleep(3)  # the replicas' pause after a failure
        presenter.keyboard.press("PageDown")
        expect(presenter.locator(".rnnviz-class-line")).to_contain_text(
            f"Class {code}", timeout=FOLLOW_MS
        )
        expect(presenter.get_by_text("The live class is unavailable")).to_have_count(0)
        section = int(presenter.evaluate("() => new URLSearchParams(location.search).get('sec')"))
        assert section >= 3
        for phone in phones:
            phone.wait_for_function(
                f"() => new URLSearchParams(location.search).get('sec') === '{section}'",
                timeout=FOLLOW_MS,
            )
            assert exceptions(phone) == 0
        assert request(url, f"/api/class/{code}")[1]["sec"] == section
    finally:
        for context in (presenter_context, *contexts):
            context.close()

    # SIGTERM stops HAProxy, both replicas and the redis-server
    children = psutil.Process(serve.pid).children(recursive=True)
    serve.send_signal(signal.SIGTERM)
    serve.wait(timeout=60)
    assert not [child for child in children if child.is_running() and child.status() != "zombie"]


def test_missing_redis_server_stops_with_the_install_line():
    require_haproxy()
    result = subprocess.run(
        ["bash", str(SERVE), "--replicas", "1", "--port", str(free_port())],
        cwd=ROOT,
        env={**os.environ, "REDIS_SERVER": "/nonexistent/redis-server"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "apt-get install redis-server" in result.stderr
    assert "--redis URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_redis_url_that_is_not_one_is_refused():
    result = subprocess.run(
        ["bash", str(SERVE), "--replicas", "1", "--port", "8501", "--redis", "http://10.0.0.5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "--redis must be a redis:// or rediss:// URL" in result.stderr
