"""Garbage collection for a server that a class keeps busy: a full collection every few
seconds in a thread of its own, instead of Streamlit's after every script run
(`runner.postScriptGC`, off in .streamlit/config.toml).

Measured with benchmarks/bench_load.py (120 students on one process): a full collection after
every run walked every session's objects each time and the server fell behind (p95 12 s,
against 0.7 s with this collector). With no full collection at all, cyclic garbage waits for
Python's own collector, which counts objects, not bytes (commit 0e48589 saw a long-sentence
attack pass 7 GB). Every `seconds`, garbage lives at most that long whatever the rate of
reruns."""

from __future__ import annotations

import gc
import logging
import os
import threading

LOG = logging.getLogger("rnnviz.collector")
DEFAULT_SECONDS = 2.0


def collect_seconds() -> float:
    """Seconds between two full collections: $RNNVIZ_GC_SECONDS (default 2; 0 turns it off)."""
    raw = os.environ.get("RNNVIZ_GC_SECONDS", str(DEFAULT_SECONDS))
    try:
        seconds = float(raw)
    except ValueError:
        LOG.error("RNNVIZ_GC_SECONDS=%r is not a number of seconds; using %s", raw, DEFAULT_SECONDS)
        return DEFAULT_SECONDS
    return seconds if seconds >= 0 and seconds == seconds else DEFAULT_SECONDS


class Collector:
    """A daemon thread running gc.collect() every `seconds` until stop()."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.collections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rnnviz-gc", daemon=True)

    def start(self) -> Collector:
        if self.seconds > 0:
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.seconds):
            gc.collect()
            self.collections += 1

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(self.seconds + 5)
