"""A live class across replicas: `deploy/serve.sh --replicas 2` (HAProxy, two Streamlit
replicas, the class in its redis-server), a real presenter page in headless Chromium pressing
PageDown, and N simulated phones on the real paths through HAProxy — each loads the page (its
SERVERID cookie pins it to a replica), holds its Streamlit session (a websocket speaking
Streamlit's protocol) and the class's event stream (GET /api/class/CODE/events with its cookie,
reconnecting as classroom.js does: 0.5 s back-off, doubled up to 5 s), reruns its session when
the stream says a new section, and votes (POST /api/class/CODE/vote).

Measured on the benchmark's clock, for each class size:
- PageDown → each phone's stream has the new section; → its rerun has drawn it;
- every phone voting within --window seconds: votes counted against votes sent, and
  vote → the presenter's tally (the presenter's stream carries a state that includes it);
- a replica killed (SIGKILL) at the busiest moment — in the middle of round 2's votes, the
  replica holding most phones: each of its phones back (its stream has the class's state
  again; its session reconnected, as Streamlit's frontend does, and drew the class's section),
  and round 2 counted in full (a phone whose vote failed sends it again, as a student taps
  again). serve.sh starts the killed replica again.
Run: python benchmarks/bench_class_replicas.py [--phones 120 240] [--moves 3] [--write]"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import random
import secrets
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import websocket

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from classroom_load import percentile, served  # noqa: E402
from e2e.class_client import Listener, request  # noqa: E402
from e2e.class_replicas import open_class  # noqa: E402
from e2e.conftest import CHROMIUM_FLAGS  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from report import table, write_section  # noqa: E402
from student_session import Session, page_cookies  # noqa: E402

QUESTION_SECTION = 6  # a question with three choices
IDLE = """() => document.querySelector('[data-testid="stApp"]')
  ?.getAttribute('data-test-script-state') === 'notRunning'"""
SECTION = "() => new URLSearchParams(location.search).get('sec')"
LOST_PRESSES: list[int] = []  # sections whose PageDown the presenter's page did not take
CHOICES = 3


class Stream:
    """A phone's event stream with its cookies, read in a thread, reconnecting as
    classroom.js does. `history`: (arrival, state) of every state received."""

    def __init__(self, url: str, code: str, page: str, cookies: dict[str, str]) -> None:
        self.parts = urllib.parse.urlsplit(url)
        self.code, self.page, self.cookies = code, page, cookies
        self.history: list[tuple[float, dict]] = []
        self.latest: dict | None = None
        self.connected = threading.Event()
        self.opened: list[float] = []  # when each connection was answered 200
        self.closed = False
        self.connection: http.client.HTTPConnection | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        delay = 0.5
        while not self.closed:
            try:
                self.connection = http.client.HTTPConnection(
                    self.parts.hostname, self.parts.port, timeout=60
                )
                cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
                self.connection.request(
                    "GET",
                    f"/api/class/{self.code}/events?page={self.page}&follow=1",
                    headers={"Cookie": cookie},
                )
                response = self.connection.getresponse()
                for header in response.headers.get_all("Set-Cookie") or []:
                    name, value = header.split(";", 1)[0].split("=", 1)
                    self.cookies[name] = value  # HAProxy moved it to another replica
                if response.status == 200:
                    delay = 0.5
                    self.opened.append(time.perf_counter())
                    self.connected.set()
                    for raw in response:
                        line = raw.decode().strip()
                        if line.startswith("data: "):
                            state = json.loads(line[6:])
                            self.latest = state
                            self.history.append((time.perf_counter(), state))
            except (OSError, http.client.HTTPException, ValueError, AttributeError):
                pass  # the replica went away (or close() cut the read): reconnect
            with contextlib.suppress(OSError):
                self.connection.close()
            if self.closed:
                return
            time.sleep(delay)
            delay = min(delay * 2, 5.0)

    def first_after(self, moment: float, check) -> float | None:
        """When the first state received after `moment` for which check holds arrived."""
        return next((t for t, state in list(self.history) if t >= moment and check(state)), None)

    def close(self) -> None:
        self.closed = True
        with contextlib.suppress(OSError, AttributeError):
            self.connection.sock.shutdown(2)
            self.connection.close()


class Phone:
    """A phone: its event stream and, if `draws`, its Streamlit session, rerun on each new
    section (else the page's cookies only, as its first GET gets them)."""

    def __init__(self, url: str, code: str, draws: bool) -> None:
        self.url, self.code = url, code
        self.query = f"view=lesson&class={code}&lang=en"
        self.session = Session(url, sticky=True) if draws else None
        if self.session is not None:
            self.session.rerun(self.query)
        cookies = self.session.cookies if self.session else page_cookies(url)
        self.page = secrets.token_hex(16)
        self.stream = Stream(url, code, self.page, dict(cookies))
        self.replica = cookies.get("SERVERID", "")
        self.reconnects = 0

    def follow(self, section: int, started: float, heard: list, drawn: list) -> None:
        deadline = time.perf_counter() + 120
        while (arrived := self.stream.first_after(started, lambda s: s["sec"] == section)) is None:
            if time.perf_counter() > deadline:
                return
            time.sleep(0.01)
        heard.append(arrived - started)
        if self.session is None:
            return
        try:
            self.session.rerun(self.query)  # its script_finished: the section is drawn
        except (OSError, websocket.WebSocketException):
            # this simulated tab does not answer the server's pings while idle, so its
            # websocket may have been closed: reconnect as the frontend does, then rerun
            self.reconnects += 1
            self.session.reconnect()
            self.session.rerun(self.query)
        drawn.append(time.perf_counter() - started)

    def vote(self, round_number: int, choice: int) -> tuple[float, int, dict]:
        body = {"page": self.page, "sec": QUESTION_SECTION, "round": round_number}
        started = time.perf_counter()
        try:
            status, answer = request(
                self.url, f"/api/class/{self.code}/vote", {**body, "choice": choice}
            )
        except (OSError, ValueError):  # no answer, or HAProxy's error page (not JSON)
            status, answer = 0, {}
        return started, status, answer

    def close(self) -> None:
        self.stream.close()
        if self.session is not None:
            with contextlib.suppress(OSError):
                self.session.close()


def press_and_follow(presenter, phones: list[Phone], section: int) -> tuple[list, list]:
    heard: list[float] = []
    drawn: list[float] = []
    presenter.wait_for_function(IDLE, timeout=180_000)
    started = time.perf_counter()
    presenter.keyboard.press("PageDown")
    try:  # the presenter's own rerun took the key press
        presenter.wait_for_function(
            f"() => new URLSearchParams(location.search).get('sec') === '{section}'",
            timeout=120_000,
        )
    except PlaywrightTimeout:
        LOST_PRESSES.append(section)
    threads = [
        threading.Thread(target=phone.follow, args=(section, started, heard, drawn))
        for phone in phones
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return heard, drawn


def vote_round(phones, round_number, window, rng, during=None):
    """Every phone votes once at a random moment within `window` s, sending again (every
    0.5 s, up to 60 s) if its vote fails; `during` runs at window/2. Returns (sent counts,
    (start, version) of each accepted vote, failed attempts)."""
    plan = [(rng.uniform(0, window), rng.randrange(CHOICES)) for _ in phones]
    sent = [0] * CHOICES
    accepted: list[tuple[float, int]] = []
    failures: list[int] = []
    base = time.perf_counter()

    def vote(phone: Phone, at: float, choice: int) -> None:
        time.sleep(max(0.0, base + at - time.perf_counter()))
        first = None
        deadline = time.perf_counter() + 60
        while time.perf_counter() < deadline:
            started, status, answer = phone.vote(round_number, choice)
            first = first or started
            if status == 200:
                accepted.append((first, answer["version"]))
                return
            failures.append(status)
            time.sleep(0.5)

    threads = [
        threading.Thread(target=vote, args=(phone, at, choice))
        for phone, (at, choice) in zip(phones, plan, strict=True)
    ]
    for _, choice in plan:
        sent[choice] += 1
    for thread in threads:
        thread.start()
    if during is not None:
        time.sleep(max(0.0, base + window / 2 - time.perf_counter()))
        during()
    for thread in threads:
        thread.join()
    return sent, accepted, failures


def tally_delays(presenter, accepted, answered: int) -> list[float]:
    presenter.wait_for(lambda s: s.get("answered") >= answered, 60)
    delays = []
    for started, version in accepted:
        seen = [a for a, state in presenter.history if state.get("version", -1) >= version]
        if seen:
            delays.append(min(seen) - started)
    return delays


def run_class(url, replicas, browser, count, draw, moves, window, seed) -> dict:
    rng = random.Random(seed)
    presenter_page = browser.new_page(viewport={"width": 1280, "height": 720})
    presenter_page.set_default_timeout(180_000)
    code, secret = open_class(presenter_page, url)
    print(f"class {code}: connecting {count} phones …", flush=True)
    with ThreadPoolExecutor(8) as pool:  # phones opening their pages, a few at a time
        phones = list(pool.map(lambda index: Phone(url, code, index < draw), range(count)))
    for phone in phones:
        phone.stream.connected.wait(60)
    spread = {name: sum(p.replica == name for p in phones) for name in ("r1", "r2")}
    heard, drawn = [], []
    for section in range(2, 2 + moves):
        moved = press_and_follow(presenter_page, phones, section)
        heard += moved[0]
        drawn += moved[1]
        print(
            f"  section {section}: p95 heard {percentile(moved[0], 0.95):.2f} s, "
            f"drawn {percentile(moved[1], 0.95):.2f} s",
            flush=True,
        )
        time.sleep(1.0)
    while (now := int(presenter_page.evaluate(SECTION))) < QUESTION_SECTION:
        press_and_follow(presenter_page, phones, now + 1)
    presenter = Listener(url, code, secret=secret)  # the presenter page's stream
    presenter.wait_for(lambda s: s.get("sec") == QUESTION_SECTION and s.get("open"), 60)

    sent1, accepted1, failed1 = vote_round(phones, 1, window, rng)
    tally = tally_delays(presenter, accepted1, count)
    counted1 = request(url, f"/api/class/{code}", secret=secret)[1]["votes"]["1"]
    print(f"  round 1: sent {sent1}, counted {counted1}", flush=True)

    request(url, f"/api/class/{code}/control", {"action": "close"}, secret=secret)
    request(url, f"/api/class/{code}/control", {"action": "second"}, secret=secret)
    presenter.wait_for(lambda s: s.get("round") == 2 and s.get("open"), 60)
    for phone in phones:
        phone.stream.connected.clear()
    victim_name = max(spread, key=spread.get)
    victim = replicas[int(victim_name[1:]) - 1]
    killed: list[float] = []

    def kill() -> None:
        killed.append(time.perf_counter())
        victim.kill()

    sent2, accepted2, failed2 = vote_round(phones, 2, window, rng, during=kill)
    # a replica's read may lag its pub/sub notices by up to 1 s (its cached view): the count
    # is read once the presenter's stream has every vote, or after 60 s if one is missing
    with contextlib.suppress(TimeoutError):
        presenter.wait_for(lambda s: s.get("round") == 2 and s.get("answered") >= count, 60)
    counted2 = request(url, f"/api/class/{code}", secret=secret)[1]["votes"]["2"]
    print(f"  round 2 (replica {victim_name} killed): sent {sent2}, counted {counted2}", flush=True)
    moved = [phone for phone in phones if phone.replica == victim_name]
    back_stream, back_page = [], []

    def come_back(phone: Phone) -> None:
        arrived = None
        deadline = time.perf_counter() + 120
        while arrived is None and time.perf_counter() < deadline:
            # the first state on a connection opened after the kill (not one in flight)
            reopened = [moment for moment in list(phone.stream.opened) if moment > killed[0]]
            if reopened:
                arrived = phone.stream.first_after(
                    reopened[0], lambda s: s["sec"] == QUESTION_SECTION
                )
            time.sleep(0.02)
        if arrived is not None:
            back_stream.append(arrived - killed[0])
        if phone.session is None:
            return
        try:
            phone.session.reconnect()  # Streamlit's frontend: back-off, health, websocket
            phone.session.rerun(phone.query)  # a new session on a live replica draws the page
            back_page.append(time.perf_counter() - killed[0])
        except (OSError, TimeoutError, websocket.WebSocketException) as error:
            print(f"  a phone did not come back: {error!r}", flush=True)

    threads = [threading.Thread(target=come_back, args=(phone,)) for phone in moved]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    presenter.close()
    for phone in phones:
        phone.close()
    presenter_page.close()
    return {
        "count": count,
        "spread": spread,
        "heard": heard,
        "drawn": drawn,
        "moves": moves,
        "tally": tally,
        "lost1": sum(sent1) - sum(counted1),
        "lost2": sum(sent2) - sum(counted2),
        "failed1": len(failed1),
        "failed2": len(failed2),
        "moved": len(moved),
        "moved_drawing": sum(phone.session is not None for phone in moved),
        "draw": min(draw, count),
        "back_stream": back_stream,
        "back_page": back_page,
        "victim": victim_name,
    }


def port_of(process) -> str:
    arguments = process.cmdline()
    return arguments[arguments.index("--server.port") + 1]


def ms(values: list[float], share: float) -> str:
    return f"{percentile(values, share) * 1000:.0f}" if values else "—"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, nargs="+", default=[120, 240])
    parser.add_argument("--moves", type=int, default=3, help="PageDowns measured per class")
    parser.add_argument(
        "--draw",
        type=int,
        default=None,
        help="phones that also hold a Streamlit session and rerun it (default: all)",
    )
    parser.add_argument("--window", type=float, default=3.0, help="seconds a round's votes span")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--write", action="store_true", help="write docs/PERFORMANCE.md")
    args = parser.parse_args()
    results = []
    log_path = Path("/tmp") / f"bench-class-replicas-{secrets.token_hex(4)}.log"
    for count in args.phones:
        with (
            open(log_path, "a") as log,
            served(2, log) as (url, replicas, _),
            sync_playwright() as playwright,
        ):
            # serve.sh names the replicas r1, r2 in the order of the ports it reports
            order = log_path.read_text().rsplit("ports ", 1)[1].split("\n")[0].split()
            replicas = sorted(replicas, key=lambda p: order.index(port_of(p)))
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS
            )
            results.append(
                run_class(
                    url,
                    replicas,
                    browser,
                    count,
                    count if args.draw is None else args.draw,
                    args.moves,
                    args.window,
                    args.seed,
                )
            )
            browser.close()
    headers = ["measure"] + [f"{r['count']} phones" for r in results]
    rows = [
        ["phones per replica (r1 / r2)"]
        + [f"{r['spread']['r1']} / {r['spread']['r2']}" for r in results],
        ["PageDown → stream has the section: p50 / p95 (ms)"]
        + [f"{ms(r['heard'], 0.5)} / {ms(r['heard'], 0.95)}" for r in results],
        ["PageDown → rerun drew the section: p50 / p95 (ms)"]
        + [f"{ms(r['drawn'], 0.5)} / {ms(r['drawn'], 0.95)}" for r in results],
        ["phones whose session reruns (draws)"] + [str(r["draw"]) for r in results],
        ["share drawn within 1.5 s"]
        + [
            f"{sum(d <= 1.5 for d in r['drawn']) / max(1, r['draw'] * r['moves']):.0%}"
            for r in results
        ],
        ["vote → presenter's tally: p50 / p95 (ms)"]
        + [f"{ms(r['tally'], 0.5)} / {ms(r['tally'], 0.95)}" for r in results],
        ["round 1 votes lost (failed attempts)"]
        + [f"{r['lost1']} ({r['failed1']})" for r in results],
        ["replica killed mid round 2: its phones"]
        + [f"{r['victim']}: {r['moved']}" for r in results],
        ["kill → phone's stream back: p95 / max (ms)"]
        + [f"{ms(r['back_stream'], 0.95)} / {ms(r['back_stream'], 1.0)}" for r in results],
        ["kill → phone's page drawn again: p95 / max (ms), phones back"]
        + [
            f"{ms(r['back_page'], 0.95)} / {ms(r['back_page'], 1.0)}, "
            f"{len(r['back_page'])} / {r['moved_drawing']}"
            for r in results
        ],
        ["round 2 votes lost (failed attempts, sent again)"]
        + [f"{r['lost2']} ({r['failed2']})" for r in results],
    ]
    body = table(headers, rows)
    if LOST_PRESSES:
        body += (
            f"\n\nPageDown(s) the presenter's busy page did not take within 120 s: sections"
            f" {LOST_PRESSES}."
        )
    command = "python benchmarks/bench_class_replicas.py " + " ".join(sys.argv[1:])
    if args.write:
        write_section("bench_class_replicas", command, body)
    print(body)


if __name__ == "__main__":
    main()
