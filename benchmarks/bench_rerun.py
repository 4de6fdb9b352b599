"""What one rerun costs the server, back to back: S websocket sessions (Streamlit's protocol,
as benchmarks/bench_load.py speaks it) rerun a page as fast as the server answers, for D
seconds, against one `streamlit run` process. Measured on the server: its CPU seconds per
rerun (psutil, the process's own user + system time), which holds on a shared machine better
than wall time; and reruns/s and p50/p95 as the sessions saw them. The floor is
benchmarks/floor_cached_app.py: floor_app.py's bare page (six Plotly charts of the same kinds and
sizes, the same kinds of widgets, no model) with its figures built once per sentence, so that
its rerun costs what Streamlit costs to send those charts; floor_app.py, which builds them on
every rerun, is measured too. A page with other charts than the explore view's (the
RNN·LSTM·GRU view) is also set against benchmarks/floor_same_app.py: a bare page with that
page's very charts, built once and sent with st.plotly_chart.

--before DIR runs the dashboard of another checkout (e.g. `git worktree add DIR 56ce4d2`) in
the same run, just before this one, so both sides share the machine's condition as far as
one run can.

Run: python benchmarks/bench_rerun.py [--before DIR] [--sessions 8] [--seconds 15] [--write]"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from e2e.serve import streamlit_server  # noqa: E402
from report import SENTENCES, table, write_section  # noqa: E402
from student_session import Session, query_for  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# What a student's page does: the landing page with the sentence in the link (the same one,
# and sentences cycling through the benchmark's eight), the lesson's sections, the RNN·LSTM·GRU
# view.
PAGES = {
    "explore, one sentence": lambda i: query_for(SENTENCES[0]),
    "explore, 8 sentences": lambda i: query_for(SENTENCES[i % len(SENTENCES)]),
    "lesson, sections 1-12": lambda i: f"view=lesson&sec={i % 12 + 1}",
    "RNN·LSTM·GRU view": lambda i: "view=arch",
}
# Pages set against a floor of their own charts (floor_same_app.py): page -> its query.
SAME_CHARTS = {"RNN·LSTM·GRU view": {"view": "arch"}}
FLOOR_PAGES = {
    "floor: bare page, 6 charts built once (floor_cached_app.py)": (
        "benchmarks/floor_cached_app.py",
        lambda i: query_for(SENTENCES[i % len(SENTENCES)]),
    ),
    "bare page, 6 charts built every rerun (floor_app.py)": (
        "benchmarks/floor_app.py",
        lambda i: query_for(SENTENCES[i % len(SENTENCES)]),
    ),
}


@contextlib.contextmanager
def server(directory: Path, script: str, extra: tuple[str, ...] = ()):
    """`script` of the checkout in `directory`, served; yields (url, its process)."""
    with streamlit_server(script, list(extra), root=directory, timeout=300) as (url, process, _):
        yield url, psutil.Process(process.pid)


def same_charts_floor(query: dict, sessions: int, seconds: float) -> dict:
    """floor_same_app.py with the charts the dashboard draws at `query` (from AppTest)."""
    from apptest import chart_specs, open_app

    specs = chart_specs(open_app(**query))
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(specs, file)
    os.environ["RNNVIZ_FLOOR_SPECS"] = file.name
    try:
        with server(ROOT, "benchmarks/floor_same_app.py") as (url, process):
            figures = hammer(url, process, lambda i: "", sessions, seconds)
    finally:
        del os.environ["RNNVIZ_FLOOR_SPECS"]
        os.unlink(file.name)
    figures["charts"] = len(specs)
    return figures


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def hammer(url: str, process: psutil.Process, page, sessions: int, seconds: float) -> dict:
    """Every session reruns `page(i)` back to back for `seconds`; returns the figures."""
    # warm every query once (first runs compute traces and charts), untimed
    warm = Session(url)
    for index in range(16):
        warm.rerun(page(index))
    warm.close()
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    client = psutil.Process()
    client_before = cpu_seconds(client)
    server_before = cpu_seconds(process)
    began = time.perf_counter()

    def run(number: int) -> None:
        session = Session(url)
        index = number
        try:
            while time.perf_counter() < stop:
                elapsed, _, ok = session.rerun(page(index), charts=False)
                index += sessions
                with lock:
                    latencies.append(elapsed)
                    errors[0] += not ok
        finally:
            session.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    reruns = len(latencies)
    latencies.sort()
    return {
        "reruns": reruns,
        "per_second": reruns / wall,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(0.95 * (reruns - 1))] * 1000,
        "server_ms": (cpu_seconds(process) - server_before) / reruns * 1000,
        "client_ms": (cpu_seconds(client) - client_before) / reruns * 1000,
        "errors": errors[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", type=Path, help="another checkout's directory")
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--pages", default="", help="comma-separated page names (default all)")
    parser.add_argument(
        "--server-arg", action="append", default=[], help="an option for this checkout's server"
    )
    parser.add_argument("--no-floor", action="store_true", help="skip the floor page")
    parser.add_argument("--write", action="store_true", help="write docs/PERFORMANCE.md")
    arguments = parser.parse_args()
    chosen = [name for name in PAGES if not arguments.pages or name in arguments.pages]
    sides = [("before", arguments.before)] if arguments.before else []
    sides.append(("after", ROOT))
    rows, floor = [], None
    load = os.getloadavg()[0]
    for name, (script, page) in FLOOR_PAGES.items():
        if arguments.no_floor:
            break
        with server(ROOT, script) as (url, process):
            figures = hammer(url, process, page, arguments.sessions, arguments.seconds)
            floor = floor or figures  # the first is the floor
            rows.append(("—", name, figures))
            print(rows[-1], flush=True)
    own_floors = {}
    for name, query in SAME_CHARTS.items():
        if name in chosen and not arguments.no_floor:
            own_floors[name] = same_charts_floor(query, arguments.sessions, arguments.seconds)
            label = f"floor: bare page, the {name}'s {own_floors[name]['charts']} charts"
            rows.append(("—", label + " (floor_same_app.py)", own_floors[name]))
            print(rows[-1], flush=True)
    for side, directory in sides:
        extra = tuple(arguments.server_arg) if side == "after" else ()
        with server(directory, "dashboard.py", extra) as (url, process):
            for name in chosen:
                figures = hammer(url, process, PAGES[name], arguments.sessions, arguments.seconds)
                rows.append((side, name, figures))
                print(rows[-1], flush=True)
    load = (load + os.getloadavg()[0]) / 2
    body = table(
        (
            "checkout",
            "page",
            "reruns",
            "reruns/s",
            "p50 ms",
            "p95 ms",
            "server CPU ms per rerun",
            "× floor (CPU per rerun)",
            "× a floor of its own charts",
            "client CPU ms per rerun",
            "errors",
        ),
        [
            (
                side,
                name,
                f["reruns"],
                f"{f['per_second']:.1f}",
                f"{f['p50']:.0f}",
                f"{f['p95']:.0f}",
                f"{f['server_ms']:.1f}",
                f"{f['server_ms'] / floor['server_ms']:.2f}×" if floor else "",
                f"{f['server_ms'] / own_floors[name]['server_ms']:.2f}×"
                if name in own_floors and side != "—"
                else "",
                f"{f['client_ms']:.1f}",
                f["errors"],
            )
            for side, name, f in rows
        ],
    )
    body += (
        f"\n\n{arguments.sessions} sessions back to back, {arguments.seconds:.0f} s per row; "
        f"load average about {load:.1f} on {os.cpu_count()} cores while it ran."
    )
    if arguments.write:
        command = "python benchmarks/bench_rerun.py" + (" --before DIR" if arguments.before else "")
        command += f" --sessions {arguments.sessions} --seconds {arguments.seconds:.0f} --write"
        write_section("bench_rerun", command, body)
    print(body)


if __name__ == "__main__":
    main()
