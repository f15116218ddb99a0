"""The composition root: the only place that builds adapters from Settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from dresbach.config import Settings
from dresbach.domain.ports import MessageSender
from dresbach.integrations.whatsapp.client import CloudApiClient
from dresbach.integrations.whatsapp.sandbox import SandboxTransport
from dresbach.runtime import sandbox_store
from dresbach.runtime.database import Database, migrate
from dresbach.runtime.pipeline import Pipeline
from dresbach.runtime.sender import OutboxSender
from dresbach.runtime.workers import Workers

log = logging.getLogger(__name__)

SANDBOX_GRAPH = "http://sandbox.invalid/v26.0"


@dataclass(slots=True)
class Container:
    settings: Settings
    db: Database
    client: MessageSender
    sender: OutboxSender
    pipeline: Pipeline
    workers: Workers

    async def aclose(self) -> None:
        await self.workers.stop()
        await self.client.aclose()
        self.db.close()


def build(settings: Settings, *, auto_migrate: bool | None = None) -> Container:
    """Wire everything. Migrates SQLite by itself (the embedded default) unless told not to."""
    db = Database(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
    if auto_migrate if auto_migrate is not None else db.is_sqlite:
        migrate(settings.database_url)

    async def record(recipient: str, body: dict[str, Any], wamid: str) -> None:
        await db.run(sandbox_store.record, db.engine, recipient, body, wamid, datetime.now(UTC))

    if settings.sandbox:
        client = CloudApiClient(
            base_url=SANDBOX_GRAPH,
            phone_number_id="sandbox",
            access_token="sandbox",  # noqa: S106 - the sandbox sink checks no token
            transport=SandboxTransport(record),
        )
    else:
        client = CloudApiClient(
            base_url=settings.whatsapp_api_base_url,
            phone_number_id=settings.whatsapp_phone_number_id,
            access_token=settings.whatsapp_access_token.reveal(),
            timeout=settings.graph_timeout_seconds,
        )
    sender = OutboxSender(
        db,
        client,
        rate=settings.send_rate,
        recipient_rate=settings.recipient_rate,
        recipient_burst=settings.recipient_burst,
        max_attempts=settings.send_max_attempts,
        base_backoff=settings.retry_base_seconds,
        lease=timedelta(seconds=settings.graph_timeout_seconds * 2 + 5),
    )
    pipeline = Pipeline(db=db, policy=settings.policy, on_enqueued=sender.wake)
    return Container(
        settings=settings,
        db=db,
        client=client,
        sender=sender,
        pipeline=pipeline,
        workers=Workers(db, sender),
    )
