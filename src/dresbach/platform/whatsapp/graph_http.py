"""One blocking call to the Graph API, for the command line (`dresbach flows …`, `dresbach
doctor`): the JSON answer, or the Graph error classified by the error table as a
`TransientError` (timeouts, unreachable, 5xx, rate limits) or a `PermanentError` (the token, the
object or the request refused), with Meta's `error_data.details` when it gives them."""

from __future__ import annotations

from typing import Any

import httpx

from dresbach.kernel.errors import TransientError
from dresbach.platform.whatsapp.errors import classify


def answer(response: httpx.Response) -> dict[str, Any]:
    try:
        decoded = response.json()
    except ValueError:
        decoded = {}
    body: dict[str, Any] = decoded if isinstance(decoded, dict) else {}
    if response.is_success:
        return body
    found = body.get("error")
    detail: dict[str, Any] = found if isinstance(found, dict) else {}
    code = detail.get("code")
    data = detail.get("error_data")
    details = data.get("details") if isinstance(data, dict) else None
    message = str(detail.get("message") or response.reason_phrase or response.status_code)
    raise classify(
        response.status_code,
        code if isinstance(code, int) else None,
        f"{message} ({details})" if details else message,
        bool(detail.get("is_transient")),
    )


def call(
    method: str,
    url: str,
    access_token: str,
    *,
    timeout: float,
    transport: httpx.BaseTransport | None,
    **request: Any,
) -> dict[str, Any]:
    """`method url` with the bearer token; `request` goes to httpx (`data`, `files`, `json`,
    `params`)."""
    headers = {"Authorization": f"Bearer {access_token}"}
    try:
        with httpx.Client(timeout=timeout, transport=transport) as client:
            return answer(client.request(method, url, headers=headers, **request))
    except httpx.TimeoutException as error:
        raise TransientError(f"Graph API timeout: {type(error).__name__}") from error
    except httpx.TransportError as error:
        raise TransientError(f"Graph API unreachable: {type(error).__name__}") from error


class GraphApi:
    """Calls for one token (`base_url` like `https://graph.facebook.com/v26.0`): `_call` takes a
    path under it, or an absolute URL (a `paging.next`)."""

    def __init__(
        self,
        *,
        base_url: str,
        access_token: str,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._base = base_url.rstrip("/")
        self._token = access_token
        self._timeout = timeout
        self._transport = transport

    def _call(self, method: str, path: str, **request: Any) -> dict[str, Any]:
        url = path if path.startswith(("https://", "http://")) else f"{self._base}/{path}"
        return call(
            method, url, self._token, timeout=self._timeout, transport=self._transport, **request
        )
