"""trace(): run a model over one sentence and keep every step (inputs, hidden states, gates,
output distributions, per-timestep gradients) as a frozen Trace of numpy arrays (the Trace
itself is in rnnviz.results). It neither trains nor draws."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from .gradients import timestep_gradient_norms
from .models import RecurrentModel
from .results import Trace, frozen, top_index
from .tokens import MAX_TOKENS, check_mode, clean_text, tokenize


def _resolve_target(
    model: RecurrentModel,
    ids: list[int],
    probs: torch.Tensor,
    target: int | str | None,
    loss_step: int | None,
    target_position: int | None,
) -> tuple[int, int, int | None]:
    """(target index, loss step, target position or None) of the loss to differentiate."""
    steps = len(ids)
    is_lm = model.config.head == "lm"
    if target_position is not None:
        if not is_lm:
            raise ValueError(
                "target_position is for a language model; a classifier's target is a class."
            )
        if target is not None or loss_step is not None:
            raise ValueError(
                "Give target_position alone: it sets both the target and the loss step."
            )
        position = target_position + steps if target_position < 0 else target_position
        if not 1 <= position < steps:
            raise ValueError(
                f"target_position {target_position} is not a predicted token (1..{steps - 1}): "
                "the first token has nothing before it."
            )
        # By id: a word outside the vocabulary is predicted as <unk>, as the model was trained.
        return ids[position], position - 1, position
    if loss_step is None:
        loss_step = steps - 2 if is_lm and steps > 1 and target is None else steps - 1
    if not -steps <= loss_step < steps:
        raise ValueError(f"loss_step {loss_step} is outside the sentence (0..{steps - 1}).")
    loss_step %= steps
    if target is None:
        if is_lm and loss_step + 1 < steps:
            return ids[loss_step + 1], loss_step, loss_step + 1
        return top_index(probs[loss_step].numpy()), loss_step, None
    if isinstance(target, str):
        index = model.vocab.stoi.get(target) if is_lm else None
        if index is None and target in model.labels:
            index = model.labels.index(target)
        if index is None:
            raise ValueError(f"Unknown target {target!r}: it is not one of the model's outputs.")
        return index, loss_step, None
    if not 0 <= int(target) < len(model.labels):
        raise ValueError(f"Target index {target} is outside 0..{len(model.labels) - 1}.")
    return int(target), loss_step, None


@dataclass(frozen=True)
class TargetChoice:
    """One loss a teacher can pick for a sentence: a class of a classifier, or (language model)
    the word at a position, predicted at the step before it.

    number: 1-based, as on screen and in the URL: the class number, or the word's position.
    label: the class, or the word as typed; unknown: the word is read as <unk> (its loss is
    that of predicting <unk>, as in training).
    """

    kind: str
    number: int
    label: str
    unknown: bool = False

    def trace_arguments(self) -> dict[str, int]:
        """The keyword arguments of trace() that take this loss."""
        if self.kind == "word":
            return {"target_position": self.number - 1}
        return {"target": self.number - 1}


def token_mode(model: RecurrentModel) -> str:
    """How the model reads text: "word" (jieba) or "char", as it was trained."""
    return model.config.token_mode


def architecture(model: RecurrentModel) -> str:
    """The model's cell: "rnn", "lstm", "gru", "bow" or "position"."""
    return model.config.arch


def target_choices(model: RecurrentModel, tokens: Sequence[str]) -> list[TargetChoice]:
    """The losses that can be taken for `tokens`: every class of a classifier; every word
    after the first for a language model, the last word first (the default)."""
    if model.config.head != "lm":
        return [TargetChoice("class", index + 1, name) for index, name in enumerate(model.labels)]
    unknown = model.vocab.is_unknown(list(tokens))
    return [
        TargetChoice("word", position + 1, tokens[position], unknown[position])
        for position in range(len(tokens) - 1, 0, -1)
    ]


def _read_only_params(model: RecurrentModel) -> dict[str, np.ndarray]:
    """Views of the shared weights (no copy: an LM's V is megabytes), locked against writes."""
    return {
        name: frozen(parameter.detach().numpy())
        for name, parameter in model.parameters_by_name().items()
    }


def sentence_tokens(
    model: RecurrentModel, text: str | Sequence[str], mode: str | None = None
) -> list[str]:
    """The tokens `model` reads for `text` (a string, or a list of tokens), checked as trace()
    checks them: mode defaults to the model's own; ValueError for no tokens or too many."""
    mode = check_mode(mode or model.config.token_mode)
    if isinstance(text, str):
        tokens = tokenize(text, mode)
    else:
        tokens = [clean_text(token) for token in text]
        tokens = [token for token in tokens if token.strip()]
        if not tokens:
            raise ValueError(
                "The sentence has no tokens: type a sentence, for example 我要去打篮球."
            )
    if len(tokens) > MAX_TOKENS:
        raise ValueError(
            f"The sentence has {len(tokens):,} tokens; the limit is {MAX_TOKENS:,}. Shorten it."
        )
    return tokens


def trace(
    model: RecurrentModel,
    text: str | Sequence[str],
    mode: str | None = None,
    target: int | str | None = None,
    loss_step: int | None = None,
    target_position: int | None = None,
) -> Trace:
    """Run `model` over `text` (a string, or a list of tokens) step by step.

    mode: "word" or "char" (default: the mode the model was trained with).
    target/loss_step: the loss L = -log probs[loss_step, target] whose gradients are kept.
    Classifier default: the predicted class at the last step. Language model default: the last
    token, predicted at the step before it.
    target_position (language model only, instead of target/loss_step): the loss is of the
    token at that position, read at the step before it (a word outside the vocabulary is the
    <unk> id, as in training).
    """
    tokens = sentence_tokens(model, text, mode)
    ids = model.vocab.encode(tokens)
    dtype = model.V.dtype
    with torch.enable_grad():
        # Leaves made for this call: gradients land here, never in the shared model.
        inputs = model.embedding.weight.detach()[torch.tensor(ids)].clone().requires_grad_(True)
        offsets = torch.zeros(len(ids), model.config.hidden_size, dtype=dtype, requires_grad=True)
        result = model.run(inputs.unsqueeze(0), offsets.unsqueeze(0))
        log_probs = torch.log_softmax(result["logits"][0], dim=-1)  # (T, C)
        target_index, step, position = _resolve_target(
            model, ids, log_probs.detach(), target, loss_step, target_position
        )
        loss = -log_probs[step, target_index]
        grad_hidden, grad_input = timestep_gradient_norms(loss, inputs, offsets)

    def numpy(tensor: torch.Tensor) -> np.ndarray:
        return frozen(tensor.detach()[0].numpy().copy())

    probs = log_probs.detach().exp().numpy()
    next_probability = None
    if model.config.head == "lm":
        next_probability = frozen(probs[np.arange(len(ids) - 1), ids[1:]].astype(float))

    return Trace(
        tokens=list(tokens),
        is_unknown=model.vocab.is_unknown(tokens),
        inputs=frozen(inputs.detach().numpy().copy()),
        hidden=numpy(result["hidden"]),
        cell=numpy(result["cell"]) if result["cell"] is not None else None,
        gates={name: numpy(value) for name, value in result["gates"].items()},
        probs=frozen(probs),
        labels=list(model.labels),
        target=target_index,
        loss_step=step,
        target_position=position,
        next_probability=next_probability,
        loss=float(loss.detach()),
        grad_hidden=frozen(grad_hidden),
        grad_input=frozen(grad_input),
        params=_read_only_params(model),
        arch=model.config.arch,
        head=model.config.head,
        model_name=model.name,
    )
