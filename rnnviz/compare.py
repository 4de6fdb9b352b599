"""Reorderings of a sentence, what the compare view shows of 2-4 traces (distances, the
similarity matrix, the prediction table), and every single move or swap of a sentence ranked
by how much it changes a model's output (the one function here that runs a model). It never
trains or draws."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from .models import RecurrentModel
from .results import Trace, top_index

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


def similarity_matrix(traces: Sequence[Trace]) -> np.ndarray:
    """float [N, N]: cos(h_T(i), h_T(j)) between the final hidden states of N traces."""
    return np.array(
        [[cosine_similarity(a.hidden[-1], b.hidden[-1]) for b in traces] for a in traces]
    )


@dataclass(frozen=True)
class Prediction:
    """What a model concluded after the last token: the output index, its label and p."""

    index: int
    label: str
    probability: float


def predictions(traces: Sequence[Trace]) -> list[Prediction]:
    """The prediction table: one row per trace."""
    rows = []
    for trace in traces:
        label, probability = trace.predicted()
        rows.append(Prediction(trace.prediction, label, probability))
    return rows


def same_word_groups(token_lists: Sequence[Sequence[str]]) -> list[list[int]]:
    """Indices of the sentences that are reorderings of each other (the same multiset of
    tokens), groups of two or more, in order of first appearance."""
    groups: dict[tuple[str, ...], list[int]] = {}
    for index, tokens in enumerate(token_lists):
        groups.setdefault(tuple(sorted(tokens)), []).append(index)
    return [members for members in groups.values() if len(members) > 1]


def largest_change(traces: Sequence[Trace]) -> float:
    """max over the traces and outputs of |probs_T(trace) - probs_T(first trace)|."""
    first = traces[0].probs[-1].astype(float)
    return max(float(np.max(np.abs(t.probs[-1].astype(float) - first))) for t in traces)


# Reorderings of up to this many tokens are ranked (30 tokens: 1,276 distinct sentences).
MAX_RANKED_TOKENS = 30
# Output logits computed in one ranking (sentences x steps x outputs): a language model's
# outputs span its vocabulary, so its sentences are ranked up to ~12 tokens (about a second
# on one core, measured in the report of issue 11); a classifier's up to MAX_RANKED_TOKENS.
MAX_RANKING_WORK = 25_000_000
# Floats per batch of logits (B x T x C): bounds the memory of a language model's ranking.
_BATCH_FLOATS = 4_000_000


@dataclass(frozen=True)
class Reordering:
    """One single move or swap of a sentence and how much it changes the final output.

    how: "swap" (tokens at first and second exchanged) or "move" (the token at first taken
    out and put back so that it ends at position second).
    effect: total variation 0.5 * sum |p_T(reordered) - p_T(original)| of the final output
    distributions, in [0, 1]; for two classes it equals |delta p| of either class.
    prediction: the output index predicted after the reordering; probability: its p.
    """

    tokens: tuple[str, ...]
    how: str
    first: int
    second: int
    effect: float
    prediction: int
    probability: float


def _most_reorderings(count: int) -> int:
    """Distinct sentences one swap or move away from `count` distinct tokens: (n-1)^2 moves
    and n(n-1)/2 swaps, of which the n-1 swaps of neighbours are also moves."""
    return (count - 1) ** 2 + count * (count - 1) // 2 - (count - 1)


def ranking_limit(model: RecurrentModel) -> int:
    """The longest sentence (in tokens) whose reorderings rank_reorderings ranks for `model`."""
    outputs = len(model.labels)
    count = 1
    while (
        count < MAX_RANKED_TOKENS
        and (_most_reorderings(count + 1) + 1) * (count + 1) * outputs <= MAX_RANKING_WORK
    ):
        count += 1
    return count


def single_reorderings(tokens: Sequence[str]) -> list[tuple[tuple[str, ...], str, int, int]]:
    """Every distinct sentence one swap or one move away from `tokens`, other than itself:
    (tokens, how, first, second). Swaps are listed first, so that exchanging two neighbours
    is described as a swap rather than as a move."""
    original = tuple(tokens)
    seen = {original}
    found = []

    def add(candidate: list[str], how: str, first: int, second: int) -> None:
        key = tuple(candidate)
        if key not in seen:
            seen.add(key)
            found.append((key, how, first, second))

    count = len(original)
    for first in range(count):
        for second in range(first + 1, count):
            swapped = list(original)
            swapped[first], swapped[second] = swapped[second], swapped[first]
            add(swapped, "swap", first, second)
    for first in range(count):
        rest = [token for index, token in enumerate(original) if index != first]
        for second in range(count):
            if second != first:
                add([*rest[:second], original[first], *rest[second:]], "move", first, second)
    return found


def _final_distributions(model: RecurrentModel, sentences: Sequence[Sequence[str]]) -> np.ndarray:
    """float64 [N, C]: the output distribution after the last token of N equally long
    sentences, run in batches (no gradients, nothing stored on the model)."""
    ids = torch.tensor([model.vocab.encode(list(sentence)) for sentence in sentences])
    steps = ids.shape[1]
    batch = max(1, _BATCH_FLOATS // (steps * len(model.labels)))
    outputs = []
    with torch.no_grad():
        for start in range(0, len(ids), batch):
            inputs = model.embedding.weight[ids[start : start + batch]]
            logits = model.run(inputs)["logits"][:, -1]
            outputs.append(torch.softmax(logits.double(), dim=-1))
    return torch.cat(outputs).numpy()


def rank_reorderings(model: RecurrentModel, tokens: Sequence[str]) -> list[Reordering]:
    """Every single move and swap of `tokens` (segmented already), ranked by effect on the
    model's final output, largest first (ties: by the reordered tokens). An empty list for a
    sentence with nothing to reorder (one token, or all tokens the same); ValueError for one
    longer than ranking_limit(model)."""
    tokens = list(tokens)
    if not tokens:
        raise ValueError("Nothing to reorder: the sentence has no tokens.")
    limit = ranking_limit(model)
    if len(tokens) > limit:
        raise ValueError(
            f"The sentence has {len(tokens):,} tokens; reorderings are ranked for up to "
            f"{limit} tokens with this model. Shorten it."
        )
    candidates = single_reorderings(tokens)
    if not candidates:
        return []
    distributions = _final_distributions(model, [tokens, *(c[0] for c in candidates)])
    original, reordered = distributions[0], distributions[1:]
    effects = 0.5 * np.abs(reordered - original).sum(axis=1)
    ranked = [
        Reordering(
            tokens=candidate[0],
            how=candidate[1],
            first=candidate[2],
            second=candidate[3],
            effect=float(effect),
            prediction=top_index(distribution),
            probability=float(np.max(distribution)),
        )
        for candidate, effect, distribution in zip(candidates, effects, reordered, strict=True)
    ]
    return sorted(ranked, key=lambda item: (-item.effect, item.tokens))


# --- what the compare view states about its sentences (the view only writes it) ------------

# Below this, a difference of final outputs is float rounding (the bag of words sums in
# another order), not an effect of word order.
ROUNDING = 1e-5


def beyond_rounding(difference: float) -> bool:
    """Whether a change of final output is an effect of the order, not float rounding."""
    return difference >= ROUNDING


def largest_group_change(traces: Sequence[Trace], groups: Sequence[Sequence[int]]) -> float:
    """The largest change of final output within any group of sentences made of the same words
    (`groups`: indices into `traces`, as same_word_groups gives them)."""
    return max(largest_change([traces[index] for index in group]) for group in groups)


def final_gap(traces: Sequence[Trace]) -> float | None:
    """||h_T(1) - h_T(2)||: how far apart the first two sentences end in the full hidden space
    (None with fewer than two)."""
    if len(traces) < 2:
        return None
    return float(np.linalg.norm(traces[0].hidden[-1] - traces[1].hidden[-1]))
