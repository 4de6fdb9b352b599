"""The race on a server: one race at a time per process (RaceSlot), trained in a background
thread (BackgroundRace) that yields between steps, stops when asked or when its page is gone,
and hands out copies of its progress (RaceSnapshot) and, once, its models. The loop itself is
rnnviz.race; nothing here draws or knows Streamlit."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from .models import RecurrentModel
from .race import Progress, Race, RaceConfig


@dataclass(frozen=True)
class RaceSnapshot:
    """What a background race has done so far, copied out under its lock. status: running,
    finished, stopped (Stop pressed), abandoned (its owner stopped polling) or failed."""

    owner: str
    config: RaceConfig
    status: str
    step: int
    seconds: float
    started_at: float
    evaluations: tuple[dict[str, Any], ...]
    error: str = ""

    @property
    def progress(self) -> Progress:
        """Where the race is, as the loop reports it (its pace and the time left)."""
        return Progress(self.step, self.config.steps, self.seconds)

    @property
    def steps_per_second(self) -> float:
        return self.progress.steps_per_second

    @property
    def seconds_left(self) -> float | None:
        return self.progress.seconds_left


class BackgroundRace:
    """A race trained in one background thread, for a server with many sessions: it yields the
    GIL between steps, stops on stop() or when its owner has not called beat() for
    `heartbeat_timeout` seconds (the owner's page is gone), and hands its models out once."""

    def __init__(self, config: RaceConfig, owner: str, heartbeat_timeout: float = 10.0) -> None:
        self.config = config
        self.owner = owner
        self.heartbeat_timeout = heartbeat_timeout
        self._race = Race(config)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._status = "running"
        self._step = 0
        self._seconds = 0.0
        self._evaluations: list[dict[str, Any]] = []
        self._error = ""
        self._heartbeat = time.monotonic()
        self._started_at = time.time()
        self._thread = threading.Thread(target=self._run, name=f"race-{owner}", daemon=True)

    def start(self) -> BackgroundRace:
        self._thread.start()
        return self

    def _run(self) -> None:
        status = "finished"
        try:
            for progress in self._race.run():
                with self._lock:
                    self._step, self._seconds = progress.step, progress.seconds
                    self._evaluations += [e.to_json() for e in progress.evaluations]
                    silent = time.monotonic() - self._heartbeat
                if self._stop.is_set():
                    status = "stopped"
                    break
                if silent > self.heartbeat_timeout:
                    status = "abandoned"
                    break
                time.sleep(0)  # let the other sessions' threads run between steps
        except Exception as error:  # a failed race must say so on the page, not hang it
            status, self._error = "failed", f"{type(error).__name__}: {error}"
        for model in self._race.models.values():
            model.eval()
        with self._lock:
            self._status = status

    def beat(self) -> None:
        with self._lock:
            self._heartbeat = time.monotonic()

    def stop(self) -> None:
        self._stop.set()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    @property
    def running(self) -> bool:
        with self._lock:
            return self._status == "running"

    def snapshot(self) -> RaceSnapshot:
        with self._lock:
            return RaceSnapshot(
                owner=self.owner,
                config=self.config,
                status=self._status,
                step=self._step,
                seconds=self._seconds,
                started_at=self._started_at,
                evaluations=tuple(self._evaluations),
                error=self._error,
            )

    def take_models(self) -> dict[str, RecurrentModel] | None:
        """The trained models, once, after the race ended (None while it runs or once taken)."""
        with self._lock:
            if self._status == "running" or self._race is None:
                return None
            models, self._race = self._race.models, None
        return models


class RaceSlot:
    """At most one race at a time in a process: claim() starts one unless one is running."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.current: BackgroundRace | None = None

    def claim(self, config: RaceConfig, owner: str, heartbeat_timeout: float = 10.0):
        """Start a race for `owner`; None if another race is still running."""
        with self._lock:
            if self.current is not None and self.current.running:
                return None
            self.current = BackgroundRace(config, owner, heartbeat_timeout).start()
            return self.current
