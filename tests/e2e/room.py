"""What a room sees, measured in the page: the contrast of every visible text against what is
drawn behind it (HTML, the step-through's shadow root, Plotly's and the diagram's SVG), and
anything fixed or sticky lying over a control or a chart."""

from __future__ import annotations

from playwright.sync_api import Page

# WCAG 2 contrast: relative luminance of the text's colour (its alpha blended over the
# background) against the first opaque background behind it, semi-transparent layers blended.
# SVG text takes the shape behind it inside its own SVG (a diagram's box, Plotly's plot area),
# else the page behind the SVG. Disabled controls are exempt (WCAG 1.4.3).
CONTRAST = """() => {
  const parse = (text) => {
    const m = text && text.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const parts = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  };
  const over = (top, bottom) => top.slice(0, 3).map((c, i) => c * top[3] + bottom[i] * (1 - top[3]))
    .concat([1]);
  const up = (node) => node.parentElement || (node.getRootNode() && node.getRootNode().host) || null;
  const pageBehind = (node) => {
    const layers = [];
    for (let at = node; at; at = up(at)) {
      if (!(at instanceof Element)) continue;
      const style = getComputedStyle(at);
      const colour = parse(style.backgroundColor);
      if (colour && colour[3] > 0) {
        layers.push(colour);
        if (colour[3] >= 0.99) break;
      }
    }
    let result = [255, 255, 255, 1];
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const contains = (box, x, y) => x >= box.left && x <= box.right && y >= box.top && y <= box.bottom;
  const svgBehind = (text) => {
    const svg = text.ownerSVGElement;
    const box = text.getBoundingClientRect();
    const x = (box.left + box.right) / 2, y = (box.top + box.bottom) / 2;
    // the root SVG of a Plotly chart is one of several stacked <svg class="main-svg">
    const chart = text.closest('.js-plotly-plot');
    const roots = chart ? [...chart.querySelectorAll('svg.main-svg')] : [svg];
    let behind = null;
    for (const root of roots) {
      for (const shape of root.querySelectorAll('rect, path')) {
        if (shape.closest('text') || shape.closest('.legend') && !shape.classList.contains('bg')) continue;
        const fill = parse(getComputedStyle(shape).fill);
        const opacity = parseFloat(getComputedStyle(shape).fillOpacity || '1');
        if (!fill || fill[3] * opacity < 0.5) continue;
        const r = shape.getBoundingClientRect();
        if (r.width < 2 || r.height < 2 || !contains(r, x, y)) continue;
        // a text inside a box is drawn after it: keep the last (topmost) shape containing it
        if (text.compareDocumentPosition(shape) & Node.DOCUMENT_POSITION_PRECEDING
            || root !== svg) behind = [...fill.slice(0, 3), 1];
      }
    }
    if (behind) return behind;
    const page = pageBehind(chart ? chart : svg);
    const paper = chart ? parse(getComputedStyle(chart.querySelector('svg.main-svg')).backgroundColor) : null;
    return paper && paper[3] > 0 ? over(paper, page) : page;
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [high, low] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (high + 0.05) / (low + 0.05);
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    // off the page (a skip link until focused) or clipped to a pixel (screen-reader text)
    if (r.width <= 1 || r.height <= 1 || r.right <= 0 || r.bottom + scrollY <= 0) return false;
    if (el.closest('details:not([open]) > :not(summary)')) return false;  // folded away
    for (let at = el; at; at = up(at)) {
      if (!(at instanceof Element)) continue;
      const s = getComputedStyle(at);
      if (s.display === 'none' || s.visibility === 'hidden' || parseFloat(s.opacity) === 0) return false;
    }
    return true;
  };
  const roots = [document];
  for (const host of document.querySelectorAll('*')) if (host.shadowRoot) roots.push(host.shadowRoot);
  const failures = [];
  let checked = 0;
  for (const root of roots) {
    for (const el of root.querySelectorAll('*')) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || ['SCRIPT', 'STYLE', 'TITLE', 'OPTION'].includes(el.tagName)) continue;
      if (el.closest('[data-testid="stSidebar"], [data-testid="stHeader"], button:disabled,'
        + ' [aria-disabled="true"], [data-testid="stTooltipContent"], .modebar-container')) continue;
      if (el instanceof SVGElement && el.tagName !== 'text' && el.tagName !== 'tspan') continue;
      if (!visible(el)) continue;
      const style = getComputedStyle(el);
      const isSvg = el instanceof SVGElement;
      const textNode = isSvg ? (el.tagName === 'tspan' ? el.closest('text') : el) : el;
      const ground = isSvg ? svgBehind(textNode) : pageBehind(el);
      let ink = parse(isSvg ? style.fill : style.color);
      if (!ink) continue;
      const alpha = ink[3] * parseFloat(style.opacity || '1')
        * (isSvg ? parseFloat(style.fillOpacity || '1') : 1);
      ink = over([...ink.slice(0, 3), alpha], ground);
      const size = parseFloat(style.fontSize);
      const bold = parseInt(style.fontWeight, 10) >= 700;
      const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
      const value = ratio(ink, ground);
      checked += 1;
      if (value < needed) {
        failures.push({ text: el.textContent.trim().slice(0, 40), ratio: Math.round(value * 100) / 100,
          needed, ink: ink.map(Math.round).join(','), ground: ground.map(Math.round).join(',') });
      }
    }
  }
  // what a text box shows: its value, else its placeholder
  for (const box of document.querySelectorAll('input[type="text"], input:not([type]), textarea')) {
    if (!visible(box) || box.closest('[data-testid="stSidebar"]')) continue;
    const style = box.value ? getComputedStyle(box) : getComputedStyle(box, '::placeholder');
    if (!box.value && !box.placeholder) continue;
    const ground = pageBehind(box);
    const ink = over(parse(style.color), ground);
    const value = ratio(ink, ground);
    checked += 1;
    if (value < 4.5) {
      failures.push({ text: box.value || box.placeholder, ratio: Math.round(value * 100) / 100,
        needed: 4.5, ink: ink.map(Math.round).join(','), ground: ground.map(Math.round).join(',') });
    }
  }
  return { checked, failures: failures.slice(0, 12), count: failures.length };
}"""

# Fixed or sticky things (the step-through's floating bar, Streamlit's bottom bars) that lie
# over a control, a chart or a step-through; Streamlit's own page header is left out (the page
# scrolls under it by design). Also a chart's toolbar lying over its legend.
COVERED = r"""() => {
  const up = (node) => node.parentElement || (node.getRootNode() && node.getRootNode().host) || null;
  const roots = [document];
  for (const host of document.querySelectorAll('*')) if (host.shadowRoot) roots.push(host.shadowRoot);
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) return false;
    for (let at = el; at; at = up(at)) {
      if (!(at instanceof Element)) continue;
      const s = getComputedStyle(at);
      if (s.display === 'none' || s.visibility === 'hidden') return false;
    }
    return r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
  };
  const floating = [];
  for (const root of roots) {
    for (const el of root.querySelectorAll('*')) {
      const position = getComputedStyle(el).position;
      if ((position === 'fixed' || position === 'sticky') && shown(el)
          && !el.closest('[data-testid="stHeader"], [data-testid="stSidebar"], [data-testid="stToast"]')
          && !el.closest('[data-baseweb="popover"], [data-testid="stTooltipContent"]')) floating.push(el);
    }
  }
  const targets = [];
  for (const root of roots) {
    for (const el of root.querySelectorAll('button, input, a, [data-testid="stPlotlyChart"], .diagrambox, table')) {
      if (shown(el)) targets.push(el);
    }
  }
  const inside = (a, b) => { for (let at = a; at; at = up(at)) if (at === b) return true; return false; };
  const meets = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  // what lies under the page's header is hidden by it already: a bar inside the header's
  // strip covers nothing more, as long as it leaves the header's own buttons free
  const header = [...document.querySelectorAll('[data-testid="stHeader"]')].find(shown);
  const opaque = header && !/rgba\([^)]*,\s*0?\.?\d*\)$/.test(getComputedStyle(header).backgroundColor);
  const strip = opaque ? header.getBoundingClientRect() : null;
  const within = (a, b) => b && a.left >= b.left - 1 && a.right <= b.right + 1
    && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
  const overlaps = [];
  for (const cover of floating) {
    const box = cover.getBoundingClientRect();
    for (const target of targets) {
      if (inside(target, cover) || inside(cover, target)) continue;
      if (within(box, strip) && !inside(target, header)) continue;
      if (meets(box, target.getBoundingClientRect())) {
        overlaps.push(`${cover.className || cover.tagName} over ${target.tagName} ${(target.textContent || '').trim().slice(0, 20)}`);
      }
    }
  }
  for (const chart of document.querySelectorAll('.js-plotly-plot')) {
    const bar = chart.querySelector('.modebar-container');
    const legend = chart.querySelector('.legend');
    if (bar && legend && shown(bar) && shown(legend)
        && meets(bar.getBoundingClientRect(), legend.getBoundingClientRect())) {
      overlaps.push('chart toolbar over its legend');
    }
  }
  // a fixed bar's own controls are all on screen, none cut off
  for (const cover of floating) {
    for (const control of cover.querySelectorAll('button')) {
      const r = control.getBoundingClientRect();
      if (shown(control) && (r.left < 0 || r.right > innerWidth || r.right > cover.getBoundingClientRect().right + 1
          || control.scrollWidth > control.clientWidth + 1)) {
        overlaps.push(`${control.textContent.trim()} cut off in ${cover.className}`);
      }
    }
  }
  return overlaps;
}"""


def contrast_failures(page: Page) -> dict:
    """{"checked": texts measured, "failures": the first few below WCAG AA, "count": all}."""
    return page.evaluate(CONTRAST)


def covered(page: Page) -> list[str]:
    """What lies over a control or a chart on screen now (empty when nothing does)."""
    return page.evaluate(COVERED)
