"""Accessibility of the whole page, in one place: the document's language, visible keyboard
focus, target sizes, no motion for those who ask for none, a skip link to the step controls,
and for every chart a second channel beside colour and a one-line text alternative. shell.py
calls mount() once per run; common.chart calls accessible_chart() for every figure. It never
changes what a chart shows, only how it can be perceived."""

from __future__ import annotations

import html
import math

import plotly.graph_objects as go
import streamlit as st

from .i18n import text

FOCUS = "#0b57d0"  # 7.0 : 1 on white: a focus ring that a projector does not wash out

# Streamlit's widgets take this CSS from the page; what they draw is theirs (see
# tests/e2e/test_a11y.py for what is measured and the exceptions that remain).
STYLE = f"""<style>
/* Keyboard focus is always drawn (WCAG 2.4.7): a 2 px ring outside the control. Streamlit's
   radio buttons, switches and checkboxes hide their input: the ring goes on its label. */
:focus-visible {{ outline: 2px solid {FOCUS} !important; outline-offset: 2px; }}
label:has(input:focus-visible), [data-testid="stSlider"] div:has(> div > input:focus-visible) {{
  outline: 2px solid {FOCUS}; outline-offset: 2px; border-radius: 4px;
}}
[data-testid="stDataFrame"]:has(canvas:focus-visible) {{
  outline: 2px solid {FOCUS}; outline-offset: 2px;
}}
/* A chart's toolbar shows itself while a key has focus in it, not only under the mouse. */
.modebar-container:focus-within .modebar, .stPlotlyChart:focus-within .modebar,
[data-testid="stElementToolbar"]:focus-within {{ opacity: 1 !important; }}
/* Every target at least 24 x 24 CSS px (WCAG 2.5.8): Plotly's toolbar buttons are 22 high,
   the sidebar's radio rows and the headings' anchor links smaller. */
.modebar-btn {{ min-height: 24px; min-width: 24px; box-sizing: border-box; }}
[data-testid="stRadio"] label {{ min-height: 24px; align-items: center; }}
[data-testid="stHeaderActionElements"] a {{ min-width: 24px; min-height: 24px;
  display: inline-flex; align-items: center; justify-content: center; }}
[data-testid="stTooltipHoverTarget"] button, button[data-testid="stTooltipHoverTarget"] {{
  min-width: 24px; min-height: 24px;
}}
/* A control that takes the focus scrolls clear of Streamlit's header and of the step-through's
   floating bar at the bottom (WCAG 2.4.11). */
html, [data-testid="stMain"] {{ scroll-padding: 64px 0 84px 0; }}
/* A folded sidebar (a phone's, or folded by hand) sits off screen: out of the Tab order too. */
[data-testid="stSidebar"][data-collapsed="true"],
[data-testid="stSidebar"][data-collapsed="true"] * {{ visibility: hidden !important; }}
/* A control locked by the page (the tokenization a model was trained with) keeps a readable
   label: it still says what the page reads with (WCAG 1.4.3); its options stay greyed. */
label[data-testid="stWidgetLabel"][disabled] {{ color: inherit; }}
/* A wide formula scrolls sideways; a keyboard reaches it (the script gives it tabindex). */
.katex-display[tabindex] {{ outline-offset: 2px; }}
/* The skip link to the step controls: off screen until a key gives it focus. */
.rnnviz-skip {{
  position: fixed; left: 8px; top: -100px; z-index: 1000010; padding: 8px 14px;
  background: #fff; color: {FOCUS}; border: 2px solid {FOCUS}; border-radius: 6px;
  font-size: 16px; text-decoration: underline;
}}
.rnnviz-skip:focus {{ top: 52px; }}
.rnnviz-alt {{
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap;
}}
/* Asked for no motion: nothing moves on its own (spinners, transitions, smooth scrolling). */
@media (prefers-reduced-motion: reduce) {{
  *, *::before, *::after {{
    animation-duration: 0s !important; animation-iteration-count: 1 !important;
    transition-duration: 0s !important; transition-delay: 0s !important;
    scroll-behavior: auto !important;
  }}
}}
</style>"""

# The lesson's dark theme (D) reaches the step-through only through the theme's variables,
# which its shadow root reads (its text and panels); Streamlit sets them for the light theme.
DARK_STEPPER = """<style>
.st-key-lesson_stepper, .st-key-lesson_stepper * {
  --st-text-color: #f2f2f2 !important; --st-background-color: #111 !important;
  --st-secondary-background-color: #1a1a1a !important;
}
</style>"""

# In the browser, once per page and again on each change: <html lang>, the skip link, the
# charts' text alternatives (read from the figure's layout.meta, set as text, never as HTML)
# and a tabindex on formulas that scroll sideways.
SCRIPT = """
function deepFind(root, selector) {
  const found = root.querySelector(selector);
  if (found) return found;
  for (const node of root.querySelectorAll('*')) {
    if (node.shadowRoot) {
      const inner = deepFind(node.shadowRoot, selector);
      if (inner) return inner;
    }
  }
  return null;
}
function stepControls() { return deepFind(document, '.stepper .bar button.next'); }
function stepHost(button) {
  const host = button.getRootNode().host;
  return host ? host.closest('[data-testid="stElementContainer"]') || host : null;
}
function update(strings) {
  let skip = document.querySelector('a.rnnviz-skip');
  const next = stepControls();
  if (next && !skip) {
    skip = document.createElement('a');
    skip.className = 'rnnviz-skip';
    skip.href = '#rnnviz-steps';
    skip.addEventListener('click', (event) => {
      event.preventDefault();
      const target = stepControls();
      if (target) { target.scrollIntoView({block: 'center'}); target.focus(); }
    });
    // after Streamlit's own skip link: the second stop of the page
    const first = document.querySelector('[data-testid="stSkipToContent"]');
    if (first) first.after(skip); else document.body.prepend(skip);
  }
  const host = next && stepHost(next);
  if (host && host.id !== 'rnnviz-steps') {
    const old = document.getElementById('rnnviz-steps');
    if (old) old.removeAttribute('id');
    host.id = 'rnnviz-steps';
  }
  if (skip && !next) skip.remove();
  if (skip && skip.textContent !== strings.skip) skip.textContent = strings.skip;
  for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
    const plot = chart.querySelector('.js-plotly-plot');
    const meta = plot && plot.layout && plot.layout.meta;
    const alt = meta && typeof meta.alt === 'string' ? meta.alt : null;
    if (!alt) continue;
    if (chart.getAttribute('aria-label') !== alt) {
      chart.setAttribute('role', 'figure');
      chart.setAttribute('aria-label', alt);
    }
    let line = chart.querySelector(':scope > .rnnviz-alt');
    if (!line) {
      line = document.createElement('p');
      line.className = 'rnnviz-alt';
      chart.prepend(line);
    }
    if (line.textContent !== alt) line.textContent = alt;
    for (const layer of chart.querySelectorAll('svg.main-svg:not([aria-hidden])')) {
      layer.setAttribute('aria-hidden', 'true');
    }
  }
  for (const formula of document.querySelectorAll('.katex-display')) {
    const scrolls = formula.scrollWidth > formula.clientWidth + 1
      || formula.scrollHeight > formula.clientHeight + 1;
    if (scrolls && !formula.hasAttribute('tabindex')) {
      formula.setAttribute('tabindex', '0');
      formula.setAttribute('role', 'region');
      formula.setAttribute('aria-label', strings.formula);
    }
  }
}
export default function (component) {
  const strings = component.data;
  document.documentElement.lang = strings.lang;
  window.__rnnvizA11yStrings = strings;
  if (!window.__rnnvizA11y) {
    let pending = false;
    window.__rnnvizA11y = new MutationObserver(() => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; update(window.__rnnvizA11yStrings); });
    });
    window.__rnnvizA11y.observe(document.body, {childList: true, subtree: true});
  }
  update(strings);
}
"""

_COMPONENT = st.components.v2.component("rnnviz_a11y", js=SCRIPT, isolate_styles=False)
DOCUMENT_LANGUAGE = {"zh": "zh-CN", "en": "en"}


def mount(language: str) -> None:
    """The page's accessibility: its style, and the script that keeps <html lang> in
    `language` and labels the charts (a hidden element, 0 px high)."""
    st.html(STYLE)
    if st.session_state.get("view") == "lesson" and st.session_state.get("dark"):
        st.html(DARK_STEPPER)
    _COMPONENT(
        key="a11y",
        data={
            "lang": DOCUMENT_LANGUAGE[language],
            "skip": text("a11y_skip_to_steps", language),
            "formula": text("a11y_formula", language),
        },
        height=0,
    )
    st.html("<style>.st-key-a11y{display:none}</style>")


# Series told apart by more than colour (WCAG 1.4.1): line dash and marker, in this order.
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star")
# The colour scales the figures use, read in words: (low, middle, high) as i18n keys. A
# validated figure holds a named scale as its list of stops, so these are keys too.
_SCALE_NAMES = {
    "RdBu_r": ("a11y_blue", "a11y_white", "a11y_red"),
    "RdBu": ("a11y_red", "a11y_white", "a11y_blue"),
    "Viridis": ("a11y_purple", "a11y_green", "a11y_yellow"),
}
SCALE_WORDS = {
    **_SCALE_NAMES,
    **{go.Heatmap(colorscale=name).colorscale: words for name, words in _SCALE_NAMES.items()},
}


def _plain(value) -> str:
    return html.unescape(str(value or "")).replace("<br>", " ").strip()


def _number(value: float) -> str:
    return f"{value:g}".replace("-", "−")


def _scale(trace) -> list[tuple[str, float]] | None:
    """A heatmap's colour scale as (colour-name key, value) at its low end, middle and high
    end, or None for a scale without a fixed range, not named here, or whose values the
    builder already labels itself (z is then not the value its ticks show)."""
    words = SCALE_WORDS.get(trace.colorscale)
    if words is None or trace.zmin is None or trace.zmax is None:
        return None
    low, high = float(trace.zmin), float(trace.zmax)
    values = (low, (low + high) / 2, high)
    ticks = trace.colorbar.tickvals
    if trace.colorbar.ticktext and tuple(float(t) for t in ticks or ()) != values:
        return None  # the builder labelled its own scale (a log scale, say)
    return list(zip(words, values, strict=True))


def _scale_name(trace, language: str) -> str | None:
    """'colour: blue −1 · white 0 · red 1' for a heatmap with a named scale, else None."""
    scale = _scale(trace)
    if scale is None:
        return None
    parts = " · ".join(f"{text(word, language)} {_number(value)}" for word, value in scale)
    return text("a11y_scale", language, parts=parts)


def _label_scale(trace, language: str) -> None:
    """Write the colours' names beside the colour bar's ends and middle, so that the scale
    reads in greyscale too (RdBu's two ends are equally dark there)."""
    scale = _scale(trace)
    if scale is None or trace.showscale is False:
        return
    trace.colorbar.tickvals = [value for _, value in scale]
    trace.colorbar.ticktext = [f"{_number(value)} {text(word, language)}" for word, value in scale]


def _distinguish(figure: go.Figure) -> None:
    """Lines that a legend tells apart by colour alone get a dash and a marker each."""
    lines = [
        trace
        for trace in figure.data
        if trace.type == "scatter"
        and trace.showlegend is not False
        and trace.name
        and "lines" in (trace.mode or "lines")
        and not trace.fill
    ]
    if len(lines) < 2:
        return
    styles = {(trace.line.dash or "solid", trace.marker.symbol or "circle") for trace in lines}
    if len(styles) == len(lines):
        return
    for index, trace in enumerate(lines):
        trace.line.dash = DASHES[index % len(DASHES)]
        trace.marker.symbol = SYMBOLS[index % len(SYMBOLS)]
        if trace.mode and "markers" not in trace.mode:
            trace.mode = f"{trace.mode}+markers"


def _values(values) -> list:
    """A trace's x or y (None, a tuple or a numpy array) as a list."""
    return [] if values is None else list(values)


def _last_number(values) -> float | None:
    """The last finite number of a series, None if it has none."""
    for value in reversed(_values(values)):
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(number):
            return number
    return None


def _axis_title(axis) -> str:
    return _plain(axis.title.text) if axis and axis.title else ""


def summary(figure: go.Figure, title: str, language: str) -> str:
    """One line saying what a chart is: its title, its kind and axes, the series it compares
    and their last values, the heatmaps' colour scale in words."""
    parts = [title] if title else []
    heatmaps = [trace for trace in figure.data if trace.type == "heatmap"]
    lines = [
        trace
        for trace in figure.data
        if trace.type == "scatter" and trace.name and trace.showlegend is not False
    ]
    bars = [trace for trace in figure.data if trace.type == "bar"]
    x_title = _axis_title(figure.layout.xaxis)
    y_title = _axis_title(figure.layout.yaxis)
    if heatmaps:
        scale = next((s for s in (_scale_name(t, language) for t in heatmaps) if s), None)
        parts.append(text("a11y_heatmap", language))
        if scale:
            parts.append(scale)
    elif lines:
        endings = []
        for trace in lines[:6]:
            last = _last_number(trace.y)
            ending = f" {_number(round(last, 3))}" if last is not None else ""
            endings.append(f"{_plain(trace.name)}{ending}")
        parts.append(text("a11y_lines", language, series="; ".join(endings)))
    elif bars:
        count = sum(len(_values(t.y) or _values(t.x)) for t in bars)
        parts.append(text("a11y_bars", language, count=count))
    axes = " · ".join(
        f"{name}: {value}"
        for name, value in (("x", x_title), ("y", y_title))
        if value and not heatmaps
    )
    if axes:
        parts.append(axes)
    return ". ".join(part for part in parts if part)


def accessible_chart(figure: go.Figure, title: str, language: str) -> None:
    """Give `figure` its second channel beside colour, its scale's colour names and its text
    alternative (layout.meta.alt, which the page's script turns into the chart's label)."""
    _distinguish(figure)
    for trace in figure.data:
        if trace.type == "heatmap":
            _label_scale(trace, language)
    meta = figure.layout.meta if isinstance(figure.layout.meta, dict) else {}
    figure.update_layout(meta={**meta, "alt": summary(figure, _plain(title), language)})
