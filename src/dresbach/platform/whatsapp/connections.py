"""Keep-alive HTTP/1.1 connections to the Graph API for the sends (messages, read receipts): at
most `size` at once, on aiohttp.

The sends are most of the sender's work, and the sender shares the event loop with the webhooks'
acknowledgements: aiohttp's client (its HTTP parser is compiled) costs about a third of the CPU of
a request through httpcore, which this module used before. What a request raises says whether it
had left (`after_sending`): a connection that never opened leaves nothing in doubt; no answer to a
request that was written (a read timeout, a connection dropped mid-answer) does, and the outbox
then waits for the status webhook before it sends again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import aiohttp


class GraphError(Exception):
    """A request to the Graph API got no answer."""

    def __init__(self, message: str, *, after_sending: bool) -> None:
        super().__init__(message)
        self.after_sending = after_sending


class GraphTimeout(GraphError):
    """No connection, or no answer, in time."""


class GraphUnreachable(GraphError):
    """The connection could not be opened, or broke."""


class GraphConnections:
    def __init__(self, url: str, *, size: int, keepalive_expiry: float = 60.0) -> None:
        self._size, self._keepalive = size, keepalive_expiry
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            limit=self._size, keepalive_timeout=self._keepalive, ttl_dns_cache=300
        )
        # no default headers of aiohttp's own beyond Host and Content-Length: what is sent is
        # what the client asks for
        return aiohttp.ClientSession(
            connector=connector,
            skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding"),
            auto_decompress=False,
        )

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: Sequence[tuple[bytes, bytes]],
        content: bytes,
        extensions: Mapping[str, Any],
    ) -> tuple[int, bytes, bytes]:
        """(status, body, reason phrase) of a request to this origin. Raises `GraphTimeout` or
        `GraphUnreachable`."""
        if self._session is None or self._session.closed:
            self._session = self._open()
        limits = extensions.get("timeout") or {}
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=limits.get("pool"),
            sock_connect=limits.get("connect"),
            sock_read=limits.get("read"),
        )
        sent = {name.decode("latin-1"): value.decode("latin-1") for name, value in headers}
        try:
            async with self._session.request(
                method, url, data=content, headers=sent, timeout=timeout, allow_redirects=False
            ) as response:
                body = await response.read()
                reason = (response.reason or "").encode("latin-1", errors="replace")
                return response.status, body, reason
        except aiohttp.ConnectionTimeoutError as error:
            raise GraphTimeout(type(error).__name__, after_sending=False) from error
        except (TimeoutError, aiohttp.ServerTimeoutError) as error:
            raise GraphTimeout(type(error).__name__, after_sending=True) from error
        except aiohttp.ClientConnectorError as error:
            raise GraphUnreachable(type(error).__name__, after_sending=False) from error
        except (aiohttp.ClientError, OSError) as error:
            # the request was handed to a connection: it may have reached Meta
            raise GraphUnreachable(type(error).__name__, after_sending=True) from error

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
