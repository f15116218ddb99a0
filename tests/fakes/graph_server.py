"""Serving the fake Graph API: uvicorn on 127.0.0.1 at a free port, in a thread or in the loop.

:class:`FakeGraphServer` serves the app of :mod:`tests.fakes.graph_api` either in a
background thread (``with FakeGraphServer() as graph:``) or inside the running event loop
(``async with FakeGraphServer() as graph:``), which spares a benchmark the GIL ping-pong between
two threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from types import TracebackType

import uvicorn

from tests.fakes.graph_app import build_app
from tests.fakes.graph_state import DEFAULT_API_VERSION, GraphApiState

__all__ = ["FakeGraphServer"]


class _QuietServer(uvicorn.Server):
    """A uvicorn server that leaves the process's signal handlers alone."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class FakeGraphServer:
    """Serve the fake on ``host`` at a free port (or ``port``).

    Thread mode, for tests: ``with FakeGraphServer() as graph: ...`` (or ``start()`` /
    ``stop()``). Event-loop mode, for the benchmark: ``async with FakeGraphServer() as graph:``
    (or ``await astart()`` / ``await astop()``), serving from the running loop.
    """

    def __init__(
        self,
        state: GraphApiState | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        api_version: str = DEFAULT_API_VERSION,
        startup_timeout: float = 10.0,
    ) -> None:
        self._state = state if state is not None else GraphApiState()
        self._host = host
        self._requested_port = port
        self._api_version = api_version
        self._startup_timeout = startup_timeout
        self._server: _QuietServer | None = None
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._task: asyncio.Task[None] | None = None
        self._thread_error: BaseException | None = None

    # ---- properties --------------------------------------------------------------------------

    @property
    def app_state(self) -> GraphApiState:
        """The recorder and runtime configuration of the fake."""
        return self._state

    @property
    def port(self) -> int:
        if self._socket is None:
            raise RuntimeError("the fake Graph API server is not running")
        port: int = self._socket.getsockname()[1]
        return port

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://{self._host}:{self.port}"

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/v26.0``: what a client puts before ``/{phone_id}/messages``."""
        return f"{self.origin}/{self._api_version}"

    @property
    def running(self) -> bool:
        return self._server is not None and self._server.started and not self._server.should_exit

    # ---- thread mode -------------------------------------------------------------------------

    def start(self) -> FakeGraphServer:
        """Serve from a background thread; returns once the server is listening."""
        server, sock = self._prepare()
        self._thread = threading.Thread(
            target=self._thread_main, args=(server, sock), name="fake-graph-api", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + self._startup_timeout
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(
                    "the fake Graph API server did not start"
                ) from self._thread_error
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
        self._release()

    def __enter__(self) -> FakeGraphServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # ---- event-loop mode ---------------------------------------------------------------------

    async def astart(self) -> FakeGraphServer:
        """Serve from the running event loop; returns once the server is listening."""
        server, sock = self._prepare()
        self._task = asyncio.create_task(server.serve(sockets=[sock]), name="fake-graph-api")
        deadline = time.monotonic() + self._startup_timeout
        while not server.started:
            if self._task.done() or time.monotonic() > deadline:
                await self.astop()
                raise RuntimeError("the fake Graph API server did not start")
            await asyncio.sleep(0.005)
        return self

    async def astop(self, grace: float = 10.0) -> None:
        """Shut the server down and wait for its task."""
        if self._server is not None:
            self._server.should_exit = True
        task, self._task = self._task, None
        if task is not None:
            try:
                await asyncio.wait_for(task, grace)
            except (TimeoutError, asyncio.CancelledError):
                task.cancel()
        self._release()

    async def __aenter__(self) -> FakeGraphServer:
        return await self.astart()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.astop()

    # ---- internals ---------------------------------------------------------------------------

    def _prepare(self) -> tuple[_QuietServer, socket.socket]:
        if self._server is not None:
            raise RuntimeError("the fake Graph API server is already running")
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY on accepted sockets only when the
        # listener's proto says TCP; with proto 0 every answer waits ~40 ms for a delayed ACK.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self._host, self._requested_port))
        sock.listen(2048)
        sock.setblocking(False)
        config = uvicorn.Config(
            build_app(self._state),
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=2,
            backlog=2048,
        )
        self._server = _QuietServer(config)
        self._socket = sock
        return self._server, sock

    def _release(self) -> None:
        if self._socket is not None:
            self._socket.close()
        self._socket = None
        self._server = None
