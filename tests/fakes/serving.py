"""The shared body of the fakes: an ASGI app served by uvicorn on 127.0.0.1 from a background
thread, as a context manager (`with FakeX() as fake: …`) or with `start()` / `stop()`."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from types import TracebackType
from typing import Any, Self

import uvicorn
from starlette.types import ASGIApp


class _QuietServer(uvicorn.Server):
    """A uvicorn server that leaves the process's signal handlers alone (it runs in a thread)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class BackgroundServer:
    """Subclasses give `label`, `app()` and, for TLS, `server_options()`."""

    label = "the fake server"

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, startup_timeout: float = 10.0):
        self._host = host
        self._requested_port = port
        self._startup_timeout = startup_timeout
        self._server: _QuietServer | None = None
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._thread_error: BaseException | None = None

    def app(self) -> ASGIApp:
        raise NotImplementedError

    def server_options(self) -> dict[str, Any]:
        """Extra `uvicorn.Config` options (certificates)."""
        return {}

    @property
    def port(self) -> int:
        if self._socket is None:
            raise RuntimeError(f"{self.label} is not running")
        port: int = self._socket.getsockname()[1]
        return port

    def start(self) -> Self:
        """Serve from a background thread; returns once the server is listening."""
        if self._server is not None:
            raise RuntimeError(f"{self.label} is already running")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self._host, self._requested_port))
        sock.listen(128)
        sock.setblocking(False)
        config = uvicorn.Config(
            self.app(),
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=2,
            **self.server_options(),
        )
        server = self._server = _QuietServer(config)
        self._socket = sock
        self._thread = threading.Thread(
            target=self._thread_main, args=(server, sock), name=self.label, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + self._startup_timeout
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.label} did not start") from self._thread_error
            time.sleep(0.005)
        return self

    def _thread_main(self, server: _QuietServer, sock: socket.socket) -> None:
        try:
            asyncio.run(server.serve(sockets=[sock]))
        except BaseException as error:  # reported by start()
            self._thread_error = error

    def stop(self, timeout: float = 10.0) -> None:
        """Shut the server down and wait for its thread."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if self._socket is not None:
            self._socket.close()
        self._socket = None
        self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
