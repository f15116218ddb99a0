"""A real Radicale CalDAV server on 127.0.0.1, in a background thread of the test process.

Radicale 3.9 denies everyone by default (`[auth] type = denyall`) and waits a second after every
refused login (`delay = 1`), which the caldav client's first anonymous request always is; so
this server uses a plain htpasswd file with two consultants and `delay = 0`. Any account may
read every calendar and write only its own (`owner_write`), as a consultant's calendar shared
read-only with the bot would be. Storage lives in a temporary folder, written without fsync.
Each test gets a calendar of its own (MKCALENDAR).
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

USER = "consultor"
PASSWORD = "segredo-de-teste"
OTHER_USER = "consultora"
"""A second account, whose principal starts with no calendar at all."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass(frozen=True, slots=True)
class Radicale:
    origin: str
    user: str = USER
    password: str = PASSWORD

    @property
    def principal_url(self) -> str:
        return f"{self.origin}/{self.user}/"

    def as_user(self, user: str) -> Radicale:
        return replace(self, user=user)

    def client(self) -> httpx.Client:
        """Another CalDAV client (a person's calendar app), talking raw HTTP."""
        return httpx.Client(auth=(self.user, self.password), timeout=10)

    def make_calendar(self, display_name: str | None = None) -> str:
        """MKCALENDAR a fresh calendar; returns its URL."""
        name = display_name or f"Agenda {uuid.uuid4().hex[:8]}"
        url = f"{self.principal_url}{uuid.uuid4().hex}/"
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
            f"<D:set><D:prop><D:displayname>{name}</D:displayname></D:prop></D:set>"
            "</C:mkcalendar>"
        )
        with self.client() as http:
            response = http.request(
                "MKCALENDAR", url, content=body, headers={"Content-Type": "application/xml"}
            )
        if response.status_code != 201:
            raise RuntimeError(f"MKCALENDAR {url}: {response.status_code} {response.text}")
        return url

    def put(self, calendar_url: str, href: str, ics: str) -> None:
        """Store an event as another client would."""
        with self.client() as http:
            response = http.put(
                f"{calendar_url}{href}",
                content=ics.encode(),
                headers={"Content-Type": "text/calendar; charset=utf-8"},
            )
        if response.status_code not in (201, 204):
            raise RuntimeError(f"PUT {href}: {response.status_code} {response.text}")

    def hrefs(self, calendar_url: str) -> list[str]:
        """The resources in a calendar (PROPFIND depth 1), to count events."""
        with self.client() as http:
            response = http.request(
                "PROPFIND",
                calendar_url,
                headers={"Depth": "1", "Content-Type": "application/xml"},
                content=b'<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop>'
                b"<D:getetag/></D:prop></D:propfind>",
            )
        response.raise_for_status()
        hrefs = re.findall(r"<(?:\w+:)?href>([^<]+)</(?:\w+:)?href>", response.text)
        return [h for h in hrefs if h.endswith(".ics")]


@contextlib.contextmanager
def radicale_server(folder: Path) -> Iterator[Radicale]:
    """Radicale serving `folder` on a free port until the block ends."""
    import radicale.config
    import radicale.server

    users = folder / "users"
    users.write_text(f"{USER}:{PASSWORD}\n{OTHER_USER}:{PASSWORD}\n")
    port = _free_port()
    configuration = radicale.config.load([])
    configuration.update(
        {
            "server": {"hosts": f"127.0.0.1:{port}"},
            "auth": {
                "type": "htpasswd",
                "htpasswd_filename": str(users),
                "htpasswd_encryption": "plain",
                "delay": "0",
            },
            "rights": {"type": "owner_write"},  # everyone reads, only the owner writes
            "storage": {"filesystem_folder": str(folder / "collections")},
            "logging": {"level": "error", "mask_passwords": "True"},
        },
        "tests",
    )
    # only accepted in-process, never from a config file
    configuration.update({"storage": {"_filesystem_fsync": "False"}}, "tests", privileged=True)
    shutdown, shutdown_peer = socket.socketpair()
    thread = threading.Thread(
        target=radicale.server.serve,
        args=(configuration, shutdown_peer),
        name="radicale",
        daemon=True,
    )
    thread.start()
    origin = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while True:
        try:
            httpx.get(f"{origin}/.web", timeout=1)
            break
        except httpx.TransportError:
            if time.monotonic() > deadline or not thread.is_alive():
                shutdown.close()
                raise RuntimeError("Radicale did not start") from None
            time.sleep(0.02)
    try:
        yield Radicale(origin=origin)
    finally:
        shutdown.close()
        thread.join(timeout=5)
        shutdown_peer.close()


class FlakyProxy:
    """Real HTTP in front of Radicale that answers the next `fail_puts` PUTs with 503 (a
    calendar server having a bad minute), or forwards the next `lose_puts` PUTs and then answers
    503 all the same (the event was stored, the answer got lost), and forwards everything else
    unchanged. With `conference`, every event PUT without a video conference gets one, as a
    server that attaches a meeting room to new events does (RFC 7986 CONFERENCE)."""

    def __init__(
        self,
        upstream: str,
        *,
        fail_puts: int = 0,
        lose_puts: int = 0,
        conference: str | None = None,
    ) -> None:
        self.upstream, self.fail_puts, self.lose_puts = upstream, fail_puts, lose_puts
        self.conference = conference
        self.puts_refused = 0

    def _attach(self, body: bytes) -> bytes:
        if not self.conference or b"BEGIN:VEVENT" not in body or b"CONFERENCE" in body:
            return body
        line = f"CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL=Sala:{self.conference}\r\n".encode()
        return body.replace(b"END:VEVENT", line + b"END:VEVENT", 1)

    def app(self) -> Starlette:
        async def forward(request: Request) -> Response:
            if request.method == "PUT" and self.fail_puts > 0:
                self.fail_puts -= 1
                self.puts_refused += 1
                return Response("try again later", status_code=503)
            headers = {
                k: v
                for k, v in request.headers.items()
                if k.lower() not in ("host", "content-length")
            }
            async with httpx.AsyncClient(timeout=10) as http:
                answer = await http.request(
                    request.method,
                    f"{self.upstream}{request.url.path}",
                    params=request.query_params,
                    headers=headers,
                    content=self._attach(await request.body())
                    if request.method == "PUT"
                    else await request.body(),
                )
            if request.method == "PUT" and self.lose_puts > 0 and answer.is_success:
                self.lose_puts -= 1
                self.puts_refused += 1
                return Response("gateway timeout", status_code=503)
            drop = {"content-length", "transfer-encoding", "connection", "content-encoding"}
            return Response(
                answer.content,
                status_code=answer.status_code,
                headers={k: v for k, v in answer.headers.items() if k.lower() not in drop},
            )

        methods = ["GET", "PUT", "DELETE", "PROPFIND", "REPORT", "OPTIONS", "MKCALENDAR", "HEAD"]
        return Starlette(routes=[Route("/{path:path}", forward, methods=methods)])
