"""The floor: a bare webhook server that verifies, parses and answers 200, and does nothing else.

Starlette on uvicorn[standard] (uvloop + httptools), one route: ``POST /webhook`` checks
``X-Hub-Signature-256`` over the raw body with ``hmac.compare_digest``, parses it with
``orjson.loads`` and pulls out the messages (variant (b) of performance-baselines.md §2.3).
No replies are sent. ``GET /healthz`` answers 200.

    WHATSAPP_APP_SECRET=... python bench/bare_server.py --host 127.0.0.1 --port 8001
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
from typing import Any

import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route


def extract_messages(payload: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(from, id, text) of every message in a Cloud API webhook, across entries and changes."""
    found: list[tuple[str, str, str]] = []
    for entry in payload.get("entry", ()):
        for change in entry.get("changes", ()):
            for message in change.get("value", {}).get("messages", ()):
                text = message.get("text", {}).get("body", "")
                found.append((message["from"], message["id"], text))
    return found


def build_app(app_secret: str, verify_token: str) -> Starlette:
    secret = app_secret.encode()

    async def webhook(request: Request) -> Response:
        body = await request.body()
        signature = request.headers.get("x-hub-signature-256", "")
        expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(signature.encode(), expected.encode()):
            return PlainTextResponse("invalid signature", status_code=403)
        try:
            extract_messages(orjson.loads(body))
        except (orjson.JSONDecodeError, KeyError, AttributeError, TypeError):
            return PlainTextResponse("bad payload", status_code=400)
        return PlainTextResponse("OK")

    async def challenge(request: Request) -> Response:
        params = request.query_params
        if params.get("hub.mode") == "subscribe" and params.get("hub.verify_token") == verify_token:
            return PlainTextResponse(params.get("hub.challenge", ""))
        return PlainTextResponse("forbidden", status_code=403)

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(
        routes=[
            Route("/webhook", webhook, methods=["POST"]),
            Route("/webhook", challenge, methods=["GET"]),
            Route("/healthz", healthz, methods=["GET"]),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    app = build_app(os.environ["WHATSAPP_APP_SECRET"], os.environ.get("WHATSAPP_VERIFY_TOKEN", ""))
    uvicorn.run(
        app,
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
