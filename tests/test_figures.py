"""Figure builders on real traces of a shipped model: trace counts, token tick labels, fixed
colour ranges, escaping of user text."""

import html

import numpy as np
import pytest

import rnnviz
from rnnviz import figures, memory
from rnnviz.equations import step_terms

SENTENCE = "我的职业是程序员，我最擅长的是电脑"


@pytest.fixture(scope="module")
def lstm_trace():
    return rnnviz.trace(rnnviz.load_model("memory-lstm"), SENTENCE)


@pytest.fixture(scope="module")
def rnn_trace():
    return rnnviz.trace(rnnviz.load_model("memory-rnn"), SENTENCE)


def ticks(figure, axis="xaxis"):
    return [html.unescape(t) for t in figure.layout[axis].ticktext]


def test_hidden_heatmap(lstm_trace):
    figure = figures.hidden_heatmap(lstm_trace, step=3)
    assert len(figure.data) == 1
    heatmap = figure.data[0]
    assert (heatmap.zmin, heatmap.zmax) == (-1, 1)
    assert ticks(figure) == lstm_trace.tokens
    np.testing.assert_array_equal(np.array(heatmap.z), lstm_trace.hidden.T)
    # the step is outlined and the unread steps are greyed
    assert [(shape.x0, shape.x1) for shape in figure.layout.shapes] == [
        (2.5, 3.5),
        (3.5, len(lstm_trace.tokens) - 0.5),
    ]


def test_gate_heatmaps(lstm_trace, rnn_trace):
    figure = figures.gate_heatmaps(lstm_trace, step=2)
    assert len(figure.data) == 5  # input, forget, candidate, output, cell
    ranges = [(trace.zmin, trace.zmax) for trace in figure.data]
    assert ranges == [(0, 1), (0, 1), (-1, 1), (0, 1), (-2, 2)]
    assert ticks(figure) == lstm_trace.tokens
    with pytest.raises(ValueError, match="no gates"):
        figures.gate_heatmaps(rnn_trace)


def test_probability_lines(lstm_trace):
    lines = figures.class_probability_lines(lstm_trace, step=4)
    assert len(lines.data) == len(lstm_trace.labels)
    assert ticks(lines) == lstm_trace.tokens
    np.testing.assert_allclose(lines.data[0].y, lstm_trace.probs[:, 0])


def test_gradient_chart_is_log_with_gaps_after_the_loss(rnn_trace):
    figure = figures.gradient_chart(rnn_trace)
    assert figure.layout.yaxis.type == "log"
    assert len(figure.data) == 2
    np.testing.assert_allclose(figure.data[0].y, rnn_trace.grad_hidden)
    assert ticks(figure) == rnn_trace.tokens


def test_language_model_figures():
    trace = rnnviz.trace(rnnviz.load_model("lm-lstm"), SENTENCE)
    figure = figures.next_word_probability(trace)
    position = trace.labels.index("电脑")
    assert figure.data[0].y[-1] == pytest.approx(trace.probs[-2, position])
    # every point: the probability of the token that came next, <unk> for 程序员
    index = {name: i for i, name in enumerate(trace.labels)}
    expected = [
        trace.probs[t, index.get(trace.tokens[t + 1], index["<unk>"])]
        for t in range(len(trace.tokens) - 1)
    ]
    np.testing.assert_allclose(figure.data[0].y, expected, rtol=1e-6)
    gradient = figures.gradient_chart(trace)
    assert gradient.data[0].y[-1] is None  # after the loss step the gradient is 0: not drawn


def test_decay_comparison_relative_to_loss_step(lstm_trace, rnn_trace):
    figure = figures.gradient_decay_comparison({"rnn": rnn_trace, "lstm": lstm_trace})
    assert len(figure.data) == 2 and figure.layout.yaxis.type == "log"
    assert figure.data[0].y[-1] == pytest.approx(1.0)
    assert figure.data[0].x[0] == len(rnn_trace.tokens) - 1
    reference = rnn_trace.grad_hidden[rnn_trace.loss_step]
    np.testing.assert_allclose(
        figure.data[0].y, rnn_trace.grad_hidden[: rnn_trace.loss_step + 1] / reference
    )


def test_unrolled_diagram_labels_every_step(rnn_trace):
    figure = figures.unrolled_diagram(rnn_trace, step=2, window=50)
    texts = list(figure.data[1].text)
    steps = len(rnn_trace.tokens)
    assert texts.count("<i>W</i>") == steps - 1
    assert texts.count("<i>U</i>") == steps and texts.count("<i>V</i>") == steps
    # the token under each column, in order: every token of the sentence, nothing else
    below = [html.unescape(t) for t, y in zip(texts, figure.data[1].y, strict=True) if y < 0]
    assert below == rnn_trace.tokens
    assert len(figure.data[0].x) == 3 * steps - 1  # one arrowhead per U, V and W arrow
    outlined = [shape for shape in figure.layout.shapes if shape.line.width == 3]
    assert {shape.x0 + 0.32 for shape in outlined} == {2}  # only step t is outlined


def test_memory_chart_draws_the_mean_and_band_over_seeds():
    cards = {name: rnnviz.load_model(name).card for name in ("memory-rnn", "memory-lstm")}
    figure = figures.memory_accuracy_chart(memory.accuracy_bands(cards), chance=0.1)
    assert len(figure.data) == 4  # band and mean line per model
    runs = cards["memory-rnn"]["seeds"]
    assert len(runs) >= 5
    distances = sorted(runs[0]["accuracy_by_distance"], key=int)
    table = np.array([[run["accuracy_by_distance"][k] for k in distances] for run in runs])
    band, line = figure.data[0], figure.data[1]
    assert list(line.x) == [int(k) for k in distances]
    np.testing.assert_allclose(line.y, table.mean(axis=0))
    np.testing.assert_allclose(band.y, [*table.max(axis=0), *table.min(axis=0)[::-1]])


def test_learning_curves_draw_the_mean_and_band_over_seeds():
    card = rnnviz.load_model("memory-rnn").card
    figure = figures.learning_curve_chart(memory.curve_bands({"memory-rnn": card}, 30))
    curves = [run["validation_by_step"] for run in card["seeds"]]
    table = np.array([[point["30"] for point in curve] for curve in curves])
    band, line = figure.data
    assert list(line.x) == [point["step"] for point in curves[0]]
    np.testing.assert_allclose(line.y, table.mean(axis=0))
    np.testing.assert_allclose(band.y, [*table.max(axis=0), *table.min(axis=0)[::-1]])


def test_user_text_is_escaped_in_figures():
    vocab = rnnviz.Vocab.build([["a"]], 10)
    model = rnnviz.build_model("rnn", "classifier", vocab, labels=["x", "y"])
    trace = rnnviz.trace(model, ["<b>", "<img src=x onerror=alert(1)>"])
    figure = figures.hidden_heatmap(trace)
    assert list(figure.layout.xaxis.ticktext) == ["&lt;b&gt;", "&lt;img src=x onerror=alert(1)&gt;"]
    assert "<img" not in figure.to_json()


def test_long_sentences_draw_a_window():
    vocab = rnnviz.Vocab.build([["我要"]], 10)
    model = rnnviz.build_model("gru", "classifier", vocab, labels=["x", "y"])
    trace = rnnviz.trace(model, ["我要", "去"] * 500)
    figure = figures.hidden_heatmap(trace, step=700)
    start, end = figures.token_window(1000, 700)
    assert end - start == figures.WINDOW and start <= 700 < end
    assert list(figure.data[0].x) == list(range(start, end))


def test_equation_numbers_rebuild_the_hidden_state(lstm_trace, rnn_trace):
    for trace in (lstm_trace, rnn_trace):
        for step in (0, 5, len(trace.tokens) - 1):
            rows = step_terms(trace, step, [0, 1, 2])
            np.testing.assert_allclose(
                [row["h"] for row in rows], trace.hidden[step, :3], atol=1e-5
            )
    rows = step_terms(rnn_trace, 3, [0])
    assert rows[0]["pre"] == pytest.approx(rows[0]["Ux"] + rows[0]["Wh"] + rows[0]["b"])


def test_equation_numbers_for_every_architecture(classifier):
    trace = rnnviz.trace(classifier, "我要去打篮球，今天")
    for step in range(len(trace.tokens)):
        rows = step_terms(trace, step, [0, 1, 2])
        np.testing.assert_allclose([row["h"] for row in rows], trace.hidden[step, :3], atol=1e-5)


def test_the_gru_line_is_dashed_so_the_lstm_line_under_it_shows():
    from rnnviz.vanishing import learning_signal

    names = ("memory-rnn", "memory-lstm", "memory-gru")
    cards = {name: rnnviz.load_model(name).card for name in names}
    curves = learning_signal(seeds=(0,), prompts=1)
    for figure in (
        figures.learning_curve_chart(memory.curve_bands(cards, 30)),
        figures.memory_accuracy_chart(memory.accuracy_bands(cards)),
        figures.learning_signal_chart(curves, {arch: arch for arch in curves}),
    ):
        lines = {line.name: line for line in figure.data if line.mode == "lines+markers"}
        dashes = {name.split("-")[-1]: line.line.dash for name, line in lines.items()}
        assert dashes == {"rnn": "solid", "lstm": "solid", "gru": "dash"}
        assert lines[next(n for n in lines if n.endswith("gru"))].marker.symbol == "diamond-open"
        assert all(line.showlegend is not False for line in lines.values())


def test_seed_accuracy_bars_draw_means_with_lowest_and_highest_seed():
    designs = {
        "last": {"position": (0.24, 0.18, 0.28), "rnn": (0.26, 0.22, 0.32)},
        "carry": {"position": (0.22, 0.07, 0.29), "rnn": (0.70, 0.52, 0.88)},
    }
    figure = figures.seed_accuracy_bars(
        ["position", "rnn"], designs, 0.25, "chance", names={"position": "position-wise"}
    )
    figure.to_dict()  # valid for Plotly (a go.Figure validates on construction)
    carry = figure.data[1]
    assert list(carry.x) == ["position-wise", "rnn"] and list(carry.y) == [0.22, 0.70]
    assert list(carry.error_y.array) == pytest.approx([0.07, 0.18])
    assert list(carry.error_y.arrayminus) == pytest.approx([0.15, 0.18])
    chance = figure.data[-1]
    assert list(chance.y) == [0.25, 0.25] and chance.name == "chance 25%"
