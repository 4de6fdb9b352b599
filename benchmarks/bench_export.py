"""Size and server time of the downloads of one long trace: CSV and JSON of a 1,000-token
lm-lstm trace (the heaviest a visitor can ask for), each built 3 times, median time.

Run: python benchmarks/bench_export.py"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_memory import long_sentence  # noqa: E402
from report import table  # noqa: E402

import rnnviz  # noqa: E402
from rnnviz.export import trace_to_csv, trace_to_json  # noqa: E402


def main() -> None:
    model = rnnviz.load_model("lm-lstm")
    tokens = rnnviz.tokenize(long_sentence(random.Random(0)))[:1000]
    trace = rnnviz.trace(model, tokens)
    rows = []
    for name, build in (("CSV", trace_to_csv), ("JSON", trace_to_json)):
        seconds, size = [], 0
        for _ in range(3):
            started = time.perf_counter()
            document = build(trace)
            seconds.append(time.perf_counter() - started)
            size = len(document.encode("utf-8"))
        rows.append((name, f"{size / 2**20:.1f} MB", f"{statistics.median(seconds):.2f} s"))
    print(table((f"lm-lstm, {len(tokens)} tokens", "size", "time to build (median of 3)"), rows))


if __name__ == "__main__":
    main()
