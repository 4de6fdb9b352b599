"""The server's training queue with real worker processes: one at a time, the others told
their place, one job per owner, a ceiling on waiting jobs, Stop, low priority, owners never see
each other's jobs, and the temporary folder gone afterwards."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import asdict

import psutil
import pytest

import rnnviz
from rnnviz.labelled import example_set
from rnnviz.training_jobs import (
    PACKAGE_PARENT,
    WORKER_NICENESS,
    QueueRefused,
    TrainingQueue,
    TrainingRequest,
)

PAIRS = tuple(example_set("order")[:20])


def wait_until_finished(queue: TrainingQueue, job: str, owner: str, seconds: float = 240):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        view = queue.snapshot(job, owner)
        if view.state not in ("waiting", "running"):
            return view
        time.sleep(0.2)
    raise AssertionError(f"job {job} still {view.state} after {seconds} s")


def test_one_at_a_time_places_isolation_and_cleanup(tmp_path):
    queue = TrainingQueue(max_waiting=2, temp_root=tmp_path)
    first = queue.submit("A", TrainingRequest(PAIRS, ("rnn", "bow"), "char", epochs=20))
    second = queue.submit("B", TrainingRequest(PAIRS, ("lstm",), "char", epochs=10))
    with pytest.raises(QueueRefused, match="owner"):
        queue.submit("A", TrainingRequest(PAIRS, ("gru",), "char"))
    assert queue.snapshot(second, "B").place in (1, 2)
    assert queue.snapshot(first, "B") is None and queue.collect(first, "B") == {}
    seen_running = set()
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        views = [queue.snapshot(first, "A"), queue.snapshot(second, "B")]
        running = [view.id for view in views if view.state == "running"]
        assert len(running) <= 1
        seen_running |= set(running)
        if views[1].state == "running":
            assert views[0].state == "done"  # the second never starts before the first ends
        if views[1].state == "done":
            break
        time.sleep(0.1)
    a_view = queue.snapshot(first, "A")
    assert a_view.state == "done" and a_view.niceness >= WORKER_NICENESS
    assert [len(a_view.progress[arch]) for arch in ("rnn", "bow")] == [20, 20]
    results = queue.collect(first, "A")
    assert set(results) == {"rnn", "bow"}
    model = rnnviz.load_checkpoint(results["rnn"])
    assert model.card["training"]["epochs"] == "20 of 20"
    assert set(queue.collect(second, "B")) == {"lstm"}
    assert queue.snapshot(first, "A") is None  # collected jobs are forgotten
    assert list(tmp_path.iterdir()) == []


def test_stop_running_and_waiting(tmp_path):
    queue = TrainingQueue(temp_root=tmp_path)
    running = queue.submit("A", TrainingRequest(PAIRS, ("lstm", "gru"), "char", epochs=100000))
    waiting = queue.submit("B", TrainingRequest(PAIRS, ("rnn",), "char"))
    queue.stop(waiting, "B")
    assert queue.snapshot(waiting, "B").state == "stopped"
    while not queue.snapshot(running, "A").progress.get("lstm"):
        time.sleep(0.2)
    queue.stop(running, "A")
    view = wait_until_finished(queue, running, "A")
    assert view.state == "stopped" and view.finished == ("lstm",)  # gru skipped
    model = rnnviz.load_checkpoint(queue.collect(running, "A")["lstm"])
    assert model.card["training"]["stopped_by_user"]
    assert list(tmp_path.iterdir()) == []


def test_full_queue(tmp_path):
    queue = TrainingQueue(max_waiting=1, temp_root=tmp_path)
    jobs = [queue.submit("A", TrainingRequest(PAIRS, ("rnn",), "char", epochs=100000))]
    while queue.snapshot(jobs[0], "A").state == "waiting":
        time.sleep(0.1)
    jobs.append(queue.submit("B", TrainingRequest(PAIRS, ("rnn",), "char")))
    with pytest.raises(QueueRefused, match="full"):
        queue.submit("C", TrainingRequest(PAIRS, ("rnn",), "char"))
    queue.stop(jobs[1], "B")
    queue.stop(jobs[0], "A")
    wait_until_finished(queue, jobs[0], "A")


def test_a_refused_request_fails_with_its_reason(tmp_path):
    queue = TrainingQueue(temp_root=tmp_path)
    job = queue.submit("A", TrainingRequest(PAIRS, ("transformer",), "char"))
    view = wait_until_finished(queue, job, "A")
    assert view.state == "failed" and "Unknown architecture 'transformer'" in view.error
    assert queue.collect(job, "A") == {}
    assert list(tmp_path.iterdir()) == []


def test_a_worker_whose_server_dies_stops_and_removes_its_folder(tmp_path):
    """The worker is started by a stand-in server process that is killed mid-training."""
    folder = tmp_path / "job"
    folder.mkdir()
    request = TrainingRequest(PAIRS, ("lstm", "gru"), "char", epochs=100000)
    (folder / "request.json").write_text(json.dumps(asdict(request), ensure_ascii=False))
    launcher = (
        "import subprocess, sys, time; "
        f"worker = subprocess.Popen([sys.executable, '-m', 'rnnviz.training_jobs', {str(folder)!r}], "
        "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(worker.pid, flush=True); time.sleep(600)"
    )
    server = subprocess.Popen(
        [sys.executable, "-c", launcher], cwd=PACKAGE_PARENT, stdout=subprocess.PIPE, text=True
    )
    worker = psutil.Process(int(server.stdout.readline()))
    time.sleep(15)  # the worker imports torch and starts training
    server.kill()
    server.wait()
    worker.wait(timeout=120)  # not a child of this process: psutil gives no exit code
    assert not folder.exists()
