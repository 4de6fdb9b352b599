// What Stepper.render() draws: the unrolled diagram, the bars, the equations with their real
// numbers, the softmax and cross-entropy, and the current step outlined in the linked Plotly
// charts. Written as a class for its method syntax; its methods become the Stepper's.

class StepperDrawing {
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

for (const name of Object.getOwnPropertyNames(StepperDrawing.prototype)) {
  if (name !== "constructor") Stepper.prototype[name] = StepperDrawing.prototype[name];
}
