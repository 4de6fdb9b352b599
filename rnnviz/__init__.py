"""rnnviz: see inside a recurrent neural network as it reads a sentence.

Public API (see README): tokenize, list_models, load_model, trace, Trace, build_model, Vocab,
reorder, compare, rank_reorderings, influence, step_factors, word_importance, hidden_paths,
train_classifier, load_checkpoint, checkpoint_bytes.
It defines nothing: every name is re-exported from the module that owns it.
"""

from .attribution import WordImportance, word_importance
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
from .influencing import InfluenceMap, StepFactors, influence, influence_map, step_factors
from .labelled import LabelledDataError, RefusedInput, parse_pairs
from .models import ARCHITECTURES, HEADS, ModelConfig, RecurrentModel, build_model
from .own_model import checkpoint_bytes, load_checkpoint, train_classifier
from .projection import HiddenPaths, hidden_paths
from .tokens import MAX_CHARS, MAX_TOKENS, Vocab, tokenize
from .tracing import TargetChoice, Trace, target_choices, token_mode, trace

__all__ = [
    "ARCHITECTURES",
    "HEADS",
    "MAX_CHARS",
    "MAX_TOKENS",
    "CheckpointError",
    "Comparison",
    "HiddenPaths",
    "InfluenceMap",
    "LabelledDataError",
    "RefusedInput",
    "Reordering",
    "ModelConfig",
    "RecurrentModel",
    "StepFactors",
    "TargetChoice",
    "Trace",
    "Vocab",
    "WordImportance",
    "align",
    "build_model",
    "checkpoint_bytes",
    "compare",
    "cosine_similarity",
    "hidden_paths",
    "influence",
    "influence_map",
    "join_tokens",
    "list_models",
    "load_checkpoint",
    "load_model",
    "parse_pairs",
    "rank_reorderings",
    "reorder",
    "step_factors",
    "target_choices",
    "token_mode",
    "tokenize",
    "trace",
    "train_classifier",
    "untrained_like",
    "word_importance",
]
