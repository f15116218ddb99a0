"""The Graph API connections over real loopback HTTP: keep-alive reuse, at most `size` at once,
Host and Content-Length on every request, a connection the server closed or broke is never
reused, and an error says whether the request had left."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import pytest

from dresbach.platform.whatsapp.connections import GraphConnections, GraphTimeout, GraphUnreachable


@dataclass
class Server:
    """A small HTTP/1.1 server: counts TCP connections, keeps the requests' heads, answers
    `{"ok":true}` after `delay`; `close_after` closes a connection after that many answers."""

    delay: float = 0.0
    close_after: int | None = None
    hang_up: bool = False
    accepted: int = 0
    heads: list[bytes] = field(default_factory=list)
    busy: int = 0
    most_busy: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        answered = 0
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                self.heads.append(head)
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                await reader.readexactly(length)
                if self.hang_up:  # the request was read: no answer, the connection is closed
                    break
                self.busy += 1
                self.most_busy = max(self.most_busy, self.busy)
                await asyncio.sleep(self.delay)
                self.busy -= 1
                answered += 1
                closing = self.close_after is not None and answered >= self.close_after
                body = b'{"ok":true}'
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + (b"Connection: close\r\n" if closing else b"")
                    + b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
                )
                await writer.drain()
                if closing:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


async def _run(server: Server, size: int, requests: int, *, gap: float = 0.0) -> list[int]:
    listener = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}/v26.0/123/messages"
    connections = GraphConnections(url, size=size)
    headers = [(b"Authorization", b"Bearer t"), (b"Content-Type", b"application/json")]

    async def one() -> int:
        status, body, _reason = await connections.request(
            "POST", url, headers=headers, content=b'{"a":1}', extensions={}
        )
        assert body == b'{"ok":true}'
        return status

    try:
        statuses = []
        if gap:
            for _ in range(requests):
                statuses.append(await one())
                await asyncio.sleep(gap)
        else:
            statuses = list(await asyncio.gather(*(one() for _ in range(requests))))
        return statuses
    finally:
        await connections.aclose()
        listener.close()
        await listener.wait_closed()


def test_keep_alive_connections_are_reused_and_never_more_than_size_at_once() -> None:
    server = Server(delay=0.01)
    statuses = asyncio.run(_run(server, size=4, requests=40))
    assert statuses == [200] * 40
    assert server.accepted <= 4
    assert server.most_busy <= 4
    head = server.heads[0]
    assert b"Host: 127.0.0.1:" in head
    assert b"Content-Length: 7" in head
    assert b"Authorization: Bearer t" in head


def test_one_at_a_time_one_warm_connection_carries_everything() -> None:
    server = Server()
    assert asyncio.run(_run(server, size=16, requests=10, gap=0.001)) == [200] * 10
    assert server.accepted == 1


def test_a_connection_the_server_closed_is_not_reused() -> None:
    server = Server(close_after=1)
    assert asyncio.run(_run(server, size=2, requests=5, gap=0.01)) == [200] * 5
    assert server.accepted == 5  # a new connection for every request, none failed


def test_an_unreachable_graph_leaves_nothing_in_doubt() -> None:
    async def attempt() -> None:
        connections = GraphConnections("http://127.0.0.1:9/v26.0/1/messages", size=1)
        await connections.request(
            "POST",
            "http://127.0.0.1:9/v26.0/1/messages",
            headers=[],
            content=b"{}",
            extensions={"timeout": {"connect": 1.0}},
        )

    with pytest.raises(GraphUnreachable) as raised:
        asyncio.run(attempt())
    assert raised.value.after_sending is False


def _one_request(server: Server, *, read: float) -> None:
    async def attempt() -> None:
        listener = await asyncio.start_server(server.handle, "127.0.0.1", 0)
        url = f"http://127.0.0.1:{listener.sockets[0].getsockname()[1]}/v26.0/1/messages"
        connections = GraphConnections(url, size=1)
        try:
            await connections.request(
                "POST", url, headers=[], content=b"{}", extensions={"timeout": {"read": read}}
            )
        finally:
            await connections.aclose()
            listener.close()
            await listener.wait_closed()

    asyncio.run(attempt())


def test_no_answer_in_time_to_a_request_that_left_leaves_it_in_doubt() -> None:
    with pytest.raises(GraphTimeout) as raised:
        _one_request(Server(delay=2.0), read=0.2)
    assert raised.value.after_sending is True


def test_a_connection_dropped_before_the_answer_leaves_it_in_doubt() -> None:
    """The server reads the request and hangs up without a word."""
    with pytest.raises(GraphUnreachable) as raised:
        _one_request(Server(hang_up=True), read=2.0)
    assert raised.value.after_sending is True
