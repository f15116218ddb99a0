"""`POST /whatsapp/flows`: the data-exchange endpoint of WhatsApp Flows over HTTP. The protocol
(signature, decryption, the exchange, the encrypted answer) is
`dresbach.platform.whatsapp.flows.endpoint`; here the body is read, at most `MAX_BODY` (413
beyond), and the answer sent as `text/plain`."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from dresbach.platform.whatsapp.flows.endpoint import MAX_BODY, PATH, endpoint
from dresbach.platform.whatsapp.flows_exchange import FlowsExchange
from dresbach.web.webhook import BodyTooLarge, read_limited

__all__ = ["MAX_BODY", "PATH", "routes"]


def routes(
    *,
    exchange: FlowsExchange,
    private_key: RSAPrivateKey,
    app_secret: str,
    path: str = PATH,
) -> list[BaseRoute]:
    """The endpoint's route, answering with `exchange` and opening requests with `private_key`
    (WHATSAPP_FLOWS_PRIVATE_KEY); requests are verified with `app_secret`."""
    respond = endpoint(exchange=exchange, private_key=private_key, app_secret=app_secret)

    async def serve(request: Request) -> Response:
        try:
            body = await read_limited(request, MAX_BODY)
        except BodyTooLarge:
            return PlainTextResponse("payload too large", status_code=413)
        reply = await respond(body, request.headers.get("x-hub-signature-256"))
        return PlainTextResponse(reply.text, status_code=reply.status)

    return [Route(path, serve, methods=["POST"])]
