"""Real HTTP servers on 127.0.0.1 for end-to-end tests: our app in a thread, or as a process."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import uvicorn
from starlette.types import ASGIApp

ROOT = Path(__file__).resolve().parents[2]
DRESBACH = str(ROOT / ".venv" / "bin" / "dresbach")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.contextmanager
def serve_in_thread(app: ASGIApp) -> Iterator[str]:
    """Serve an ASGI app (lifespan included) on a free port; yields its origin."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = _Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the app did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class ServiceProcess:
    """`dresbach serve` as a real process, which a test may kill with SIGKILL."""

    def __init__(
        self, env: dict[str, str], port: int | None = None, *args: str, log: Path | None = None
    ) -> None:
        self.env = {**os.environ, **env}
        self.port = port or free_port()
        self.args = args
        self.log = log
        """When given, stderr is appended to this file (else a pipe, read when start fails)."""
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServiceProcess:
        command = [DRESBACH, "serve", "--host", "127.0.0.1", "--port", str(self.port), *self.args]
        if not Path(DRESBACH).exists():
            command = [sys.executable, "-m", "dresbach.cli.main", *command[1:]]
        self.process = _spawn(command, self.env, self.log)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dresbach serve exited: {_stderr_of(self.process, self.log)}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.origin}/healthz", timeout=0.5).status_code == 200:
                    return self
            time.sleep(0.05)
        raise RuntimeError("dresbach serve did not become healthy")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def _spawn(command: list[str], env: dict[str, str], log: Path | None) -> subprocess.Popen[bytes]:
    if log is None:
        return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with log.open("ab") as stderr:  # the child keeps its own descriptor
        return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=stderr)


def _stderr_of(process: subprocess.Popen[bytes], log: Path | None) -> str:
    if log is not None:
        return log.read_text(errors="replace")[-2000:]
    return process.stderr.read().decode()[-2000:] if process.stderr else ""


class WorkerProcess:
    """`dresbach worker` as a real process, which a test may kill with SIGKILL. It has no HTTP
    port: it counts as started once its heartbeat row (`host:pid`) is in the database."""

    def __init__(self, env: dict[str, str], *, log: Path | None = None) -> None:
        self.env = {**os.environ, **env}
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def name(self) -> str:
        assert self.process is not None
        return f"{socket.gethostname()}:{self.process.pid}"

    def spawn(self) -> WorkerProcess:
        """Start the process and return at once, without waiting for its first heartbeat."""
        command = [DRESBACH, "worker"]
        if not Path(DRESBACH).exists():
            command = [sys.executable, "-m", "dresbach.cli.main", "worker"]
        self.process = _spawn(command, self.env, self.log)
        return self

    def start(self) -> WorkerProcess:
        from tests.support.scale_out import has_beaten

        self.spawn()
        assert self.process is not None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dresbach worker exited: {_stderr_of(self.process, self.log)}")
            if has_beaten(self.env["DRESBACH_DATABASE_URL"], self.name):
                return self
            time.sleep(0.1)
        raise RuntimeError("dresbach worker did not beat")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
