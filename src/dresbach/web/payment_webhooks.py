"""PSP notifications: `POST /pix` (BCB API Pix, `{webhookUrl}/pix`) and
`POST /webhooks/mercadopago`. A notification is only a hint: it is verified (token or
signature), turned into re-query jobs, and answered at once; nothing is confirmed here."""

from __future__ import annotations

import hmac
import logging

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from dresbach.bootstrap import Container
from dresbach.features.payments.adapters import bcb, mercadopago
from dresbach.web.webhook import BodyTooLarge, read_limited

log = logging.getLogger(__name__)

MAX_BODY = 256 * 1024


def routes(container: Container) -> list[Route]:
    settings = container.settings
    service = container.payments

    async def bcb_pix(request: Request) -> Response:
        token = settings.bcb_webhook_token.reveal()
        given = request.query_params.get("token", "")
        if token and not hmac.compare_digest(given.encode(), token.encode()):
            return PlainTextResponse("unauthorized", status_code=401)
        try:
            body = await read_limited(request, MAX_BODY)
            hints = bcb.parse_notification(body)
        except BodyTooLarge:
            return PlainTextResponse("payload too large", status_code=413)
        except ValueError:
            return PlainTextResponse("malformed body", status_code=400)
        await service.hinted(hints)
        return PlainTextResponse("ok")

    async def mercado_pago(request: Request) -> Response:
        data_id = request.query_params.get("data.id", "")
        valid = mercadopago.verify_signature(
            settings.mp_webhook_secret.reveal(),
            request.headers.get("x-signature", ""),
            request.headers.get("x-request-id", ""),
            data_id,
        )
        if not valid:
            return PlainTextResponse("invalid signature", status_code=401)
        try:
            body = await read_limited(request, MAX_BODY)
            hints = mercadopago.parse_notification(dict(request.query_params), body)
        except BodyTooLarge:
            return PlainTextResponse("payload too large", status_code=413)
        except ValueError:
            return PlainTextResponse("malformed body", status_code=400)
        await service.hinted(hints)
        return PlainTextResponse("ok")

    found: list[Route] = []
    if settings.pix_provider == "bcb":
        found.append(Route("/pix", bcb_pix, methods=["POST"]))
    if settings.pix_provider == "mercadopago":
        found.append(Route("/webhooks/mercadopago", mercado_pago, methods=["POST"]))
    return found
