"""Who influences whom, as the views draw it: the influence map and the per-step factors under
the step-through (explore), three maps on one sentence (RNN·LSTM·GRU), word importance and
hidden-state paths (compare). Numbers come from the core, cached per server; this module reads
controls and draws; it computes nothing."""

from __future__ import annotations

import streamlit as st

import rnnviz
from rnnviz.attribution import IMPORTANCE_LIMIT, WordImportance, ranked_positions
from rnnviz.compare import final_gap, same_word_groups
from rnnviz.figures import influence as figures_influence
from rnnviz.influencing import FACTOR_LIMIT, INFLUENCE_LIMIT, InfluenceMap, StepFactors
from rnnviz.projection import HiddenPaths
from rnnviz.registry import RECURRENT

from .. import common
from ..chart_cache import recipe
from ..i18n import class_name, text
from ..inputs import escape_markdown
from ..resources import ModelKey, get_model, get_trace, model_names, model_problem

# The step-through moves the step highlight of these charts in the browser.
STEP_CHARTS = ["step_influence", "step_factors"]
BOW_MODEL = "sentiment-bow"
# What the word-importance control offers: occlusion's two variants and Integrated Gradients.
IMPORTANCE_CHOICES = ("removed", "unknown", "integrated_gradients")


@st.cache_resource(show_spinner=False, max_entries=128)
def get_influence(key: ModelKey, tokens: tuple[str, ...]) -> InfluenceMap:
    """The influence map of `tokens` (at most INFLUENCE_LIMIT² float64, 320 kB)."""
    return rnnviz.influence_map(get_model(key), list(tokens))


@st.cache_resource(show_spinner=False, max_entries=128)
def get_factors(key: ModelKey, tokens: tuple[str, ...]) -> StepFactors:
    return rnnviz.step_factors(get_trace(key, tokens))


@st.cache_resource(show_spinner=False, max_entries=256)
def get_importance(key: ModelKey, tokens: tuple[str, ...], method: str) -> WordImportance:
    return rnnviz.word_importance(get_model(key), list(tokens), method=method)


def _word(token: str) -> str:
    return escape_markdown(token)


def _map_reading(influence: InfluenceMap, step: int, language: str) -> None:
    """Which earlier word reaches the output read at `step` most, and how far the first word's
    reach is from it."""
    tokens = influence.tokens
    source = influence.strongest_source(step)
    if source is None:
        st.caption(text("influence_no_row", language, word=_word(tokens[step])))
        return
    first = influence.first_share(step)
    if first is None:  # every gradient underflowed to 0: nothing to rank
        st.caption(text("influence_zero", language, t=step + 1))
        return
    target = influence.targets[step]
    target = class_name(target, language) if influence.head != "lm" else target
    key = "influence_reading_lm" if influence.head == "lm" else "influence_reading"
    st.info(
        text(
            key,
            language,
            t=step + 1,
            word=_word(tokens[step]),
            target=_word(target),
            strongest=_word(tokens[source]),
            s=source + 1,
            value=influence.values[step, source],
            first=_word(tokens[0]),
            share=first,
        ),
        icon=":material/hub:",
    )


def _range_caption(influence: InfluenceMap, language: str) -> None:
    value_range = influence.finite_range()
    if value_range is None:
        return
    st.caption(text("influence_range", language, low=value_range[0], high=value_range[1]))


def _factor_names(language: str) -> dict[str, str]:
    keys = ("norms", "product_of_norms", "product_norm", "cell_norms", "cell_product")
    return {name: text(f"factor_{name}", language) for name in keys}


def _factor_reading(factors: StepFactors, step: int, language: str) -> None:
    last = len(factors.tokens) - 1
    if step == 0:
        st.caption(text("factor_first_step", language))
    else:
        st.caption(
            text(
                "factor_at_step",
                language,
                t=step + 1,
                word=_word(factors.tokens[step]),
                norm=factors.norms[step],
                product=factors.product_norm[step],
                bound=factors.product_of_norms[step],
            )
        )
    if last > 0:
        key = "factor_shrinks" if factors.product_norm[last] < 1 else "factor_grows"
        st.info(
            text(
                key,
                language,
                first=_word(factors.tokens[0]),
                last=_word(factors.tokens[last]),
                product=factors.product_norm[last],
                bound=factors.product_of_norms[last],
                median=factors.median_factor,
            ),
            icon=":material/close:",
        )
    if factors.cell_product is not None and last > 0:
        st.caption(text("factor_cell", language, product=factors.cell_product[last]))


def explore_section(key: ModelKey, trace: rnnviz.Trace, step: int, language: str) -> None:
    """Under the step-through: the influence map beside the per-step factors, with their
    readings at the current step and what the map does not mean."""
    st.subheader(text("influence_title", language))
    tokens = tuple(trace.tokens)
    if len(tokens) > INFLUENCE_LIMIT:
        st.caption(text("influence_too_long", language, count=len(tokens), limit=INFLUENCE_LIMIT))
        return
    influence = get_influence(key, tokens)
    st.caption(text("influence_how_lm" if trace.head == "lm" else "influence_how", language))
    left, right = st.columns(2)
    with left:
        common.chart(
            recipe(
                figures_influence.influence_heatmap,
                influence,
                step,
                text("influence_chart", language),
                text("influence_step_axis", language),
                text("influence_source_axis", language),
                max_labels=6,
            ),
            key=STEP_CHARTS[0],
        )
        _range_caption(influence, language)
        _map_reading(influence, step, language)
    with right:
        if trace.arch not in RECURRENT:
            st.caption(text("factor_bow", language))
        elif len(tokens) > FACTOR_LIMIT:
            st.caption(text("factor_too_long", language, count=len(tokens), limit=FACTOR_LIMIT))
        else:
            factors = get_factors(key, tokens)
            common.chart(
                recipe(
                    figures_influence.factor_chart,
                    factors,
                    step,
                    text("factor_chart", language, arch=trace.arch.upper()),
                    _factor_names(language),
                    max_labels=6,
                ),
                key=STEP_CHARTS[1],
            )
            _factor_reading(factors, step, language)
    st.caption(text("influence_not", language))


def arch_section(traces: dict[str, rnnviz.Trace], language: str) -> None:
    """The three architectures' influence maps on one sentence (one colour range for all) and
    their running products ||d state_t / d state_0||."""
    if not traces:
        return
    st.subheader(text("influence_arch_title", language))
    tokens = tuple(next(iter(traces.values())).tokens)
    if len(tokens) > INFLUENCE_LIMIT:
        st.caption(text("influence_too_long", language, count=len(tokens), limit=INFLUENCE_LIMIT))
        return
    maps = {name: get_influence(ModelKey(name), tokens) for name in traces}
    ranges = [
        value_range for value_range in (m.finite_range() for m in maps.values()) if value_range
    ]
    shared = (min(r[0] for r in ranges), max(r[1] for r in ranges)) if ranges else None
    last = len(tokens) - 1
    for column, (name, influence) in zip(st.columns(len(maps)), maps.items(), strict=True):
        with column:
            st.markdown(f"**{name}**")
            common.chart(
                recipe(
                    figures_influence.influence_heatmap,
                    influence,
                    None,
                    "",
                    text("influence_step_axis", language),
                    text("influence_source_axis", language),
                    max_labels=4,
                    height=340,
                    value_range=shared,
                ),
                key=f"arch_influence_{name}",
            )
            row = last - 1 if influence.head == "lm" and last > 0 else last
            source = influence.strongest_source(row)
            if source is not None:
                st.caption(
                    text(
                        "influence_arch_reading",
                        language,
                        word=_word(tokens[row]),
                        strongest=_word(tokens[source]),
                        first=_word(tokens[0]),
                        value=influence.values[row, 0],
                    )
                )
    if shared:
        st.caption(text("influence_range_shared", language, low=shared[0], high=shared[1]))
    if len(tokens) <= FACTOR_LIMIT:
        _arch_products(traces, tokens, language)
    st.caption(text("influence_not_arch", language))


def _arch_products(traces: dict[str, rnnviz.Trace], tokens: tuple[str, ...], language: str):
    """||d state_t / d state_0|| of each trained model and of the same model at initialisation
    (seed 0), with the last step's values written out."""
    products = {}
    finals = {"initial": {}, "trained": {}}
    for name, trace in traces.items():
        for initial in (True, False):
            key = ModelKey(name, untrained=True, seed=0) if initial else ModelKey(name)
            values = get_factors(key, tokens).product_norm
            legend = text(
                "factor_initial_legend" if initial else "factor_trained_legend",
                language,
                arch=trace.arch.upper(),
            )
            products[legend] = (trace.arch, trace.tokens, values, initial)
            finals["initial" if initial else "trained"][trace.arch.upper()] = float(values[-1])
    common.chart(
        recipe(
            figures_influence.product_comparison,
            products,
            text("factor_products_chart", language),
            text("factor_steps_axis", language),
            text("factor_product_norm", language),
        ),
        key="arch_factor_products",
    )
    separator = text("path_separator", language)
    written = {
        kind: separator.join(f"{arch} {common.scientific(value)}" for arch, value in values.items())
        for kind, values in finals.items()
    }
    smallest = min(finals["initial"], key=finals["initial"].get)
    st.info(
        text(
            "factor_products_reading",
            language,
            steps=len(tokens) - 1,
            initial=written["initial"],
            trained=written["trained"],
            smallest=smallest,
        ),
        icon=":material/close:",
    )


def _importance_reading(results, language: str) -> None:
    """Each sentence's most important word, as measured."""
    lines = []
    for slot, result, scores in results:
        top = ranked_positions(scores)[0]
        lines.append(
            text(
                "importance_top",
                language,
                n=slot,
                word=_word(result.tokens[top]),
                score=scores[top],
            )
        )
    groups = same_word_groups([result.tokens for _, result, _ in results])
    for group in groups:
        tops = {results[i][1].tokens[ranked_positions(results[i][2])[0]] for i in group}
        slots = text("path_separator", language).join(str(results[i][0]) for i in group)
        key = "importance_order_same" if len(tops) == 1 else "importance_order_differs"
        lines.append(text(key, language, slots=slots))
    st.info(" · ".join(lines), icon=":material/bar_chart:")


def importance_section(traces, key: ModelKey, language: str) -> None:
    """Word importance per sentence: ranked bars, side by side."""
    st.subheader(text("importance_title", language))
    choice = st.segmented_control(
        text("importance_method", language),
        IMPORTANCE_CHOICES,
        key="imp_method",
        default=IMPORTANCE_CHOICES[0],
        required=True,
        format_func=lambda name: text(f"importance_{name}", language),
    )
    method = "occlusion" if choice in ("removed", "unknown") else "integrated_gradients"
    results = []
    for slot, trace in traces:
        if trace.head == "lm" and len(trace.tokens) < 2:
            st.caption(text("importance_too_short", language, n=slot))
            continue
        if len(trace.tokens) > IMPORTANCE_LIMIT:
            count, limit = len(trace.tokens), IMPORTANCE_LIMIT
            st.caption(text("importance_too_long", language, n=slot, count=count, limit=limit))
            continue
        result = get_importance(key, tuple(trace.tokens), method)
        scores = result.unknown_scores if choice == "unknown" else result.scores
        results.append((slot, result, scores))
    if not results:
        return
    lm = traces[0][1].head == "lm"
    st.caption(
        text(
            "importance_how_lm" if lm else "importance_how",
            language,
            method=text(f"importance_{choice}_how", language),
        )
    )
    for column, (slot, result, scores) in zip(st.columns(len(results)), results, strict=True):
        with column:
            output = class_name(result.target_label, language)
            common.chart(
                recipe(
                    figures_influence.importance_bars,
                    result.tokens,
                    scores,
                    ranked_positions(scores),
                    text("importance_chart", language, n=slot, output=output, p=result.value),
                    text("importance_axis", language),
                ),
                key=f"importance_{slot}",
            )
            if result.method == "integrated_gradients":
                st.caption(
                    text(
                        "importance_complete",
                        language,
                        total=result.total,
                        difference=result.value - result.baseline_value,
                        steps=result.steps,
                    )
                )
    _importance_reading(results, language)
    st.caption(text("importance_not", language))


def _paths_chart(paths: HiddenPaths, names, title: str, language: str, chart_key: str) -> None:
    common.chart(
        recipe(
            figures_influence.hidden_paths_chart,
            paths.paths,
            paths.tokens,
            names,
            paths.explained,
            title,
            (text("paths_axis_1", language), text("paths_axis_2", language)),
            text("paths_end", language),
        ),
        key=chart_key,
    )


def paths_section(traces, key: ModelKey, language: str) -> None:
    """The hidden-state paths on one shared PCA, the bag of words' paths beside them."""
    st.subheader(text("paths_title", language))
    only = [trace for _, trace in traces]
    names = [text("sentence_n", language, n=slot) for slot, _ in traces]
    if sum(len(trace.tokens) for trace in only) < 2:
        st.caption(text("paths_too_short", language))
        return
    paths = rnnviz.hidden_paths(only)
    show_bow = (
        key.name.startswith("sentiment-")
        and key.name != BOW_MODEL
        and BOW_MODEL in model_names()
        and model_problem(BOW_MODEL) is None
    )
    columns = st.columns(2) if show_bow else [st.container()]
    with columns[0]:
        _paths_chart(paths, names, key.name, language, "paths_model")
    gap = final_gap(only)
    bow_gap = None
    if show_bow:
        bow_traces = [get_trace(ModelKey(BOW_MODEL), tuple(trace.tokens)) for trace in only]
        with columns[1]:
            _paths_chart(rnnviz.hidden_paths(bow_traces), names, BOW_MODEL, language, "paths_bow")
        bow_gap = final_gap(bow_traces)
    st.caption(
        text(
            "paths_how",
            language,
            first=100 * paths.explained[0],
            second=100 * paths.explained[1],
        )
    )
    if gap is not None:
        st.info(
            text("paths_gap", language, model=key.name, gap=gap)
            + (
                " " + text("paths_gap_bow", language, bow=BOW_MODEL, gap=bow_gap)
                if bow_gap is not None
                else ""
            ),
            icon=":material/route:",
        )
    st.caption(text("paths_not", language))
