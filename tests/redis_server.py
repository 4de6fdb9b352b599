"""A real redis-server for tests: Debian's, on a free loopback port, no persistence, stopped
(and restartable on the same port) by the test. Missing redis-server skips outside CI and fails
under CI=true (.ci/run installs it)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest

INSTALL = "sudo apt-get install redis-server"


def redis_program() -> str:
    """The redis-server program, or a skip (a failure under CI) when it is not installed."""
    program = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if os.path.exists("/usr/bin/redis-server") else None
    )
    if program is None:
        if os.environ.get("CI"):
            pytest.fail(f"redis-server is missing under CI ({INSTALL}; .ci/run installs it)")
        pytest.skip(f"redis-server is not installed ({INSTALL})")
    return program


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """One redis-server process on 127.0.0.1:`port`; `stop` and `start` again keep the port."""

    def __init__(self, port: int | None = None) -> None:
        self.program = redis_program()
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> RedisServer:
        arguments = [self.program, "--port", str(self.port), "--bind", "127.0.0.1"]
        arguments += ["--save", "", "--appendonly", "no", "--dir", "/tmp", "--loglevel", "warning"]
        self.process = subprocess.Popen(
            arguments, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as probe:
                    probe.sendall(b"PING\r\n")
                    if probe.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
