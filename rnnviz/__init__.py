"""rnnviz: see inside a recurrent neural network as it reads a sentence.

Public API (see README): tokenize, list_models, load_model, trace, Trace, build_model, Vocab,
reorder, compare.
"""

from .checkpoint import CheckpointError, list_models, load_model, untrained_like
from .compare import Comparison, align, compare, cosine_similarity, join_tokens, reorder
from .models import ARCHITECTURES, HEADS, ModelConfig, RecurrentModel, build_model
from .tokens import MAX_CHARS, MAX_TOKENS, Vocab, tokenize
from .tracing import Trace, trace

__all__ = [
    "ARCHITECTURES",
    "HEADS",
    "MAX_CHARS",
    "MAX_TOKENS",
    "CheckpointError",
    "Comparison",
    "ModelConfig",
    "RecurrentModel",
    "Trace",
    "Vocab",
    "align",
    "build_model",
    "compare",
    "cosine_similarity",
    "join_tokens",
    "list_models",
    "load_model",
    "reorder",
    "tokenize",
    "trace",
    "untrained_like",
]
