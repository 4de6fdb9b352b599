"""The lesson's keyboard: a small browser-side component (no iframe, no CDN) that turns a key
press anywhere outside a text box into a click on one of the lesson's own buttons, found by
its Streamlit key class (.st-key-<key>). Presenter clickers send PageDown / PageUp: those ask
the server for a section number counted in the browser, so that fast presses each count.
In a text box, Enter or Escape hands the keys back to the page (the box loses focus).
Stepping keys (→ ← Home End Space) belong to the step-through component (stepper.js), which
ignores PageDown / PageUp."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

# key (KeyboardEvent.key) -> Streamlit key of the button it clicks
BINDINGS = {
    "Enter": "lesson_reveal",
    "r": "lesson_reveal",
    "1": "lesson_choice_1",
    "2": "lesson_choice_2",
    "3": "lesson_choice_3",
    "q": "lesson_qr",
    "d": "lesson_dark",
    "p": "lesson_present",
    "c": "class_start",
}
MOVES = {"PageDown": 1, "PageUp": -1}
KEY = "lesson_keys"

_SCRIPT = """
export default function(component) {
  const { data, setStateValue } = component;
  const typing = (element) => element && (element.isContentEditable
    || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName));
  // Presses counted here: a press during a rerun starts from the section already asked for,
  // never from the one still on screen (five presses move five sections).
  // A state value (not a trigger): the latest one always reaches the server, however many
  // reruns the presses interrupt; `press` makes every press a change.
  const state = window.__rnnvizLessonSection || { asked: null, at: 0, press: 0 };
  window.__rnnvizLessonSection = state;
  if (state.asked === data.section || performance.now() - state.at > 20000) state.asked = null;
  if (state.asked !== null) {
    // The page was drawn for an earlier press (presses made while the server was still busy
    // can be dropped): ask again for the section counted here.
    state.press += 1;
    setStateValue('go', { to: state.asked, press: state.press });
  }
  const handler = (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (typing(event.target)) {
      if ((event.key === 'Enter' || event.key === 'Escape') && event.target.tagName !== 'TEXTAREA') {
        const box = event.target;
        setTimeout(() => box.blur(), 0);  // after the box has taken its value
      }
      return;
    }
    if (event.key in data.moves) {
      event.preventDefault();
      const from = state.asked === null ? data.section : state.asked;
      const to = Math.min(Math.max(from + data.moves[event.key], 1), data.count);
      if (to === from) return;
      state.asked = to;
      state.at = performance.now();
      state.press += 1;
      setStateValue('go', { to, press: state.press });
      // a new section starts at its top, wherever the last one was scrolled to
      const main = document.querySelector('[data-testid="stMain"]');
      if (main) main.scrollTo(0, 0);
      window.scrollTo(0, 0);
      return;
    }
    const name = data.bindings[event.key] || data.bindings[event.key.toLowerCase()];
    if (!name) return;
    const button = document.querySelector('.st-key-' + name + ' button');
    if (!button || button.disabled) return;
    // also stops the page from scrolling and a focused button from being pressed twice
    event.preventDefault();
    button.click();
    if (document.activeElement && document.activeElement.tagName === 'BUTTON') {
      document.activeElement.blur();
    }
  };
  if (window.__rnnvizLessonKeys) {
    document.removeEventListener('keydown', window.__rnnvizLessonKeys);
  }
  window.__rnnvizLessonKeys = handler;
  document.addEventListener('keydown', handler);
  return () => {
    document.removeEventListener('keydown', handler);
    if (window.__rnnvizLessonKeys === handler) window.__rnnvizLessonKeys = null;
  };
}
"""

_COMPONENT = st.components.v2.component("rnnviz_lesson_keys", js=_SCRIPT, isolate_styles=False)


def asked_section() -> int | None:
    """The section the last PageDown / PageUp asked for (1-based), else None."""
    state = st.session_state.get(KEY)
    asked = state.get("go") if hasattr(state, "get") else None
    section = asked.get("to") if isinstance(asked, dict) else None
    return section if isinstance(section, int) and not isinstance(section, bool) else None


def key_listener(section: int, count: int, on_move: Callable[[], None]) -> None:
    """Mount the listener (once per page; it replaces an earlier one). `on_move` runs before
    the rerun a PageDown / PageUp asked for; asked_section() then says where to."""
    _COMPONENT(
        key=KEY,
        data={"bindings": BINDINGS, "moves": MOVES, "section": section, "count": count},
        height=0,
        on_go_change=on_move,
    )
