"""The files a customer sent with a ticket or a reply, opened for the help desk.

The files are fetched by `platform/inbound/media.py`'s job, which may still be at work when the
ticket goes: the ticket then waits for it (`NotReadyError`, no attempt counted), never goes
without it. A file that could not be kept (refused by the checks, its download given up) or was
erased meanwhile is left out: the ticket goes with the rest.
"""

from __future__ import annotations

from collections.abc import Sequence

from dresbach.kernel.errors import NotReadyError
from dresbach.kernel.ports import Attachment
from dresbach.platform.inbound.media import file_name, media_described, opened
from dresbach.platform.store.database import Database
from dresbach.platform.store.sealing import Sealer


async def ticket_files(db: Database, sealer: Sealer, media_ids: Sequence[str]) -> list[Attachment]:
    """The files of these media ids, in order, as the help desk takes them."""
    files: list[Attachment] = []
    for media_id in media_ids:
        kept = await db.run(media_described, db.engine, media_id)
        if kept is not None and kept.status == "pending":
            raise NotReadyError(f"media {media_id} is still being fetched")
        found = await db.run(opened, db.engine, sealer, media_id)
        if found is None:
            continue
        file, data = found
        name = file.filename or file_name(file.kind, file.mime_type)
        files.append(Attachment(filename=name, mime_type=file.mime_type, data=data))
    return files
