"""A live class from outside, as tests and benchmarks use it: start one from a real presenter
page (C in presenter mode), and speak its HTTP routes — the state, the event stream, the
teacher's control and the votes — with the standard library only."""

from __future__ import annotations

import contextlib
import http.client
import json
import queue
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

SECRET_PREFIX = "rnnviz-class-secret-"
READY = """() => window.__rnnvizLessonKeys && document.querySelector('[data-testid="stApp"]')
  .getAttribute('data-test-script-state') === 'notRunning'"""
STARTED = "() => location.search.includes('class=')"


def start_class(page: Page, url: str, language: str = "en", section: int = 1) -> tuple[str, str]:
    """Open the lesson in presenter mode and press C. Returns (code, secret): the code from the
    page's URL, the secret from the browser's localStorage (where the page keeps it)."""
    page.goto(f"{url}/?view=lesson&sec={section}&present=1&lang={language}")
    page.wait_for_selector("h2", timeout=120_000)
    page.wait_for_selector(".st-key-class_start", state="attached", timeout=60_000)
    page.wait_for_function(READY, timeout=120_000)
    page.keyboard.press("c")
    try:
        page.wait_for_function(STARTED, timeout=15_000)
    except PlaywrightTimeout:  # a key the page was not ready for: its button, once
        page.locator(".st-key-class_start button").first.dispatch_event("click")
        page.wait_for_function(STARTED, timeout=60_000)
    code = page.evaluate("() => new URLSearchParams(location.search).get('class')")
    page.wait_for_function(
        f"() => localStorage.getItem('{SECRET_PREFIX}{code}') !== null", timeout=60_000
    )
    return code, page.evaluate(f"() => localStorage.getItem('{SECRET_PREFIX}{code}')")


def request(
    url: str,
    path: str,
    body: bytes | dict | None = None,
    secret: str | None = None,
    headers: dict | None = None,
) -> tuple[int, dict]:
    """GET (no body) or POST a JSON body; returns (status, JSON answer)."""
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    sent = {"Content-Type": "application/json", **(headers or {})}
    if secret is not None:
        sent["X-Class-Secret"] = secret
    call = urllib.request.Request(f"{url}{path}", data=data, headers=sent)
    try:
        with urllib.request.urlopen(call, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def new_page_id() -> str:
    return secrets.token_hex(16)


class Listener:
    """One page's event stream (GET /api/class/CODE/events) read in a thread: each state it
    receives goes into `states` as (arrival time.perf_counter(), state)."""

    def __init__(
        self,
        url: str,
        code: str,
        page: str | None = None,
        following: bool = True,
        secret: str | None = None,
    ) -> None:
        self.page = page or new_page_id()
        parts = urllib.parse.urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        query = "" if secret else f"?page={self.page}&follow={int(following)}"
        headers = {"X-Class-Secret": secret} if secret else {}
        self.connection.request("GET", f"/api/class/{code}/events{query}", headers=headers)
        self.response = self.connection.getresponse()
        self.status = self.response.status
        self.states: queue.Queue = queue.Queue()
        self.latest: dict | None = None
        self.history: list[tuple[float, dict]] = []  # every state received, with its arrival
        self.thread = threading.Thread(target=self._read, daemon=True)
        if self.status == 200:
            self.thread.start()

    def _read(self) -> None:
        # closing the connection ends the loop with one of these
        with contextlib.suppress(OSError, ValueError, AttributeError, http.client.HTTPException):
            for raw in self.response:
                line = raw.decode().strip()
                if line.startswith("data: "):
                    state = json.loads(line[6:])
                    self.latest = state
                    arrival = (time.perf_counter(), state)
                    self.history.append(arrival)
                    self.states.put(arrival)
                elif line.startswith("event: gone"):
                    self.states.put((time.perf_counter(), {"gone": True}))

    def wait_for(self, check, timeout: float = 10.0) -> tuple[float, dict]:
        """The first state received from now on (or already latest) for which check holds."""
        if self.latest is not None and check(self.latest):
            return time.perf_counter(), self.latest
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"no such state within {timeout} s; last {self.latest}")
            try:
                arrived, state = self.states.get(timeout=left)
            except queue.Empty:
                continue
            if check(state):
                return arrived, state

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.response.close()
            self.connection.close()
