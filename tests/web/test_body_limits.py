"""Request bodies have a ceiling everywhere: a 50 MiB form posted to the console's login (no
session needed) is refused with 413 by a real `dresbach serve`, whether it announces its size or
streams it, and the process does not grow. Legitimate bodies still pass, and the webhooks keep
their own, larger cap."""

from __future__ import annotations

import contextlib
import select
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from dresbach.web.limits import MAX_BODY
from dresbach.web.webhook import MAX_BODY as WEBHOOK_MAX_BODY
from tests.support.environments import sandbox_env
from tests.support.servers import ServiceProcess

MiB = 1024 * 1024
FIFTY_MIB = 50 * MiB
CHUNK = 64 * 1024
GROWTH = 16 * MiB
"""What the process may grow by over all the refused uploads (allocator noise, not the bodies)."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    folder = tmp_path_factory.mktemp("limits")
    env = sandbox_env(f"sqlite:///{folder}/db.sqlite3", DRESBACH_LOG_LEVEL="warning")
    running = ServiceProcess(env, log=folder / "serve.log").start()
    try:
        yield running
    finally:
        running.stop()


def rss(server: ServiceProcess) -> int:
    """Resident memory of the server process, in bytes (Linux /proc)."""
    assert server.process is not None
    status = Path(f"/proc/{server.process.pid}/status").read_text()
    (line,) = [line for line in status.splitlines() if line.startswith("VmRSS:")]
    return int(line.split()[1]) * 1024


class Upload:
    """One raw HTTP/1.1 POST: the headers, then the body a chunk at a time for as long as the
    server has not answered. Records how many body bytes went out before the answer came."""

    def __init__(self, origin: str, path: str, *, declared: bool) -> None:
        host, port = origin.removeprefix("http://").split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=10)
        self.declared = declared
        self.sent = 0
        self.answer = b""
        framing = f"Content-Length: {FIFTY_MIB}" if declared else "Transfer-Encoding: chunked"
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"{framing}\r\n\r\n"
        )
        self.sock.sendall(head.encode())

    def _read(self, wait: float) -> bool:
        """Whatever the server said within `wait` seconds; True once it said something."""
        readable, _, _ = select.select([self.sock], [], [], wait)
        if readable:
            with contextlib.suppress(ConnectionResetError):
                self.answer += self.sock.recv(65536)
        return bool(self.answer)

    def run(self) -> int:
        """Send until the server answers (or the whole 50 MiB went); the answer's status."""
        piece = b"username=" + b"a" * (CHUNK - 9)
        try:
            # a server that refuses on the declared size answers before any body is sent
            if not (self.declared and self._read(2.0)):
                while self.sent < FIFTY_MIB and not self._read(0):
                    frame = piece if self.declared else b"%x\r\n%s\r\n" % (len(piece), piece)
                    self.sock.sendall(frame)
                    self.sent += len(piece)
                if not self.declared and self.sent >= FIFTY_MIB:
                    self.sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server closed the connection: read what it said before
        deadline = time.monotonic() + 30
        while b"\r\n" not in self.answer and time.monotonic() < deadline:
            if not self._read(1.0) and self.sock.fileno() < 0:
                break
        self.sock.close()
        return int(self.answer.split(b" ", 2)[1])


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_a_fifty_mib_form_is_refused_without_the_process_growing(
    server: ServiceProcess, declared: bool
) -> None:
    before = rss(server)
    for _ in range(3):  # three requests took the server from 121 MiB to 3 GiB
        upload = Upload(server.origin, "/console/login", declared=declared)
        assert upload.run() == 413
        assert b"connection: close" in upload.answer.lower()
        # what went out before the refusal: the cap and what the sockets buffer, not 50 MiB
        assert upload.sent <= 8 * MiB, upload.sent
    assert rss(server) - before < GROWTH
    assert httpx.get(f"{server.origin}/healthz").status_code == 200


def test_every_route_has_the_ceiling_and_bodies_under_it_pass(server: ServiceProcess) -> None:
    over = b"x" * (MAX_BODY + 1)
    for path in ("/console/login", "/console/logout", "/simulator/api/send", "/nowhere"):
        answer = httpx.post(f"{server.origin}{path}", content=over)
        assert (answer.status_code, answer.text) == (413, "payload too large"), path
    # a simulator message of 4,096 emoji (the longest text WhatsApp takes) is well under it
    fine = httpx.post(
        f"{server.origin}/simulator/api/send",
        json={"user": "5511955550001", "text": "😀" * 4096},
    )
    assert fine.status_code == 200, fine.text


def test_the_webhook_keeps_its_own_larger_cap(server: ServiceProcess) -> None:
    """Meta's webhook reads up to 1 MiB itself: a body over the general ceiling but under its
    own reaches it (and is judged by its signature), one over its own is 413."""
    under = b"{" + b" " * (WEBHOOK_MAX_BODY - 2) + b"}"
    answer = httpx.post(f"{server.origin}/webhook", content=under)
    assert (answer.status_code, answer.text) == (401, "missing signature")
    over = b" " * (WEBHOOK_MAX_BODY + 1)
    assert httpx.post(f"{server.origin}/webhook", content=over).status_code == 413
