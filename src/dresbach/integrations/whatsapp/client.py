"""The Cloud API client: implements the MessageSender port over httpx."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import orjson

from dresbach.domain.errors import TransientError
from dresbach.domain.messages import Message
from dresbach.integrations.whatsapp.errors import classify
from dresbach.integrations.whatsapp.render import mark_read, render

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
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._url = f"{base_url.rstrip('/')}/{phone_number_id}/messages"
        self._media_url = f"{base_url.rstrip('/')}/{phone_number_id}/media"
        self._client = httpx.AsyncClient(
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
            transport=transport,
        )

    async def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        return await self._request(
            self._url, content=orjson.dumps(body), headers={"Content-Type": "application/json"}
        )

    async def _request(self, url: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = await self._client.post(url, **kwargs)
        except httpx.TimeoutException as error:
            raise TransientError(f"Graph API timeout: {type(error).__name__}") from error
        except httpx.TransportError as error:
            raise TransientError(f"Graph API unreachable: {type(error).__name__}") from error
        try:
            decoded = orjson.loads(response.content) if response.content else {}
        except orjson.JSONDecodeError:
            decoded = {}
        data: dict[str, Any] = decoded if isinstance(decoded, dict) else {}
        if response.is_success:
            return data
        found = data.get("error")
        detail: dict[str, Any] = found if isinstance(found, dict) else {}
        code = detail.get("code")
        raise classify(
            response.status_code,
            code if isinstance(code, int) else None,
            str(detail.get("message") or response.reason_phrase),
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

    async def mark_read(self, message_id: str, *, typing: bool) -> None:
        await self._post(mark_read(message_id, typing=typing))

    async def aclose(self) -> None:
        await self._client.aclose()
