"""The ASGI application."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from dresbach.bootstrap import Container
from dresbach.runtime.workers import workers_alive
from dresbach.web import chatwoot_webhook, console, payment_webhooks, simulator
from dresbach.web.webhook import receiver, verification

log = logging.getLogger(__name__)


def create_app(container: Container, *, run_workers: bool = True) -> Starlette:
    async def healthz(_request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_request: Request) -> Response:
        db = container.db
        database = await db.run(db.ping)
        if run_workers:
            workers = container.workers.alive
        else:
            workers = database and await db.run(workers_alive, db.engine, datetime.now(UTC))
        ready = database and workers
        body = {"database": database, "workers": workers, "ready": ready}
        return JSONResponse(body, status_code=200 if ready else 503)

    routes: list[BaseRoute] = [
        Route("/webhook", verification(container), methods=["GET"]),
        Route("/webhook", receiver(container), methods=["POST"]),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
    ]
    routes += payment_webhooks.routes(container)
    routes += console.routes(container)
    if container.settings.handoff_desk == "chatwoot":
        routes += chatwoot_webhook.routes(container)
    if container.settings.sandbox:
        routes += simulator.routes(container)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        if run_workers:
            container.workers.start()
        try:
            yield
        finally:
            await container.aclose()

    return Starlette(routes=routes, lifespan=lifespan)
