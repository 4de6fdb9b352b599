"""Server memory under the trace-cache attack of issue 10: one session sends the compare view
four distinct 1,000-token sentences with cmodel=lm-lstm, over and over, and the server's
resident memory (RSS) is read after every rerun.

Run: python benchmarks/bench_memory.py [--reruns 40] [--tokens 1000] [--write]"""

from __future__ import annotations

import argparse
import random
import sys
import urllib.parse
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from e2e.serve import streamlit_server  # noqa: E402
from report import SENTENCES, table, write_section  # noqa: E402
from student_session import Session  # noqa: E402

import rnnviz  # noqa: E402


def long_sentence(rng: random.Random, tokens: int = 1000) -> str:
    """Text of at least `tokens` jieba tokens built from the benchmark sentences in a random order
    (different for every call, so every trace misses the cache)."""
    pieces: list[str] = []
    while True:
        pieces.extend(rng.sample(SENTENCES, len(SENTENCES)))
        sentence = "，".join(pieces)
        if len(rnnviz.tokenize(sentence)) >= tokens:
            return sentence


def explore_query(rng: random.Random, tokens: int) -> str:
    """The landing view with lm-lstm and one new long sentence (its trace is above the
    per-trace cap: computed, used, not kept)."""
    return urllib.parse.urlencode(
        {"view": "explore", "model": "lm-lstm", "lang": "zh", "s": long_sentence(rng, tokens)}
    )


def attack_query(rng: random.Random, tokens: int) -> str:
    query = {"view": "compare", "cmodel": "lm-lstm", "n": "4", "lang": "zh"}
    for slot in range(1, 5):
        query[f"c{slot}"] = long_sentence(rng, tokens)
    return urllib.parse.urlencode(query)


def megabytes(process: psutil.Process) -> float:
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        total += child.memory_info().rss
    return total / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reruns", type=int, default=40)
    parser.add_argument("--tokens", type=int, default=1000, help="tokens per sentence")
    parser.add_argument(
        "--view",
        choices=("compare", "explore"),
        default="compare",
        help="compare: four new sentences a rerun (issue 10's attack); explore: one",
    )
    parser.add_argument("--write", action="store_true", help="write docs/PERFORMANCE.md")
    arguments = parser.parse_args()
    rng = random.Random(0)
    rows = []
    with streamlit_server("dashboard.py") as (url, process, _):
        server = psutil.Process(process.pid)
        session = Session(url)
        try:
            session.rerun("view=explore&lang=zh")
            start = megabytes(server)
            rows.append(("after the first page", "—", f"{start:,.0f}"))
            peak = start
            for index in range(1, arguments.reruns + 1):
                query = (attack_query if arguments.view == "compare" else explore_query)(
                    rng, arguments.tokens
                )
                seconds, _, ok = session.rerun(query)
                rss = megabytes(server)
                peak = max(peak, rss)
                if index in (1, 2, 4, 8, 12) or index % 10 == 0 or index == arguments.reruns:
                    state = f"{seconds:.1f} s" if ok else f"{seconds:.1f} s, error"
                    rows.append((f"rerun {index}", state, f"{rss:,.0f}"))
                    print(rows[-1], flush=True)
        finally:
            session.close()
    rows.append(("peak", "", f"{peak:,.0f}"))
    what = (
        f"four new {arguments.tokens:,}-token lm-lstm sentences"
        if arguments.view == "compare"
        else f"explore: a new {arguments.tokens:,}-token lm-lstm sentence"
    )
    body = table((what, "rerun time", "server RSS (MB)"), rows)
    if arguments.write:
        command = (
            f"python benchmarks/bench_memory.py --reruns {arguments.reruns} "
            f"--tokens {arguments.tokens} --view {arguments.view} --write"
        )
        suffix = "" if arguments.view == "compare" else "_explore"
        write_section(f"bench_memory_{arguments.tokens}{suffix}", command, body)
    else:
        print(body)


if __name__ == "__main__":
    main()
