"""A class on one server: simulated students speak Streamlit's websocket protocol (connect to
/_stcore/stream with subprotocol "streamlit", send BackMsg rerun_script with a query string
that sets the sentence, read ForwardMsgs until script_finished).

Class runs: N students join at random times over 10 s, then each makes 8 interactions with
different sentences, thinking 2.5-7.5 s between them. Stress runs: 60 sessions x 5 reruns, no
think time, for the dashboard and for the floor page (benchmarks/floor_app.py).
Every session's results are compared with a lone session's for the same input.
Run: python benchmarks/bench_load.py [--classes 1,10,30,60] [--quick]"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from e2e.serve import streamlit_server  # noqa: E402
from report import SENTENCES, table, write_section  # noqa: E402

FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


def query_for(sentence: str) -> str:
    return urllib.parse.urlencode({"s": sentence})


@dataclass
class Session:
    """One browser tab: a websocket and the results of its reruns."""

    url: str
    socket: websocket.WebSocket = field(init=False)

    def __post_init__(self):
        address = self.url.replace("http://", "ws://") + "/_stcore/stream"
        self.socket = websocket.create_connection(address, subprotocols=["streamlit"], timeout=60)

    def rerun(self, query: str) -> tuple[float, str, bool]:
        """Send rerun_script; returns (seconds, signature of the charts drawn, ok)."""
        message = BackMsg()
        message.rerun_script.query_string = query
        message.rerun_script.page_script_hash = ""
        started = time.perf_counter()
        self.socket.send_binary(message.SerializeToString())
        specs, ok = [], True
        while True:
            reply = ForwardMsg.FromString(self.socket.recv())
            kind = reply.WhichOneof("type")
            if kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
                element = reply.delta.new_element
                element_type = element.WhichOneof("type")
                if element_type == "plotly_chart":
                    specs.append(element.plotly_chart.spec)
                elif element_type == "exception":
                    ok = False
            elif kind == "script_finished":
                ok = ok and reply.script_finished in FINISHED
                break
        elapsed = time.perf_counter() - started
        signature = hashlib.sha256("\n".join(specs).encode()).hexdigest()[:16]
        return elapsed, signature, ok and bool(specs)

    def close(self):
        self.socket.close()


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    first_loads: list[float] = field(default_factory=list)
    errors: int = 0
    mismatches: int = 0
    reruns: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def student(url, rng, join_delay, interactions, think, expected, results: Results):
    time.sleep(join_delay)
    try:
        session = Session(url)
    except Exception:
        with results.lock:
            results.errors += 1
        return
    try:
        for index in range(interactions + 1):
            sentence = rng.choice(SENTENCES)
            try:
                elapsed, signature, ok = session.rerun(query_for(sentence))
            except Exception:
                ok, elapsed, signature = False, 0.0, ""
            with results.lock:
                results.reruns += 1
                if not ok:
                    results.errors += 1
                    continue
                (results.first_loads if index == 0 else results.latencies).append(elapsed)
                if expected.get(sentence) not in (None, signature):
                    results.mismatches += 1
            if think and index < interactions:
                time.sleep(rng.uniform(*think))
    finally:
        session.close()


def lone_signatures(url: str) -> dict[str, str]:
    """What a single session gets for every sentence (the reference for leaks)."""
    session = Session(url)
    try:
        return {sentence: session.rerun(query_for(sentence))[1] for sentence in SENTENCES}
    finally:
        session.close()


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run_class(url, process, students, joins, interactions, think, expected, seed=0):
    results = Results()
    rng = random.Random(seed)
    peak_rss = [0]
    done = threading.Event()

    def sample_rss():
        server = psutil.Process(process.pid)
        while not done.is_set():
            peak_rss[0] = max(peak_rss[0], server.memory_info().rss)
            time.sleep(0.2)

    sampler = threading.Thread(target=sample_rss, daemon=True)
    sampler.start()
    threads = [
        threading.Thread(
            target=student,
            args=(
                url,
                random.Random(rng.random()),
                rng.uniform(0, joins),
                interactions,
                think,
                expected,
                results,
            ),
        )
        for _ in range(students)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    return results, wall, peak_rss[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--classes", default="1,10,30,60", help="class sizes N to simulate")
    parser.add_argument("--quick", action="store_true", help="2 interactions, short thinking")
    parser.add_argument(
        "--stress-only",
        action="store_true",
        help="only the stress runs, printed and not written to the docs "
        "(for before/after comparisons)",
    )
    parser.add_argument(
        "--server-arg",
        action="append",
        default=[],
        help="extra `streamlit run` option for the dashboard, e.g. "
        "--server-arg=--server.fileWatcherType=auto",
    )
    args = parser.parse_args()
    sizes = [] if args.stress_only else [int(n) for n in args.classes.split(",")]
    interactions, think = (2, (0.5, 1.0)) if args.quick else (8, (2.5, 7.5))
    rows, stress_rows = [], []
    with streamlit_server("dashboard.py", args.server_arg) as (url, process, _):
        expected = lone_signatures(url)
        for students in sizes:
            results, wall, rss = run_class(
                url, process, students, 10.0, interactions, think, expected
            )
            every = results.latencies
            rows.append(
                [
                    students,
                    len(every) + len(results.first_loads),
                    f"{percentile(every, 0.5) * 1e3:.0f}",
                    f"{percentile(every, 0.95) * 1e3:.0f}",
                    f"{max(every, default=float('nan')) * 1e3:.0f}",
                    f"{percentile(results.first_loads, 0.5) * 1e3:.0f}",
                    f"{percentile(results.first_loads, 0.95) * 1e3:.0f}",
                    results.errors,
                    results.mismatches,
                    f"{results.reruns / wall:.1f}",
                    f"{rss / 2**20:.0f}",
                ]
            )
            print(rows[-1], flush=True)
        results, wall, rss = run_class(url, process, 60, 0.0, 4, None, expected, seed=1)
        stress_rows.append(
            [
                "dashboard (explore view)",
                results.reruns,
                f"{wall:.1f}",
                f"{results.reruns / wall:.1f}",
                f"{percentile(results.latencies, 0.95) * 1e3:.0f}",
                results.errors,
                results.mismatches,
                f"{rss / 2**20:.0f}",
            ]
        )
        print(stress_rows[-1], flush=True)
    with streamlit_server("benchmarks/floor_app.py") as (url, process, _):
        results, wall, rss = run_class(url, process, 60, 0.0, 4, None, {}, seed=1)
        stress_rows.append(
            [
                "floor page (same charts, no model)",
                results.reruns,
                f"{wall:.1f}",
                f"{results.reruns / wall:.1f}",
                f"{percentile(results.latencies, 0.95) * 1e3:.0f}",
                results.errors,
                "—",
                f"{rss / 2**20:.0f}",
            ]
        )
        print(stress_rows[-1], flush=True)
    if args.stress_only:
        return
    body = "Class runs (students join over 10 s, then 8 interactions each, 2.5–7.5 s apart):\n\n"
    body += table(
        [
            "N",
            "reruns",
            "p50 ms",
            "p95 ms",
            "max ms",
            "first load p50 ms",
            "first load p95 ms",
            "errors",
            "≠ lone session",
            "reruns/s",
            "server RSS MB",
        ],
        rows,
    )
    body += "\n\nStress (60 sessions × 5 reruns, no think time):\n\n"
    body += table(
        [
            "page",
            "reruns",
            "wall s",
            "reruns/s",
            "p95 ms",
            "errors",
            "≠ lone session",
            "server RSS MB",
        ],
        stress_rows,
    )
    write_section("bench_load", "python benchmarks/bench_load.py", body)


if __name__ == "__main__":
    main()
