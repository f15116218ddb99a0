"""The yardstick: a pywa_async echo bot, served like pywa suggests, talking to the fake Graph API.

``pywa_async.WhatsApp`` is given our own Starlette app (``server=``; pywa registers
``GET/POST /webhook`` on it, checks ``X-Hub-Signature-256`` with ``validate_updates=True`` and
runs the handler as a Starlette background task after the 200). We add ``GET /healthz``. Each
text message is echoed back once, to ``from`` (the wa_id), with ``tracker="<inbound id>#0"`` so
the benchmark can match replies to inbound messages exactly as it does for our server.

pywa cannot be told another Graph host: ``GraphAPI.__init__`` sets
``session.base_url = f"https://graph.facebook.com/v{api_version}"`` on whatever httpx client
it is given. The least invasive supported way is its ``session=`` parameter: we pass an
``httpx.AsyncClient`` whose transport rewrites scheme, host and port to
``WHATSAPP_API_BASE_URL``, and take ``api_version`` from that URL's last path segment.

    WHATSAPP_APP_SECRET=... WHATSAPP_VERIFY_TOKEN=... WHATSAPP_ACCESS_TOKEN=... \\
    WHATSAPP_PHONE_NUMBER_ID=... WHATSAPP_API_BASE_URL=http://127.0.0.1:9000/v26.0 \\
    python bench/pywa_echo.py --host 127.0.0.1 --port 8002

``PYWA_ECHO_MARK_READ=1`` also sends a read receipt with a typing indicator before the echo
(the same two Graph calls per message that our server makes).
"""

from __future__ import annotations

import argparse
import logging
import os

import httpx
import uvicorn
from pywa_async import filters
from pywa_async.client import WhatsApp
from pywa_async.types import Message  # type: ignore[attr-defined]
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route


class RedirectTransport(httpx.AsyncBaseTransport):
    """Send every request to ``target``'s scheme, host and port, keeping path and query."""

    def __init__(self, target: httpx.URL, inner: httpx.AsyncBaseTransport) -> None:
        self._target = target
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(
            scheme=self._target.scheme, host=self._target.host, port=self._target.port
        )
        request.headers["host"] = self._target.netloc.decode("ascii")
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def build_app() -> Starlette:
    base_url = httpx.URL(os.environ["WHATSAPP_API_BASE_URL"])
    version = base_url.path.rstrip("/").rsplit("/", 1)[-1].removeprefix("v") or "26.0"
    mark_read = os.environ.get("PYWA_ECHO_MARK_READ", "") not in ("", "0")
    inner = httpx.AsyncHTTPTransport(
        limits=httpx.Limits(
            max_connections=int(os.environ.get("PYWA_ECHO_CONNECTIONS", "100")),
            max_keepalive_connections=int(os.environ.get("PYWA_ECHO_CONNECTIONS", "100")),
        )
    )
    session = httpx.AsyncClient(
        transport=RedirectTransport(base_url, inner), timeout=httpx.Timeout(30.0)
    )

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    app = Starlette(routes=[Route("/healthz", healthz, methods=["GET"])])
    wa = WhatsApp(
        phone_id=os.environ["WHATSAPP_PHONE_NUMBER_ID"],
        token=os.environ["WHATSAPP_ACCESS_TOKEN"],
        session=session,
        server=app,  # type: ignore[arg-type]  # pywa accepts Starlette; its hint omits it
        webhook_endpoint="/webhook",
        verify_token=os.environ["WHATSAPP_VERIFY_TOKEN"],
        app_secret=os.environ["WHATSAPP_APP_SECRET"],
        validate_updates=True,
        api_version=version,
    )

    @wa.on_message(filters.text)  # type: ignore[misc]
    async def echo(client: WhatsApp, message: Message) -> None:
        if mark_read:
            await message.indicate_typing()  # type: ignore[misc]
        await client.send_message(
            to=message.from_user.wa_id or message.from_user.bsuid,
            text=message.text or "",
            tracker=f"{message.id}#0",
        )

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8002)
    args = parser.parse_args()
    logging.getLogger("pywa").setLevel(logging.WARNING)
    uvicorn.run(
        build_app(),
        host=args.host,
        port=args.port,
        loop="uvloop",
        http="httptools",
        log_level="warning",
        access_log=False,
        lifespan="off",
    )


if __name__ == "__main__":
    main()
