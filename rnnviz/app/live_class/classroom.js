// The live class in the page: one event stream per tab (fetch, so the presenter's secret travels
// in a header, never in a URL), kept across Streamlit reruns. A following page asks for a rerun
// only when the class's section or reveal differs from what the server drew; steps go straight
// to the step-through (a window event); votes are posted from here. The presenter's page keeps
// its secret in localStorage (never shown), sends its steps and draws the live tally.

const PAGE_KEY = "rnnviz-class-page";
const SECRET_PREFIX = "rnnviz-class-secret-";
const RETRY_MS = 3000;
let asks = 0;

function pageId() {
  let id = sessionStorage.getItem(PAGE_KEY);
  if (!/^[0-9a-f]{32}$/.test(id || "")) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    id = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    sessionStorage.setItem(PAGE_KEY, id);
  }
  return id;
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => (name in values ? values[name] : ""));
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

class Link {
  constructor(code, page, secret, following) {
    this.code = code;
    this.page = page;
    this.secret = secret;
    this.following = following;
    this.state = null;
    this.views = new Set();
    this.closed = false;
    this.controller = null;
    this.delay = 500;
    this.onStep = (event) => this.sendStep(event.detail);
    if (secret) window.addEventListener("rnnviz:step", this.onStep);
    this.connect();
  }

  base() {
    return `${window.location.pathname.replace(/[^/]*$/, "")}api/class/${this.code}`;
  }

  headers() {
    return this.secret ? { "X-Class-Secret": this.secret } : {};
  }

  async connect() {
    while (!this.closed) {
      this.controller = new AbortController();
      const query = this.secret ? "" : `?page=${this.page}&follow=${this.following ? 1 : 0}`;
      try {
        const response = await fetch(`${this.base()}/events${query}`, {
          headers: this.headers(), signal: this.controller.signal, cache: "no-store",
        });
        if (response.status === 404) {
          this.receive({ gone: true });
          return;
        }
        if (!response.ok || !response.body) throw new Error(String(response.status));
        this.delay = 500;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (block.startsWith("event: gone")) {
              this.receive({ gone: true });
              return;
            }
            const line = block.split("\n").find((l) => l.startsWith("data: "));
            if (line) this.receive(JSON.parse(line.slice(6)));
          }
        }
      } catch (error) {
        if (this.closed) return;
      }
      await new Promise((resolve) => setTimeout(resolve, this.delay));
      this.delay = Math.min(this.delay * 2, 5000);
    }
  }

  reconnect() {
    if (this.controller) this.controller.abort();
  }

  close() {
    this.closed = true;
    window.removeEventListener("rnnviz:step", this.onStep);
    if (this.controller) this.controller.abort();
  }

  receive(state) {
    const before = this.state;
    this.state = state;
    if (before && !state.gone && state.step !== before.step) {
      window.__rnnvizClassStep = { sec: state.sec, step: state.step - 1 };
    }
    for (const view of [...this.views]) {
      if (view.root.isConnected) view.heard(state, before);
      else this.views.delete(view);
    }
  }

  async post(path, body) {
    const response = await fetch(`${this.base()}/${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...this.headers() },
      body: JSON.stringify(body),
    });
    return response.ok ? response.json() : null;
  }

  sendStep(detail) {
    if (!this.state || detail.key !== "lesson_stepper") return;
    this.post("control", { action: "step", step: detail.step + 1 });
  }
}

class View {
  constructor(root) {
    this.root = root;
    this.box = el("div", "rnnviz-class");
    root.append(this.box);
    this.asked = null;
  }

  update(data, link, trigger) {
    this.data = data;
    this.link = link;
    this.trigger = trigger;
    this.asked = null;  // the server has just drawn the page
    if (data.sync) document.body.classList.remove("rnnviz-class-moving");
    clearTimeout(this.retry);
    this.mine = { ...(data.mine || {}) };
    this.box.replaceChildren();
    this.box.classList.toggle("present", Boolean(data.present));
    this.line = el("div", "rnnviz-class-line");
    if (data.sync) this.box.append(this.line);
    this.choiceButtons = [];
    this.bars = null;
    const question = data.question;
    if (question && data.role === "follower" && !data.rendered.revealed) {
      this.status = el("div", "rnnviz-class-status");
      const row = el("div", "rnnviz-class-choices");
      question.choices.forEach((label, index) => {
        // Wrapped like a Streamlit button keyed lesson_choice_N, so the keys 1-3 press it.
        const holder = el("div", `st-key-lesson_choice_${index + 1}`);
        const button = el("button", "rnnviz-class-choice", `${index + 1} · ${label}`);
        button.type = "button";
        button.addEventListener("click", () => this.vote(index));
        holder.append(button);
        row.append(holder);
        this.choiceButtons.push(button);
      });
      this.note = el("div", "rnnviz-class-note");
      this.box.append(this.status, row, this.note);
    } else if (question && (data.role === "presenter" || data.rendered.revealed)) {
      this.status = el("div", "rnnviz-class-status");
      this.bars = el("div", "rnnviz-class-bars");
      this.box.append(this.status, this.bars);
    }
    if (link.state) this.heard(link.state, null);
  }

  heard(state, before) {
    const data = this.data;
    const s = data.strings;
    if (state.gone) {
      this.line.textContent = s.gone;
      if (data.sync) this.ask({ gone: true });
      return;
    }
    if (data.role === "presenter") {
      this.line.textContent = fill(s.presenter, { code: data.code, n: state.following });
    } else if (data.role === "alone") {
      this.line.textContent = fill(s.alone, {
        code: data.code, sec: state.sec, total: s.titles.length, title: s.titles[state.sec - 1],
      });
    } else {
      this.line.textContent = fill(s.following, { code: data.code });
      // only the page's banner asks for reruns and moves the step-through
      const stale = state.sec !== data.rendered.sec || state.revealed !== data.rendered.revealed;
      if (data.sync && stale) {
        // at once, before the rerun draws it: the class's new section named, the old one dimmed
        if (state.sec !== data.rendered.sec) {
          this.line.textContent = fill(s.moving, {
            sec: state.sec, total: s.titles.length, title: s.titles[state.sec - 1],
          });
          document.body.classList.add("rnnviz-class-moving");
        }
        this.ask({ sec: state.sec, revealed: state.revealed });
      }
      else if (data.sync && (!before || state.step !== before.step)) {
        window.dispatchEvent(new CustomEvent("rnnviz:class-step", {
          detail: { step: state.step - 1 },
        }));
      }
    }
    if (data.question && state.sec === data.rendered.sec) this.drawQuestion(state);
  }

  ask(wanted) {
    // one rerun for each state the server has not drawn yet (again after RETRY_MS, in case a
    // rerun that was under way drew the page from the state before)
    const key = JSON.stringify(wanted);
    if (this.asked === key && performance.now() - this.askedAt < RETRY_MS) return;
    this.asked = key;
    this.askedAt = performance.now();
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      if (this.link.state && this.root.isConnected) this.heard(this.link.state, this.link.state);
    }, RETRY_MS);
    asks += 1;
    this.trigger("sync", `${key}#${asks}`);
  }

  drawQuestion(state) {
    const s = this.data.strings;
    const labels = this.data.question.choices;
    if (this.choiceButtons.length) {
      const open = state.open && state.round > 0;
      const chosen = this.mine[String(state.round)];
      this.choiceButtons.forEach((button, index) => {
        button.disabled = !open;
        button.classList.toggle("chosen", open && chosen === index);
      });
      if (state.round === 0) this.status.textContent = s.waiting;
      else if (open) this.status.textContent = fill(s.round_open, { round: state.round });
      else if (state.round === 1) this.status.textContent = s.discuss;
      else this.status.textContent = s.round_done;
      this.note.textContent = open && chosen !== undefined
        ? fill(s.sent, { choice: labels[chosen] }) : "";
      return;
    }
    if (!this.bars) return;
    const rounds = ["1", "2"].filter((n) => state.votes[n]);
    if (this.data.role === "presenter") {
      if (state.open) {
        this.status.textContent = fill(s.answered, {
          round: state.round, n: state.answered, m: state.following,
        });
      } else if (state.round === 1 && !state.revealed) {
        this.status.textContent = s.discuss;
      } else {
        this.status.textContent = "";
      }
      this.status.classList.toggle("big", !state.open && state.round === 1 && !state.revealed);
    } else {
      this.status.textContent = s.distribution;
    }
    this.bars.replaceChildren();
    const most = Math.max(1, ...rounds.flatMap((n) => state.votes[n]));
    labels.forEach((label, index) => {
      const row = el("div", "rnnviz-class-row");
      const name = el("div", "rnnviz-class-label", `${index + 1} · ${label}`);
      if (this.data.correct === index && state.revealed) name.classList.add("right");
      row.append(name);
      for (const n of rounds) {
        const count = state.votes[n][index];
        const bar = el("div", `rnnviz-class-bar round${n}`);
        const fillBar = el("span", "", "");
        fillBar.style.width = `${(100 * count) / most}%`;
        bar.append(fillBar, el("b", "", fill(s.round_count, { n, count })));
        if (this.mine[n] === index) bar.classList.add("mine");
        row.append(bar);
      }
      this.bars.append(row);
    });
  }

  async vote(index) {
    const state = this.link.state;
    if (!state || !state.open) return;
    const round = String(state.round);
    const previous = this.mine[round];
    this.mine[round] = index;
    this.drawQuestion(state);
    const answer = await this.link.post("vote", {
      page: this.link.page, sec: state.sec, round: state.round, choice: index,
    });
    if (answer) {
      this.mine = { ...this.mine, ...answer.mine };
    } else {
      if (previous === undefined) delete this.mine[round];
      else this.mine[round] = previous;
      this.note.textContent = this.data.strings.vote_failed;
      return;
    }
    this.drawQuestion(this.link.state);
  }
}

export default function (component) {
  const { data, parentElement, setTriggerValue, setStateValue } = component;
  const page = pageId();
  setStateValue("page", page);
  const storageKey = SECRET_PREFIX + data.code;
  if (data.secret) localStorage.setItem(storageKey, data.secret);
  const kept = localStorage.getItem(storageKey);
  const claim = data.sync && !data.secret && kept && data.role !== "presenter";
  if (claim && window.__rnnvizClassClaimed !== kept) {
    window.__rnnvizClassClaimed = kept;
    setTriggerValue("claim", kept);
  }
  const secret = data.role === "presenter" ? data.secret : null;
  let link = window.__rnnvizClass;
  const following = data.role === "follower";
  // the page's banner (sync) decides the stream; a question's block joins the page's stream
  const stale = !link || link.code !== data.code;
  if (stale || (data.sync && link.secret !== secret)) {
    // a question's block may have been drawn before the banner: it moves to the new stream
    const carried = link && !stale ? [...link.views] : [];
    if (link) link.close();
    link = new Link(data.code, page, secret, following);
    for (const each of carried) {
      link.views.add(each);
      each.link = link;
    }
    window.__rnnvizClass = link;
  } else if (data.sync && link.following !== following) {
    link.following = following;
    link.reconnect();
  }
  clearTimeout(link.closing);
  let view = parentElement.__rnnvizClassView;
  if (!view) {
    view = new View(parentElement);
    parentElement.__rnnvizClassView = view;
  }
  link.views.add(view);
  view.update(data, link, setTriggerValue);
  return () => {
    // a rerun may draw the element again at once: the stream closes only if nothing does
    link.closing = setTimeout(() => {
      const shown = [...link.views].some((each) => each.root.isConnected);
      if (!shown && window.__rnnvizClass === link) {
        link.close();
        window.__rnnvizClass = null;
      }
    }, 3000);
  };
}
