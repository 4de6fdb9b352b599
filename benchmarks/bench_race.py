"""The race's cost: wall time of a race on this machine (in-process, one torch thread), and a
class's latency while a race runs in the server (benchmarks/bench_load.py's class mode against
a dashboard whose process is training a race, next to the same class without one).
Run: python benchmarks/bench_race.py [--steps 600] [--class-size 30] [--quick]"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import psutil
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from classroom_load import lone_signatures, percentile, run_class  # noqa: E402
from e2e.serve import streamlit_server  # noqa: E402

from rnnviz.race import RaceConfig, run_race  # noqa: E402


def race_wall(steps: int, seed: int) -> None:
    torch.set_num_threads(1)
    load = os.getloadavg()[0]
    started, cpu_started = time.perf_counter(), time.process_time()
    last = []
    for progress in run_race(RaceConfig(steps=steps, seed=seed)):
        if progress.evaluations:
            last = progress.evaluations
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(
        f"race of {steps} steps, seed {seed}, rnn+lstm+gru: {wall:.1f} s wall "
        f"({steps / wall:.1f} steps/s), {cpu:.1f} s of CPU; load average 1 min {load:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores"
    )
    print("| arch | k=0 | k=10 | k=30 | k=50 | held-out loss |")
    print("|---|---|---|---|---|---|")
    for evaluation in last:
        accuracy = evaluation.accuracy_by_distance
        print(
            f"| {evaluation.arch} | "
            + " | ".join(f"{accuracy[k]:.0%}" for k in accuracy)
            + f" | {evaluation.loss:.3f} |"
        )


def class_latency(size: int, quick: bool, race_steps: int) -> None:
    interactions, think = (2, (0.5, 1.0)) if quick else (8, (2.5, 7.5))
    rows = []
    for label, script in (
        ("no race", "dashboard.py"),
        ("race running", "benchmarks/race_server_app.py"),
    ):
        os.environ["RNNVIZ_BENCH_RACE_STEPS"] = str(race_steps)
        with streamlit_server(script) as (url, process, _):
            expected = lone_signatures(url)  # the first run also starts the race
            server = psutil.Process(process.pid)
            results, _, _, load = run_class(
                url, [server], size, 10.0, interactions, think, expected
            )
        every = results.latencies
        rows.append(
            (
                label,
                len(every),
                percentile(every, 0.5),
                percentile(every, 0.95),
                max(every, default=float("nan")),
                results.errors,
                results.mismatches,
                load.total,
                load.others,
            )
        )
        print(rows[-1], flush=True)
    print(
        f"| class of {size} | reruns | p50 ms | p95 ms | max ms | errors | mismatches | "
        "machine busy | by other processes |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for label, count, p50, p95, worst, errors, mismatches, total, others in rows:
        print(
            f"| {label} | {count} | {p50 * 1e3:.0f} | {p95 * 1e3:.0f} | {worst * 1e3:.0f} | "
            f"{errors} | {mismatches} | {total:.0%} | {others:.0%} |"
        )
    print(f"load average 1 min at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=600, help="steps of the timed race")
    parser.add_argument("--seed", type=int, default=0, help="seed of the timed race")
    parser.add_argument(
        "--class-size",
        type=int,
        default=0,
        help="students in the class run (0: skip the class run)",
    )
    parser.add_argument(
        "--race-steps", type=int, default=1500, help="steps of the race running during the class"
    )
    parser.add_argument("--quick", action="store_true", help="2 interactions, short thinking")
    args = parser.parse_args()
    if args.steps:
        race_wall(args.steps, args.seed)
    if args.class_size:
        class_latency(args.class_size, args.quick, args.race_steps)


if __name__ == "__main__":
    main()
