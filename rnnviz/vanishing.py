"""The learning signal at initialisation: how much of the gradient of the long-memory loss
reaches the first token of the prompt, against the number of filler words k, for freshly
initialised RNN, LSTM and GRU models. This is the article's "the gradient shrinks with
distance, so the RNN stops learning long links", measured where it matters: before training.

Run `python -m rnnviz.vanishing` to print the table the dashboard draws (the chart is
figures.signal_charts's). It trains nothing and draws nothing.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from . import memory
from .models import build_model
from .race import memory_vocab
from .registry import RECURRENT
from .results import SignalCurve, frozen

DISTANCES = (0, 5, 10, 15, 20, 30, 40, 50)
SEEDS = (0, 1, 2, 3, 4)
PROMPTS = 50
EMBED_SIZE = 32  # as the shipped memory models
HIDDEN_SIZE = 64
# The common LSTM start (Jozefowicz et al. 2015; Keras's unit_forget_bias): the forget gate's
# bias at 1, so f ≈ σ(1) ≈ 0.73 at first instead of PyTorch's default ≈ 0.5.
FORGET_BIAS_START = 1.0


def initial_ratios(
    arch: str,
    seed: int,
    distance: int,
    prompts: int = PROMPTS,
    forget_bias: float | None = None,
) -> np.ndarray:
    """||dL/dx_1|| / ||dL/dx_T|| for `prompts` long-memory prompts with `distance` filler words,
    read by a model of `arch` freshly initialised from `seed` (rnnviz.build_model: PyTorch's
    default scheme, U, W, b, V uniform in ±1/sqrt(H), embeddings N(0, 1), c = 0). For an LSTM,
    `forget_bias` sets the forget gate's part of b to that value (None: PyTorch's default).

    L is the cross-entropy of the prompt's true skill at the last step. The prompts depend on
    (seed, distance) only, so every architecture reads the same ones. Returns float64 [prompts].
    """
    vocab = memory_vocab()
    labels = memory.memory_labels()
    model = build_model(
        arch, "classifier", vocab, labels, embed_size=EMBED_SIZE, hidden_size=HIDDEN_SIZE, seed=seed
    )
    if forget_bias is not None:
        if arch != "lstm":
            raise ValueError("Only an LSTM has a forget gate.")
        with torch.no_grad():  # a model made for this call, shared with no one
            model.cell.b[HIDDEN_SIZE : 2 * HIDDEN_SIZE] = forget_bias
    rng = random.Random(seed * 1000 + distance)
    examples = [memory.memory_example(rng, distance) for _ in range(prompts)]
    ids = torch.tensor([vocab.encode(tokens) for tokens, _ in examples])  # (P, T)
    answers = torch.tensor([label for _, label in examples])
    with torch.enable_grad():
        # A leaf made for this call: the model's own parameters never receive a gradient.
        inputs = model.embedding.weight.detach()[ids].clone().requires_grad_(True)  # (P, T, E)
        logits = model.run(inputs)["logits"][:, -1]  # (P, C)
        # Each prompt's loss depends on its own inputs only: the gradient of the sum is the
        # per-prompt gradient.
        loss = torch.nn.functional.cross_entropy(logits, answers, reduction="sum")
        (gradient,) = torch.autograd.grad(loss, inputs)
    norms = torch.linalg.vector_norm(gradient.double(), dim=-1)  # (P, T)
    return (norms[:, 0] / norms[:, -1]).numpy()


def prompt_steps(distance: int) -> int:
    """Steps between the first and the last token of a prompt with `distance` filler words."""
    return len(memory.memory_prompt_tokens(next(iter(memory.PROFESSIONS)), ["x"] * distance)) - 1


def summarise(arch: str, distances: Sequence[int], ratios: Sequence[np.ndarray]) -> SignalCurve:
    """Median, min–max band and the halving fit from the ratios measured at each distance."""
    steps = tuple(prompt_steps(k) for k in distances)
    median = frozen(np.array([np.median(r) for r in ratios]))
    slope = float(np.polyfit(steps, np.log2(median), 1)[0])
    return SignalCurve(
        arch=arch,
        distances=tuple(distances),
        steps=steps,
        median=median,
        low=frozen(np.array([np.min(r) for r in ratios])),
        high=frozen(np.array([np.max(r) for r in ratios])),
        slope=slope,
        halving_steps=-1 / slope if slope < 0 else float("inf"),
    )


def learning_signal(
    archs: Sequence[str] = RECURRENT,
    distances: Sequence[int] = DISTANCES,
    seeds: Sequence[int] = SEEDS,
    prompts: int = PROMPTS,
) -> dict[str, SignalCurve]:
    """For each architecture, the ratio over len(seeds) × prompts prompts at every distance
    (~1 s on one core for the defaults)."""
    return {
        arch: summarise(
            arch,
            distances,
            [
                np.concatenate([initial_ratios(arch, seed, k, prompts) for seed in seeds])
                for k in distances
            ],
        )
        for arch in archs
    }


def forget_start_curve(
    distances: Sequence[int] = DISTANCES, seeds: Sequence[int] = SEEDS, prompts: int = PROMPTS
) -> SignalCurve:
    """The LSTM's learning signal at initialisation when its forget gate's bias starts at
    FORGET_BIAS_START, on the same prompts as learning_signal()."""
    return summarise(
        "lstm",
        distances,
        [
            np.concatenate(
                [initial_ratios("lstm", seed, k, prompts, FORGET_BIAS_START) for seed in seeds]
            )
            for k in distances
        ],
    )


def times_stronger(curves: Mapping[str, SignalCurve], arch: str, than: str, distance: int) -> float:
    """How many times `arch`'s median learning signal at `distance` is `than`'s."""
    at = curves[arch].distances.index(distance)
    return float(curves[arch].median[at] / curves[than].median[at])


@dataclass(frozen=True)
class SeedMedians:
    """At one distance, the median ratio of each seed (float [seeds] each): the vanilla RNN,
    the LSTM from PyTorch's default start and the LSTM with its forget bias at 1."""

    distance: int
    seeds: tuple[int, ...]
    rnn: np.ndarray
    lstm: np.ndarray
    lstm_forget_start: np.ndarray


def seed_medians(
    distance: int, seeds: Sequence[int] = SEEDS, prompts: int = PROMPTS
) -> SeedMedians:
    """Each seed's median ratio at `distance`: which network keeps more, seed by seed."""

    def medians(arch: str, forget_bias: float | None = None) -> np.ndarray:
        return frozen(
            np.array(
                [np.median(initial_ratios(arch, s, distance, prompts, forget_bias)) for s in seeds]
            )
        )

    return SeedMedians(
        distance=distance,
        seeds=tuple(seeds),
        rnn=medians("rnn"),
        lstm=medians("lstm"),
        lstm_forget_start=medians("lstm", FORGET_BIAS_START),
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=PROMPTS, help="prompts per seed")
    parser.add_argument("--seeds", type=int, default=len(SEEDS), help="seeds 0..n-1")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)  # small matrices: more threads only contend on a shared machine
    curves = learning_signal(seeds=range(args.seeds), prompts=args.prompts)
    print("median ||dL/dx_1|| / ||dL/dx_T|| at initialisation [min, max]")
    print("k".rjust(4) + "".join(arch.rjust(34) for arch in curves))
    for index, distance in enumerate(DISTANCES):
        cells = [
            f"{c.median[index]:.1e} [{c.low[index]:.1e}, {c.high[index]:.1e}]".rjust(34)
            for c in curves.values()
        ]
        print(f"{distance:4d}" + "".join(cells))
    for curve in curves.values():
        print(f"{curve.arch}: halves every {curve.halving_steps:.2f} steps")


if __name__ == "__main__":
    main()
