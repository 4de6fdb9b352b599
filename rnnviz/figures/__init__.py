"""Finished numbers -> Plotly figures, one module a subject. Builders take data (a Trace, a
result of the core, plain numbers) and return a go.Figure; they never run a model, compute a
statistic, cache or know Streamlit, and no module here imports torch or the models.

  base        the palette, token labels and axes, `_figure` (the shared look)
  traces      a trace's steps: hidden states, gates, probabilities, gradients, chosen units
  diagrams    the folded loop and the unrolled network
  outputs     softmax, cross-entropy, reordered sentences, similarities and distances
  memory_charts  accuracy over distance and training, the race, accuracy by design
  signal_charts  the learning signal at initialisation and the memory path
  influence   the influence map, per-step factors, word importance, hidden-state paths
  own         a visitor's training run: loss and accuracy curves
  theme       presentable (projector type) and dark_figure (the dark theme)

The builders and the constants the views use are re-exported here: `figures.hidden_heatmap`."""

from .base import WINDOW, token_window
from .diagrams import loop_diagram, unrolled_diagram
from .influence import (
    factor_chart,
    hidden_paths_chart,
    importance_bars,
    influence_heatmap,
    product_comparison,
)
from .memory_charts import (
    learning_curve_chart,
    memory_accuracy_chart,
    race_chart,
    seed_accuracy_bars,
)
from .outputs import (
    aligned_distance_chart,
    cross_entropy_chart,
    reordering_bars,
    similarity_matrix,
    softmax_chart,
)
from .own import training_curves
from .signal_charts import forget_path_chart, learning_signal_chart, profession_separation_chart
from .theme import DARK_INK, DARK_PAPER, DARK_PLOT, DARK_TEMPLATE, dark_figure, presentable
from .traces import (
    class_probability_lines,
    gate_heatmaps,
    gradient_chart,
    gradient_decay_comparison,
    hidden_heatmap,
    next_word_probability,
    unit_heatmap,
)

__all__ = [
    "DARK_INK",
    "DARK_PAPER",
    "DARK_PLOT",
    "DARK_TEMPLATE",
    "WINDOW",
    "aligned_distance_chart",
    "class_probability_lines",
    "cross_entropy_chart",
    "dark_figure",
    "factor_chart",
    "forget_path_chart",
    "gate_heatmaps",
    "gradient_chart",
    "gradient_decay_comparison",
    "hidden_heatmap",
    "hidden_paths_chart",
    "importance_bars",
    "influence_heatmap",
    "learning_curve_chart",
    "learning_signal_chart",
    "loop_diagram",
    "memory_accuracy_chart",
    "next_word_probability",
    "presentable",
    "product_comparison",
    "profession_separation_chart",
    "race_chart",
    "reordering_bars",
    "seed_accuracy_bars",
    "similarity_matrix",
    "softmax_chart",
    "token_window",
    "training_curves",
    "unit_heatmap",
    "unrolled_diagram",
]
