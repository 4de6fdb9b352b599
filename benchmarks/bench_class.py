"""A live class on one server process (streamlit run dashboard.py): a real presenter page in
headless Chromium drives it with its keys, and N simulated phones use the real paths — each
listens to the class's event stream (GET /api/class/CODE/events, as classroom.js does) and,
like the page's component, asks its own Streamlit session (a websocket speaking Streamlit's
protocol) for a rerun when the section changes.

Measured, from the presenter's key press (or a phone's vote) on the benchmark's clock:
- PageDown → each phone's stream says the new section; → each phone's rerun has drawn it
  (script_finished of that rerun: what a phone shows is then on its screen);
- → (ArrowRight) in section 4's step-through → each phone's stream says the new step (the
  phone's step-through moves on that event, no server run);
- N phones voting within the same 2 s: every vote counted (the presenter's counts checked
  against what was sent) and vote → the presenter's tally (the presenter's stream carries a
  state that includes it; the presenter's page draws the tally from that stream).
Run: python benchmarks/bench_class.py [--phones 60] [--moves 5] [--steps 10] [--write]"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from classroom_load import percentile  # noqa: E402
from e2e.class_client import READY, Listener, request, start_class  # noqa: E402
from e2e.conftest import CHROMIUM_FLAGS  # noqa: E402
from e2e.serve import streamlit_server  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from report import table, write_section  # noqa: E402
from student_session import Session  # noqa: E402

QUESTION_SECTION = 6  # "which step's output has read the whole sentence": three choices
STEP_SECTION = 4  # the step-through of h_t = tanh(U x_t + W h_{t-1} + b)


class Phone:
    """A simulated phone: its event stream, and its Streamlit session rerun on a new section."""

    def __init__(self, url: str, code: str) -> None:
        self.url, self.code = url, code
        self.listener = Listener(url, code)
        self.session = Session(url)
        self.query = f"view=lesson&class={code}&lang=en"
        self.session.rerun(self.query)  # the page as it first opens

    def follow(self, section: int, started: float, heard: list, drawn: list) -> None:
        arrived, _ = self.listener.wait_for(lambda s: s.get("sec") == section, timeout=120)
        heard.append(arrived - started)
        seconds, _, _ = self.session.rerun(self.query)
        drawn.append(arrived + seconds - started)

    def close(self) -> None:
        self.listener.close()
        self.session.close()


def summary(name: str, values: list[float], target: float | None, count: int) -> list:
    p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
    verdict = "—" if target is None else ("yes" if p95 <= target else "no")
    return [
        name,
        f"{len(values)} / {count}",
        f"{p50 * 1000:.0f}",
        f"{p95 * 1000:.0f}",
        f"{max(values) * 1000:.0f}",
        "—" if target is None else f"{target * 1000:.0f}",
        verdict,
    ]


def press(presenter, key: str, moved, retries: list) -> float:
    """Press `key` on the idle presenter page; returns when it was pressed. A press the page
    did not act on within 10 s (seen rarely with 120 open connections) is pressed again and
    counted in `retries`; the time is then taken from the second press."""
    presenter.wait_for_function(READY, timeout=120_000)
    started = time.perf_counter()
    presenter.keyboard.press(key)
    deadline = started + 10
    while not moved():
        if time.perf_counter() > deadline:
            retries.append(key)
            return press(presenter, key, moved, retries)
        time.sleep(0.01)
    return started


def press_and_follow(presenter, phones: list[Phone], key: str, section: int, retries: list):
    heard, drawn = [], []
    listener = phones[0].listener
    started = press(presenter, key, lambda: listener.latest["sec"] == section, retries)
    threads = [
        threading.Thread(target=phone.follow, args=(section, started, heard, drawn))
        for phone in phones
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return heard, drawn


def steps(presenter, phones: list[Phone], count: int, retries: list) -> list[float]:
    delays = []
    listener = phones[0].listener
    for _ in range(count):
        step = listener.latest["step"] + 1
        started = press(
            presenter, "ArrowRight", lambda n=step: listener.latest["step"] == n, retries
        )
        for phone in phones:
            arrived, _ = phone.listener.wait_for(lambda s, n=step: s.get("step") == n, 30)
            delays.append(arrived - started)
        time.sleep(0.4)
    return delays


def votes(url: str, code: str, secret: str, phones: list[Phone], window: float, seed: int):
    """Every phone votes once at a random moment within `window` seconds. Returns (sent
    counts, counted counts, latencies vote → presenter's tally, refused)."""
    presenter = Listener(url, code, secret=secret)
    presenter.wait_for(lambda s: s.get("sec") == QUESTION_SECTION and s.get("open"), 30)
    rng = random.Random(seed)
    plan = [(rng.uniform(0, window), rng.randrange(3)) for _ in phones]
    sent = [0, 0, 0]
    results: list[tuple[float, int]] = []
    refused: list[int] = []
    base = time.perf_counter()

    def vote(phone: Phone, at: float, choice: int) -> None:
        time.sleep(max(0.0, base + at - time.perf_counter()))
        started = time.perf_counter()
        body = {"page": phone.listener.page, "sec": QUESTION_SECTION, "round": 1, "choice": choice}
        status, answer = request(url, f"/api/class/{code}/vote", body)
        if status == 200:
            results.append((started, answer["version"]))
        else:
            refused.append(status)

    threads = [
        threading.Thread(target=vote, args=(phone, at, choice))
        for phone, (at, choice) in zip(phones, plan, strict=True)
    ]
    for _, choice in plan:
        sent[choice] += 1
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    presenter.wait_for(lambda s: s.get("answered") == len(phones), 30)
    tally = []
    for started, version in results:
        seen = [a for a, state in presenter.history if state.get("version", -1) >= version]
        tally.append(min(seen) - started)
    _, counted = request(url, f"/api/class/{code}", secret=secret)
    presenter.close()
    return sent, counted["votes"]["1"], tally, refused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=60)
    parser.add_argument("--moves", type=int, default=5, help="PageDowns measured")
    parser.add_argument("--steps", type=int, default=10, help="steps measured in section 4")
    parser.add_argument("--window", type=float, default=2.0, help="seconds the votes span")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--write", action="store_true", help="write docs/PERFORMANCE.md")
    args = parser.parse_args()
    with (
        streamlit_server("dashboard.py", ["--browser.gatherUsageStats", "false"]) as (url, _, _),
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS
        )
        presenter = browser.new_page(viewport={"width": 1280, "height": 720})
        presenter.set_default_timeout(120_000)
        code, secret = start_class(presenter, url, section=1)
        print(f"class {code}; connecting {args.phones} phones …", flush=True)
        phones = [Phone(url, code) for _ in range(args.phones)]
        heard, drawn, retries = [], [], []
        for section in range(2, 2 + args.moves):
            moved = press_and_follow(presenter, phones, "PageDown", section, retries)
            heard += moved[0]
            drawn += moved[1]
            print(f"  section {section}: p95 drawn {percentile(moved[1], 0.95):.2f} s", flush=True)
            time.sleep(1.0)
        while phones[0].listener.latest["sec"] < STEP_SECTION:
            press_and_follow(
                presenter, phones, "PageDown", phones[0].listener.latest["sec"] + 1, retries
            )
        presenter.wait_for_selector(".stepper .count")
        time.sleep(1.0)
        step_delays = steps(presenter, phones, args.steps, retries)
        while phones[0].listener.latest["sec"] < QUESTION_SECTION:
            press_and_follow(
                presenter, phones, "PageDown", phones[0].listener.latest["sec"] + 1, retries
            )
        time.sleep(1.0)
        sent, counted, tally, refused = votes(url, code, secret, phones, args.window, args.seed)
        for phone in phones:
            phone.close()
        browser.close()
    count = args.phones
    rows = [
        summary("PageDown → phone names the new section (stream)", heard, None, count * args.moves),
        summary("PageDown → phone's whole section drawn (rerun)", drawn, 1.5, count * args.moves),
        summary("→ step → phone's step-through (stream)", step_delays, 0.5, count * args.steps),
        summary(
            f"vote → presenter's tally ({count} votes in {args.window:.0f} s)", tally, 1.0, count
        ),
    ]
    headers = ["measure", "samples", "p50 (ms)", "p95 (ms)", "max (ms)", "target p95", "met"]
    lost = sum(sent) - sum(counted)
    body = (
        table(headers, rows)
        + f"\n\nVotes sent per answer {sent}, counted {counted}: {lost} lost, "
        + f"{len(refused)} refused ({args.phones} phones, one process). "
        + f"Key presses the presenter's page missed and were pressed again: {len(retries)}."
    )
    if args.write:
        write_section("bench_class", "python benchmarks/bench_class.py --write", body)
    else:
        print(body)


if __name__ == "__main__":
    main()
