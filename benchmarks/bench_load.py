"""A class on one server: simulated students speak Streamlit's websocket protocol (connect to
/_stcore/stream with subprotocol "streamlit", send BackMsg rerun_script with a query string
that sets the sentence, read ForwardMsgs until script_finished).

Class runs: N students join at random times over 10 s, then each makes 8 interactions with
different sentences, thinking 2.5-7.5 s between them. Stress runs: 60 sessions x 5 reruns, no
think time, for the dashboard and for the floor page (benchmarks/floor_app.py).
Every session's results are compared with a lone session's for the same input.

Replica runs (--serve 1,2): the same class and stress runs through deploy/serve.sh (HAProxy in
front of N replicas), with sticky sessions as a browser has them: each student GETs the page
first and sends its cookies (HAProxy's SERVERID, Streamlit's XSRF token) with the websocket.
Each session checks that its websocket reached the replica its cookie names (HAProxy's
X-Served-By header), and at the end closes the websocket and reconnects with its session id,
as Streamlit's frontend does, checking that it is back on the same replica in the same session.
Run: python benchmarks/bench_load.py [--classes 1,10,30,60] [--quick]
     python benchmarks/bench_load.py --serve 1,2 [--classes 60,120,240]"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from classroom_load import (  # noqa: E402
    KNEE_MS,
    largest_within,
    lone_signatures,
    on_cookie_replica,
    percentile,
    reconnected,
    run_class,
    served,
    spread,
    wait_until_healthy,
)
from e2e.serve import streamlit_server  # noqa: E402
from report import table, write_section  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


STRESS_HEADERS = ["reruns", "wall s", "reruns/s", "p95 ms", "errors", "≠ lone session"]


def stress_figures(results, wall: float) -> list:
    """A stress run's reruns, wall seconds, reruns/s, p95 ms and errors, as table cells."""
    return [
        results.reruns,
        f"{wall:.1f}",
        f"{results.reruns / wall:.1f}",
        f"{percentile(results.latencies, 0.95) * 1e3:.0f}",
        results.errors,
    ]


def stress_run(url, servers, proxy, expected, count: int, failures) -> list:
    """60 sticky sessions x 4 reruns with no think time through serve.sh: its table row."""
    results, wall, rss, load = run_class(
        url, servers, 60, 0.0, 4, None, expected, seed=1, sticky=True, proxy=proxy
    )
    row = [
        count,
        *stress_figures(results, wall),
        results.mismatches,
        spread(results),
        on_cookie_replica(results),
        reconnected(results),
        f"{rss / 2**20:.0f}",
        f"{load.proxy:.1%}",
        f"{load.total:.0%} / {load.others:.0%}",
    ]
    print(row, dict(results.failures), flush=True)
    failures.update(results.failures)
    return row


def run_replicas(
    counts: list[int],
    sizes: list[int],
    interactions: int,
    think,
    write: bool = True,
    stress: bool = True,
) -> None:
    """Class and (unless not `stress`) stress runs through deploy/serve.sh for each replica
    count, with sticky sessions; prints the tables and (if `write`) writes them to
    docs/PERFORMANCE.md."""
    class_rows, stress_rows, knees = [], [], []
    failures: collections.Counter = collections.Counter()
    log_path = ROOT / "benchmarks" / "out" / "serve.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log:
        for count in counts:
            with served(count, log) as (url, servers, proxy):
                expected = lone_signatures(url, sticky=True)
                # Stress first, on fresh replicas: a class beyond the knee leaves a backlog
                # of reruns that would slow the next run.
                if stress:
                    stress_rows.append(stress_run(url, servers, proxy, expected, count, failures))
                rows = []
                for students in sizes:
                    recovered = wait_until_healthy(url)
                    results, wall, rss, load = run_class(
                        url,
                        servers,
                        students,
                        10.0,
                        interactions,
                        think,
                        expected,
                        sticky=True,
                        proxy=proxy,
                    )
                    p95 = percentile(results.latencies, 0.95) * 1e3
                    rows.append({"N": students, "p95": p95, "errors": results.errors})
                    class_rows.append(
                        [
                            count,
                            students,
                            results.reruns,
                            f"{percentile(results.latencies, 0.5) * 1e3:.0f}",
                            f"{p95:.0f}",
                            f"{max(results.latencies, default=float('nan')) * 1e3:.0f}",
                            f"{percentile(results.first_loads, 0.95) * 1e3:.0f}",
                            results.errors,
                            results.mismatches,
                            spread(results),
                            on_cookie_replica(results),
                            reconnected(results),
                            f"{results.reruns / wall:.1f}",
                            f"{rss / 2**20:.0f}",
                            f"{load.total:.0%} / {load.others:.0%}",
                            f"{recovered:.0f}",
                        ]
                    )
                    print(class_rows[-1], dict(results.failures), flush=True)
                    failures.update(results.failures)
                if rows:
                    knees.append(f"{count} replica(s): {largest_within(rows, KNEE_MS)}")
    busy = "machine busy (all / others)"
    body = (
        f"Class runs through HAProxy (students join over 10 s, then {interactions} "
        "interactions each, 2.5–7.5 s apart):\n\n"
    )
    body += table(
        [
            "replicas",
            "N",
            "reruns",
            "p50 ms",
            "p95 ms",
            "max ms",
            "first load p95 ms",
            "errors",
            "≠ lone session",
            "sessions per replica",
            "websocket on the cookie's replica",
            "reconnects: same replica · same session",
            "reruns/s",
            "peak RSS per replica MB",
            busy,
            "s waited for HAProxy to see the replicas healthy",
        ],
        class_rows,
    )
    body += f"\n\nLargest class with p95 ≤ {KNEE_MS} ms and no error: " + "; ".join(knees) + "."
    if stress_rows:
        body += "\n\nStress through HAProxy (60 sessions × 5 reruns, no think time):\n\n"
        body += table(
            [
                "replicas",
                *STRESS_HEADERS,
                "sessions per replica",
                "websocket on the cookie's replica",
                "reconnects: same replica · same session",
                "peak RSS per replica MB",
                "HAProxy + serve.sh CPU",
                busy,
            ],
            stress_rows,
        )
    body += (
        "\n\n*machine busy*: CPU time used during the run as a share of all cores: by "
        "everything / by everything but the replicas, HAProxy and this benchmark's client "
        "(that is, by the other jobs on the machine). *HAProxy + serve.sh CPU*: their CPU time "
        "as a share of all cores."
    )
    if failures:
        body += "\n\nErrors, by what failed: " + "; ".join(
            f"{reason} ({count})" for reason, count in failures.most_common()
        )
    command = "python benchmarks/bench_load.py --serve " + ",".join(map(str, counts))
    command += " --classes " + ",".join(map(str, sizes))
    if write:
        write_section("bench_load_replicas", command, body)
    else:
        print(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--classes",
        help="class sizes N to simulate (default 1,10,30,60; with --serve 60,120,240)",
    )
    parser.add_argument("--quick", action="store_true", help="2 interactions, short thinking")
    parser.add_argument(
        "--stress-only",
        action="store_true",
        help="only the stress runs, printed and not written to the docs "
        "(for before/after comparisons)",
    )
    parser.add_argument(
        "--no-stress",
        action="store_true",
        help="only the class runs, printed and not written to the docs",
    )
    parser.add_argument(
        "--server-arg",
        action="append",
        default=[],
        help="extra `streamlit run` option for the dashboard, e.g. "
        "--server-arg=--server.fileWatcherType=auto",
    )
    parser.add_argument(
        "--serve",
        help="replica counts, e.g. 1,2: run the class and stress runs through "
        "deploy/serve.sh (HAProxy) with sticky sessions instead",
    )
    args = parser.parse_args()
    interactions, think = (2, (0.5, 1.0)) if args.quick else (8, (2.5, 7.5))
    if args.serve:
        sizes = [int(n) for n in (args.classes or "60,120,240").split(",")]
        run_replicas(
            [int(n) for n in args.serve.split(",")],
            [] if args.stress_only else sizes,
            interactions,
            think,
            write=not (args.stress_only or args.no_stress),
            stress=not args.no_stress,
        )
        return
    classes = args.classes or "1,10,30,60"
    sizes = [] if args.stress_only else [int(n) for n in classes.split(",")]
    rows, stress_rows = [], []
    with streamlit_server("dashboard.py", args.server_arg) as (url, process, _):
        servers = [psutil.Process(process.pid)]
        expected = lone_signatures(url)
        client = psutil.Process()
        for students in sizes:
            before = sum(client.cpu_times()[:2])
            results, wall, rss, _ = run_class(
                url, servers, students, 10.0, interactions, think, expected
            )
            used = sum(client.cpu_times()[:2]) - before
            print(
                f"N={students}: the load generator used {used:.1f} s of CPU in {wall:.0f} s "
                f"({used / wall:.0%} of one core)",
                flush=True,
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
        if args.no_stress:
            return
        results, wall, rss, _ = run_class(url, servers, 60, 0.0, 4, None, expected, seed=1)
        stress_rows.append(
            [
                "dashboard (explore view)",
                *stress_figures(results, wall),
                results.mismatches,
                f"{rss / 2**20:.0f}",
            ]
        )
        print(stress_rows[-1], flush=True)
    with streamlit_server("benchmarks/floor_app.py") as (url, process, _):
        servers = [psutil.Process(process.pid)]
        results, wall, rss, _ = run_class(url, servers, 60, 0.0, 4, None, {}, seed=1)
        stress_rows.append(
            [
                "floor page (same charts, no model)",
                *stress_figures(results, wall),
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
        ["page", *STRESS_HEADERS, "server RSS MB"],
        stress_rows,
    )
    write_section("bench_load", "python benchmarks/bench_load.py", body)


if __name__ == "__main__":
    main()
