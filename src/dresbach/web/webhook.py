"""`GET /webhook` (Meta's verification) and `POST /webhook` (signed updates).

Status codes: 200 for every valid update (kinds we ignore included, and whatever was addressed
to another phone number of the same Meta app, which is ignored whole), 401 without a signature
(or with one that is not even ASCII), 403 with a wrong one, 413 over 1 MiB, 400 for a body that
is not a webhook object, 503 when the update could not be stored (Meta redelivers it later;
nothing was half-stored).

The 200 means stored: each message's inbox row is committed (`Pipeline.receive`); a worker
steps it afterwards, so the acknowledgement costs one durable insert, not the step.
"""

from __future__ import annotations

import hmac
import logging
import time

import orjson
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

from dresbach.bootstrap import Container
from dresbach.config import Settings
from dresbach.platform.observe.correlation import CURRENT, bound, correlation_id_for
from dresbach.platform.store.template_statuses import record_template_statuses
from dresbach.platform.whatsapp.parse import MalformedWebhook, parse_webhook
from dresbach.platform.whatsapp.payloads import SANDBOX_NUMBER
from dresbach.platform.whatsapp.signature import verify

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024


class BodyTooLarge(Exception):
    pass


async def read_limited(request: Request, limit: int = MAX_BODY) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def verification(container: Container):  # type: ignore[no-untyped-def]
    token = container.settings.whatsapp_verify_token.reveal()

    async def endpoint(request: Request) -> Response:
        params = request.query_params
        given = params.get("hub.verify_token", "")
        if (
            token
            and params.get("hub.mode") == "subscribe"
            and hmac.compare_digest(given.encode(), token.encode())
        ):
            return PlainTextResponse(params.get("hub.challenge", ""))
        return PlainTextResponse("forbidden", status_code=403)

    return endpoint


def our_numbers(settings: Settings) -> frozenset[str]:
    """The phone number ids whose webhooks are ours: the configured one, and in the sandbox the
    one the simulator writes to. Meta sends one app's webhooks for all of its numbers."""
    ours = {settings.whatsapp_phone_number_id} - {""}
    if settings.sandbox:
        ours.add(SANDBOX_NUMBER)
    return frozenset(ours)


class Receiver:
    """`POST /webhook` as a plain ASGI app: the hottest route, served without a Request, a
    Response or the middleware stack around the other routes (`web/app.py` sends it here first),
    which is a fifth of the acknowledgement's CPU. It answers every error itself."""

    def __init__(self, container: Container) -> None:
        self._secret = container.settings.whatsapp_app_secret.reveal()
        self._numbers = our_numbers(container.settings)
        self._pipeline = container.pipeline
        self._metrics = container.metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        try:
            status, text = await self._receive(scope, receive)
        except Exception:  # a defect: Meta delivers it again
            log.exception("the webhook failed")
            status, text = 500, "internal error"
        body = text.encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
        self._metrics.webhook_requests.labels(status=str(status)).inc()
        self._metrics.ack_seconds.observe(time.perf_counter() - started)

    async def _receive(self, scope: Scope, receive: Receive) -> tuple[int, str]:
        headers = dict(reversed(scope["headers"]))  # the first of a repeated header counts
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > MAX_BODY:
            return 413, "payload too large"
        chunks, size, more = [], 0, True
        while more:
            part = await receive()
            if part["type"] != "http.request":  # the client went away
                return 400, "incomplete body"
            chunk = part.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY:
                return 413, "payload too large"
            chunks.append(chunk)
            more = part.get("more_body", False)
        body = b"".join(chunks)
        signature = headers.get(b"x-hub-signature-256")
        if not signature or not signature.isascii():
            return 401, "missing signature"
        if not verify(self._secret, body, signature):
            return 403, "invalid signature"
        try:
            batch = parse_webhook(orjson.loads(body), numbers=self._numbers)
        except (orjson.JSONDecodeError, MalformedWebhook):
            return 400, "malformed body"
        for message in batch.messages:
            # The request's task: the id stays bound for what this request logs afterwards.
            CURRENT.set(correlation_id_for(message.event.message_id))
            log.info("message received", extra={"kind": message.event.kind})
        pipeline = self._pipeline
        try:
            fresh = await pipeline.receive(
                [(m.event, m.payload) for m in batch.messages], batch.statuses
            )
            if batch.template_statuses:
                await pipeline.db.run_first(
                    record_template_statuses, pipeline.db.engine, batch.template_statuses
                )
        except Exception:
            log.exception("could not store a webhook; Meta will deliver it again")
            return 503, "try again"
        for message, new in zip(batch.messages, fresh, strict=True):
            if new:
                self._metrics.messages_in.labels(kind=message.event.kind).inc()
            else:
                with bound(correlation_id_for(message.event.message_id)):
                    log.info("duplicate ignored", extra={"kind": message.event.kind})
                self._metrics.duplicates.inc()
        return 200, "ok"
