"""Accessibility measured in the browser: interactive targets smaller than WCAG 2.5.8 allows,
the element a Tab press focused (through shadow roots) and whether its focus can be seen,
and Tab stops that stay off screen. Used by tests/e2e/test_a11y.py."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageChops
from playwright.sync_api import Page

# Everything a pointer or the keyboard can operate, looked for inside open shadow roots too
# (the step-through draws in one). A visually hidden radio, checkbox or switch is operated
# through its label, so the label's box is its target.
_TARGETS = """
const SELECTOR = 'a[href], button, input:not([type="hidden"]), select, textarea, summary,'
  + ' [role="button"], [role="link"], [role="checkbox"], [role="radio"], [role="switch"],'
  + ' [role="tab"], [role="slider"], [role="option"], [role="menuitem"], [tabindex="0"]';
function deepAll(root, selector, found = []) {
  for (const node of root.querySelectorAll('*')) {
    if (node.matches(selector)) found.push(node);
    if (node.shadowRoot) deepAll(node.shadowRoot, selector, found);
  }
  return found;
}
function rendered(node) {
  const box = node.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return false;
  const style = getComputedStyle(node);
  return style.visibility === 'visible' && style.display !== 'none' && !node.closest('[inert]');
}
function targetBox(node) {
  // a radio button, checkbox or switch is clicked through its whole label
  const choice = node.tagName === 'INPUT' && ['radio', 'checkbox'].includes(node.type);
  const box = node.getBoundingClientRect();
  const hidden = box.width < 2 || box.height < 2 || getComputedStyle(node).opacity === '0';
  return (choice || hidden) && node.closest('label')
    ? node.closest('label').getBoundingClientRect() : box;
}
function describe(node) {
  const keyed = node.closest('[class*="st-key-"]');
  const key = keyed ? [...keyed.classList].find(name => name.startsWith('st-key-')) : '';
  const testid = node.closest('[data-testid]');
  const root = node.getRootNode();
  const host = root.host ? (root.host.closest('[class*="st-key-"]') || root.host) : null;
  const hostKey = host && host.classList
    ? [...host.classList].find(name => name.startsWith('st-key-')) || 'shadow' : '';
  const name = (node.getAttribute('aria-label') || node.textContent || node.value || '')
    .trim().slice(0, 30);
  return [node.tagName.toLowerCase(), key || hostKey,
          testid ? testid.getAttribute('data-testid') : '', name].filter(Boolean).join(' ');
}
"""

# WCAG 2.5.8: a target is at least 24 x 24 CSS px, or a 24 px circle centred on it meets no
# other target and no other small target's circle. A link inside a sentence is exempt (inline).
SMALL_TARGETS = (
    "() => {"
    + _TARGETS
    + """
  const inline = (node) => node.tagName === 'A' && node.closest('p, li')
    && node.closest('p, li').textContent.trim() !== node.textContent.trim();
  const items = deepAll(document, SELECTOR)
    .filter(node => rendered(node) || (node.closest('label') && rendered(node.closest('label'))))
    .filter(node => node.tagName !== 'MAIN' && !inline(node))
    .map(node => ({node, box: targetBox(node)}));
  const unique = items.filter((item, index) => items.findIndex(other =>
    other.box.x === item.box.x && other.box.y === item.box.y
    && other.box.width === item.box.width && other.box.height === item.box.height) === index);
  const centre = (box) => [box.x + box.width / 2, box.y + box.height / 2];
  const reaches = ([x, y], box) => {
    const dx = Math.max(box.x - x, 0, x - (box.x + box.width));
    const dy = Math.max(box.y - y, 0, y - (box.y + box.height));
    return Math.hypot(dx, dy) < 12 - 0.01;
  };
  const small = unique.filter(item => item.box.width < 24 - 0.01 || item.box.height < 24 - 0.01);
  return small.filter(item => {
    const here = centre(item.box);
    return unique.some(other => other !== item && !other.node.contains(item.node)
        && !item.node.contains(other.node) && reaches(here, other.box))
      || small.some(other => other !== item && Math.hypot(
        ...centre(other.box).map((value, index) => value - here[index])) < 24 - 0.01);
  }).map(item => `${describe(item.node)} ${Math.round(item.box.width)}x${Math.round(item.box.height)}`);
}"""
)

# The element that has the keyboard focus, through shadow roots, with its target's box.
FOCUSED = (
    "() => {"
    + _TARGETS
    + """
  let node = document.activeElement;
  while (node && node.shadowRoot && node.shadowRoot.activeElement) {
    node = node.shadowRoot.activeElement;
  }
  if (!node || node === document.body || node === document.documentElement) return null;
  node.scrollIntoView({block: 'nearest', inline: 'nearest'});
  const box = targetBox(node);
  const shown = node.closest('label') && box.width !== node.getBoundingClientRect().width
    ? node.closest('label') : node;
  return {name: describe(node), x: box.x, y: box.y, width: box.width, height: box.height,
          inView: rendered(shown) && box.right > 0 && box.bottom > 0
            && box.left < innerWidth && box.top < innerHeight,
          isNext: node.tagName === 'BUTTON' && node.classList.contains('next')
            && !!node.closest('.bar')};
}"""
)
BLUR = """() => {
  let node = document.activeElement;
  while (node && node.shadowRoot && node.shadowRoot.activeElement) {
    node = node.shadowRoot.activeElement;
  }
  window.__rnnvizFocused = node;
  node.blur();
}"""
REFOCUS = "() => window.__rnnvizFocused && window.__rnnvizFocused.focus()"
# The next Tab starts from the top of the page: focus a mark put first in the body (Chrome
# keeps its place in the Tab order even after blur()), then take it away.
START_AT_TOP = """() => {
  const mark = document.createElement('div');
  mark.tabIndex = -1;
  document.body.prepend(mark);
  mark.focus();
  mark.remove();
  window.scrollTo(0, 0);
}"""


@dataclass
class TabStop:
    name: str
    focus_visible: bool
    in_view: bool
    is_next: bool


def _changed_pixels(before: bytes, after: bytes) -> int:
    """How many pixels differ clearly (any channel by more than 40 of 255) between two PNGs
    of the same clip."""
    first = Image.open(io.BytesIO(before)).convert("RGB")
    second = Image.open(io.BytesIO(after)).convert("RGB")
    difference = ImageChops.difference(first, second).convert("L").point(lambda v: v > 40)
    return sum(difference.get_flattened_data())


def tab_stops(page: Page, limit: int = 80, check_focus: bool = True) -> list[TabStop]:
    """Press Tab from the top of the page until the focus comes back round (or `limit`
    presses). For each stop: is its focus visible (the pixels around it differ, focused
    against blurred, by at least half its perimeter), is it on screen after the browser
    scrolled to it, is it the step-through's Next button."""
    page.evaluate(START_AT_TOP)
    page.mouse.move(0, 0)
    stops: list[TabStop] = []
    first = None
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        where = (focused["name"], round(focused["x"]), round(focused["y"]))
        if first is not None and where == first:
            break
        first = first or where
        visible = True
        if check_focus and focused["inView"]:
            margin = 6
            clip = {
                "x": max(focused["x"] - margin, 0),
                "y": max(focused["y"] - margin, 0),
                "width": focused["width"] + 2 * margin,
                "height": focused["height"] + 2 * margin,
            }
            shown = page.screenshot(clip=clip, animations="disabled")
            page.evaluate(BLUR)
            hidden = page.screenshot(clip=clip, animations="disabled")
            page.evaluate(REFOCUS)
            perimeter = 2 * (focused["width"] + focused["height"])
            visible = _changed_pixels(shown, hidden) >= perimeter / 2
        stops.append(TabStop(focused["name"], visible, focused["inView"], focused["isNext"]))
    return stops
