"""View 2, compare sentences side by side: the same model reads 2-4 sentences. The punchline
comes first (each sentence's prediction beside the bag-of-words network's), then the
reorderings of sentence 1 that change the model most, then each sentence's pictures. Every
number comes from rnnviz.compare; this module only reads controls and draws."""

from __future__ import annotations

import streamlit as st

from rnnviz import Reordering, compare, figures, join_tokens, reorder
from rnnviz.compare import (
    beyond_rounding,
    largest_change,
    largest_group_change,
    predictions,
    same_word_groups,
    similarity_matrix,
)

from .. import common
from ..chart_cache import recipe
from ..controls import ComparePreset, compare_presets, model_picker, sentence_input
from ..i18n import text
from ..inputs import escape_markdown, read_sentence
from ..resources import (
    ModelKey,
    get_ranking_limit,
    get_reorderings,
    get_trace,
    model_mode,
    model_names,
    model_problem,
)
from . import influence

RANKED_SHOWN = 5


def _last_box() -> str:
    return f"c{st.session_state.get('n', 2)}"


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
    st.session_state[_last_box()] = " ".join(reorder(tokens, how, **arguments))


def _use_reordering(tokens: tuple[str, ...]) -> None:
    st.session_state[_last_box()] = " ".join(tokens)


def _use_preset(preset: ComparePreset) -> None:
    st.session_state["cmodel"] = preset.model
    st.session_state["mode"] = preset.mode
    st.session_state["n"] = len(preset.sentences)
    for slot, sentence in enumerate(preset.sentences, start=1):
        st.session_state[f"c{slot}"] = sentence


def _presets(language: str) -> None:
    presets = compare_presets(model_names())
    st.caption(text("presets", language))
    for column, preset in zip(st.columns(len(presets)), presets, strict=True):
        column.button(
            text(preset.key, language),
            key=f"preset_{preset.key}",
            on_click=_use_preset,
            args=(preset,),
            help=text(
                "preset_help" if len(preset.sentences) == 2 else "preset_help_many",
                language,
                model=preset.model,
            ),
            width="stretch",
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


# The networks put beside the chosen one in the prediction table, when its task ships them:
# the article's traditional network (one weight block per position) and the bag of words.
BESIDE = ("position", "bow")


def _beside(key: ModelKey) -> list[str]:
    """The same task's position-wise and bag-of-words models that exist and load."""
    task = key.name.split("-")[0]
    names = [f"{task}-{arch}" for arch in BESIDE]
    return [
        name
        for name in names
        if name != key.name and name in model_names() and model_problem(name) is None
    ]


def _output_name(label: str, language: str) -> str:
    """An output as the page names it: a language model's <unk> is said to be a word it does
    not know, not shown as if it were a word."""
    return text("unk_output", language) if label == "<unk>" else label


def _punchline(traces, key: ModelKey, language: str) -> None:
    """The prediction table, with the bag-of-words network's beside it when it reads the
    same task: what changed and what could not. Few, short columns (sentence number, model,
    bag of words) so that a phone shows the bag-of-words column; the sentences are listed in
    a caption under the table."""
    only = [trace for _, trace in traces]
    beside = {
        name: [get_trace(ModelKey(name), tuple(trace.tokens)) for trace in only]
        for name in _beside(key)
    }
    bow_model = next((name for name in beside if name.endswith("-bow")), None)
    show_bow = bow_model is not None
    bow_traces = beside.get(bow_model, [])
    st.subheader(text("prediction_table", language))
    rows = []
    for index, ((slot, _), row) in enumerate(zip(traces, predictions(only), strict=True)):
        line = {
            text("col_sentence", language): slot,
            key.name: f"{_output_name(row.label, language)} {row.probability:.3f}",
        }
        for name, other in beside.items():
            prediction = predictions([other[index]])[0]
            line[name] = f"{prediction.label} {prediction.probability:.3f}"
        rows.append(line)
    st.dataframe(rows, hide_index=True, width="stretch")
    listed = [
        text("prediction_sentences", language, n=slot, sentence=join_tokens(trace.tokens))
        for slot, trace in traces
    ]
    st.caption(escape_markdown(" · ".join(listed)))
    st.write(text("rnn_differ", language, rnn=key.name, diff=largest_change(only)))
    if only[0].head == "lm":
        st.caption(text("lm_order_note", language))
    if show_bow:
        # the bag of words can only be compared on sentences made of the same words
        groups = same_word_groups([trace.tokens for trace in only])
        if not groups:
            st.info(text("bow_differ", language, diff=largest_change(bow_traces)))
            return
        difference = largest_group_change(bow_traces, groups)
        names = text("bow_group_separator", language).join(
            " = ".join(str(traces[i][0]) for i in group) for group in groups
        )
        if beyond_rounding(difference):
            key = "bow_group_differ"
        elif len(groups) == 1 and len(groups[0]) == len(only):
            key = "bow_equal"
        else:
            key = "bow_equal_groups"
        st.success(text(key, language, diff=difference, groups=names))


def _describe(item: Reordering, tokens: tuple[str, ...], language: str) -> str:
    moved = escape_markdown(tokens[item.first])
    if item.how == "swap":
        return text("ranked_swap", language, a=moved, b=escape_markdown(tokens[item.second]))
    return text("ranked_move", language, a=moved, n=item.second + 1)


def _ranked(first, key: ModelKey, language: str) -> None:
    """The single moves and swaps of sentence 1 that change the model's output most."""
    st.subheader(text("ranked_title", language, model=key.name))
    tokens = tuple(first.tokens)
    limit = get_ranking_limit(key)
    if len(tokens) > limit:
        st.caption(text("ranked_too_long", language, count=len(tokens), limit=limit))
        return
    ranked: list[Reordering] = get_reorderings(key, tokens, RANKED_SHOWN)
    if not ranked:
        st.info(text("ranked_none", language))
        return
    if not beyond_rounding(ranked[0].effect):
        st.success(text("ranked_zero", language, model=key.name, max=ranked[0].effect))
        return
    if first.head == "lm":
        st.caption(text("ranked_note_lm", language, count=len(first.labels)))
    else:
        st.caption(text("ranked_note", language))
    for index, item in enumerate(ranked):
        sentence, move = st.columns([3, 2], vertical_alignment="center")
        sentence.button(
            escape_markdown(join_tokens(item.tokens)),
            key=f"ranked_{index}",
            on_click=_use_reordering,
            args=(item.tokens,),
            width="stretch",
        )
        move.markdown(
            text(
                "ranked_effect",
                language,
                how=_describe(item, tokens, language),
                effect=item.effect,
                label=escape_markdown(_output_name(first.labels[item.prediction], language)),
                p=item.probability,
            )
        )


def _hidden(trace, labels: int, scale: bool):
    """A column's hidden-state heat map, its colour bar only where `scale`."""
    figure = figures.hidden_heatmap(trace, None, "", unit_title="", max_labels=labels)
    return figure.update_traces(showscale=scale)


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
            # One colour bar, on the last column: in narrow columns each took a third of the plot.
            figure = recipe(_hidden, trace, labels, slot == last)
            common.chart(figure, key=f"compare_hidden_{slot}")
    lm = traces[0][1].head == "lm"
    st.markdown(f"**{escape_markdown(text('next_word_line' if lm else 'class_lines', language))}**")
    probability = {"probability_title": text("axis_p", language), "max_labels": labels}
    for column, (slot, trace) in zip(st.columns(len(traces)), traces, strict=True):
        with column:
            if lm and len(trace.tokens) > 1:
                figure = recipe(figures.next_word_probability, trace, None, "", **probability)
                common.chart(figure, key=f"compare_p_{slot}")
            elif not lm:
                figure = recipe(figures.class_probability_lines, trace, None, "", **probability)
                common.chart(figure, key=f"compare_p_{slot}")
            row = predictions([trace])[0]
            label, value = _output_name(row.label, language), row.probability
            st.metric(
                text("prediction", language),
                label,
                f"p = {value:.3f}",
                delta_color="off",
                delta_arrow="off",
            )


def _distances(traces, language: str) -> None:
    names = [text("sentence_n", language, n=slot) for slot, _ in traces]
    only = [trace for _, trace in traces]
    left, right = st.columns(2)
    with left:
        common.chart(
            recipe(
                figures.similarity_matrix, names, similarity_matrix(only), text("cosine", language)
            )
        )
    first = only[0]
    comparisons = [compare(first, other) for other in only[1:]]
    with right:
        common.chart(
            recipe(
                figures.aligned_distance_chart,
                names[1:],
                [c.aligned_distance for c in comparisons],
                [[first.tokens[i] for i, _ in c.aligned] for c in comparisons],
                text("delta_h", language),
            )
        )


def render(language: str, known) -> None:
    st.caption(text("compare_intro", language))
    st.info(text("order_meaning", language), icon=":material/swap_horiz:")
    _presets(language)
    left, right = st.columns([3, 1])
    with left:
        key = model_picker(language, model_names(), key="cmodel", allow_untrained=False)
    with right:
        count = st.segmented_control(text("count", language), [2, 3, 4], key="n", required=True)
    if common.model_unavailable(key.name, language):
        return
    sentences = []
    for first in range(1, count + 1, 2):  # two boxes a row: four stacked pushed charts down
        slots = range(first, min(first + 2, count + 1))
        for column, slot in zip(st.columns(2)[: len(slots)], slots, strict=True):
            with column:
                label = text("sentence_n", language, n=slot)
                sentences.append(sentence_input(f"c{slot}", language, label))

    # the model's own tokenization (a character model reads characters); the URL keeps it
    mode = model_mode(key.name) or st.session_state.get("mode", "word")
    st.session_state["mode"] = mode
    traces = []
    for slot, sentence in enumerate(sentences, start=1):
        reading = read_sentence(sentence, mode, language)
        if common.show_reading_messages(reading):
            traces.append((slot, get_trace(key, reading.tokens)))
    if not traces:
        return
    _punchline(traces, key, language)
    influence.importance_section(traces, key, language)
    _reorder_buttons(language)
    if traces[0][0] == 1:
        _ranked(traces[0][1], key, language)
    _side_by_side(traces, language)
    if len(traces) >= 2:
        st.subheader(text("summary", language))
        _distances(traces, language)
    influence.paths_section(traces, key, language)
