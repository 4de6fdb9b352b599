"""Start and stop a Streamlit server (or deploy/serve.sh) on a free loopback port: used by the
browser tests, the benchmarks and the screenshot script."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVE = ROOT / "deploy" / "serve.sh"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(
    script: str,
    extra: list[str] | None = None,
    stderr=subprocess.DEVNULL,
    root: Path = ROOT,
    timeout: float = 120,
):
    """Run `streamlit run <script>` (relative to `root`, the project by default; a benchmark
    may start another checkout) on a free loopback port, healthy within `timeout` seconds.
    Yields (url, process, seconds from start to healthy)."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(root / script),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            *(extra or []),
        ],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, started, timeout, f"{script} did not start", pause=0.1)
        yield url, process, time.perf_counter() - started
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_healthy(url: str, process, started: float, limit: float, failure: str, pause=0.3):
    """Wait until `url` answers /_stcore/health with 200; RuntimeError(`failure`) if `process`
    exits first or `limit` seconds pass from `started` (a perf_counter time)."""
    while True:
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response,
        ):
            if response.status == 200:
                return
        if process.poll() is not None or time.perf_counter() - started > limit:
            raise RuntimeError(failure)
        time.sleep(pause)


def start_serve_sh(replicas: int, port: int, log) -> subprocess.Popen:
    """deploy/serve.sh with `replicas` replicas on `port`, its output to `log`, in a process
    group of its own, its replicas run by this interpreter (and so with its packages)."""
    return subprocess.Popen(
        ["bash", str(SERVE), "--replicas", str(replicas), "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "PYTHON": sys.executable},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_group(process: subprocess.Popen, timeout: float = 30) -> None:
    """Stop serve.sh as Ctrl-C would (SIGTERM); its whole group with SIGKILL after `timeout`."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
