"""Drawing pieces the views share: token chips, messages, the gradient reading, downloads,
the model card. Each takes computed values and draws them; none computes a quantity (the
gradient reading is rnnviz.gradients')."""

from __future__ import annotations

import html
from functools import partial

import streamlit as st

from rnnviz import Trace, figures
from rnnviz.export import CSV_HEADERS, trace_to_csv, trace_to_json
from rnnviz.gradients import decay_reading

from .a11y import accessible_chart
from .chart_cache import Recipe, SharedChart, draw, height_of, shared, spec_of
from .i18n import scientific, text
from .inputs import Reading, code_span, escape_markdown, token_chips
from .resources import model_problem

PLOT_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


# Plotly's toolbar tooltips -> i18n keys. Plotly.js looks its strings up in the `locales` given
# with the chart's config, so no locale file is fetched from anywhere.
PLOTLY_TERMS = {
    "Download plot as a PNG": "plotly_download",
    "Zoom": "plotly_zoom",
    "Pan": "plotly_pan",
    "Reset axes": "plotly_reset",
    "Double-click to zoom back out": "plotly_double_click",
    "Produced with Plotly.js": "plotly_produced",
    "Taking snapshot - this may take a few seconds": "plotly_snapshot",
    "Snapshot succeeded": "plotly_snapshot_done",
}
CHART_TOP_MARGIN = 34  # room for a legend above the plot and for the toolbar
# Fewer buttons: on a 390 px phone the full toolbar covered the chart's top.
REMOVED_BUTTONS = ["zoomIn2d", "zoomOut2d", "autoScale2d", "select2d", "lasso2d"]


def plot_config(language: str) -> dict:
    """Plotly's config for a chart in `language`: toolbar buttons and their tooltips."""
    config = {**PLOT_CONFIG, "modeBarButtonsToRemove": REMOVED_BUTTONS}
    if language == "zh":
        dictionary = {english: text(key, language) for english, key in PLOTLY_TERMS.items()}
        config["locale"] = "zh-CN"
        config["locales"] = {"zh-CN": {"dictionary": dictionary}}
    return config


def prepared(figure, language: str, heading: str | None = None) -> SharedChart:
    """`figure` as the page draws it: its second channel and text alternative (a11y), its
    title taken out and drawn above it as text (Plotly cuts a title that is wider than the
    chart, where Markdown wraps it, and the toolbar no longer covers it). `heading`: the text
    above it when the caller took the title out already."""
    title = figure.layout.title.text
    accessible_chart(figure, title, language)
    figure.update_layout(title_text=None, margin_t=CHART_TOP_MARGIN)
    if heading is None:
        heading = title or ""
    return SharedChart(
        escape_markdown(html.unescape(heading)) if heading else "",
        spec_of(figure),
        height_of(figure),
    )


def chart(figure, key: str | None = None) -> None:
    """A Plotly chart in the page's language, with Plotly's own PNG download button kept in
    its toolbar, its title drawn above it as text. `figure`: a go.Figure, or a
    chart_cache.recipe(builder, ...) built once per server and language and shared."""
    language = st.session_state.get("lang", "zh")
    if isinstance(figure, Recipe):
        ready = shared(figure, ("chart", language), lambda built: prepared(built, language))
    else:
        ready = prepared(figure, language)
    draw_chart(ready, key)


def draw_chart(ready: SharedChart, key: str | None = None) -> None:
    """A prepared chart (see prepared) with the page's toolbar in its language."""
    draw(ready, plot_config(st.session_state.get("lang", "zh")), key)


def model_unavailable(name: str, language: str) -> bool:
    """True (with a message naming the file and how to restore it) if the shipped model
    `name` cannot be loaded; the other models and views keep working."""
    problem = model_problem(name)
    if problem is None:
        return False
    task, _, arch = name.partition("-")
    # The core's message may already say how to restore the file; do not say it twice.
    st.error(
        text(
            "err_model_restored" if "git checkout" in problem else "err_model",
            language,
            name=name,
            problem=problem,
            restore=f"git checkout rnnviz/weights/{name}.pt rnnviz/weights/{name}.json",
            retrain=f"python -m rnnviz.train {task} --arch {arch}",
        ),
        icon=":material/broken_image:",
    )
    return True


def show_reading_messages(reading: Reading) -> bool:
    """Show notices and errors of a typed sentence; True if there is something to trace."""
    for notice in reading.notices:
        st.warning(notice, icon=":material/content_cut:")
    for error in reading.errors:
        st.info(error, icon=":material/edit:")
    return reading.tokens is not None


MAX_CHIPS = 200  # a thousand badges cost the browser seconds; the charts show every token


def token_line(line: str, where=st) -> None:
    """A line of tokens in monospace, drawn by the page's Markdown as a code span. Not
    st.code: its syntax highlighter is a 514 kB script a phone fetches the first time a page
    shows one (benchmarks/bench_phone.py)."""
    where.markdown(code_span(line))


def show_tokens(
    trace: Trace, language: str, heading: str | None = None, legend: bool = True
) -> None:
    """The tokens as chips on one line after their legend (and a bold heading), to keep the
    first chart high on the page."""
    parts = [f"**{escape_markdown(heading)}**"] if heading else []
    if legend:
        parts.append(f":gray[{escape_markdown(text('tokens', language))}]")
    lead = " ".join(parts)
    st.markdown(f"{lead} {token_chips(trace.tokens[:MAX_CHIPS], trace.is_unknown[:MAX_CHIPS])}")
    if len(trace.tokens) > MAX_CHIPS:
        st.caption(text("more_tokens", language, shown=MAX_CHIPS, total=len(trace.tokens)))
    if all(trace.is_unknown):
        st.warning(text("err_all_unknown", language))


def decay_sentence(trace: Trace, language: str, source: int = 0) -> str:
    """One line (Markdown, tokens escaped) that reads the gradient curve: the share of the
    gradient at the loss step that reaches token `source` (default the first), naming the two
    tokens it is measured between, and saying "grew" when the share is above 1."""
    reading = decay_reading(trace, source)
    if reading.ratio is None:
        return text("decay_none", language)
    return text(
        "decay_grew" if reading.grew else "decay",
        language,
        last=escape_markdown(reading.loss_token),
        first=escape_markdown(reading.source_token),
        ratio=scientific(reading.ratio),
    )


def decay_note(language: str) -> None:
    """Beside every chart of a trained model's gradients: small is not forgotten."""
    st.caption(text("decay_note", language))


def window_note(trace: Trace, step: int, language: str) -> None:
    start, end = figures.token_window(len(trace.tokens), step)
    if end - start < len(trace.tokens):
        st.caption(text("window_note", language, total=len(trace.tokens), start=start + 1, end=end))


def downloads(trace: Trace, language: str, key: str) -> None:
    """CSV (column headers in the page's language) and JSON of the trace, generated only when
    a button is clicked (building them on every rerun cost up to seconds for a long LM
    trace)."""
    left, right = st.columns(2)
    headers = {name: text(f"csv_{name}", language) for name in CSV_HEADERS}
    left.download_button(
        text("download_csv", language),
        partial(trace_to_csv, trace, headers),
        file_name="rnnviz-trace.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
    )
    right.download_button(
        text("download_json", language),
        partial(trace_to_json, trace),
        file_name="rnnviz-trace.json",
        mime="application/json",
        key=f"{key}_json",
        on_click="ignore",
    )


def model_card(card: dict, language: str, seed: int | None = None) -> None:
    with st.expander(text("card", language)):
        if card:
            st.json(card, expanded=2)
        else:
            st.write(text("card_none", language, seed=seed))


def gate_titles(language: str) -> dict[str, str]:
    names = ("input", "forget", "candidate", "output", "reset", "update", "cell")
    titles = {name: text(f"gate_{name}", language) for name in names}
    titles["title"] = text("gates", language)
    return titles
