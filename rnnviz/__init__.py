"""rnnviz: see inside a recurrent neural network as it reads a sentence.

Public API (see README): tokenize, list_models, load_model, trace, Trace, build_model, Vocab,
reorder, compare, rank_reorderings.
"""

from .checkpoint import CheckpointError, list_models, load_model, untrained_like
from .compare import (
    Comparison,
    Reordering,
    align,
    compare,
    cosine_similarity,
    join_tokens,
    rank_reorderings,
    reorder,
)
from .models import ARCHITECTURES, HEADS, ModelConfig, RecurrentModel, build_model
from .tokens import MAX_CHARS, MAX_TOKENS, Vocab, tokenize
from .tracing import TargetChoice, Trace, target_choices, token_mode, trace

__all__ = [
    "ARCHITECTURES",
    "HEADS",
    "MAX_CHARS",
    "MAX_TOKENS",
    "CheckpointError",
    "Comparison",
    "Reordering",
    "ModelConfig",
    "RecurrentModel",
    "TargetChoice",
    "Trace",
    "Vocab",
    "align",
    "build_model",
    "compare",
    "cosine_similarity",
    "join_tokens",
    "list_models",
    "load_model",
    "rank_reorderings",
    "reorder",
    "target_choices",
    "token_mode",
    "tokenize",
    "trace",
    "untrained_like",
]
