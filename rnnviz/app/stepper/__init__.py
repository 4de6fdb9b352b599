"""The step-through component: step controls, the unrolled diagram, the outputs, the step's
equation and its softmax/cross-entropy, drawn and stepped in the browser (stepper.js) from the
payload of rnnviz.steps, sent once per sentence and model. Keys work anywhere outside a text box.
The browser tells the server the step only when the user pauses; the charts named in `charts`
(Streamlit Plotly charts keyed `charts[i]`) get their step highlight moved in the browser too.
This module only registers the component and sends its strings and payload; in the browser,
beside it: dom.js (builders and formats), stepper.js (controls, keys, Play), drawing.js (what
each step draws), joined into one module, and the look in stepper.css."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import streamlit as st

from rnnviz import Trace
from rnnviz.equations import GENERAL_TEXT
from rnnviz.steps import lockstep_payload, step_payload

from ..i18n import text

ASSETS = Path(__file__).resolve().parent
# One ES module from three files, in this order (drawing.js adds its methods to the Stepper).
SCRIPT = "\n".join(
    (ASSETS / name).read_text(encoding="utf-8") for name in ("dom.js", "stepper.js", "drawing.js")
)
STYLE = (ASSETS / "stepper.css").read_text(encoding="utf-8")
DEFAULT_SPEED = 1.5  # seconds per step: slow enough to say a sentence about each step


def _strings(language: str, arch: str | None, head: str | None, units: int) -> dict[str, str]:
    keys = {
        "first": "step_first",
        "previous": "step_previous",
        "next": "next",
        "last": "step_last",
        "play": "play",
        "pause": "pause",
        "count": "step_count",
        "speed": "step_speed",
        "speed_label": "step_speed_label",
        "step_label": "step",
        "hint": "step_hint",
        "reading": "reading",
        "window": "step_window",
        "next_word": "step_next_word",
        "next_word_unknown": "step_next_word_unknown",
        "sm_unknown_row": "softmax_unknown_row",
        "ce_line_unknown": "cross_entropy_unknown",
        "softmax_title": "softmax_title",
        "sm_intro": "softmax_intro",
        "sm_output": "softmax_output",
        "sm_logit": "softmax_logit",
        "sm_exp": "softmax_exp",
        "sm_exp_shifted": "softmax_exp_shifted",
        "sm_p": "softmax_p",
        "sm_sum": "softmax_sum",
        "sm_shift": "softmax_shift",
        "ce_line": "cross_entropy",
        "ce_none": "cross_entropy_none",
        "ce_is_loss": "cross_entropy_is_loss",
        "nonfinite": "step_nonfinite",
        "outputs_title": "lockstep_outputs",
    }
    strings = {name: text(key, language) for name, key in keys.items()}
    diagram = {"bow": "bow_unrolled", "position": "position_unrolled"}.get(arch, "unrolled")
    strings["diagram_title"] = text(diagram, language)
    strings["bars_title"] = text(
        "lm_outputs_at_step" if head == "lm" else "outputs_at_step", language
    )
    strings["equation_title"] = text("equation", language, n=units)
    strings["general"] = GENERAL_TEXT.get(arch or "rnn", "")
    return strings


def _signature(traces: list[Trace]) -> str:
    """Which sentence and model(s) the page is stepping: tokens, loss, output labels (a
    classifier's class names are in the page's language, and the payload carries them) and the
    hidden states themselves (an untrained model with another seed reads the same tokens
    differently)."""
    digest = hashlib.sha1()
    for trace in traces:
        head = [trace.model_name, trace.tokens, trace.target, trace.loss_step]
        if trace.head != "lm":
            head.append(list(trace.labels))
        digest.update(json.dumps(head, ensure_ascii=False).encode())
        digest.update(trace.hidden.tobytes())
    return digest.hexdigest()[:16]


# Payloads of sentences up to this many tokens are kept (32 of them, about 1 MB each at the
# limit); a longer sentence's (5 MB at 1,000 tokens) is built for its run and not kept, so a
# visitor pasting new long sentences cannot grow the server by 5 MB a rerun.
PAYLOAD_KEPT_STEPS = 200


@st.cache_resource(max_entries=32, show_spinner=False)
def _kept_payload(signature: str, _trace: Trace) -> dict[str, Any]:
    """The payload of one trace, shared like the trace itself (its arrays are read-only)."""
    return step_payload(_trace)


def _trace_payload(signature: str, trace: Trace) -> dict[str, Any]:
    if len(trace.tokens) > PAYLOAD_KEPT_STEPS:
        return step_payload(trace)
    return _kept_payload(signature, trace)


def _heard(key: str, state_name: str, total: int) -> None:
    """Take the step the browser reported (0-based, in the component's state) into the
    session (0-based too), before the data for this run is built, so the page is sent the step it
    is showing. Only a new report counts: the component keeps its last one."""
    state = st.session_state.get(key)
    heard = state.get("step") if hasattr(state, "get") else None
    seen = f"_{key}_heard"
    if isinstance(heard, int) and heard != st.session_state.get(seen):
        st.session_state[seen] = heard
        if 0 <= heard < total:
            st.session_state[state_name] = heard


def _mount(key: str, data: dict[str, Any]) -> None:
    component = st.components.v2.component(
        "rnnviz_stepper", js=SCRIPT, css=STYLE, isolate_styles=True
    )
    # Streamlit needs a callback for each state key; the value is read by _heard.
    component(key=key, data=data, default={"step": data["step"]}, on_step_change=lambda: None)


def current_step(state_name: str, total: int) -> int:
    """The session's step, kept inside a sentence of `total` tokens. Session state holds it
    0-based; the URL shows it 1-based like the screen (rnnviz.app.state's step fields)."""
    value = st.session_state.get(state_name, 0)
    value = value if isinstance(value, int) else 0
    step = min(max(value, 0), total - 1)
    st.session_state[state_name] = step
    return step


def _one_trace(trace: Trace, language: str, key: str, state_name: str, **shown: Any) -> int:
    """Mount the step-through of one sentence, its step kept in `state_name`; `shown` adds the
    layout keys (`charts` to move the outline in, or a slide's `parts`)."""
    total = len(trace.tokens)
    _heard(key, state_name, total)
    step = current_step(state_name, total)
    signature = _signature([trace])
    payload = _trace_payload(signature, trace)
    data = {
        "key": key,
        "mode": "explore",
        "signature": signature,
        "step": step,
        "payload": payload,
        "charts": [],
        **shown,
        "strings": _strings(language, trace.arch, trace.head, len(payload["units"])),
        "speed": DEFAULT_SPEED,
    }
    _mount(key, data)
    return step


def step_through(trace: Trace, language: str, charts: list[str], key: str = "stepper") -> int:
    """One sentence's step-through (explore view). Returns the 0-based step the server knows."""
    return _one_trace(trace, language, key, "step", charts=charts)


def slide(trace: Trace, language: str, parts: list[str], key: str, dark: bool = False) -> int:
    """A lesson section's step-through: only the panels named in `parts` ("diagram", "bars",
    "equation", "softmax"), at slide sizes, in the lesson's dark theme when `dark`. Its step
    lives in `lesson_step`, apart from the explore view's `step`. Returns the 0-based step the
    server knows."""
    return _one_trace(trace, language, key, "lesson_step", parts=parts, slide=True, dark=dark)


def lockstep(traces: dict[str, Trace], language: str, charts: list[str], key: str) -> int:
    """One set of step controls for several models reading the same tokens (RNN·LSTM·GRU
    view), state `astep`. Returns the 0-based step the server knows."""
    payload = lockstep_payload(traces)
    total = len(payload["tokens"])
    _heard(key, "astep", total)
    step = current_step("astep", total)
    data = {
        "key": key,
        "mode": "lockstep",
        "signature": _signature(list(traces.values())),
        "step": step,
        "payload": payload,
        "charts": charts,
        "strings": _strings(language, None, None, 0),
        "speed": DEFAULT_SPEED,
    }
    _mount(key, data)
    return step
