// The step-through, run in the browser: the server sends every step's numbers once per
// sentence (rnnviz/steps.py); stepping, Play and the keys redraw here, and the server hears
// about the step only when the user pauses. Text from the user is only ever set as
// textContent, never as HTML.
// This file: the Stepper (its controls, keys, Play, reporting the step) and the component's
// entry point; dom.js comes before it and drawing.js (what render() draws) after it.

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
