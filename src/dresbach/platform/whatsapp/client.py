"""The Cloud API client: implements the MessageSender port.

JSON posts (messages, read receipts) go through `GraphConnections` (aiohttp: about a third of
the CPU of a request through httpx or httpcore, and the sends are most of the sender's work).
Media uploads, and every request when a custom httpx transport is given (tests, the sandbox),
use httpx."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import orjson

from dresbach.kernel.errors import PermanentError, TransientError
from dresbach.kernel.messages import Message
from dresbach.platform.whatsapp.connections import GraphConnections, GraphTimeout, GraphUnreachable
from dresbach.platform.whatsapp.errors import classify
from dresbach.platform.whatsapp.render import mark_read, render

log = logging.getLogger(__name__)


class CloudApiClient:
    """`POST {base}/{phone_number_id}/messages` with `Authorization: Bearer {token}`."""

    def __init__(
        self,
        *,
        base_url: str,
        phone_number_id: str,
        access_token: str,
        timeout: float = 10.0,
        connections: int = 16,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._url = f"{base_url.rstrip('/')}/{phone_number_id}/messages"
        self._media_url = f"{base_url.rstrip('/')}/{phone_number_id}/media"
        self._base, self._phone_number_id = base_url.rstrip("/"), phone_number_id
        self._token = access_token
        self._timeout = {
            "connect": min(timeout, 5.0),
            "read": timeout,
            "write": timeout,
            "pool": timeout,
        }
        self._fast = (
            GraphConnections(self._url, size=connections, keepalive_expiry=60.0)
            if transport is None
            else None
        )
        self._json_headers = [
            (b"Authorization", f"Bearer {access_token}".encode()),
            (b"Content-Type", b"application/json"),
        ]
        self._client = httpx.AsyncClient(
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            limits=httpx.Limits(max_connections=8, max_keepalive_connections=8),
            transport=transport,
        )

    async def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        if self._fast is None:
            return await self._request(
                self._url, content=orjson.dumps(body), headers={"Content-Type": "application/json"}
            )
        try:
            status, content, reason = await self._fast.request(
                "POST",
                self._url,
                headers=self._json_headers,
                content=orjson.dumps(body),
                extensions={"timeout": self._timeout},
            )
        except GraphTimeout as error:
            raise TransientError(
                f"Graph API timeout: {error}", in_doubt=error.after_sending
            ) from error
        except GraphUnreachable as error:
            raise TransientError(
                f"Graph API unreachable: {error}", in_doubt=error.after_sending
            ) from error
        return self._answer(status, content, reason.decode(errors="replace"))

    async def _request(self, url: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = await self._client.post(url, **kwargs)
        except httpx.TimeoutException as error:
            raise TransientError(
                f"Graph API timeout: {type(error).__name__}", in_doubt=_after_sending(error)
            ) from error
        except httpx.TransportError as error:
            raise TransientError(
                f"Graph API unreachable: {type(error).__name__}", in_doubt=_after_sending(error)
            ) from error
        return self._answer(response.status_code, response.content, response.reason_phrase)

    @staticmethod
    def _answer(status: int, content: bytes, reason: str) -> dict[str, Any]:
        try:
            decoded = orjson.loads(content) if content else {}
        except orjson.JSONDecodeError:
            decoded = {}
        data: dict[str, Any] = decoded if isinstance(decoded, dict) else {}
        if 200 <= status < 300:
            return data
        found = data.get("error")
        detail: dict[str, Any] = found if isinstance(found, dict) else {}
        code = detail.get("code")
        raise classify(
            status,
            code if isinstance(code, int) else None,
            str(detail.get("message") or reason or status),
            bool(detail.get("is_transient")),
        )

    async def send(self, recipient: str, message: Message, *, callback_data: str | None) -> str:
        data = await self._post(render(recipient, message, callback_data))
        messages = data.get("messages") or [{}]
        return str(messages[0].get("id", ""))

    async def upload(self, data: bytes, mime_type: str, filename: str) -> str:
        """`POST {base}/{phone_number_id}/media` (multipart); returns the media id."""
        result = await self._request(
            self._media_url,
            data={"messaging_product": "whatsapp", "type": mime_type},
            files={"file": (filename, data, mime_type)},
        )
        media_id = result.get("id")
        if not isinstance(media_id, str) or not media_id:
            raise TransientError("Graph API media upload answered without an id")
        return media_id

    async def media(self, media_id: str) -> dict[str, Any]:
        """`GET {base}/{media_id}?phone_number_id=`: the media's download URL (valid for a few
        minutes), `mime_type`, `sha256` and `file_size`."""
        try:
            response = await self._client.get(
                f"{self._base}/{media_id}", params={"phone_number_id": self._phone_number_id}
            )
        except httpx.TimeoutException as error:
            raise TransientError(f"Graph API timeout: {type(error).__name__}") from error
        except httpx.TransportError as error:
            raise TransientError(f"Graph API unreachable: {type(error).__name__}") from error
        return self._answer(response.status_code, response.content, response.reason_phrase)

    async def download(self, url: str, *, limit: int) -> bytes:
        """The bytes behind a media URL (the bearer token again). An expired URL (401, 404) is
        worth a retry: the next attempt asks for a new one. More than `limit` bytes: refused."""
        try:
            async with self._client.stream("GET", url) as response:
                if response.status_code in (401, 403, 404, 410) or response.status_code >= 500:
                    raise TransientError(f"media download answered {response.status_code}")
                if response.status_code >= 300:
                    raise PermanentError(f"media download answered {response.status_code}")
                data = bytearray()
                async for chunk in response.aiter_bytes():
                    data += chunk
                    if len(data) > limit:
                        raise PermanentError(f"media larger than {limit} bytes")
                return bytes(data)
        except httpx.TimeoutException as error:
            raise TransientError(f"media download timeout: {type(error).__name__}") from error
        except httpx.TransportError as error:
            raise TransientError(f"media download failed: {type(error).__name__}") from error

    async def mark_read(self, message_id: str, *, typing: bool) -> None:
        await self._post(mark_read(message_id, typing=typing))

    async def aclose(self) -> None:
        if self._fast is not None:
            await self._fast.aclose()
        await self._client.aclose()


def _after_sending(error: Exception) -> bool:
    """Whether the request had left when `error` struck: no answer to a request that was
    written (a read timeout, a connection dropped mid-answer) leaves the send in doubt; a
    connection that never opened does not."""
    return isinstance(
        error,
        httpx.ReadTimeout | httpx.ReadError | httpx.RemoteProtocolError,
    )
