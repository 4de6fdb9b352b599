"""The server's collector (rnnviz/app/collector.py): it frees cyclic garbage on its own, with
Python's automatic collection off, and its interval comes from the environment."""

import gc
import time
import weakref

import pytest

from rnnviz.app.collector import DEFAULT_SECONDS, Collector, collect_seconds


class Node:
    pass


def test_the_collector_frees_a_cycle_that_nothing_else_collects():
    was_enabled = gc.isenabled()
    gc.disable()
    collector = None
    try:
        cycle = Node()
        cycle.me = cycle
        alive = weakref.ref(cycle)
        del cycle
        time.sleep(0.3)
        assert alive() is not None  # nobody collects it: automatic collection is off
        collector = Collector(0.05).start()
        deadline = time.monotonic() + 10
        while (alive() is not None or not collector.collections) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert alive() is None
        assert collector.collections >= 1
    finally:
        if collector is not None:
            collector.stop()
        if was_enabled:
            gc.enable()


def test_a_stopped_collector_collects_no_more():
    collector = Collector(0.02).start()
    time.sleep(0.2)
    collector.stop()
    done = collector.collections
    assert done >= 1
    time.sleep(0.1)
    assert collector.collections == done


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (None, DEFAULT_SECONDS),
        ("5", 5.0),
        ("0", 0.0),
        ("abc", DEFAULT_SECONDS),
        ("-1", DEFAULT_SECONDS),
        ("nan", DEFAULT_SECONDS),
    ],
)
def test_the_interval_comes_from_the_environment(monkeypatch, value, seconds):
    if value is None:
        monkeypatch.delenv("RNNVIZ_GC_SECONDS", raising=False)
    else:
        monkeypatch.setenv("RNNVIZ_GC_SECONDS", value)
    assert collect_seconds() == seconds


def test_an_interval_of_zero_starts_no_thread():
    collector = Collector(0).start()
    time.sleep(0.05)
    assert collector.collections == 0
    collector.stop()
