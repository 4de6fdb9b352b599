"""The lesson's keyboard: a small browser-side component (no iframe, no CDN) that turns a key
press anywhere outside a text box into a click on one of the lesson's own buttons, found by
its Streamlit key class (.st-key-<key>). Presenter clickers send PageDown / PageUp.
Stepping keys (→ ← Home End Space) belong to the step-through component (stepper.js), which
ignores PageDown / PageUp."""

from __future__ import annotations

import streamlit as st

# key (KeyboardEvent.key) -> Streamlit key of the button it clicks
BINDINGS = {
    "PageDown": "lesson_next",
    "PageUp": "lesson_prev",
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

_SCRIPT = """
export default function(component) {
  const bindings = component.data.bindings;
  const typing = (element) => element && (element.isContentEditable
    || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName));
  const handler = (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    const name = bindings[event.key] || bindings[event.key.toLowerCase()];
    if (!name) return;
    const button = document.querySelector('.st-key-' + name + ' button');
    if (!button || button.disabled) return;
    // also stops the page from scrolling and a focused button from being pressed twice
    event.preventDefault();
    button.click();
    if (name === 'lesson_next' || name === 'lesson_prev') {
      // a new section starts at its top, wherever the last one was scrolled to
      const main = document.querySelector('[data-testid="stMain"]');
      if (main) main.scrollTo(0, 0);
      window.scrollTo(0, 0);
    }
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


def key_listener() -> None:
    """Mount the listener (once per page; it replaces an earlier one)."""
    _COMPONENT(key="lesson_keys", data={"bindings": BINDINGS}, height=0)
