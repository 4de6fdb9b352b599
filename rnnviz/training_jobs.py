"""One training of your own sentences at a time per server: requests wait in a queue (one per
owner, a ceiling on waiting ones) and each runs in its own low-priority worker process
(`python -m rnnviz.training_jobs FOLDER`) that reports its progress as JSON lines. Its files
live only in a temporary folder removed when the job ends. No page is drawn here."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import deque
from dataclasses import asdict, dataclass, field
from pathlib import Path

LOG = logging.getLogger("rnnviz")
PACKAGE_PARENT = Path(__file__).resolve().parent.parent
WORKER_NICENESS = 10
MAX_WAITING = 20
MAX_SECONDS = 600  # a job still running after this is ended
KEEP_FINISHED_SECONDS = 900  # results nobody collected are dropped after this
STATES = ("waiting", "running", "done", "stopped", "failed")


class QueueRefused(ValueError):
    """A request that cannot be queued: its owner already has one, or the queue is full."""


@dataclass(frozen=True)
class TrainingRequest:
    """What to train: the checked (sentence, label) pairs, the architectures (trained one after
    the other), the token mode, the seed and where the data came from."""

    pairs: tuple[tuple[str, str], ...]
    archs: tuple[str, ...]
    mode: str = "word"
    seed: int = 0
    source: str = "your sentences"
    epochs: int | None = None


@dataclass
class Job:
    """One request and what its worker reported. Read through TrainingQueue.snapshot()."""

    owner: str
    request: TrainingRequest
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    state: str = "waiting"
    arch: str | None = None
    progress: dict[str, list[dict]] = field(default_factory=dict)
    results: dict[str, bytes] = field(default_factory=dict)
    error: str | None = None
    niceness: int | None = None
    stop_requested: bool = False
    finished_at: float | None = None


@dataclass(frozen=True)
class JobView:
    """A copy of a job's state for a page: `place` is 0 while it runs, n while n-1 jobs are
    ahead of it in the queue (and one running)."""

    id: str
    state: str
    place: int
    arch: str | None
    progress: dict[str, list[dict]]
    finished: tuple[str, ...]
    error: str | None
    niceness: int | None


class TrainingQueue:
    """The server's queue. One thread runs the jobs one at a time, each in a worker process;
    every method is safe to call from the threads of many sessions."""

    def __init__(
        self,
        max_waiting: int = MAX_WAITING,
        temp_root: Path | None = None,
        max_seconds: float = MAX_SECONDS,
    ) -> None:
        self.max_waiting = max_waiting
        self.temp_root = temp_root
        self.max_seconds = max_seconds
        self._jobs: dict[str, Job] = {}
        self._waiting: deque[str] = deque()
        self._running: Job | None = None
        self._process: subprocess.Popen | None = None
        self._lock = threading.Condition()
        self._thread = threading.Thread(target=self._run_forever, daemon=True)
        self._thread.start()

    def submit(self, owner: str, request: TrainingRequest) -> str:
        """Queue a request; returns the job's id. Raises QueueRefused if `owner` has a job
        waiting or running, or if max_waiting jobs already wait."""
        with self._lock:
            self._forget_old()
            for job in self._jobs.values():
                if job.owner == owner and job.state in ("waiting", "running"):
                    raise QueueRefused("owner")
            if len(self._waiting) >= self.max_waiting:
                raise QueueRefused("full")
            job = Job(owner=owner, request=request)
            self._jobs[job.id] = job
            self._waiting.append(job.id)
            self._lock.notify_all()
            return job.id

    def snapshot(self, job_id: str, owner: str) -> JobView | None:
        """The state of `owner`'s job `job_id`, or None (unknown, forgotten, or not theirs)."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.owner != owner:
                return None
            place = list(self._waiting).index(job_id) + 1 if job.state == "waiting" else 0
            return JobView(
                id=job.id,
                state=job.state,
                place=place,
                arch=job.arch,
                progress={arch: list(items) for arch, items in job.progress.items()},
                finished=tuple(job.results),
                error=job.error,
                niceness=job.niceness,
            )

    def stop(self, job_id: str, owner: str) -> None:
        """Stop `owner`'s job: a waiting one leaves the queue; a running one ends its current
        architecture with the weights trained so far and skips the rest."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.owner != owner:
                return
            job.stop_requested = True
            if job.state == "waiting":
                self._waiting.remove(job_id)
                self._finish(job, "stopped")
            elif job is self._running and self._process is not None:
                self._process.send_signal(signal.SIGTERM)

    def collect(self, job_id: str, owner: str) -> dict[str, bytes]:
        """The checkpoints of `owner`'s finished job by architecture; the job is forgotten."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.owner != owner or job.state in ("waiting", "running"):
                return {}
            del self._jobs[job_id]
            return dict(job.results)

    def waiting_count(self) -> int:
        with self._lock:
            return len(self._waiting)

    def _forget_old(self) -> None:
        now = time.monotonic()
        for job_id, job in list(self._jobs.items()):
            if job.finished_at is not None and now - job.finished_at > KEEP_FINISHED_SECONDS:
                del self._jobs[job_id]

    def _finish(self, job: Job, state: str, error: str | None = None) -> None:
        job.state, job.error, job.finished_at = state, error, time.monotonic()

    def _run_forever(self) -> None:
        while True:
            with self._lock:
                while not self._waiting:
                    self._lock.wait()
                job = self._jobs[self._waiting.popleft()]
                job.state = "running"
                self._running = job
            try:
                self._run(job)
            except Exception as error:  # a broken worker must not stop the queue
                LOG.exception("training job %s failed", job.id)
                with self._lock:
                    self._finish(job, "failed", f"{type(error).__name__}: {error}")
            finally:
                with self._lock:
                    self._running, self._process = None, None

    def _run(self, job: Job) -> None:
        with tempfile.TemporaryDirectory(prefix="rnnviz-train-", dir=self.temp_root) as folder:
            request_path = Path(folder) / "request.json"
            request_path.write_text(json.dumps(asdict(job.request), ensure_ascii=False))
            with open(Path(folder) / "stderr.txt", "w+", encoding="utf-8") as errors:
                with self._lock:
                    if job.stop_requested:
                        self._finish(job, "stopped")
                        return
                    self._process = process = subprocess.Popen(
                        [sys.executable, "-m", "rnnviz.training_jobs", folder],
                        cwd=PACKAGE_PARENT,
                        stdout=subprocess.PIPE,
                        stderr=errors,
                        text=True,
                        encoding="utf-8",
                    )
                timer = threading.Timer(self.max_seconds, process.kill)
                timer.start()
                try:
                    for line in process.stdout:
                        self._read_event(job, _event(line), Path(folder))
                    code = process.wait()
                finally:
                    timer.cancel()
                    if process.poll() is None:
                        process.kill()
                        process.wait()
                    process.stdout.close()
                errors.seek(0)
                tail = errors.read()[-2000:]
        with self._lock:
            if code != 0 and job.error is None:
                LOG.error("training worker exited with %s: %s", code, tail)
                self._finish(job, "failed", f"the training process ended with code {code}")
            elif job.error is not None:
                self._finish(job, "failed", job.error)
            else:
                self._finish(job, "stopped" if job.stop_requested else "done")

    def _read_event(self, job: Job, event: dict, folder: Path) -> None:
        with self._lock:
            kind = event.get("event")
            if kind == "started":
                job.niceness = event["niceness"]
            elif kind == "arch":
                job.arch = event["arch"]
                job.progress[job.arch] = []
            elif kind == "progress":
                job.progress[event["arch"]].append(event["progress"])
            elif kind == "done":
                job.results[event["arch"]] = (folder / f"{event['arch']}.pt").read_bytes()
            elif kind == "error":
                job.error = event["message"]


def _event(line: str) -> dict:
    """A worker's JSON line; anything else a library printed is ignored."""
    try:
        event = json.loads(line)
    except ValueError:
        return {}
    return event if isinstance(event, dict) else {}


def _emit(event: dict) -> None:
    print(json.dumps(event, ensure_ascii=False), flush=True)


def work(folder: Path) -> None:
    """The worker process: read FOLDER/request.json, lower its own priority, train each
    architecture, write FOLDER/<arch>.pt and report every step of that as a JSON line. SIGTERM
    stops the current architecture (its weights so far are kept) and skips the rest; if the
    server process dies, the worker stops and removes the folder itself."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    server = os.getppid()
    os.nice(WORKER_NICENESS)
    import torch

    from .own_model import checkpoint_bytes, train_classifier

    torch.set_num_threads(1)
    _emit({"event": "started", "niceness": os.nice(0)})
    request = json.loads((folder / "request.json").read_text(encoding="utf-8"))
    pairs = [tuple(pair) for pair in request["pairs"]]
    for arch in request["archs"]:
        if stop.is_set():
            break
        _emit({"event": "arch", "arch": arch})
        try:
            model = train_classifier(
                pairs,
                arch,
                request["mode"],
                request["seed"],
                epochs=request["epochs"],
                source=request["source"],
                on_progress=lambda item, arch=arch: _emit(
                    {"event": "progress", "arch": arch, "progress": asdict(item)}
                ),
                should_stop=lambda: stop.is_set() or os.getppid() != server,
            )
        except ValueError as error:
            _emit({"event": "error", "message": str(error)})
            return
        if os.getppid() != server:  # the server died: nobody will read or remove the folder
            shutil.rmtree(folder, ignore_errors=True)
            return
        (folder / f"{arch}.pt").write_bytes(checkpoint_bytes(model))
        _emit({"event": "done", "arch": arch})


if __name__ == "__main__":
    work(Path(sys.argv[1]))
