"""Start and stop a Streamlit server on a free loopback port: used by the browser tests, the
benchmarks and the screenshot script."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


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
        while True:
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response,
            ):
                if response.status == 200:
                    break
            if process.poll() is not None or time.perf_counter() - started > timeout:
                raise RuntimeError(f"{script} did not start")
            time.sleep(0.1)
        yield url, process, time.perf_counter() - started
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
