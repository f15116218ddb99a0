"""`CloudApiClient` against `httpx.MockTransport`: the request it sends and how it maps errors.

No pytest-asyncio here: each test drives its coroutine with `asyncio.run`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
import pytest

from dresbach.kernel.errors import (
    DresbachError,
    OutsideWindowError,
    PermanentError,
    RefusedKindError,
    TransientError,
)
from dresbach.kernel.messages import Button, Buttons, Text
from dresbach.platform.whatsapp.client import CloudApiClient
from dresbach.platform.whatsapp.errors import REFUSED_KIND_CODES

BASE = "http://127.0.0.1:8931/v25.0"
PHONE_NUMBER_ID = "110022003300440"
TOKEN = "EAAG-test-token"
TO = "5511987654321"
WAMID = "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYFEU4OUYyNDNBRUVCNjQyMDhCQ0U2AA=="

T = TypeVar("T")
Handler = Callable[[httpx.Request], httpx.Response]


def accepted(recipient: str = TO) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "messaging_product": "whatsapp",
            "contacts": [{"input": recipient, "wa_id": recipient}],
            "messages": [{"id": WAMID, "message_status": "accepted"}],
        },
    )


def graph_error(
    status: int,
    code: int,
    message: str,
    *,
    transient: bool | None = None,
    subcode: int | None = None,
) -> httpx.Response:
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "error_data": {"messaging_product": "whatsapp", "details": message},
        "fbtrace_id": "AbCdEfGh123456",
    }
    if transient is not None:
        error["is_transient"] = transient
    if subcode is not None:
        error["error_subcode"] = subcode
    return httpx.Response(status, json={"error": error})


def run(handler: Handler, call: Callable[[CloudApiClient], Awaitable[T]], base: str = BASE) -> T:
    async def main() -> T:
        client = CloudApiClient(
            base_url=base,
            phone_number_id=PHONE_NUMBER_ID,
            access_token=TOKEN,
            transport=httpx.MockTransport(handler),
        )
        try:
            return await call(client)
        finally:
            await client.aclose()

    return asyncio.run(main())


def send_text(client: CloudApiClient) -> Awaitable[str]:
    return client.send(TO, Text(body="Olá!"), callback_data=None)


def failing_with(response: httpx.Response) -> DresbachError:
    with pytest.raises(DresbachError) as caught:
        run(lambda request: response, send_text)
    return caught.value


# --- the request --------------------------------------------------------------------------------


def test_send_posts_the_rendered_body_and_returns_the_wamid() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return accepted()

    message = Buttons(
        body="Você já é cliente?",
        buttons=(Button(id="qual:yes", title="Sim"), Button(id="qual:no", title="Não")),
    )
    wamid = run(handler, lambda c: c.send(TO, message, callback_data="outbox:17"))

    assert wamid == WAMID
    [request] = seen
    assert request.method == "POST"
    assert str(request.url) == f"{BASE}/{PHONE_NUMBER_ID}/messages"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": TO,
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": "Você já é cliente?"},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": "qual:yes", "title": "Sim"}},
                    {"type": "reply", "reply": {"id": "qual:no", "title": "Não"}},
                ]
            },
        },
        "biz_opaque_callback_data": "outbox:17",
    }


def test_trailing_slash_in_base_url_is_dropped() -> None:
    urls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        urls.append(str(request.url))
        return accepted()

    run(handler, send_text, base=BASE + "/")
    assert urls == [f"{BASE}/{PHONE_NUMBER_ID}/messages"]


def test_body_is_utf8_json() -> None:
    bodies: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(request.content)
        return accepted()

    run(handler, lambda c: c.send(TO, Text(body="Ação já 👍"), callback_data=None))
    assert json.loads(bodies[0])["text"] == {"body": "Ação já 👍", "preview_url": False}
    assert "Ação já 👍".encode() in bodies[0]


def test_send_to_a_bsuid() -> None:
    bodies: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return accepted("BR.4417730098812256")

    wamid = run(
        handler, lambda c: c.send("BR.4417730098812256", Text(body="Oi"), callback_data=None)
    )
    assert wamid == WAMID
    assert bodies[0]["recipient"] == "BR.4417730098812256"  # Meta: a BSUID goes in recipient
    assert "to" not in bodies[0]


def test_held_for_quality_assessment_still_returns_the_wamid() -> None:
    response = accepted()
    held = json.loads(response.content)
    held["messages"][0]["message_status"] = "held_for_quality_assessment"
    assert run(lambda request: httpx.Response(200, json=held), send_text) == WAMID


@pytest.mark.parametrize("typing", [False, True])
def test_mark_read(typing: bool) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"success": True})

    result = run(handler, lambda c: c.mark_read(WAMID, typing=typing))
    assert result is None
    [request] = seen
    assert str(request.url) == f"{BASE}/{PHONE_NUMBER_ID}/messages"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    expected: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "status": "read",
        "message_id": WAMID,
    }
    if typing:
        expected["typing_indicator"] = {"type": "text"}
    assert json.loads(request.content) == expected


# --- error mapping ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "code"),
    [
        pytest.param(graph_error(500, 131000, "Something went wrong"), 131000, id="500-131000"),
        pytest.param(
            graph_error(429, 130429, "Rate limit hit", transient=True), 130429, id="429-130429"
        ),
        pytest.param(
            graph_error(400, 131056, "(Business Account, Consumer Account) pair rate limit hit"),
            131056,
            id="400-131056",
        ),
        pytest.param(graph_error(400, 131016, "Service unavailable"), 131016, id="400-131016"),
        pytest.param(
            graph_error(400, 4, "Application request limit reached"), 4, id="400-4-app-rate"
        ),
        pytest.param(
            graph_error(400, 131999, "Temporary failure", transient=True),
            131999,
            id="is_transient-flag",
        ),
        pytest.param(graph_error(503, 2, "Service temporarily unavailable"), 2, id="503-2"),
    ],
)
def test_transient_errors(response: httpx.Response, code: int) -> None:
    error = failing_with(response)
    assert type(error) is TransientError
    assert error.code == code
    assert f"Graph API {response.status_code}" in str(error)


def test_pair_rate_limit_asks_to_wait() -> None:
    error = failing_with(graph_error(400, 131056, "pair rate limit hit"))
    assert isinstance(error, TransientError)
    assert error.retry_after == 30.0


def test_throughput_limit_has_no_fixed_wait() -> None:
    error = failing_with(graph_error(429, 130429, "Rate limit hit"))
    assert isinstance(error, TransientError)
    assert error.retry_after is None


def test_outside_the_window() -> None:
    error = failing_with(
        graph_error(
            400,
            131047,
            "Re-engagement message",
        )
    )
    assert type(error) is OutsideWindowError
    assert isinstance(error, PermanentError)
    assert not isinstance(error, TransientError)
    assert error.code == 131047
    assert "Re-engagement message" in str(error)


@pytest.mark.parametrize(
    ("response", "code"),
    [
        pytest.param(
            graph_error(400, 131026, "Message undeliverable"), 131026, id="400-131026-undeliverable"
        ),
        pytest.param(
            graph_error(
                401, 190, "Error validating access token: Session has expired", subcode=463
            ),
            190,
            id="401-190-token",
        ),
        pytest.param(
            graph_error(400, 100, "Invalid parameter", transient=False), 100, id="400-100-param"
        ),
        pytest.param(
            graph_error(400, 132001, "Template name does not exist in the translation"),
            132001,
            id="400-132001-template",
        ),
        pytest.param(graph_error(403, 10, "Application does not have permission"), 10, id="403-10"),
    ],
)
def test_permanent_errors(response: httpx.Response, code: int) -> None:
    error = failing_with(response)
    # 10 may be a native Pix order Meta will not send: permanent, and its own kind so that an
    # order can send what it names instead (any other message is dead-lettered as before)
    assert type(error) is (RefusedKindError if code in REFUSED_KIND_CODES else PermanentError)
    assert not isinstance(error, TransientError)
    assert error.code == code


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        pytest.param(
            502, b"<html><body>502 Bad Gateway</body></html>", TransientError, id="502-html"
        ),
        pytest.param(503, b"", TransientError, id="503-empty"),
        pytest.param(429, b"Too Many Requests", TransientError, id="429-text"),
        pytest.param(400, b"Bad Request", PermanentError, id="400-text"),
        pytest.param(404, b"{not json", PermanentError, id="404-broken-json"),
        pytest.param(400, b'{"error": "invalid"}', PermanentError, id="400-error-a-string"),
        pytest.param(500, b'{"error": {"code": "131000"}}', TransientError, id="500-code-a-string"),
    ],
)
def test_error_bodies_that_are_not_graph_errors(
    status: int, body: bytes, expected: type[DresbachError]
) -> None:
    error = failing_with(httpx.Response(status, content=body))
    assert type(error) is expected
    assert error.code is None
    assert f"Graph API {status}" in str(error)


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        pytest.param(502, b'"upstream connect error"', TransientError, id="502-json-string"),
        pytest.param(500, b"[]", TransientError, id="500-json-array"),
        pytest.param(400, b"null", PermanentError, id="400-json-null"),
    ],
)
def test_error_bodies_that_are_json_but_not_objects(
    status: int, body: bytes, expected: type[DresbachError]
) -> None:
    error = failing_with(httpx.Response(status, content=body))
    assert type(error) is expected


# --- transport failures -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "exception",
    [
        httpx.ReadTimeout,
        httpx.ConnectTimeout,
        httpx.WriteTimeout,
        httpx.PoolTimeout,
        httpx.ConnectError,
        httpx.ReadError,
        httpx.RemoteProtocolError,
    ],
)
def test_transport_failures_are_transient(exception: type[httpx.TransportError]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exception("boom", request=request)

    with pytest.raises(TransientError) as caught:
        run(handler, send_text)
    assert isinstance(caught.value.__cause__, exception)
    assert caught.value.code is None
    kind = "timeout" if issubclass(exception, httpx.TimeoutException) else "unreachable"
    assert kind in str(caught.value)


def test_transport_failures_on_mark_read_are_transient() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(TransientError):
        run(handler, lambda c: c.mark_read(WAMID, typing=True))


def test_mark_read_error_is_mapped() -> None:
    response = graph_error(400, 100, "Invalid parameter")
    with pytest.raises(PermanentError):
        run(lambda request: response, lambda c: c.mark_read("wamid.unknown", typing=False))
