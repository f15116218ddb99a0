"""`POST /hooks/whmcs`: an event WHMCS reports for a notice (an invoice created, a service
suspended, a ticket answered, a certificate about to expire), signed with
`DRESBACH_NOTICES_HOOK_SECRET` (HMAC-SHA256 over the raw body, checked in constant time before
anything else). Routed only with the secret set and WHMCS configured."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from dresbach.bootstrap import Container
from dresbach.features.notices.hook import HEADER, HookRefused, notice_of, signed

log = logging.getLogger(__name__)

PATH = "/hooks/whmcs"


def routes(container: Container) -> list[Route]:
    secret = container.settings.notices_hook_secret.reveal()
    service = container.notices
    if not secret or service.billing is None:
        return []

    async def whmcs_hook(request: Request) -> Response:
        body = await request.body()
        if not signed(secret, body, request.headers.get(HEADER, "")):
            return PlainTextResponse("invalid signature", status_code=401)
        try:
            notice = notice_of(body)
        except HookRefused as error:
            log.warning("WHMCS hook refused: %s", error)
            return PlainTextResponse("malformed body", status_code=400)
        outcome = await service.hooked(notice)
        return JSONResponse({"event": notice.event_key, **outcome.counts})

    return [Route(PATH, whmcs_hook, methods=["POST"])]
