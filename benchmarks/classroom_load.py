"""A class of simulated students on a server, as the load benchmarks run it: each student a
websocket session (student_session.Session) that joins, makes its interactions with think time
and checks its charts against a lone session's; the class's latency, the server's and the load
generator's CPU; the deployment (deploy/serve.sh) a class can run against. bench_load.py,
bench_class*.py, bench_compression.py and bench_race.py drive it."""

from __future__ import annotations

import collections
import contextlib
import random
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

from e2e.serve import free_port, start_serve_sh, stop_group, wait_healthy  # noqa: E402
from report import SENTENCES  # noqa: E402
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
    process = start_serve_sh(replicas, port, log)
    url = f"http://127.0.0.1:{port}"
    try:
        # serve.sh starts HAProxy only once every replica is healthy.
        failure = f"serve.sh --replicas {replicas} did not start"
        wait_healthy(url, process, time.perf_counter(), 300, failure)
        serve = psutil.Process(process.pid)
        children = serve.children(recursive=True)
        replicas = [child for child in children if "streamlit" in " ".join(child.cmdline())]
        yield url, replicas, [serve, *(child for child in children if child not in replicas)]
    finally:
        stop_group(process, timeout=60)


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


def on_cookie_replica(results: Results) -> str:
    joined = sum(results.replicas.values())
    return f"{joined - results.moved}/{joined}"


def reconnected(results: Results) -> str:
    total = results.reconnects
    return f"{results.same_replica}/{total} · {results.resumed}/{total}"


def spread(results: Results) -> str:
    return " / ".join(f"{name}: {n}" for name, n in sorted(results.replicas.items()))
