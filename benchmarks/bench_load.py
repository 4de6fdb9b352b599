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
import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from e2e.serve import free_port, streamlit_server  # noqa: E402
from report import SENTENCES, table, write_section  # noqa: E402
from student_session import Session, query_for  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
KNEE_MS = 1000  # the largest class whose interactions stay within this p95


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    first_loads: list[float] = field(default_factory=list)
    errors: int = 0
    mismatches: int = 0
    reruns: int = 0
    last_rerun: float = 0.0  # perf_counter at the end of the last timed rerun
    # Sticky sessions only: sessions per replica (by cookie); websockets that reached another
    # replica than the cookie names; reconnects tried, back on the same replica, and back in
    # the same Streamlit session.
    replicas: collections.Counter = field(default_factory=collections.Counter)
    moved: int = 0
    reconnects: int = 0
    same_replica: int = 0
    resumed: int = 0
    failures: collections.Counter = field(default_factory=collections.Counter)  # why, how many
    lock: threading.Lock = field(default_factory=threading.Lock)


def check_reconnect(session: Session, rng, results: Results) -> None:
    """Close the websocket and reconnect with the session id; one more (untimed) rerun must be
    served by the same replica in the same Streamlit session."""
    before = session.session_id
    failure = "reconnect: script failed"
    try:
        session.reconnect()
        ok = session.rerun(query_for(rng.choice(SENTENCES)))[2]
    except Exception as error:
        ok, failure = False, f"reconnect: {type(error).__name__} {error}"[:120]
    with results.lock:
        results.reconnects += 1
        if not ok:
            results.errors += 1
            results.failures[failure] += 1
        if ok and session.socket_replica == session.replica:
            results.same_replica += 1
            results.resumed += int(session.session_id == before)


def student(url, rng, join_delay, interactions, think, expected, results: Results, sticky=False):
    time.sleep(join_delay)
    try:
        session = Session(url, sticky)
    except Exception as error:
        with results.lock:
            results.errors += 1
            results.failures[f"join: {type(error).__name__} {error}"[:120]] += 1
        return
    if sticky:
        with results.lock:
            results.replicas[session.replica] += 1
            results.moved += int(session.socket_replica != session.replica)
    try:
        for index in range(interactions + 1):
            sentence = rng.choice(SENTENCES)
            failure, broken = "rerun: script failed", False
            try:
                elapsed, signature, ok = session.rerun(query_for(sentence))
            except Exception as error:
                ok, elapsed, signature, broken = False, 0.0, "", True
                failure = f"rerun: {type(error).__name__} {error}"[:120]
            with results.lock:
                results.reruns += 1
                results.last_rerun = max(results.last_rerun, time.perf_counter())
                if broken:
                    # The socket may still deliver this rerun's late answer, which would be
                    # read as the next one's: the student's remaining interactions fail too.
                    results.errors += interactions + 1 - index
                    results.failures[failure] += 1
                    if index < interactions:
                        skipped = interactions - index
                        results.failures["rerun: not tried after a failed one"] += skipped
                    return
                if not ok:
                    results.errors += 1
                    results.failures[failure] += 1
                    continue
                (results.first_loads if index == 0 else results.latencies).append(elapsed)
                if expected.get(sentence) not in (None, signature):
                    results.mismatches += 1
            if think and index < interactions:
                time.sleep(rng.uniform(*think))
        if sticky:
            check_reconnect(session, rng, results)
    finally:
        session.close()


def lone_signatures(url: str, sticky: bool = False) -> dict[str, str]:
    """What a single session gets for every sentence (the reference for leaks)."""
    session = Session(url, sticky)
    try:
        return {sentence: session.rerun(query_for(sentence))[1] for sentence in SENTENCES}
    finally:
        session.close()


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


@dataclass
class Load:
    """How busy the machine was during a run: the share of all cores used by everything, by
    processes other than the servers under test and this client, and by the proxy (HAProxy
    and serve.sh; 0 without them)."""

    total: float
    others: float
    proxy: float


def busy_cores(processes: list[psutil.Process]) -> tuple[float, float]:
    """(seconds of CPU used by the whole machine, by these processes) so far."""
    times = psutil.cpu_times()
    machine = sum(
        getattr(times, name, 0.0) for name in ("user", "nice", "system", "irq", "softirq", "steal")
    )
    ours = 0.0
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            used = process.cpu_times()
            ours += used.user + used.system
    return machine, ours


def run_class(
    url, servers, students, joins, interactions, think, expected, seed=0, sticky=False, proxy=()
):
    """Run one class; `servers` are the Streamlit processes under test (the largest peak RSS
    among them is reported), `proxy` the others in front of them (HAProxy, serve.sh).
    Returns (results, wall seconds, peak RSS, Load)."""
    results = Results()
    rng = random.Random(seed)
    peak_rss = [0]
    done = threading.Event()
    watched = [*servers, *proxy, psutil.Process()]
    cpu_before = busy_cores(watched)
    proxy_before = busy_cores(list(proxy))[1]

    def sample_rss():
        while not done.is_set():
            for server in servers:
                with contextlib.suppress(psutil.NoSuchProcess):
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
                sticky,
            ),
        )
        for _ in range(students)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():  # a short join keeps Ctrl-C working
            thread.join(0.5)
    wall = (results.last_rerun or time.perf_counter()) - started
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    machine, ours = (
        after - before for after, before in zip(busy_cores(watched), cpu_before, strict=True)
    )
    cores = psutil.cpu_count() * elapsed
    proxy_used = busy_cores(list(proxy))[1] - proxy_before
    load = Load(machine / cores, max(0.0, machine - ours) / cores, proxy_used / cores)
    return results, wall, peak_rss[0], load


@contextlib.contextmanager
def served(replicas: int, log):
    """deploy/serve.sh with this many replicas on a free port; yields (url, the replica
    processes, the other processes: serve.sh and HAProxy). Stopped with SIGTERM, as Ctrl-C
    would."""
    port = free_port()
    process = subprocess.Popen(
        ["bash", str(ROOT / "deploy" / "serve.sh"), "--replicas", str(replicas)]
        + ["--port", str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        started = time.perf_counter()
        while True:
            # serve.sh starts HAProxy only once every replica is healthy.
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response,
            ):
                if response.status == 200:
                    break
            if process.poll() is not None or time.perf_counter() - started > 300:
                raise RuntimeError(f"serve.sh --replicas {replicas} did not start")
            time.sleep(0.3)
        serve = psutil.Process(process.pid)
        children = serve.children(recursive=True)
        replicas = [child for child in children if "streamlit" in " ".join(child.cmdline())]
        yield url, replicas, [serve, *(child for child in children if child not in replicas)]
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_until_healthy(url: str, limit: float = 300.0) -> float:
    """Wait until HAProxy answers /_stcore/health with 200 (a class beyond the knee can leave
    the replicas so busy that HAProxy marks them down); returns the seconds waited."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as response,
        ):
            if response.status == 200:
                break
        time.sleep(1.0)
    return time.perf_counter() - started


def largest_within(rows: list[dict], limit_ms: float) -> str:
    """The largest class size tried whose p95 stayed within the limit with no error."""
    fitting = [row["N"] for row in rows if row["p95"] <= limit_ms and row["errors"] == 0]
    return str(max(fitting)) if fitting else f"< {min(row['N'] for row in rows)}"


def run_replicas(
    counts: list[int], sizes: list[int], interactions: int, think, write: bool = True
) -> None:
    """Class and stress runs through deploy/serve.sh for each replica count, with sticky
    sessions; prints the tables and (if `write`) writes them to docs/PERFORMANCE.md."""
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
                results, wall, rss, load = run_class(
                    url, servers, 60, 0.0, 4, None, expected, seed=1, sticky=True, proxy=proxy
                )
                stress_rows.append(
                    [
                        count,
                        results.reruns,
                        f"{wall:.1f}",
                        f"{results.reruns / wall:.1f}",
                        f"{percentile(results.latencies, 0.95) * 1e3:.0f}",
                        results.errors,
                        results.mismatches,
                        spread(results),
                        on_cookie_replica(results),
                        reconnected(results),
                        f"{rss / 2**20:.0f}",
                        f"{load.proxy:.1%}",
                        f"{load.total:.0%} / {load.others:.0%}",
                    ]
                )
                print(stress_rows[-1], dict(results.failures), flush=True)
                failures.update(results.failures)
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
    body += "\n\nStress through HAProxy (60 sessions × 5 reruns, no think time):\n\n"
    body += table(
        [
            "replicas",
            "reruns",
            "wall s",
            "reruns/s",
            "p95 ms",
            "errors",
            "≠ lone session",
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


def on_cookie_replica(results: Results) -> str:
    joined = sum(results.replicas.values())
    return f"{joined - results.moved}/{joined}"


def reconnected(results: Results) -> str:
    total = results.reconnects
    return f"{results.same_replica}/{total} · {results.resumed}/{total}"


def spread(results: Results) -> str:
    return " / ".join(f"{name}: {n}" for name, n in sorted(results.replicas.items()))


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
            write=not args.stress_only,
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
        servers = [psutil.Process(process.pid)]
        results, wall, rss, _ = run_class(url, servers, 60, 0.0, 4, None, {}, seed=1)
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
