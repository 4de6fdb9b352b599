"""One computation per key at a time, for the caches that sessions share: when a class of
phones asks for the same new sentence at the same moment, the first session computes its trace
(or chart) and the others wait for it and read the result, instead of each computing it again
on the same two cores."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Hashable, Iterator
from typing import TypeVar

WAIT_SECONDS = 120.0  # a waiter gives up after this and computes for itself
T = TypeVar("T")


class Flights:
    """Which keys are being computed now. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[Hashable, threading.Event] = {}
        self.waited = 0  # callers that waited for another's computation (for tests)

    @contextlib.contextmanager
    def turn(self, key: Hashable, timeout: float = WAIT_SECONDS) -> Iterator[bool]:
        """True: this caller computes `key` (the others wait until the block ends); False:
        another caller computed it meanwhile (look the cache up again; compute if it is not
        there, e.g. too large to keep)."""
        with self._lock:
            event = self._running.get(key)
            mine = event is None
            if mine:
                event = self._running[key] = threading.Event()
            else:
                self.waited += 1
        if not mine:
            event.wait(timeout)
            yield False
            return
        try:
            yield True
        finally:
            with self._lock:
                self._running.pop(key, None)
            event.set()

    def once(self, key: Hashable, look: Callable[[], T | None], make: Callable[[], T]) -> T:
        """What `look()` finds, else what `make()` returns (and keeps, if it keeps it): made
        by one caller per key at a time, the others waiting for it and then looking again."""
        found = look()
        if found is not None:
            return found
        with self.turn(key) as mine:
            if not mine and (found := look()) is not None:
                return found
            return make()
