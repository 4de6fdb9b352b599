// The step-through's shared pieces, loaded first (rnnviz/app/stepper/__init__.py joins
// dom.js, stepper.js and drawing.js into one module): constants, DOM and SVG builders, number
// formats, and which key presses belong to a text box. Text is only ever set as textContent.

const SVG = "http://www.w3.org/2000/svg";
const REPORT_AFTER_MS = 700;
const CELL_WIDTH = 64;
const GREY = "rgba(255,255,255,0.72)";
// The diagram's colours on a light and on a dark page: read boxes in colour, unread ones grey
// (still readable), the current step framed in the strongest ink.
const PALETTES = {
  light: {
    ink: "#111", faded: "#666", unreadFill: "#f3f3f3", current: "#111", unknown: "#c0392b",
    fills: { y: "#d9f0e8", h: "#d7e6fb", x: "#fde9c8" },
  },
  dark: {
    ink: "#f2f2f2", faded: "#a6a6a6", unreadFill: "#262626", current: "#ffd24a", unknown: "#ff8a96",
    fills: { y: "#1b4a36", h: "#1c3a66", x: "#5c4215" },
  },
};
// A slide draws every step when they fit at this width or more (the whole sentence at End).
const SLIDE_MIN_CELL = 52;

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (name === "text") node.textContent = value;
    else if (name === "className") node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

function svg(tag, attributes, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function fill(template, values) {
  return template.replace(/\{(\w+)(:[^}]*)?\}/g, (whole, name) =>
    name in values ? String(values[name]) : whole
  );
}

function number(value, digits = 3) {
  if (value === null || value === undefined) return "—";
  if (Math.abs(value) >= 1e4 || (value !== 0 && Math.abs(value) < 1e-3)) {
    // 2.84 × 10⁻⁴, as the rest of the page writes small and large numbers (never 2.84e-4)
    const [mantissa, exponent] = value.toExponential(2).split("e");
    const power = exponent.replace("+", "").replace(/[-0-9]/g, (c) => "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"["-0123456789".indexOf(c)]);
    return `${mantissa.replace("-", "−")} × 10${power}`;
  }
  return value.toFixed(digits).replace("-", "−");
}

function percent(value) {
  return value === null || value === undefined ? "—" : `${(value * 100).toFixed(1)}%`;
}

function subscript(base, index) {
  const digits = "₀₁₂₃₄₅₆₇₈₉";
  return base + String(index).replace(/\d/g, (d) => digits[Number(d)]);
}

// Text boxes, selects and sliders keep their own keys; anything else (a button, a radio
// button just clicked in the sidebar) does not stop the step keys.
const TEXT_INPUTS = ["text", "search", "email", "number", "password", "url", "tel", "range"];
const OWN_KEYS_ROLES = ["textbox", "combobox", "slider", "spinbutton", "listbox", "option",
  "searchbox"];

function editable(target) {
  if (!target || !target.tagName) return false;
  const tag = target.tagName.toLowerCase();
  if (tag === "textarea" || tag === "select" || target.isContentEditable) return true;
  if (tag === "input") return TEXT_INPUTS.includes((target.type || "text").toLowerCase());
  const role = target.getAttribute && target.getAttribute("role");
  return OWN_KEYS_ROLES.includes(role);
}

function activates(target) {
  // Space clicks a focused button or ticks a checkbox: leave that to the browser.
  if (!target || !target.tagName) return false;
  const tag = target.tagName.toLowerCase();
  const type = (target.type || "").toLowerCase();
  return tag === "button" || (tag === "input" && (type === "checkbox" || type === "button"))
    || ["button", "switch", "checkbox", "tab"].includes(target.getAttribute("role"));
}
