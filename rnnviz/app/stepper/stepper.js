// The step-through, run in the browser: the server sends every step's numbers once per
// sentence (rnnviz/steps.py); stepping, Play and the keys redraw here, and the server hears
// about the step only when the user pauses. Text from the user is only ever set as
// textContent, never as HTML.

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

class Stepper {
  constructor(root) {
    this.root = root;
    this.step = 0;
    this.playing = false;
    this.speed = 1.5;
    this.timer = null;
    this.reportTimer = null;
    this.signature = null;
    this.serverStep = null;
    this.reported = null;
    this.onKey = (event) => this.key(event);
    this.onClassStep = (event) => this.follow(event.detail.step);
    this.build();
  }

  build() {
    const button = (className, handler) => {
      const node = el("button", { className, type: "button" });
      node.addEventListener("mousedown", (event) => event.preventDefault());
      node.addEventListener("click", handler);
      return node;
    };
    this.first = button("first", () => this.go(0));
    this.previous = button("previous", () => this.go(this.step - 1));
    this.playButton = button("play", () => this.toggle());
    this.next = button("next", () => this.go(this.step + 1));
    this.last = button("last", () => this.go(this.total - 1));
    this.slider = el("input", { type: "range", min: "0", max: "0", step: "1", value: "0" });
    this.slider.addEventListener("input", () => this.go(Number(this.slider.value)));
    this.count = el("span", { className: "count" });
    this.speedInput = el("input", { type: "range", min: "0.3", max: "3", step: "0.1" });
    this.speedInput.addEventListener("input", () => this.setSpeed(Number(this.speedInput.value)));
    this.speedText = el("span", { className: "speedtext" });
    this.speedBox = el("label", { className: "speed" }, this.speedInput, this.speedText);
    this.bar = el(
      "div", { className: "bar" },
      this.first, this.previous, this.playButton, this.next, this.last,
      el("div", { className: "scrub" }, this.slider, this.count),
      this.speedBox,
    );
    this.hint = el("div", { className: "hint" });
    this.reading = el("div", { className: "reading" });
    this.body = el("div", { className: "body" });
    this.floatPrevious = button("previous", () => this.go(this.step - 1));
    this.floatPlay = button("play", () => this.toggle());
    this.floatNext = button("next", () => this.go(this.step + 1));
    this.floatCount = el("span", { className: "count" });
    this.floating = el(
      "div", { className: "floating" },
      this.floatPrevious, this.floatPlay, this.floatNext, this.floatCount,
    );
    this.container = el(
      "div", { className: "stepper" }, this.bar, this.hint, this.reading, this.body, this.floating,
    );
    this.root.append(this.container);
    this.onScroll = () => {
      if (this.scrollFrame) return;
      this.scrollFrame = requestAnimationFrame(() => {
        this.scrollFrame = null;
        this.placeFloating();
      });
    };
  }

  placeFloating() {
    // The floating bar stands in for the step bar scrolled away, inside the page's own header
    // strip (between its buttons), where it covers nothing the header does not already cover;
    // only while what it steps (this component, the charts it outlines) is still on screen.
    // With no header on screen (presenter mode) it is not shown.
    if (!this.root.isConnected || !this.data) return;
    const header = document.querySelector('[data-testid="stHeader"]');
    const strip = header ? header.getBoundingClientRect() : null;
    const linked = this.data.charts.flatMap((key) => [...document.querySelectorAll(`.st-key-${key}`)]);
    const host = this.root.host || this.root;
    const bottom = Math.max(...[host, ...linked].map((node) => node.getBoundingClientRect().bottom));
    const top = strip ? strip.bottom : 0;
    const shown = Boolean(strip && strip.height >= 44 && getComputedStyle(header).display !== "none")
      && this.bar.getBoundingClientRect().bottom < top && bottom > top + 80;
    this.floating.classList.toggle("shown", shown);
  }

  attach() {
    // Capture phase: a focused widget (a radio button just clicked) must not take the keys.
    window.addEventListener("keydown", this.onKey, true);
    document.addEventListener("scroll", this.onScroll, true);
    window.addEventListener("rnnviz:class-step", this.onClassStep);
    window.__rnnvizStepper = this;
  }

  detach() {
    window.removeEventListener("keydown", this.onKey, true);
    document.removeEventListener("scroll", this.onScroll, true);
    window.removeEventListener("rnnviz:class-step", this.onClassStep);
    this.stop(false);
    clearTimeout(this.reportTimer);
  }

  update(data) {
    this.data = data;
    this.strings = data.strings;
    this.total = data.payload.tokens.length;
    const fresh = data.signature !== this.signature;
    if (fresh) {
      this.signature = data.signature;
      this.step = data.step;
      this.reported = data.step;
      if (this.playing) this.stop(false);
    } else if (data.step !== this.serverStep && data.step !== this.reported) {
      this.step = data.step;  // moved by the server (a link, the Back button)
      this.reported = data.step;
    }
    this.serverStep = data.step;
    if (!this.speedSet) {
      // Streamlit may mount a new element on a rerun: the chosen speed outlives it.
      const kept = (window.__rnnvizSpeeds || {})[data.key];
      this.speed = kept || data.speed;
      this.speedSet = true;
    }
    this.step = Math.max(0, Math.min(this.total - 1, this.step));
    const s = this.strings;
    this.first.textContent = s.first;
    this.previous.textContent = s.previous;
    this.next.textContent = s.next;
    // the header strip is narrow on a phone: arrows, their words as labels
    this.floatPrevious.textContent = "←";
    this.floatNext.textContent = "→";
    this.floatPrevious.setAttribute("aria-label", s.previous);
    this.floatNext.setAttribute("aria-label", s.next);
    this.floatPrevious.title = s.previous;
    this.floatNext.title = s.next;
    this.last.textContent = s.last;
    this.hint.textContent = s.hint;
    this.slider.max = String(this.total - 1);
    this.slider.setAttribute("aria-label", s.step_label);
    this.speedInput.value = String(this.speed);
    this.speedInput.setAttribute("aria-label", s.speed_label);
    for (const node of [this.first, this.previous, this.next, this.last, this.playButton,
      this.slider, this.floatPrevious, this.floatNext, this.floatPlay]) {
      node.disabled = this.total < 2;
    }
    this.layout();
    this.render();
  }

  layout() {
    this.body.replaceChildren();
    const s = this.strings;
    if (this.data.mode === "lockstep") {
      const models = el("div", { className: "models" });
      this.cards = this.data.payload.models.map((model) => {
        const label = el("div", { className: "label" });
        const value = el("div", { className: "note" });
        models.append(el("div", { className: "model" },
          el("div", { className: "title", text: model.name }), label, value));
        return { model, label, value };
      });
      this.body.append(el("div", { className: "title", text: s.outputs_title }), models);
    } else {
      this.diagramTitle = el("div", { className: "title", text: s.diagram_title });
      this.diagram = el("div", { className: "diagrambox" });
      this.barsTitle = el("div", { className: "title" });
      this.bars = el("div", { className: "bars" });
      this.equations = el("div", { className: "equations" });
      this.softmax = el("div", { className: "softmaxbox" });
      // A lesson slide shows only the panels it names, side by side; every panel is drawn.
      const parts = this.data.parts || ["diagram", "bars", "equation", "softmax"];
      const blocks = {
        diagram: el("div", {}, this.diagramTitle, this.diagram),
        bars: el("div", {}, this.barsTitle, this.bars),
        equation: el("div", {}, el("div", { className: "title", text: s.equation_title }),
          this.equations),
        softmax: el("div", {}, el("div", { className: "title", text: s.softmax_title }),
          this.softmax),
      };
      if (this.data.slide) {
        const shown = parts.filter((name) => name in blocks).map((name) => blocks[name]);
        this.body.append(el("div", { className: shown.length > 1 ? "grid" : "single" }, ...shown));
      } else {
        this.body.append(
          el("div", { className: "grid" }, blocks.diagram, blocks.bars),
          blocks.equation,
          blocks.softmax,
        );
      }
    }
    this.container.classList.toggle("slide", Boolean(this.data.slide));
    this.container.classList.toggle("dark", Boolean(this.data.dark));
    if (this.data.payload.nonfinite.length) {
      this.body.append(el("div", { className: "warn", text: s.nonfinite }));
    }
  }

  setSpeed(seconds) {
    this.speed = Math.min(3, Math.max(0.3, seconds));
    window.__rnnvizSpeeds = { ...(window.__rnnvizSpeeds || {}), [this.data.key]: this.speed };
    this.speedText.textContent = fill(this.strings.speed, { s: this.speed.toFixed(1) });
    if (this.playing) this.schedule();
  }

  key(event) {
    if (window.__rnnvizStepper !== this || !this.root.isConnected) return;
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.composedPath()[0];
    const own = target === this.slider || target === this.speedInput;
    if ((event.key === "Enter" || event.key === "Escape") && editable(target) && !own
      && target.tagName.toLowerCase() === "input") {
      setTimeout(() => target.blur(), 0);  // the box has taken its value: keys step again
      return;
    }
    const moves = { ArrowRight: 1, ArrowLeft: -1 };
    if (event.key in moves || event.key === "Home" || event.key === "End") {
      if (editable(target) && !own) return;
      if (own && target === this.speedInput) return;
      event.preventDefault();
      event.stopPropagation();
      if (event.key === "Home") this.go(0);
      else if (event.key === "End") this.go(this.total - 1);
      else this.go(this.step + moves[event.key]);
    } else if (event.key === " " || event.code === "Space") {
      if (editable(target) && !own) return;
      if (activates(target) && !this.root.contains(target)) return;
      event.preventDefault();
      event.stopPropagation();
      this.toggle();
    }
  }

  go(step, fromPlay = false) {
    const clamped = Math.max(0, Math.min(this.total - 1, step));
    if (!fromPlay && this.playing) this.stop(false);
    if (clamped === this.step) return;
    this.step = clamped;
    this.render();
    if (!this.playing) this.scheduleReport();
    // a live class's presenter page sends each step to the phones (rnnviz/app/live_class/classroom.js)
    window.dispatchEvent(new CustomEvent("rnnviz:step", {
      detail: { key: this.data.key, step: this.step },
    }));
  }

  follow(step) {
    // the class's step, heard by a following phone: shown, never reported back to the server
    if (window.__rnnvizStepper !== this || !this.root.isConnected) return;
    if (this.playing) this.stop(false);
    this.step = Math.max(0, Math.min(this.total - 1, step));
    this.reported = this.step;
    clearTimeout(this.reportTimer);
    this.render();
  }

  toggle() {
    if (this.total < 2) return;
    if (this.playing) {
      this.stop(true);
      return;
    }
    if (this.step >= this.total - 1) this.step = 0;
    this.playing = true;
    clearTimeout(this.reportTimer);
    this.render();
    this.schedule();
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (!this.playing) return;
      this.go(this.step + 1, true);
      if (this.step >= this.total - 1) this.stop(true);
      else this.schedule();
    }, this.speed * 1000);
  }

  stop(report) {
    clearTimeout(this.timer);
    const was = this.playing;
    this.playing = false;
    if (was) this.render();
    if (report) this.report();
  }

  scheduleReport() {
    clearTimeout(this.reportTimer);
    this.reportTimer = setTimeout(() => this.report(), REPORT_AFTER_MS);
  }

  report() {
    clearTimeout(this.reportTimer);
    if (this.step === this.reported) return;
    this.reported = this.step;
    this.setStateValue("step", this.step);
  }

  render() {
    const s = this.strings;
    const t = this.step;
    const tokens = this.data.payload.tokens;
    const label = this.playing ? s.pause : s.play;
    this.playButton.textContent = label;
    this.floatPlay.textContent = label.split(" ")[0];
    this.floatPlay.setAttribute("aria-label", label);
    this.floatPlay.title = label;
    this.slider.value = String(t);
    const count = fill(s.count, { t: t + 1, total: this.total });
    this.count.textContent = count;
    this.floatCount.textContent = `${count} · ${tokens[t]}`;
    this.setSpeed(this.speed);
    const token = el("span", { className: "token", text: tokens[t] });
    if (this.data.payload.unknown && this.data.payload.unknown[t]) {
      token.classList.add("unknown");
    }
    this.reading.replaceChildren(el("span", { text: fill(s.reading, { t: t + 1 }) }), token);
    if (this.data.mode === "lockstep") {
      for (const card of this.cards) {
        const [name, p] = card.model.top[t];
        card.label.textContent = name;
        card.value.textContent = `p = ${number(p)}`;
      }
    } else {
      this.drawDiagram();
      this.drawBars();
      this.drawEquations();
      this.drawSoftmax();
    }
    this.highlightCharts();
    if (this.container.dataset.step !== String(t + 1)) this.container.dataset.step = String(t + 1);
  }

  drawDiagram() {
    const payload = this.data.payload;
    const slide = Boolean(this.data.slide);
    // A slide draws at one pixel per unit with larger text, as many boxes as fit its panel.
    const width = slide
      ? Math.max(240, this.diagram.clientWidth || this.container.clientWidth)
      : Math.max(240, this.container.clientWidth * (window.innerWidth > 700 ? 0.58 : 1));
    // A slide fits every step when each keeps SLIDE_MIN_CELL px; else a window moves along.
    const cell = slide
      ? Math.max(SLIDE_MIN_CELL, Math.min(CELL_WIDTH, Math.floor(width / this.total)))
      : CELL_WIDTH;
    const size = Math.max(3, Math.min(slide ? 24 : 14, Math.floor(width / cell)));
    const [big, small] = slide ? [20, 18] : [15, 12];
    const colours = PALETTES[this.data.dark ? "dark" : "light"];
    const half = (cell - 14) / 2;  // half a box: 25 px at the full cell width
    let start = 0;
    if (this.total > size) {
      start = Math.min(Math.max(0, this.step - Math.floor(size / 2)), this.total - size);
    }
    const end = Math.min(this.total, start + size);
    const picture = svg("svg", {
      class: "diagram", viewBox: `0 0 ${(end - start) * cell} 250`,
      role: "img", "aria-label": this.strings.diagram_title,
    });
    if (slide) picture.style.width = `${(end - start) * cell}px`;
    const rows = [["y", 30], ["h", 105], ["x", 180]];
    const recurrent = payload.arch !== "bow" && payload.arch !== "position";
    for (let t = start; t < end; t++) {
      const centre = (t - start) * cell + cell / 2;
      const read = t <= this.step;
      const ink = read ? colours.ink : colours.faded;
      const current = t === this.step;
      for (const [name, y] of rows) {
        picture.append(svg("rect", {
          x: centre - half, y: y - 16, width: 2 * half, height: 32, rx: 5,
          fill: read ? colours.fills[name] : colours.unreadFill,
          stroke: current ? colours.current : ink, "stroke-width": current ? 3 : 1.2,
        }));
        picture.append(svg("text", {
          x: centre, y: y + 5, "text-anchor": "middle", "font-size": big, fill: ink,
        }, subscript(name, t + 1)));
      }
      for (const [from, to, name] of [[164, 121, "U"], [89, 46, "V"]]) {
        picture.append(svg("line", { x1: centre, y1: from, x2: centre, y2: to + 4, stroke: ink, "stroke-width": 1.5 }));
        picture.append(svg("path", { d: `M${centre - 4},${to + 6} L${centre},${to} L${centre + 4},${to + 6} Z`, fill: ink }));
        picture.append(svg("text", {
          x: centre + 8, y: (from + to) / 2 + 4, "font-size": small, "font-style": "italic", fill: ink,
        }, name === "U" && payload.arch === "position" ? subscript("U", t + 1) : name));
      }
      if (recurrent && t + 1 < end) {
        const nextInk = t + 1 <= this.step ? colours.ink : colours.faded;
        const x0 = centre + half;
        const x1 = centre + cell - half;
        picture.append(svg("line", { x1: x0, y1: 105, x2: x1 - 4, y2: 105, stroke: nextInk, "stroke-width": 1.5 }));
        picture.append(svg("path", { d: `M${x1 - 6},101 L${x1},105 L${x1 - 6},109 Z`, fill: nextInk }));
        // Above the boxes' top edge (y 89): the gap between boxes is narrower than the label.
        picture.append(svg("text", {
          x: (x0 + x1) / 2, y: 84, "text-anchor": "middle", "font-size": small, "font-style": "italic", fill: nextInk,
        }, "W"));
      }
      const word = payload.tokens[t];
      // as many (wide) characters as the cell holds on a slide; six on the explore view
      const fits = slide ? Math.max(2, Math.floor(cell / big)) : 6;
      const shown = word.length > fits ? `${word.slice(0, fits - 1)}…` : word;
      picture.append(svg("text", {
        x: centre, y: 228, "text-anchor": "middle", "font-size": big,
        fill: payload.unknown[t] ? colours.unknown : ink, "font-weight": current ? 700 : 400,
      }, shown));
    }
    const nodes = [picture];
    if (end - start < this.total) {
      nodes.push(el("div", {
        className: "note",
        text: fill(this.strings.window, { start: start + 1, end, total: this.total }),
      }));
    }
    this.diagram.replaceChildren(...nodes);
  }

  drawBars() {
    const entry = this.data.payload.steps[this.step];
    const s = this.strings;
    this.barsTitle.textContent = fill(s.bars_title, {
      t: this.step + 1, k: entry.bars.length, y: subscript("y", this.step + 1),
    });
    // A next word the model does not know is read as <unk>: that is the output to mark.
    const nextOutput = entry.next_unknown ? "<unk>" : entry.next;
    const rows = entry.bars.map(([name, p]) => {
      const bar = el("div", { className: "barfill" });
      bar.style.width = `${Math.max(0, Math.min(1, p || 0)) * 100}%`;
      if (entry.next !== null && name === nextOutput) bar.classList.add("next");
      return el("div", { className: "barrow" },
        el("span", { className: "barlabel", text: name, title: name }),
        el("div", { className: "bartrack" }, bar),
        el("span", { className: "barvalue", text: percent(p) }));
    });
    if (entry.next !== null) {
      const note = entry.next_unknown ? s.next_word_unknown : s.next_word;
      rows.push(el("div", { className: "note", text: fill(note, { word: entry.next }) }));
    }
    this.bars.replaceChildren(...rows);
  }

  drawEquations() {
    const payload = this.data.payload;
    const t = this.step + 1;
    const arch = payload.arch;
    const term = (value, name) =>
      el("span", { className: "term" },
        el("span", { className: "value", text: number(value) }),
        el("span", { className: "name", text: name }));
    const op = (text) => el("span", { className: "op", text });
    const lines = [el("div", { className: "general", text: this.strings.general })];
    for (const row of payload.steps[this.step].terms) {
      const j = row.unit;
      const h = `${subscript("h", t)}[${j}]`;
      if (arch === "rnn") {
        lines.push(el("div", { className: "line" }, op(`${h} = tanh(`),
          term(row.Ux, `U${subscript("x", t)}`), op("+"), term(row.Wh, `W${subscript("h", t - 1)}`),
          op("+"), term(row.b, "b"), op(`) = tanh(${number(row.pre)}) = ${number(row.h)}`)));
      } else if (arch === "lstm") {
        lines.push(el("div", { className: "line" }, op(`${subscript("c", t)}[${j}] =`),
          term(row.f, "f"), op(`· ${number(row.c_prev)} +`), term(row.i, "i"), op("·"),
          term(row.g, "g"), op(`= ${number(row.c)}`)));
        lines.push(el("div", { className: "line" }, op(`${h} =`), term(row.o, "o"),
          op(`· tanh(${number(row.c)}) = ${number(row.h)}`)));
      } else if (arch === "gru") {
        lines.push(el("div", { className: "line" }, op(`${h} = (1 −`), term(row.z, "z"),
          op(") ·"), term(row.n, `n (r = ${number(row.r)})`), op("+"), term(row.z, "z"), op("·"),
          term(row.h_prev, subscript("h", t - 1)), op(`= ${number(row.h)}`)));
      } else if (arch === "position") {
        lines.push(el("div", { className: "line" }, op(`${h} = tanh(`),
          term(row.U_sum_x, `U₁x₁ + … + ${subscript("U", t)}${subscript("x", t)}`), op("+"),
          term(row.b, "b"), op(`) = ${number(row.h)}`)));
      } else {
        lines.push(el("div", { className: "line" }, op(`${h} = tanh(`),
          term(row.U_mean_x, `U mean(x₁…${subscript("x", t)})`), op("+"), term(row.b, "b"),
          op(`) = ${number(row.h)}`)));
      }
    }
    this.equations.replaceChildren(...lines);
  }

  drawSoftmax() {
    const s = this.strings;
    const entry = this.data.payload.steps[this.step];
    const result = entry.softmax;
    const unknownTarget = (row) => row.is_target && entry.next_unknown && row.label === "<unk>";
    const shifted = result.shift !== 0 && result.shift !== null;
    const head = el("tr", {},
      el("th", { text: s.sm_output }), el("th", { text: s.sm_logit }),
      el("th", { text: shifted ? s.sm_exp_shifted : s.sm_exp }), el("th", { text: s.sm_p }));
    const rows = result.rows.map((row) => {
      const line = el("tr", {},
        el("td", { text: unknownTarget(row) ? fill(s.sm_unknown_row, { word: entry.next }) : row.label }),
        el("td", { text: number(row.logit) }),
        el("td", { text: number(row.exp) }), el("td", { text: number(row.p, 4) }));
      if (row.is_target) line.classList.add("target");
      return line;
    });
    const table = el("table", { className: "softmax" }, el("thead", {}, head), el("tbody", {}, ...rows));
    const nodes = [
      el("div", { className: "note", text: fill(s.sm_intro, { t: this.step + 1, h: subscript("h", this.step + 1) }) }),
      el("div", { className: "tablewrap" }, table),
      el("div", { className: "note", text: fill(s.sm_sum, { count: result.count, sum: number(result.sum) }) }),
    ];
    if (shifted) nodes.push(el("div", { className: "note", text: fill(s.sm_shift, { shift: number(result.shift) }) }));
    if (result.target === null) {
      nodes.push(el("div", { className: "loss", text: s.ce_none }));
    } else {
      const target = result.rows.find((row) => row.is_target);
      nodes.push(el("div", {
        className: "loss",
        text: fill(target && unknownTarget(target) ? s.ce_line_unknown : s.ce_line, {
          target: target ? target.label : "",
          word: entry.next,
          p: target ? number(target.p, 4) : "—",
          loss: number(result.loss),
        }),
      }));
      if (this.step === this.data.payload.loss_step) {
        nodes.push(el("div", { className: "note", text: s.ce_is_loss }));
      }
    }
    this.softmax.replaceChildren(...nodes);
  }

  highlightCharts() {
    const Plotly = window.Plotly;
    if (!Plotly) return;
    for (const key of this.data.charts) {
      for (const graph of document.querySelectorAll(`.st-key-${key} .js-plotly-plot`)) {
        this.highlight(Plotly, graph);
      }
    }
  }

  highlight(Plotly, graph) {
    if (!graph.layout || !graph.layout.xaxis) return;
    if (!graph.__rnnvizHooked && graph.on) {
      graph.__rnnvizHooked = true;
      graph.on("plotly_afterplot", () => {
        const active = window.__rnnvizStepper;
        if (active && !graph.__rnnvizBusy) active.highlight(window.Plotly, graph);
      });
    }
    const ticks = graph.layout.xaxis.tickvals || [];
    if (!ticks.length) return;
    const start = ticks[0];
    const end = ticks[ticks.length - 1] + 1;
    const t = this.step;
    const current = (graph.layout.shapes || []).filter((shape) => shape.type === "rect");
    const outlined = current.find((shape) => shape.fillcolor !== GREY);
    const inside = t >= start && t < end;
    if (inside ? outlined && outlined.x0 === t - 0.5 : !current.length) return;
    const kept = (graph.layout.shapes || []).filter((shape) => shape.type !== "rect");
    const shapes = [...kept];
    if (inside) {
      const vertical = { xref: "x", yref: "paper", y0: 0, y1: 1 };
      shapes.push({
        type: "rect", x0: t - 0.5, x1: t + 0.5, line: { color: "#111", width: 2.5 },
        fillcolor: "rgba(0,0,0,0)", ...vertical,
      });
      if (t + 1 < end) {
        shapes.push({
          type: "rect", x0: t + 0.5, x1: end - 0.5, fillcolor: GREY, line: { width: 0 },
          layer: "above", ...vertical,
        });
      }
    }
    graph.__rnnvizBusy = true;
    Promise.resolve(Plotly.relayout(graph, { shapes })).finally(() => {
      graph.__rnnvizBusy = false;
    });
  }
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  let stepper = parentElement.__rnnvizStepper;
  if (!stepper) {
    stepper = new Stepper(parentElement);
    parentElement.__rnnvizStepper = stepper;
  }
  stepper.setStateValue = setStateValue;
  stepper.attach();
  stepper.update(data);
  return () => stepper.detach();
}
