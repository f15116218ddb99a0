"""The ASGI application."""

from __future__ import annotations

import contextlib
import hmac
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from dresbach.bootstrap import Container
from dresbach.platform.observe import metrics as metrics_module
from dresbach.platform.work.heartbeats import workers_alive
from dresbach.web import (
    chatwoot_webhook,
    console,
    demo_panel,
    flows_endpoint,
    notices_hook,
    payment_webhooks,
    simulator,
)
from dresbach.web.limits import BodyLimit
from dresbach.web.webhook import Receiver, verification

log = logging.getLogger(__name__)


class App(Starlette):
    """Starlette, with Meta's `POST /webhook` taken before the middleware stack and the router:
    the route every message comes by answers its own errors (`webhook.Receiver`)."""

    webhook: Receiver | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.webhook is not None
            and scope["type"] == "http"
            and scope["path"] == "/webhook"
            and scope["method"] == "POST"
        ):
            scope["app"] = self
            await self.webhook(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


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

    async def metrics(request: Request) -> Response:
        token = container.settings.metrics_token.reveal()
        given = request.headers.get("authorization", "")
        if token and not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return PlainTextResponse("unauthorized", status_code=401)
        body = await container.db.run(container.metrics.exposition)
        return Response(body, media_type=metrics_module.CONTENT_TYPE)

    webhook = Receiver(container)
    routes: list[BaseRoute] = [
        Route("/webhook", verification(container), methods=["GET"]),
        Route("/webhook", webhook, methods=["POST"]),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics),
    ]
    routes += payment_webhooks.routes(container)
    routes += console.routes(container)
    routes += notices_hook.routes(container)
    if container.settings.handoff_desk == "chatwoot":
        routes += chatwoot_webhook.routes(container)
    if container.flows_key is not None and container.flow_forms is not None:
        routes += flows_endpoint.routes(
            exchange=container.flow_forms,
            private_key=container.flows_key,
            app_secret=container.settings.whatsapp_app_secret.reveal(),
        )
    if container.settings.sandbox:
        routes += simulator.routes(container)
    if container.settings.hosting_panel == "local":  # where its demo access links lead
        routes += demo_panel.routes()

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        if run_workers:
            container.workers.start()
        try:
            yield
        finally:
            await container.aclose()

    # the webhooks read their bodies through caps of their own (and count a 413 in metrics)
    own_caps = {
        "/webhook",
        chatwoot_webhook.PATH,
        "/pix",
        "/webhooks/mercadopago",
        flows_endpoint.PATH,
    }
    app = App(
        routes=routes,
        lifespan=lifespan,
        middleware=[Middleware(BodyLimit, own_caps=own_caps, larger=console.UPLOADS)],
    )
    app.webhook = webhook
    return app
