"""Media we keep (a Pix QR code) turned into something WhatsApp can show: uploaded once to the
Graph API and referred to by id (Meta keeps uploads 30 days), or, in sandbox mode, a local link
the simulator serves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select, update

from dresbach.kernel.errors import PermanentError
from dresbach.kernel.messages import Document, Image, Message
from dresbach.kernel.ports import MediaUploader
from dresbach.platform.store.database import Database, utc
from dresbach.platform.store.schema import media_blobs

KEEP = timedelta(days=29)


def load_blob(engine: Engine, ref: str) -> Any:
    with engine.connect() as connection:
        return (
            connection.execute(select(media_blobs).where(media_blobs.c.ref == ref))
            .mappings()
            .first()
        )


def remember_upload(engine: Engine, ref: str, media_id: str, now: datetime) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(media_blobs)
            .where(media_blobs.c.ref == ref)
            .values(wa_media_id=media_id, uploaded_at=now)
        )


class MediaResolver:
    def __init__(
        self,
        db: Database,
        uploader: MediaUploader,
        *,
        link_base: str | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.db, self.uploader, self.link_base, self.clock = db, uploader, link_base, clock

    async def __call__(self, message: Message) -> Message:
        if not isinstance(message, Image | Document) or message.upload_ref is None:
            return message
        ref = message.upload_ref
        if self.link_base is not None:
            return replace(message, upload_ref=None, link=f"{self.link_base}/{ref}")
        row = await self.db.run(load_blob, self.db.engine, ref)
        if row is None:
            raise PermanentError(f"media {ref} is not stored")
        now = self.clock()
        uploaded = utc(row["uploaded_at"])
        media_id = row["wa_media_id"]
        if media_id is None or uploaded is None or now - uploaded > KEEP:
            media_id = await self.uploader.upload(row["data"], row["mime_type"], row["filename"])
            await self.db.run(remember_upload, self.db.engine, ref, media_id, now)
        return replace(message, upload_ref=None, media_id=media_id)
