"""The data-exchange endpoint of WhatsApp Flows, Meta's protocol, apart from HTTP: a request's
raw body and signature in, the status and the body to answer out. `dresbach.web.flows_endpoint`
serves it as `POST /whatsapp/flows`; the sandbox (`dresbach chat`) calls it in-process.

Each request is checked in this order, and the first failure answers:

- over `MAX_BODY` → 413 (read by the web route);
- `X-Hub-Signature-256` missing or not the HMAC of the raw body with the app secret → 432
  (Meta's code for "request signature authentication fails"); nothing is decrypted or handed on;
- not the JSON envelope of three base64 fields, or not a JSON object inside → 400;
- our private key cannot open it → 421 (WhatsApp fetches our public key again and retries);
- `action: ping` → `{"data": {"status": "active"}}`;
- an error notification (`data.error`) → `{"data": {"acknowledged": true}}`, and a log line;
- anything else goes to the `FlowsExchange` port: its `NextScreen` or `CloseFlow` is the answer;
  `FlowTokenRejected` → 427 with `{"error_msg": …}` (WhatsApp disables the Flow's button); any
  other failure → 500.

Answers with a JSON body (200 and 427) are encrypted with the request's AES key under the
flipped IV, base64, as `text/plain`. Only the action, the screen name and the outcome are logged;
never the data, the token or the keys.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final

import httpx
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from dresbach.platform.whatsapp.flows.client import FlowsClient
from dresbach.platform.whatsapp.flows_crypto import (
    BadFlowRequest,
    Decrypted,
    Undecryptable,
    decrypt_request,
    encrypt_response,
    parse_envelope,
)
from dresbach.platform.whatsapp.flows_exchange import (
    ACTIONS,
    CloseFlow,
    FlowAnswer,
    FlowRequest,
    FlowsExchange,
    FlowTokenRejected,
)
from dresbach.platform.whatsapp.signature import verify

log = logging.getLogger(__name__)

PATH: Final = "/whatsapp/flows"
MAX_BODY: Final = 256 * 1024
"""A screen's fields, base64 and encrypted; Flows' media travel apart, not in this body."""
SIGNATURE_FAILED: Final = 432
TOKEN_NO_LONGER_VALID: Final = 427
CANNOT_DECRYPT: Final = 421
ERROR_KEY_MAX: Final = 80
IN_PROCESS: Final = "http://in-process"


@dataclass(frozen=True, slots=True)
class Reply:
    """What to answer: the status and the body (`text/plain`)."""

    status: int
    text: str


def _plain(text: str, status: int) -> Reply:
    return Reply(status, text)


def _sealed(answer: dict[str, Any], opened: Decrypted, status: int = 200) -> Reply:
    return Reply(status, encrypt_response(answer, opened.aes_key, opened.iv))


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def flow_request(payload: dict[str, Any]) -> FlowRequest:
    """The port's request from a decrypted payload. `BadFlowRequest` for an unknown action or
    data that is not an object; `FlowTokenRejected` when there is no token at all."""
    action = payload.get("action")
    if action not in ACTIONS:
        raise BadFlowRequest("unknown action")
    data = payload.get("data")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise BadFlowRequest("data is not an object")
    token = payload.get("flow_token")
    if not isinstance(token, str) or not token:
        raise FlowTokenRejected("missing")
    return FlowRequest(
        action=str(action),
        screen=_text(payload.get("screen")),
        data=data,
        flow_token=token,
        version=_text(payload.get("version")),
    )


def render(answer: FlowAnswer, flow_token: str) -> dict[str, Any]:
    """Meta's response JSON for an answer of the port."""
    if isinstance(answer, CloseFlow):
        params = {**dict(answer.params), "flow_token": flow_token}
        return {
            "screen": "SUCCESS",
            "data": {"extension_message_response": {"params": params}},
        }
    return {"screen": answer.screen, "data": dict(answer.data)}


def _error_notification(payload: dict[str, Any]) -> str | None:
    """The error key of an error notification (`data.error`), or None for any other request."""
    data = payload.get("data")
    if not isinstance(data, dict) or not data.get("error"):
        return None
    key = str(data["error"])[:ERROR_KEY_MAX]
    return "".join(c if c.isprintable() else "?" for c in key)


def endpoint(
    *,
    exchange: FlowsExchange,
    private_key: RSAPrivateKey,
    app_secret: str,
) -> Callable[[bytes, str | None], Awaitable[Reply]]:
    """The endpoint, answering with `exchange` and opening requests with `private_key`
    (WHATSAPP_FLOWS_PRIVATE_KEY); requests are verified with `app_secret`. It takes a raw body
    (at most `MAX_BODY`) and its `X-Hub-Signature-256` header."""

    async def answer(opened: Decrypted) -> Reply:
        payload = opened.payload
        action, screen = _text(payload.get("action")), _text(payload.get("screen"))
        where = {"action": action[:40], "screen": screen[:80]}
        if action == "ping":
            log.info("flows health check", extra=where)
            return _sealed({"data": {"status": "active"}}, opened)
        error = _error_notification(payload)
        if error is not None:
            log.warning("flows error notification", extra={**where, "error": error})
            return _sealed({"data": {"acknowledged": True}}, opened)
        try:
            request = flow_request(payload)
            result = await exchange.exchange(request)
        except BadFlowRequest as problem:
            log.warning("flows request malformed: %s", problem, extra=where)
            return _plain("malformed request", 400)
        except FlowTokenRejected as rejected:
            log.info("flows token rejected", extra={**where, "reason": rejected.reason[:40]})
            return _sealed({"error_msg": rejected.message}, opened, TOKEN_NO_LONGER_VALID)
        except Exception as failure:
            log.error(
                "flows exchange failed",
                extra={**where, "error": type(failure).__name__},
                exc_info=True,
            )
            return _plain("error", 500)
        outcome = "close" if isinstance(result, CloseFlow) else "screen"
        log.info("flows request answered", extra={**where, "outcome": outcome})
        return _sealed(render(result, request.flow_token), opened)

    async def respond(body: bytes, signature: str | None) -> Reply:
        if not verify(app_secret, body, signature):
            log.warning("flows request refused: missing or wrong signature")
            return _plain("invalid signature", SIGNATURE_FAILED)
        try:
            opened = decrypt_request(parse_envelope(body), private_key)
        except BadFlowRequest as problem:
            log.warning("flows request malformed: %s", problem)
            return _plain("malformed request", 400)
        except Undecryptable as problem:
            log.warning("flows request undecryptable: %s", problem)
            return _plain("cannot decrypt", CANNOT_DECRYPT)
        return await answer(opened)

    return respond


def in_process_client(exchange: FlowsExchange, private_key: RSAPrivateKey) -> FlowsClient:
    """WhatsApp's side talking to this endpoint in-process (the sandbox's `dresbach chat`):
    every request is sealed, signed (with a secret of this process) and answered by the same
    code as `POST /whatsapp/flows`, without a network."""
    app_secret = secrets.token_hex(32)
    respond = endpoint(exchange=exchange, private_key=private_key, app_secret=app_secret)

    async def handler(request: httpx.Request) -> httpx.Response:
        reply = await respond(request.content, request.headers.get("x-hub-signature-256"))
        return httpx.Response(
            reply.status, text=reply.text, headers={"content-type": "text/plain; charset=utf-8"}
        )

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url=IN_PROCESS)
    return FlowsClient(http, IN_PROCESS + PATH, private_key.public_key(), app_secret)
