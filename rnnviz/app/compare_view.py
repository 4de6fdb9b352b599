"""View 2, compare sentences side by side: the same model reads 2-4 sentences (reorderings of
the first one a click away), with the bag-of-words network beside it."""

from __future__ import annotations

import numpy as np
import streamlit as st

from rnnviz import compare, cosine_similarity, figures, join_tokens, reorder

from . import common
from .controls import model_picker, sentence_input
from .i18n import text
from .inputs import escape_markdown, read_sentence
from .resources import ModelKey, get_trace, model_names, model_problem

SLOTS = 4
BOW_MODEL = "sentiment-bow"


def _reorder_first(how: str, language: str) -> None:
    """Write a reordering of sentence 1 into the last shown sentence box."""
    reading = read_sentence(
        st.session_state.get("c1", ""), st.session_state.get("mode", "word"), language
    )
    if reading.tokens is None:
        return
    tokens = list(reading.tokens)
    seed = st.session_state.get("shuffle_seed", 0) + 1
    st.session_state["shuffle_seed"] = seed
    if how == "swap" and len(tokens) < 2:
        return
    arguments = {
        "move_to_end": {"index": 0},
        "swap": {"index": 0, "other": 1},
        "shuffle": {"seed": seed},
    }.get(how, {})
    # Spaces keep the word boundaries: jieba would segment 打篮球去我要 differently from the
    # reordered tokens, and the comparison would no longer be of the same words.
    st.session_state[f"c{st.session_state.get('n', 2)}"] = " ".join(
        reorder(tokens, how, **arguments)
    )


def _reorder_buttons(language: str) -> None:
    st.caption(text("reorder", language))
    columns = st.columns(4)
    for column, (how, label) in zip(
        columns,
        (
            ("reverse", "reverse"),
            ("move_to_end", "move_end"),
            ("swap", "swap"),
            ("shuffle", "shuffle"),
        ),
        strict=True,
    ):
        column.button(
            text(label, language),
            key=f"reorder_{how}",
            on_click=_reorder_first,
            args=(how, language),
            width="stretch",
        )


def _prediction(trace) -> tuple[str, float]:
    index = trace.prediction
    return trace.labels[index], float(trace.probs[-1, index])


def _summary(traces, key: ModelKey, language: str) -> None:
    st.subheader(text("summary", language))
    names = [text("sentence_n", language, n=slot) for slot, _ in traces]
    only = [trace for _, trace in traces]
    left, right = st.columns(2)
    with left:
        matrix = np.array(
            [[cosine_similarity(a.hidden[-1], b.hidden[-1]) for b in only] for a in only]
        )
        common.chart(figures.similarity_matrix(names, matrix, text("cosine", language)))
    with right:
        st.markdown(f"**{text('prediction_table', language)}**")
        rows = []
        for (_slot, trace), name in zip(traces, names, strict=True):
            label, probability = _prediction(trace)
            rows.append(
                {
                    text("col_sentence", language): name,
                    text("sentence", language): join_tokens(trace.tokens),
                    text("col_prediction", language): label,
                    text("col_probability", language): round(probability, 4),
                }
            )
        st.dataframe(rows, hide_index=True, width="stretch")
        spread = max(float(np.max(np.abs(a.probs[-1] - only[0].probs[-1]))) for a in only)
        st.write(text("rnn_differ", language, rnn=key.name, diff=spread))
    first = only[0]
    comparisons = [compare(first, other) for other in only[1:]]
    common.chart(
        figures.aligned_distance_chart(
            names[1:],
            [c.aligned_distance for c in comparisons],
            [[first.tokens[i] for i, _ in c.aligned] for c in comparisons],
            text("delta_h", language),
        )
    )
    _bag_of_words(traces, key, language)


def _bag_of_words(traces, key: ModelKey, language: str) -> None:
    if BOW_MODEL not in model_names() or key.name == BOW_MODEL or model_problem(BOW_MODEL):
        return
    st.markdown(f"**{text('bow_beside', language, rnn=key.name)}**")
    bow_traces = [get_trace(ModelKey(BOW_MODEL), tuple(trace.tokens)) for _, trace in traces]
    rows = []
    for (slot, trace), bow in zip(traces, bow_traces, strict=True):
        row = {text("col_sentence", language): text("sentence_n", language, n=slot)}
        for model_name, result in ((key.name, trace), (BOW_MODEL, bow)):
            label, probability = _prediction(result)
            row[model_name] = f"{label} {probability:.6f}"
        rows.append(row)
    st.dataframe(rows, hide_index=True, width="stretch")
    difference = max(
        float(np.max(np.abs(b.probs[-1] - bow_traces[0].probs[-1]))) for b in bow_traces
    )
    if difference < 1e-5:
        st.success(text("bow_equal", language, diff=difference))
    else:
        st.info(text("bow_differ", language, diff=difference))


def _side_by_side(traces, language: str) -> None:
    """One column per sentence, in rows (tokens, hidden states, probabilities) so that the
    charts line up, each row's title written once above it."""
    labels = max(3, 16 // len(traces))  # room for token labels in a column
    st.caption(text("tokens", language))
    for column, (slot, trace) in zip(st.columns(len(traces)), traces, strict=True):
        with column:
            common.show_tokens(
                trace, language, heading=text("sentence_n", language, n=slot), legend=False
            )
    st.markdown(f"**{escape_markdown(text('hidden', language))}**")
    last = traces[-1][0]
    for column, (slot, trace) in zip(st.columns(len(traces)), traces, strict=True):
        with column:
            figure = figures.hidden_heatmap(trace, None, "", unit_title="", max_labels=labels)
            # One colour bar, on the last column: in narrow columns each took a third of the plot.
            figure.update_traces(showscale=slot == last)
            common.chart(figure, key=f"compare_hidden_{slot}")
    lm = traces[0][1].head == "lm"
    st.markdown(f"**{escape_markdown(text('next_word_line' if lm else 'class_lines', language))}**")
    probability = {"probability_title": text("axis_p", language), "max_labels": labels}
    for column, (slot, trace) in zip(st.columns(len(traces)), traces, strict=True):
        with column:
            if lm and len(trace.tokens) > 1:
                figure = figures.next_word_probability(trace, None, "", **probability)
                common.chart(figure, key=f"compare_p_{slot}")
            elif not lm:
                figure = figures.class_probability_lines(trace, None, "", **probability)
                common.chart(figure, key=f"compare_p_{slot}")
            label, value = _prediction(trace)
            st.metric(
                text("prediction", language),
                label,
                f"p = {value:.3f}",
                delta_color="off",
                delta_arrow="off",
            )


def render(language: str, known) -> None:
    st.caption(text("compare_intro", language))
    left, right = st.columns([3, 1])
    with left:
        key = model_picker(language, model_names(), key="cmodel", allow_untrained=False)
    with right:
        count = st.segmented_control(text("count", language), [2, 3, 4], key="n", required=True)
    _reorder_buttons(language)
    if common.model_unavailable(key.name, language):
        return
    sentences = []
    for first in range(1, count + 1, 2):  # two boxes a row: four stacked pushed charts down
        slots = range(first, min(first + 2, count + 1))
        for column, slot in zip(st.columns(2)[: len(slots)], slots, strict=True):
            with column:
                label = text("sentence_n", language, n=slot)
                sentences.append(sentence_input(f"c{slot}", language, label))

    mode = st.session_state.get("mode", "word")
    traces = []
    for slot, sentence in enumerate(sentences, start=1):
        reading = read_sentence(sentence, mode, language)
        if common.show_reading_messages(reading):
            traces.append((slot, get_trace(key, reading.tokens)))
    if not traces:
        return
    _side_by_side(traces, language)
    if len(traces) >= 2:
        _summary(traces, key, language)
