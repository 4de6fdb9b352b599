"""Interaction latency in a real browser (headless Chromium 1280×720 via Playwright), for this
checkout ("after") and, with --before DIR, another checkout of the dashboard (e.g. main,
exported with `git archive main | tar -x -C DIR`) measured in the same run.

Each time is from the action (a key press, a click, Enter) to the last DOM change it causes,
watched by a MutationObserver on the page and on every shadow root (the step-through component
draws inside one); "settled" means Streamlit is not running and the page has been quiet for
300 ms, and the time reported is that of the last change, not the quiet wait.
Stepping: → with nothing focused (a presenter's clicker); a checkout without keys outside the
slider is stepped with → on its focused slider thumb instead, the only key it had.
After a step the benchmark also waits until the step has reached the URL (the server hears it
when the user pauses) before the next press, so one press's rerun never lands in the next.
Run: python benchmarks/bench_latency.py [--before DIR] [--steps 20]"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from e2e.conftest import CHROMIUM_FLAGS, find_browser  # noqa: E402
from e2e.serve import streamlit_server  # noqa: E402
from report import SENTENCES, table, write_section  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
VIEWPORT = {"width": 1280, "height": 720}
FLAGSHIP = "我的职业是程序员，我最擅长的是电脑"
WATCH = """() => {
  window.__lastChange = performance.now();
  const options = {subtree: true, childList: true, attributes: true, characterData: true};
  const observer = new MutationObserver(() => { window.__lastChange = performance.now(); });
  observer.observe(document.body, options);
  const watched = new WeakSet();
  window.__watchShadows = () => {
    for (const node of document.querySelectorAll('*')) {
      if (node.shadowRoot && !watched.has(node.shadowRoot)) {
        watched.add(node.shadowRoot);
        observer.observe(node.shadowRoot, options);
      }
    }
  };
  window.__watchShadows();
}"""
SETTLED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.getAttribute('data-test-script-state') === 'notRunning'
    && [...document.querySelectorAll('.stPlotlyChart')].every(c => c.querySelector('.main-svg'))
    && performance.now() - window.__lastChange > 300;
}"""
# The step on screen: the step-through's data-step (after), or the "第 N 步" line (before).
SHOWN_STEP = """() => {
  for (const node of document.querySelectorAll('*')) {
    const stepper = node.shadowRoot && node.shadowRoot.querySelector('.stepper');
    if (stepper) return Number(stepper.dataset.step);
  }
  const match = document.body.innerText.match(/第 (\\d+) 步，读入/);
  return match ? Number(match[1]) : null;
}"""
STEPPER_IN_PAGE = """() => [...document.querySelectorAll('*')]
  .some(node => node.shadowRoot && node.shadowRoot.querySelector('.stepper'))"""


def settle(page) -> None:
    page.wait_for_timeout(50)
    page.wait_for_function(SETTLED, timeout=120_000, polling=25)


def timed(page, action) -> float:
    """Seconds from the action to the last DOM change that followed it."""
    page.evaluate("() => window.__watchShadows()")
    start = page.evaluate("() => performance.now()")
    action()
    settle(page)
    return (page.evaluate("() => window.__lastChange") - start) / 1000


def open_page(browser, url: str):
    page = browser.new_page(viewport=VIEWPORT, locale="zh-CN")
    page.goto(url)
    page.wait_for_selector(".stPlotlyChart .main-svg", timeout=120_000)
    page.evaluate(WATCH)
    settle(page)
    return page


def url_step(page) -> str | None:
    return page.evaluate("() => new URLSearchParams(location.search).get('step')")


def has_keys(page) -> bool:
    return page.evaluate(STEPPER_IN_PAGE)


def press_step(page, key: str) -> None:
    """→ or ← as the checkout allows: with nothing focused, else on the slider thumb."""
    if has_keys(page):
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        page.keyboard.press(key)
    else:
        thumb = page.locator('[data-testid="stSlider"] input[type="range"]').first
        thumb.focus()
        thumb.press(key)


def wait_for_url_change(page, previous: str | None) -> None:
    """Wait until the URL's step is no longer `previous` (the server has heard the step)."""
    page.wait_for_function(
        "(previous) => new URLSearchParams(location.search).get('step') !== previous",
        arg=previous,
        timeout=30_000,
        polling=25,
    )
    settle(page)


def steps(page, count: int) -> tuple[list[float], list[float]]:
    """Step latencies (press to last change) and press-to-URL times."""
    times, to_url = [], []
    for index in range(count):
        key = "ArrowRight" if (index // 5) % 2 == 0 else "ArrowLeft"
        previous = url_step(page)
        started = time.perf_counter()
        times.append(timed(page, lambda k=key: press_step(page, k)))
        wait_for_url_change(page, previous)
        to_url.append(time.perf_counter() - started)
    return times, to_url


def quick_presses(page, count: int = 10) -> tuple[int, int]:
    """`count` presses of → as fast as Playwright sends them; (expected, shown) step."""
    first = page.evaluate(SHOWN_STEP)
    if has_keys(page):
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        for _ in range(count):
            page.keyboard.press("ArrowRight")
    else:
        thumb = page.locator('[data-testid="stSlider"] input[type="range"]').first
        thumb.focus()
        for _ in range(count):
            thumb.press("ArrowRight")
    page.wait_for_timeout(300)
    settle(page)
    page.wait_for_timeout(1500)
    settle(page)
    return first + count, page.evaluate(SHOWN_STEP)


def play_speed(page, seconds: float | None, observe: float = 6.0) -> float:
    """Median seconds between shown steps while playing; `seconds` sets the speed (None: the
    checkout has no speed control and plays at its fixed pace)."""
    page.evaluate(
        f"""() => {{
          window.__stepTimes = [];
          let last = ({SHOWN_STEP})();
          const tick = () => {{
            const now = ({SHOWN_STEP})();
            if (now !== last) {{ window.__stepTimes.push(performance.now()); last = now; }}
            if (window.__stepTimes !== null) requestAnimationFrame(tick);
          }};
          requestAnimationFrame(tick);
        }}"""
    )
    if seconds is not None:
        page.evaluate(
            """(seconds) => {
              for (const node of document.querySelectorAll('*')) {
                const input = node.shadowRoot && node.shadowRoot.querySelector('.speed input');
                if (input) {
                  input.value = String(seconds);
                  input.dispatchEvent(new Event('input', {bubbles: true}));
                }
              }
            }""",
            seconds,
        )
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        page.keyboard.press(" ")
    else:
        page.get_by_role("button", name="▶ 播放").click()
    page.wait_for_timeout(int(observe * 1000))
    if seconds is not None:
        page.keyboard.press(" ")
    else:
        page.get_by_role("button", name="❚❚ 暂停").click()
    stamps = page.evaluate(
        "() => { const t = window.__stepTimes; window.__stepTimes = null; return t; }"
    )
    settle(page)
    gaps = [(b - a) / 1000 for a, b in zip(stamps, stamps[1:], strict=False)]
    return statistics.median(gaps) if gaps else float("nan")


def view_switches(page, count: int) -> list[float]:
    times = []
    for index in range(count):
        name = "RNN · LSTM · GRU" if index % 2 == 0 else "逐步查看一句话"
        times.append(timed(page, lambda n=name: page.get_by_text(n, exact=True).click()))
    return times


def edits(page, count: int) -> list[float]:
    box = page.get_by_label("句子", exact=True).first
    times = []
    for index in range(count):
        box.fill(SENTENCES[index % len(SENTENCES)])
        times.append(timed(page, lambda: box.press("Enter")))
    return times


def first_page(browser, script: Path, warm: bool = False) -> tuple[float, float, float]:
    """Seconds from process start to healthy, for the warm-up request (with `warm`: one GET of
    Streamlit's script health check, which runs the app's script once in the server, loading
    the models and jieba before any browser connects; else 0), and from then to the first
    page drawn, on a fresh server."""
    extra = ["--server.scriptHealthCheckEnabled", "true"] if warm else []
    with streamlit_server(str(script), extra) as (url, _, healthy):
        started = time.perf_counter()
        if warm:
            with urllib.request.urlopen(f"{url}/_stcore/script-health-check", timeout=120) as reply:
                reply.read()
        warmed = time.perf_counter() - started
        started = time.perf_counter()
        page = browser.new_page(viewport=VIEWPORT, locale="zh-CN")
        page.goto(url)
        page.wait_for_selector(".stPlotlyChart .main-svg", timeout=120_000)
        drawn = time.perf_counter() - started
        page.close()
    return healthy, warmed, drawn


def measure(browser, label: str, script: Path, count: int) -> tuple[list, list]:
    rows, notes = [], []
    healthy, _, drawn = first_page(browser, script)
    notes.append(
        f"{label}: server healthy {healthy:.1f} s after the process started; "
        f"first page drawn {drawn:.1f} s after healthy"
    )
    healthy, warmed, drawn = first_page(browser, script, warm=True)
    notes.append(
        f"{label}, with one request to /_stcore/script-health-check once healthy (the app's "
        f"script runs in the server before any browser): that request took {warmed:.1f} s, "
        f"then the first page was drawn in {drawn:.1f} s"
    )
    with streamlit_server(str(script)) as (url, _, _):
        page = open_page(browser, f"{url}/?s={quote(FLAGSHIP)}")
        in_browser = has_keys(page)
        latencies, to_url = steps(page, count)
        rows.append(
            [label, "step (→)", count, ms(statistics.median(latencies)), ms(max(latencies))]
        )
        if in_browser:
            rows.append(
                [
                    label,
                    "press → step in the URL (after a pause)",
                    count,
                    ms(statistics.median(to_url)),
                    ms(max(to_url)),
                ]
            )
        page.close()
        page = open_page(browser, f"{url}/?s={quote(FLAGSHIP)}")
        expected, shown = quick_presses(page)
        notes.append(
            f"{label}: 10 quick presses of → from step 1: shown step {shown}, "
            f"{expected - shown} lost"
        )
        page.close()
        speeds = [1.0, 0.5] if in_browser else [None]
        for seconds in speeds:
            page = open_page(browser, f"{url}/?s={quote(FLAGSHIP + '，' + FLAGSHIP)}")
            measured = play_speed(page, seconds)
            chosen = f"{seconds:.1f} s chosen" if seconds else "no speed control"
            notes.append(f"{label}: Play, {chosen}: {measured:.3f} s per step measured")
            page.close()
        page = open_page(browser, url)
        switches = view_switches(page, 6)
        rows.append(
            [
                label,
                "switch view (explore ↔ arch)",
                6,
                ms(statistics.median(switches)),
                ms(max(switches)),
            ]
        )
        page.close()
        page = open_page(browser, url)
        typed = edits(page, 6)
        rows.append(
            [label, "explore: edit + Enter", 6, ms(statistics.median(typed)), ms(max(typed))]
        )
        box = page.get_by_label("句子", exact=True).first
        box.fill("我要去打篮球。" * 250)
        paste = timed(page, lambda: box.press("Enter"))
        rows.append([label, "1,000-token paste + Enter", 1, ms(paste), ""])
        page.close()
    return rows, notes


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", type=Path, help="another checkout to measure first")
    parser.add_argument("--steps", type=int, default=20, help="step presses per checkout")
    args = parser.parse_args()
    checkouts = []
    if args.before:
        checkouts.append(("before", args.before.resolve() / "dashboard.py"))
    checkouts.append(("after", ROOT / "dashboard.py"))
    rows, notes = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=find_browser(playwright), args=CHROMIUM_FLAGS
        )
        for label, script in checkouts:
            found_rows, found_notes = measure(browser, label, script, args.steps)
            rows += found_rows
            notes += found_notes
        browser.close()
    body = table(["checkout", "interaction", "n", "median ms", "max ms"], rows)
    body += "\n\n" + "\n".join(f"- {note}" for note in notes)
    body += (
        "\n\nTargets: a step ≤ 150 ms median from the press to its last DOM change, 0 of 10 "
        "quick presses lost, Play within ±20 % of the chosen seconds per step, switching views "
        "≤ 500 ms median, the first page ≤ 3 s after the server is healthy, a 1,000-token "
        "paste settled within 2 s."
    )
    command = "python benchmarks/bench_latency.py" + (" --before DIR" if args.before else "")
    write_section("bench_latency", command, body)


if __name__ == "__main__":
    main()
