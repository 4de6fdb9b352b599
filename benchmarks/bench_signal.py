"""What the RNN·LSTM·GRU view computes once per server (the learning signal at
initialisation) and once per live-try setting (the memory path), timed on one torch thread as
the server runs them. Target: each at most ~2 s on the shared 2-core machine.
Run: python benchmarks/bench_signal.py [--repeats N]"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import machine, table  # noqa: E402

import rnnviz  # noqa: E402
from rnnviz.memory import live_fillers  # noqa: E402
from rnnviz.memory_path import lstm_cell_path, profession_separation  # noqa: E402
from rnnviz.vanishing import learning_signal  # noqa: E402


def seconds(function, repeats: int) -> tuple[float, float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    models = {name: rnnviz.load_model(name) for name in ("memory-rnn", "memory-lstm", "memory-gru")}
    rows = [("learning signal (3 archs × 8 k × 5 seeds × 50 prompts)",)]
    rows[0] += tuple(f"{s:.2f} s" for s in seconds(learning_signal, args.repeats))
    for distance in (10, 30, 50):
        fillers = live_fillers(distance)

        def path(fillers=fillers) -> None:
            lstm_cell_path(models["memory-lstm"], "程序员", fillers)
            for model in models.values():
                profession_separation(model, fillers)

        rows.append(
            (f"memory path, k = {distance}",)
            + tuple(f"{s:.2f} s" for s in seconds(path, args.repeats))
        )
    print(f"Measured {machine()}:\n")
    print(table(("computation", "median", "max"), rows))


if __name__ == "__main__":
    main()
