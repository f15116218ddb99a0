"""`POST /webhooks/chatwoot`: agents' replies and status changes from the Chatwoot desk.

The signature is checked over the raw body in constant time, with the timestamp within ±300 s:
401 otherwise (and 413 over 1 MiB). A valid delivery always gets 200 quickly, including the
ones we ignore (our own mirror of the customer, private notes, bots, other inboxes, unknown
conversations). An agent's reply takes the hand-off if it still waits and reaches the customer
once (the Chatwoot message id makes the event id, so a redelivery changes nothing); `pending`
hands the conversation back to the bot, `resolved` closes the hand-off.
"""

from __future__ import annotations

import logging
import time

import orjson
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from dresbach.bootstrap import Container
from dresbach.features.handoff.adapters.chatwoot import (
    AgentReply,
    StatusChanged,
    parse_webhook,
    verify_signature,
)
from dresbach.web.webhook import BodyTooLarge, read_limited

log = logging.getLogger(__name__)

PATH = "/webhooks/chatwoot"


def routes(container: Container) -> list[Route]:
    secret = container.settings.chatwoot_webhook_secret.reveal()
    inbox_id = container.settings.chatwoot_inbox_id.strip()
    handoff = container.handoff

    async def receive(request: Request) -> Response:
        try:
            body = await read_limited(request)
        except BodyTooLarge:
            return PlainTextResponse("payload too large", status_code=413)
        if not verify_signature(
            secret,
            body,
            signature=request.headers.get("x-chatwoot-signature"),
            timestamp=request.headers.get("x-chatwoot-timestamp"),
            now=time.time(),
        ):
            return PlainTextResponse("invalid signature", status_code=401)
        try:
            update = parse_webhook(orjson.loads(body))
        except orjson.JSONDecodeError:
            return PlainTextResponse("malformed body", status_code=400)
        if update is None or (update.inbox_id is not None and str(update.inbox_id) != inbox_id):
            return PlainTextResponse("ignored")
        try:
            if isinstance(update, AgentReply):
                await handoff.desk_reply(
                    update.conversation_id, update.agent, update.body, update.message_id
                )
            elif isinstance(update, StatusChanged) and update.status in ("pending", "resolved"):
                await handoff.desk_status(
                    update.conversation_id,
                    update.agent,
                    "resolved" if update.status == "resolved" else "pending",
                )
        except Exception:
            log.exception("could not apply a Chatwoot webhook (delivery %s)", _delivery(request))
            return PlainTextResponse("try again", status_code=503)
        return PlainTextResponse("ok")

    return [Route(PATH, receive, methods=["POST"])]


def _delivery(request: Request) -> str:
    return request.headers.get("x-chatwoot-delivery", "?")[:80]
