"""The lesson's page style: its compact layout, presenter mode's sizes and the dark theme of
everything around the figures (the figures and the step-through theme themselves)."""

from __future__ import annotations

import streamlit as st

from rnnviz import figures

# The dark theme of the page around the figures (figures.dark_figure themes the charts, the
# step-through its own panel): light text on black, every control and box with its own dark
# background, so that nothing light is left with light text on it.
DARK_RULES = [
    '[data-testid="stApp"],[data-testid="stHeader"],[data-testid="stSidebar"],'
    '[data-testid="stBottomBlockContainer"]{background:#000;color:' + figures.DARK_INK + "}",
    '.stMainBlockContainer *,[data-testid="stSidebar"] *{color:' + figures.DARK_INK + "}",
    '.stMainBlockContainer button,[data-testid="stSidebar"] button'
    "{background:#111;border-color:#bbb}",
    '.stMainBlockContainer button[kind="primary"]{background:#1f5fcc;border-color:#9cc3ff}',
    ".stMainBlockContainer button:hover{border-color:#9cc3ff}",
    ".stMainBlockContainer code,.stMainBlockContainer pre{background:#1a1a1a}",
    '[data-testid="stAlertContainer"]{background:#0d3320}',
    '[data-testid="stAlertContainer"]:has([data-testid="stAlertContentWarning"])'
    "{background:#3d2e00}",
    '[data-testid="stAlertContainer"]:has([data-testid="stAlertContentInfo"]){background:#0b2a4a}',
    '[data-testid="stAlertContainer"]:has([data-testid="stAlertContentError"]){background:#4a0f14}',
    '.stMainBlockContainer [data-baseweb="input"],.stMainBlockContainer [data-baseweb="input"] *,'
    '[data-testid="stSidebar"] [data-baseweb="input"],[data-testid="stSidebar"] [data-baseweb="input"] *,'
    '[data-baseweb="select"] > div{background:#111;border-color:#bbb}',
    ".stMainBlockContainer details,.stMainBlockContainer summary{background:#000;border-color:#555}",
    ".stMainBlockContainer a,.stMainBlockContainer a *{color:#9cc3ff}",
    '[data-testid="stTextInputRootElement"]{background:#111;border-color:#bbb}',
    ".stMainBlockContainer input::placeholder{color:#a6a6a6}",
    '[data-testid="stTooltipHoverTarget"] button{background:transparent;border:none}',
    '[data-testid="stTooltipHoverTarget"] svg{stroke:' + figures.DARK_INK + "}",
    '.stMainBlockContainer [data-baseweb="tag"]{background:#1f5fcc}',
]


def lesson_style(present: bool, dark: bool) -> None:
    """The lesson's page rules: a compact header, presenter sizes, the dark theme."""
    rules = [
        # room for Streamlit's header bar (hidden in presenter mode), not its 6rem default
        ".stMainBlockContainer{padding-top:3.8rem;padding-bottom:2rem}",
        ".st-key-lesson_keys{display:none}",
        # no chart toolbar on a slide: on a phone it lay over the legends, and the full views
        # keep their downloads
        ".stMainBlockContainer .modebar-container{display:none}",
        ".stMainBlockContainer h2{padding-top:0}",
        # a line of tokens (a Markdown code span) as large as the text around it
        ".stMainBlockContainer p code{font-size:1em}",
        "@media (max-width:640px){.stMainBlockContainer h2{font-size:28px}"
        ".stMainBlockContainer h4{font-size:18px}"
        # the text and the figure stacked on a phone: no wide gap between them
        '.stMainBlockContainer [data-testid="stHorizontalBlock"]{row-gap:0.5rem}}',
    ]
    if present:
        rules += [
            '[data-testid="stSidebar"],[data-testid="stSidebarCollapsedControl"],'
            '[data-testid="stExpandSidebarButton"],[data-testid="stHeader"]{display:none}',
            ".stMainBlockContainer{max-width:100%;padding:0.6rem 2rem 1rem 2rem}",
            ".stMainBlockContainer p,.stMainBlockContainer li,.stMainBlockContainer button,"
            ".stMainBlockContainer code,.stMainBlockContainer a,"
            '.stMainBlockContainer [data-testid="stCaptionContainer"]{font-size:22px}',
            ".stMainBlockContainer h2{font-size:38px}",
            ".stMainBlockContainer input{font-size:22px}",
            ".stMainBlockContainer .katex{font-size:1.35em}",
        ]
    if dark:
        rules += DARK_RULES
    st.html(f"<style>{''.join(rules)}</style>")
