"""Reorderings of a sentence and distances between the traces of two sentences: what the
compare view is built on. No models are run here."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .tracing import Trace

REORDERINGS = ("reverse", "move_to_end", "move_to_front", "swap", "shuffle")


def reorder(tokens: Sequence[str], how: str, index: int = 0, other: int = -1, seed: int = 0):
    """A reordering of `tokens`: "reverse"; "move_to_end" / "move_to_front" moves tokens[index];
    "swap" exchanges tokens[index] and tokens[other]; "shuffle" is a seeded permutation."""
    tokens = list(tokens)
    if not tokens:
        raise ValueError("Nothing to reorder: the sentence has no tokens.")
    count = len(tokens)
    if how == "reverse":
        return tokens[::-1]
    if how in ("move_to_end", "move_to_front", "swap") and not -count <= index < count:
        raise ValueError(f"Token position {index} is outside 0..{count - 1}.")
    if how == "move_to_end":
        moved = tokens.pop(index)
        return [*tokens, moved]
    if how == "move_to_front":
        moved = tokens.pop(index)
        return [moved, *tokens]
    if how == "swap":
        if not -count <= other < count:
            raise ValueError(f"Token position {other} is outside 0..{count - 1}.")
        tokens[index], tokens[other] = tokens[other], tokens[index]
        return tokens
    if how == "shuffle":
        random.Random(seed).shuffle(tokens)
        return tokens
    raise ValueError(f"Unknown reordering {how!r}; valid: {', '.join(REORDERINGS)}.")


def join_tokens(tokens: Sequence[str]) -> str:
    """Tokens back to text: no space between Chinese tokens, one between Latin words."""
    text = ""
    for token in tokens:
        if (
            text
            and text[-1].isascii()
            and text[-1].isalnum()
            and token[:1].isascii()
            and token[:1].isalnum()
        ):
            text += " "
        text += token
    return text


def align(tokens_a: Sequence[str], tokens_b: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (i, j) with tokens_a[i] == tokens_b[j]; the k-th occurrence of a token in A is
    paired with its k-th occurrence in B. Sorted by i."""
    positions_b: dict[str, list[int]] = {}
    for j, token in enumerate(tokens_b):
        positions_b.setdefault(token, []).append(j)
    seen: dict[str, int] = {}
    pairs = []
    for i, token in enumerate(tokens_a):
        occurrence = seen.get(token, 0)
        seen[token] = occurrence + 1
        if occurrence < len(positions_b.get(token, [])):
            pairs.append((i, positions_b[token][occurrence]))
    return pairs


def cosine_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """cos(a, b); 1.0 for two zero vectors (they are the same), 0.0 if only one is zero."""
    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    if norm == 0.0:
        return 1.0 if not np.any(a) and not np.any(b) else 0.0
    return float(np.dot(a, b) / norm)


@dataclass(frozen=True)
class Comparison:
    """How two traces of the same model differ.

    final_cosine: cos(h_T(A), h_T(B)); aligned: (i, j) token pairs;
    aligned_distance: float [len(aligned)] ||h_i(A) - h_j(B)||;
    prediction_difference: float [C] probs_T(B) - probs_T(A); max_probability_change its max |.|
    """

    final_cosine: float
    aligned: list[tuple[int, int]]
    aligned_distance: np.ndarray
    prediction_difference: np.ndarray

    @property
    def max_probability_change(self) -> float:
        return float(np.max(np.abs(self.prediction_difference)))


def compare(a: Trace, b: Trace) -> Comparison:
    if a.labels != b.labels:
        raise ValueError("Only traces of the same model can be compared.")
    aligned = align(a.tokens, b.tokens)
    distances = np.array(
        [float(np.linalg.norm(a.hidden[i] - b.hidden[j])) for i, j in aligned], dtype=float
    )
    return Comparison(
        final_cosine=cosine_similarity(a.hidden[-1], b.hidden[-1]),
        aligned=aligned,
        aligned_distance=distances,
        prediction_difference=b.probs[-1].astype(float) - a.probs[-1].astype(float),
    )
