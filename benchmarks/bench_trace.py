"""Trace + per-timestep gradients against a plain torch nn.RNN / nn.LSTM forward + backward on
the same input, for several sentence lengths T and hidden sizes H.
Run: python benchmarks/bench_trace.py [--repeats N]"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import table, write_section  # noqa: E402

import rnnviz  # noqa: E402

EMBED = 64
TOKENS = [f"w{i}" for i in range(200)]


def median_seconds(function, repeats: int) -> float:
    function()  # warm-up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def plain_torch(arch: str, hidden: int, steps: int):
    layer = (torch.nn.RNN if arch == "rnn" else torch.nn.LSTM)(EMBED, hidden, batch_first=True)
    head = torch.nn.Linear(hidden, 2)
    inputs = torch.randn(1, steps, EMBED)

    def run():
        x = inputs.clone().requires_grad_(True)
        output, _ = layer(x)
        loss = -torch.log_softmax(head(output[0, -1]), dim=-1)[0]
        torch.autograd.grad(loss, [x, output])

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per cell (median)")
    args = parser.parse_args()
    torch.set_num_threads(1)  # as in the dashboard's server
    vocab = rnnviz.Vocab(("<pad>", "<unk>", *TOKENS))
    rows = []
    per_arch_50: dict[tuple[str, int], float] = {}
    for arch in ("rnn", "lstm"):
        for hidden in (32, 128, 512):
            model = rnnviz.build_model(
                arch, "classifier", vocab, labels=["a", "b"], embed_size=EMBED, hidden_size=hidden
            )
            for steps in (10, 50, 200, 1000):
                sentence = [TOKENS[i % len(TOKENS)] for i in range(steps)]
                repeats = max(3, args.repeats // (1 + steps // 200))
                ours = median_seconds(lambda m=model, s=sentence: rnnviz.trace(m, s), repeats)
                reference = median_seconds(plain_torch(arch, hidden, steps), repeats)
                if steps == 50:
                    per_arch_50[(arch, hidden)] = ours
                linear = ours / per_arch_50[(arch, hidden)] if steps >= 50 else None
                rows.append(
                    [
                        arch,
                        hidden,
                        steps,
                        f"{ours * 1e3:.2f}",
                        f"{reference * 1e3:.2f}",
                        f"{ours / reference:.1f}×",
                        f"{linear:.1f}×" if linear is not None else "—",
                    ]
                )
                print(rows[-1], flush=True)
    shipped_rows = []
    sentence = rnnviz.tokenize("我的职业是程序员，我最擅长的是电脑")
    for name in rnnviz.list_models():
        model = rnnviz.load_model(name)
        row = [name, model.config.hidden_size, len(model.labels)]
        for steps in (len(sentence), 200):
            tokens = (sentence * (steps // len(sentence) + 1))[:steps]
            seconds = median_seconds(lambda m=model, t=tokens: rnnviz.trace(m, t), args.repeats)
            row.append(f"{seconds * 1e3:.1f}")
        shipped_rows.append(row)
        print(row, flush=True)
    body = table(
        ["arch", "H", "T", "trace + gradients (ms)", "torch fwd+bwd (ms)", "ratio", "vs T=50"], rows
    )
    body += (
        "\n\nTargets: a 50-token trace within 4× the plain torch forward+backward; "
        "1,000 tokens within 25× of 50 tokens (linear cost)."
    )
    body += "\n\nThe shipped models (trace + gradients, median ms):\n\n" + table(
        [
            "model",
            "H",
            "outputs",
            f"T={len(sentence)} (我的职业是程序员，我最擅长的是电脑)",
            "T=200",
        ],
        shipped_rows,
    )
    write_section("bench_trace", "python benchmarks/bench_trace.py", body)


if __name__ == "__main__":
    main()
