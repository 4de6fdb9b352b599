"""The who-influences-whom figure builders on real results of shipped models: Plotly's
validation (the builders skip it), what each figure draws, escaping of user text."""

import html

import numpy as np
import pytest

import rnnviz
from rnnviz.figures import influence as figures_influence

SENTENCE = "虽然服务很差但是环境很好"
NAMES = {
    "norms": "σ",
    "product_of_norms": "∏σ",
    "product_norm": "‖∏J‖",
    "cell_norms": "f",
    "cell_product": "∏f",
}


@pytest.fixture(scope="module")
def lstm():
    return rnnviz.load_model("sentiment-lstm")


def test_influence_heatmap_draws_log_values_with_the_step_outlined(lstm):
    influence = rnnviz.influence_map(lstm, SENTENCE)
    figure = figures_influence.influence_heatmap(influence, 4, "m", "t", "s")
    heatmap = figure.data[0]
    steps = len(influence.tokens)
    z = np.array(heatmap.z, dtype=float)  # (s, t): the map transposed, log10
    lower = np.tril_indices(steps)
    np.testing.assert_allclose(z.T[lower], np.log10(influence.values[lower]))
    assert np.all(np.isnan(z.T[np.triu_indices(steps, 1)]))  # blank above the diagonal
    low, high = influence.finite_range()
    assert heatmap.zmin == pytest.approx(np.log10(low))
    assert heatmap.zmax == pytest.approx(np.log10(high))
    outline = [shape for shape in figure.layout.shapes if shape.line.width]
    assert outline[0].x0 == 3.5 and outline[0].x1 == 4.5
    shared = figures_influence.influence_heatmap(
        influence, None, "m", "t", "s", value_range=(1e-6, 1)
    )
    assert (shared.data[0].zmin, shared.data[0].zmax) == (-6, 0)
    assert not shared.layout.shapes


def test_factor_chart_draws_the_lstm_cell_path_and_a_line_at_one(lstm):
    factors = rnnviz.step_factors(rnnviz.trace(lstm, SENTENCE))
    figure = figures_influence.factor_chart(factors, None, "f", NAMES)
    assert [trace.name for trace in figure.data] == ["σ", "∏σ", "‖∏J‖", "f", "∏f"]
    assert figure.data[0].y[0] is None  # no factor before the first token
    np.testing.assert_allclose(figure.data[2].y, factors.product_norm)
    assert figure.layout.yaxis.type == "log"
    assert any(shape.y0 == 1 and shape.y1 == 1 for shape in figure.layout.shapes)
    rnn = rnnviz.step_factors(rnnviz.trace(rnnviz.load_model("sentiment-rnn"), SENTENCE))
    assert len(figures_influence.factor_chart(rnn, None, "f", NAMES).data) == 3


def test_importance_bars_are_ranked_and_coloured_by_sign(lstm):
    result = rnnviz.word_importance(lstm, SENTENCE)
    figure = figures_influence.importance_bars(
        result.tokens, result.scores, result.ranked(), "w", "p", shown=5
    )
    bars = figure.data[0]
    assert len(bars.x) == 5
    magnitudes = [abs(value) for value in bars.x]
    assert magnitudes == sorted(magnitudes, reverse=True)
    for value, color in zip(bars.x, bars.marker.color, strict=True):
        assert color == (figures_influence.POSITIVE if value >= 0 else figures_influence.NEGATIVE)
    top = result.ranked()[0]
    assert bars.y[0] == f"{result.tokens[top]} ({top + 1})"


def test_paths_mark_the_end_and_write_the_variance_kept(lstm):
    traces = [rnnviz.trace(lstm, s) for s in (SENTENCE, "虽然环境很好但是服务很差")]
    paths = rnnviz.hidden_paths(traces)
    figure = figures_influence.hidden_paths_chart(
        paths.paths, paths.tokens, ["1", "2"], paths.explained, "h", ("{share:.0f}%", "b"), "end"
    )
    lines, stars = figure.data[0::2], figure.data[1::2]
    for line, star, path in zip(lines, stars, paths.paths, strict=True):
        np.testing.assert_allclose(line.x, path[:, 0])
        assert star.marker.symbol == "star" and star.x[0] == pytest.approx(path[-1, 0])
    assert figure.layout.xaxis.title.text == f"{100 * paths.explained[0]:.0f}%"


def test_user_text_is_escaped_in_every_influence_figure():
    tokens = ["<b>", "x&y", "<i>"]
    values = np.tril(np.ones((3, 3)))
    influence = rnnviz.InfluenceMap(tokens, values, ["a"] * 3, "classifier", "m")
    figure = figures_influence.influence_heatmap(influence, 0, "m", "t", "s")
    assert (
        "<b>" not in str(figure.to_dict()["layout"]) and "&lt;b&gt;" in figure.layout.xaxis.ticktext
    )
    bars = figures_influence.importance_bars(tokens, np.ones(3), [0, 1, 2], "w", "p")
    assert [html.unescape(row) for row in bars.data[0].y] == ["<b> (1)", "x&y (2)", "<i> (3)"]
    assert "<b>" not in " ".join(bars.data[0].y)
