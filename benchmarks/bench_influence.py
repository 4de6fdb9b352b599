"""The influence map (blocks of rows, each one batched backward pass) against all rows in one
batched pass and against one backward pass per row (the obvious loop), and the per-step
factors, for several sentence lengths T and hidden sizes H.
Run: python benchmarks/bench_influence.py [--repeats N]"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import table, write_section  # noqa: E402

import rnnviz  # noqa: E402
from rnnviz import influencing  # noqa: E402
from rnnviz.influencing import (  # noqa: E402
    FACTOR_LIMIT,
    influence_map,
    row_targets,
    step_factors,
)

EMBED = 64
TOKENS = [f"w{i}" for i in range(200)]


def median_seconds(function, repeats: int, clock=time.process_time) -> float:
    """Median of `repeats` runs after a warm-up. The default clock is this process's CPU time:
    on a machine shared by many jobs the wall clock measures the neighbours."""
    function()  # warm-up
    times = []
    for _ in range(repeats):
        started = clock()
        function()
        times.append(clock() - started)
    return statistics.median(times)


def one_block(model, tokens):
    """The 'before' of the blocks: every row in one batched backward pass over the sentence."""
    shipped = influencing.MAX_BLOCKS
    influencing.MAX_BLOCKS = 1
    try:
        return influence_map(model, tokens)
    finally:
        influencing.MAX_BLOCKS = shipped


def loop_per_row(model, tokens) -> np.ndarray:
    """The 'before': one forward and one backward pass per row t."""
    ids = model.vocab.encode(tokens)
    steps = len(ids)
    values = np.zeros((steps, steps))
    with torch.enable_grad():
        inputs = model.embedding.weight.detach()[torch.tensor(ids)].clone().requires_grad_(True)
        log_probs = torch.log_softmax(model.run(inputs.unsqueeze(0))["logits"][0], dim=-1)
        targets = row_targets(model, ids, log_probs[-1].detach().exp().numpy())
        for t in range(steps):
            (gradient,) = torch.autograd.grad(log_probs[t, targets[t]], inputs, retain_graph=True)
            values[t] = torch.linalg.vector_norm(gradient.double(), dim=-1).numpy()
    return values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per cell (median)")
    args = parser.parse_args()
    torch.set_num_threads(1)  # as in the dashboard's server
    vocab = rnnviz.Vocab(("<pad>", "<unk>", *TOKENS))
    rows = []
    for arch in ("rnn", "lstm", "gru"):
        for hidden in (64, 256):
            model = rnnviz.build_model(
                arch, "classifier", vocab, labels=["a", "b"], embed_size=EMBED, hidden_size=hidden
            )
            for steps in (20, FACTOR_LIMIT, 100, 200):
                sentence = [TOKENS[i % len(TOKENS)] for i in range(steps)]
                shipped = median_seconds(
                    lambda m=model, s=sentence: influence_map(m, s), args.repeats
                )
                wall = median_seconds(
                    lambda m=model, s=sentence: influence_map(m, s),
                    args.repeats,
                    clock=time.perf_counter,
                )
                single = median_seconds(lambda m=model, s=sentence: one_block(m, s), args.repeats)
                looped = median_seconds(lambda m=model, s=sentence: loop_per_row(m, s), 1)
                factors = None
                if steps <= FACTOR_LIMIT:
                    trace = rnnviz.trace(model, sentence)
                    factors = median_seconds(lambda t=trace: step_factors(t), args.repeats)
                rows.append(
                    [
                        arch,
                        hidden,
                        steps,
                        f"{looped * 1e3:.0f}",
                        f"{single * 1e3:.0f}",
                        f"{shipped * 1e3:.0f}",
                        f"{looped / shipped:.0f}×",
                        f"{wall * 1e3:.0f}",
                        "—" if factors is None else f"{factors * 1e3:.0f}",
                    ]
                )
                print(rows[-1], flush=True)
    body = table(
        [
            "arch",
            "H",
            "T",
            "one backward per row (CPU ms)",
            "all rows in one batched pass (CPU ms)",
            "blocks of rows, shipped (CPU ms)",
            "speed-up over the loop",
            "shipped, wall clock (ms)",
            "step factors (CPU ms)",
        ],
        rows,
    )
    body += (
        "\n\nTarget: the influence map of T = 200 tokens within 1 s for H = 256 on one core "
        "(one torch thread; CPU time, because the machine is shared: the wall clock, in its own "
        "column, includes waiting for the other jobs). The shipped map computes its rows in "
        f"one block per {influencing.BLOCK_STEPS} tokens (at most {influencing.MAX_BLOCKS}). "
        "The step factors take an SVD of every J_t and of every running product (S = H, or 2H "
        f"for the LSTM): they are computed for sentences of up to {FACTOR_LIMIT} tokens."
    )
    write_section("bench_influence", "python benchmarks/bench_influence.py", body)


if __name__ == "__main__":
    main()
