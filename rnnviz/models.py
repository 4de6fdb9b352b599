"""The five architectures (Elman RNN, LSTM, GRU, bag-of-words, position-wise) behind one
interface, each with a classifier or language-model head. Parameters carry the article's
names: input weights U, recurrent weights W, bias b, output weights V and output bias c (the
gated cells' rows stacked as registry.GATE_NAMES says). This file computes; it does not
trace, save or draw."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import torch
from torch import nn

from .registry import ARCHITECTURES, GATE_NAMES, gate_blocks
from .tokens import MODES, Vocab

HEADS = ("classifier", "lm")
# The position-wise network has one weight block U_s per input position s = 1 … POSITIONS;
# a token after the last block has no weights and is not read.
POSITIONS = 12


@dataclass(frozen=True)
class ModelConfig:
    """Everything needed to rebuild a model's shape; saved next to its weights."""

    arch: str
    head: str
    vocab_size: int
    num_outputs: int
    embed_size: int = 32
    hidden_size: int = 64
    token_mode: str = "word"

    def __post_init__(self) -> None:
        if self.arch not in ARCHITECTURES:
            raise ValueError(
                f"Unknown architecture {self.arch!r}; valid: {', '.join(ARCHITECTURES)}."
            )
        if self.head not in HEADS:
            raise ValueError(f"Unknown head {self.head!r}; valid: {', '.join(HEADS)}.")
        if self.token_mode not in MODES:
            raise ValueError(f"Unknown token mode {self.token_mode!r}; valid: {', '.join(MODES)}.")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _uniform(shape: tuple[int, ...], bound: float, generator: torch.Generator) -> nn.Parameter:
    return nn.Parameter(torch.empty(shape).uniform_(-bound, bound, generator=generator))


class ElmanCell(nn.Module):
    """h_t = tanh(U x_t + W h_{t-1} + b)."""

    def __init__(self, embed_size: int, hidden_size: int, generator: torch.Generator) -> None:
        super().__init__()
        bound = 1 / math.sqrt(hidden_size)
        self.U = _uniform((hidden_size, embed_size), bound, generator)
        self.W = _uniform((hidden_size, hidden_size), bound, generator)
        self.b = _uniform((hidden_size,), bound, generator)

    def project_inputs(self, inputs: torch.Tensor) -> torch.Tensor:
        return inputs @ self.U.T + self.b  # (B, T, H)

    def step(self, projected, hidden, cell, count):
        hidden = torch.tanh(projected + hidden @ self.W.T)
        return hidden, None, {}


class LSTMCell(nn.Module):
    """Gates stacked as in torch.nn.LSTM (registry.GATE_NAMES: input, forget, candidate, output):
    [i f g o] = U x_t + W h_{t-1} + b; c_t = f*c_{t-1} + i*g; h_t = o*tanh(c_t)."""

    def __init__(self, embed_size: int, hidden_size: int, generator: torch.Generator) -> None:
        super().__init__()
        bound = 1 / math.sqrt(hidden_size)
        self.U = _uniform((4 * hidden_size, embed_size), bound, generator)
        self.W = _uniform((4 * hidden_size, hidden_size), bound, generator)
        self.b = _uniform((4 * hidden_size,), bound, generator)

    def project_inputs(self, inputs: torch.Tensor) -> torch.Tensor:
        return inputs @ self.U.T + self.b  # (B, T, 4H)

    def step(self, projected, hidden, cell, count):
        pre = gate_blocks("lstm", projected + hidden @ self.W.T, axis=-1)
        input_gate = torch.sigmoid(pre["input"])
        forget_gate = torch.sigmoid(pre["forget"])
        candidate = torch.tanh(pre["candidate"])
        output_gate = torch.sigmoid(pre["output"])
        cell = forget_gate * cell + input_gate * candidate
        hidden = output_gate * torch.tanh(cell)
        gates = {
            "input": input_gate,
            "forget": forget_gate,
            "candidate": candidate,
            "output": output_gate,
        }
        return hidden, cell, gates


class GRUCell(nn.Module):
    """As torch.nn.GRU: r = σ(U_r x + b_r + W_r h + b_hidden_r), z likewise,
    n = tanh(U_n x + b_n + r*(W_n h + b_hidden_n)), h_t = (1-z)*n + z*h_{t-1}."""

    def __init__(self, embed_size: int, hidden_size: int, generator: torch.Generator) -> None:
        super().__init__()
        bound = 1 / math.sqrt(hidden_size)
        self.U = _uniform((3 * hidden_size, embed_size), bound, generator)
        self.W = _uniform((3 * hidden_size, hidden_size), bound, generator)
        self.b = _uniform((3 * hidden_size,), bound, generator)
        self.b_hidden = _uniform((3 * hidden_size,), bound, generator)

    def project_inputs(self, inputs: torch.Tensor) -> torch.Tensor:
        return inputs @ self.U.T + self.b  # (B, T, 3H)

    def step(self, projected, hidden, cell, count):
        read = gate_blocks("gru", projected, axis=-1)
        recurrent = gate_blocks("gru", hidden @ self.W.T + self.b_hidden, axis=-1)
        reset = torch.sigmoid(read["reset"] + recurrent["reset"])
        update = torch.sigmoid(read["update"] + recurrent["update"])
        candidate = torch.tanh(read["candidate"] + reset * recurrent["candidate"])
        hidden = (1 - update) * candidate + update * hidden
        return hidden, None, {"reset": reset, "update": update, "candidate": candidate}


class BagOfWordsCell(nn.Module):
    """The traditional network: h_t = tanh(U mean(x_1..x_t) + b). Order-blind by construction;
    `cell` carries the running sum of inputs, never a memory of their order."""

    def __init__(self, embed_size: int, hidden_size: int, generator: torch.Generator) -> None:
        super().__init__()
        bound = 1 / math.sqrt(embed_size)
        self.U = _uniform((hidden_size, embed_size), bound, generator)
        self.b = _uniform((hidden_size,), bound, generator)

    def project_inputs(self, inputs: torch.Tensor) -> torch.Tensor:
        return inputs

    def step(self, projected, hidden, cell, count):
        running_sum = projected if cell is None else cell + projected
        hidden = torch.tanh((running_sum / count) @ self.U.T + self.b)
        return hidden, running_sum, {}


class PositionCell(nn.Module):
    """The article's traditional network: one weight block U_s per input position s,
    h_t = tanh(U_1 x_1 + … + U_t x_t + b). After the last token it is a feed-forward layer over
    the sentence padded with zeros to POSITIONS tokens; nothing learned at one position is used
    at another. `cell` carries the running sum, never a memory of its own."""

    def __init__(self, embed_size: int, hidden_size: int, generator: torch.Generator) -> None:
        super().__init__()
        bound = 1 / math.sqrt(hidden_size)
        self.U = _uniform((POSITIONS, hidden_size, embed_size), bound, generator)
        self.b = _uniform((hidden_size,), bound, generator)

    def project_inputs(self, inputs: torch.Tensor) -> torch.Tensor:
        """inputs (B, T, E) -> U_t x_t (B, T, H), zero for t past the last block."""
        steps = min(inputs.shape[1], POSITIONS)
        projected = torch.einsum("bte,the->bth", inputs[:, :steps], self.U[:steps])
        return nn.functional.pad(projected, (0, 0, 0, inputs.shape[1] - steps))

    def step(self, projected, hidden, cell, count):
        running_sum = projected if cell is None else cell + projected
        return torch.tanh(running_sum + self.b), running_sum, {}


_CELLS = {
    "rnn": ElmanCell,
    "lstm": LSTMCell,
    "gru": GRUCell,
    "bow": BagOfWordsCell,
    "position": PositionCell,
}


@dataclass(frozen=True)
class ModelInfo:
    """What a model knows about itself besides its weights: the name it ships under and its card.
    Given at construction and never replaced: a loaded model is shared by every session."""

    name: str = "untrained"
    card: dict[str, Any] = field(default_factory=dict)


class RecurrentModel(nn.Module):
    """embedding -> cell, step by step -> y_t = softmax(V h_t + c) after every token."""

    def __init__(
        self,
        config: ModelConfig,
        vocab: Vocab,
        labels: list[str],
        seed: int = 0,
        info: ModelInfo | None = None,
    ) -> None:
        super().__init__()
        if len(vocab) != config.vocab_size:
            raise ValueError(f"Vocab has {len(vocab)} tokens, config says {config.vocab_size}.")
        if len(labels) != config.num_outputs:
            raise ValueError(f"{len(labels)} labels for {config.num_outputs} outputs.")
        self.config = config
        self.vocab = vocab
        self.labels = list(labels)
        self.info = info if info is not None else ModelInfo()
        generator = torch.Generator().manual_seed(seed)
        self.embedding = nn.Embedding(config.vocab_size, config.embed_size, padding_idx=0)
        with torch.no_grad():
            self.embedding.weight.normal_(generator=generator)
            self.embedding.weight[0].zero_()
        self.cell = _CELLS[config.arch](config.embed_size, config.hidden_size, generator)
        bound = 1 / math.sqrt(config.hidden_size)
        self.V = _uniform((config.num_outputs, config.hidden_size), bound, generator)
        self.c = nn.Parameter(torch.zeros(config.num_outputs))

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def card(self) -> dict[str, Any]:
        return self.info.card

    def run(
        self,
        inputs: torch.Tensor,
        hidden_offsets: torch.Tensor | None = None,
        every_output: bool = True,
    ) -> dict:
        """Read a batch of embedded sentences, keeping every step.

        inputs: (B, T, E) the x_t; hidden_offsets: (B, T, H) added to each h_t as it is made
        (zeros whose gradient is dL/dh_t, or a finite nudge in a test).
        Returns hidden (B, T, H), cell (B, T, H) or None, gates name -> (B, T, H),
        logits (B, T, C); with every_output=False only the last step's, (B, 1, C): a batch of
        long sentences read by a language model would otherwise hold B x T x vocabulary floats.
        """
        batch, steps, _ = inputs.shape
        hidden = inputs.new_zeros(batch, self.config.hidden_size)
        cell = None if self.config.arch != "lstm" else hidden
        # unbind once: indexing [:, t] in the loop would give every step a full-size gradient
        # buffer in backward, O(T^2) for long sentences.
        projected = self.cell.project_inputs(inputs).unbind(1)
        offsets = hidden_offsets.unbind(1) if hidden_offsets is not None else None
        hiddens, cells = [], []
        gates: dict[str, list[torch.Tensor]] = {name: [] for name in GATE_NAMES[self.config.arch]}
        for t in range(steps):
            hidden, cell, step_gates = self.cell.step(projected[t], hidden, cell, t + 1)
            if offsets is not None:
                hidden = hidden + offsets[t]
            hiddens.append(hidden)
            if self.config.arch == "lstm":
                cells.append(cell)
            for gate_name, value in step_gates.items():
                gates[gate_name].append(value)
        hidden_all = torch.stack(hiddens, dim=1)  # (B, T, H)
        return {
            "hidden": hidden_all,
            "cell": torch.stack(cells, dim=1) if cells else None,
            "gates": {name: torch.stack(values, dim=1) for name, values in gates.items()},
            "logits": (hidden_all if every_output else hidden_all[:, -1:]) @ self.V.T + self.c,
        }

    def forward(self, ids: torch.Tensor, dropout: float = 0.0) -> torch.Tensor:
        """ids (B, T) -> logits (B, T, C), with optional dropout on the word vectors x_t.
        Used in training; tracing uses run()."""
        inputs = self.embedding(ids)
        if dropout:
            inputs = nn.functional.dropout(inputs, dropout, training=True)
        return self.run(inputs)["logits"]

    def parameters_by_name(self) -> dict[str, torch.Tensor]:
        """The article's parameters (no embedding table): U, W, b, ..., V, c."""
        named = {name: p for name, p in self.cell.named_parameters()}
        named["V"] = self.V
        named["c"] = self.c
        return named


def build_model(
    arch: str,
    head: str,
    vocab: Vocab,
    labels: list[str] | None = None,
    embed_size: int = 32,
    hidden_size: int = 64,
    seed: int = 0,
    token_mode: str = "word",
    name: str | None = None,
) -> RecurrentModel:
    """A model with random weights drawn from `seed` (same seed, same weights), in eval mode.
    For the lm head the labels are the vocabulary. `name` defaults to "untrained-<arch> (seed
    <seed>)"."""
    if head == "lm":
        labels = list(vocab.itos)
    if not labels:
        raise ValueError("A classifier needs its class labels.")
    config = ModelConfig(
        arch=arch,
        head=head,
        vocab_size=len(vocab),
        num_outputs=len(labels),
        embed_size=embed_size,
        hidden_size=hidden_size,
        token_mode=token_mode,
    )
    info = ModelInfo(name=name if name is not None else f"untrained-{arch} (seed {seed})")
    return RecurrentModel(config, vocab, labels, seed=seed, info=info).eval()


def with_spectral_radius(model: RecurrentModel, radius: float) -> RecurrentModel:
    """A copy of an Elman model whose W is rescaled to the given spectral radius
    (largest |eigenvalue|): below 1 gradients shrink step by step, above 1 they can grow."""
    if model.config.arch != "rnn":
        raise ValueError("Rescaling W is defined for the Elman RNN only.")
    if not 0 < radius <= 10:
        raise ValueError("The spectral radius must be in (0, 10].")
    state = {key: value.detach().clone() for key, value in model.state_dict().items()}
    state["cell.W"] = state["cell.W"] * (radius / spectral_radius(state["cell.W"]))
    info = ModelInfo(name=f"{model.name}, W radius {radius:g}", card=dict(model.card))
    scaled = RecurrentModel(model.config, model.vocab, model.labels, info=info)
    scaled.load_state_dict(state)
    # As read-only as its source: a rescaled shared model is shared too.
    scaled.requires_grad_(model.V.requires_grad)
    return scaled.eval()


def spectral_radius(matrix: torch.Tensor) -> float:
    return float(torch.linalg.eigvals(matrix.detach().double()).abs().max())
