"""What a customer sends (image, document, audio, video, sticker), fetched and kept sealed.

Meta keeps inbound media only for a while, and the URL it gives expires within minutes, so the
step that takes a media message in also notes it (`note`, in the step's transaction) and
enqueues the `fetch_media` job; the conversation never waits for it. The job asks Meta for the
URL (`GET /{media-id}`), downloads the bytes with the bearer token, checks WhatsApp's size and
type limits and the `sha256` the webhook gave, and keeps the file sealed under the service key
in `inbound_media`. A failure is retried (a new URL each attempt); a refusal (unknown id, too
large, a type WhatsApp does not carry, a checksum that differs) is kept with its reason.

Retention: like the inbox, unless something holds it longer (`keep_with`: a payment keeps its
receipt, and deletes it with itself). Operators read a file only through the console's
authenticated route, which opens it (`opened`).
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, delete, select, update

from dresbach.kernel.errors import PermanentError
from dresbach.kernel.events import MediaReceived
from dresbach.platform.clock import utcnow
from dresbach.platform.store.database import Database
from dresbach.platform.store.schema import inbound_media
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.store.sql import insert_ignore
from dresbach.platform.work.effects import enqueue_job
from dresbach.platform.work.jobs import GiveUp, Handler, Job

log = logging.getLogger(__name__)

FETCH_JOB = "fetch_media"

MB = 1024 * 1024
_DOCUMENTS = frozenset(
    {
        "text/plain",
        "application/pdf",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    }
)


@dataclass(frozen=True, slots=True)
class Limit:
    size: int
    types: frozenset[str]


LIMITS: dict[str, Limit] = {
    # Meta's "Supported media types" (Cloud API reference, media): size and MIME type by kind
    "image": Limit(5 * MB, frozenset({"image/jpeg", "image/png"})),
    "sticker": Limit(500 * 1024, frozenset({"image/webp"})),
    "audio": Limit(
        16 * MB,
        frozenset({"audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"}),
    ),
    "video": Limit(16 * MB, frozenset({"video/3gpp", "video/mp4"})),
    "document": Limit(100 * MB, _DOCUMENTS),
}


class MediaSource(Protocol):
    """Where the files are (the Cloud API client)."""

    async def media(self, media_id: str) -> dict[str, Any]: ...

    async def download(self, url: str, *, limit: int) -> bytes: ...


def _type(mime_type: str) -> str:
    """`audio/ogg; codecs=opus` -> `audio/ogg`."""
    return mime_type.split(";")[0].strip().lower()


def note(connection: Connection, key: str, event: MediaReceived, now: datetime) -> None:
    """In the step's transaction: the media is known, and its fetch is enqueued."""
    if not event.media_id:
        return
    inserted = insert_ignore(
        connection,
        inbound_media,
        {
            "media_id": event.media_id,
            "message_id": event.message_id,
            "conversation_key": key,
            "kind": event.media_kind,
            "mime_type": event.mime_type[:100],
            "filename": (event.filename or "")[:240] or None,
            "sha256": event.sha256,
            "status": "pending",
            "created_at": now,
        },
        ["media_id"],
    )
    if inserted:
        enqueue_job(
            connection,
            command_id=f"media:{event.media_id}",
            kind=FETCH_JOB,
            payload={"media_id": event.media_id},
            now=now,
            conversation_key=key,
        )


def keep_with(connection: Connection, media_id: str, holder: str) -> None:
    """Keep a file as long as `holder` keeps it (a payment its receipt), not like the inbox."""
    connection.execute(
        update(inbound_media).where(inbound_media.c.media_id == media_id).values(kept_with=holder)
    )


def _matches(expected: str, data: bytes) -> bool:
    """The webhook's checksum, as hex or base64 (both are seen)."""
    digest = hashlib.sha256(data).digest()
    return expected.strip() in (digest.hex(), base64.b64encode(digest).decode())


def problem_with(kind: str, mime_type: str, sha256: str | None, data: bytes) -> str | None:
    """Why a file is refused (None: it is kept)."""
    limit = LIMITS.get(kind)
    if limit is None:
        return f"unknown media kind {kind}"
    if _type(mime_type) not in limit.types:
        return f"a {kind} of type {_type(mime_type) or '?'} is not one WhatsApp carries"
    if len(data) > limit.size:
        return f"a {kind} of {len(data)} bytes is over WhatsApp's {limit.size}"
    if sha256 and not _matches(sha256, data):
        return "sha256 differs from the webhook's"
    return None


def _pending(engine: Engine, media_id: str) -> Any:
    with engine.connect() as connection:
        return (
            connection.execute(
                select(inbound_media).where(
                    inbound_media.c.media_id == media_id, inbound_media.c.status == "pending"
                )
            )
            .mappings()
            .first()
        )


def _finish(engine: Engine, media_id: str, values: dict[str, Any]) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(inbound_media)
            .where(inbound_media.c.media_id == media_id, inbound_media.c.status == "pending")
            .values(values)
        )


class MediaFetcher:
    """The `fetch_media` job."""

    def __init__(
        self,
        db: Database,
        source: MediaSource,
        sealer: Sealer,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db, self.source, self.sealer, self.clock = db, source, sealer, clock

    async def fetch(self, job: Job) -> None:
        media_id = str(job.payload["media_id"])
        row = await self.db.run(_pending, self.db.engine, media_id)
        if row is None:  # fetched already, or erased with the customer's data
            return
        limit = LIMITS.get(row["kind"], LIMITS["document"])
        answer = await self.source.media(media_id)
        declared = int(answer.get("file_size") or 0)
        if declared > limit.size:
            await self._refuse(media_id, f"a {row['kind']} of {declared} bytes is too large")
            return
        url = str(answer.get("url") or "")
        if not url:
            raise PermanentError("Graph API media answer without a url")
        try:
            data = await self.source.download(url, limit=limit.size)
        except PermanentError as error:
            await self._refuse(media_id, str(error))
            return
        mime_type = _type(str(answer.get("mime_type") or row["mime_type"]))
        problem = problem_with(row["kind"], mime_type, row["sha256"], data)
        if problem is None and answer.get("sha256"):
            problem = problem_with(row["kind"], mime_type, str(answer["sha256"]), data)
        if problem is not None:
            await self._refuse(media_id, problem)
            return
        values = {
            "status": "kept",
            "mime_type": mime_type,
            "size": len(data),
            "data": self.sealer.seal_bytes(data),
            "fetched_at": self.clock(),
            "problem": None,
        }
        await self.db.run(_finish, self.db.engine, media_id, values)

    async def _refuse(self, media_id: str, problem: str) -> None:
        log.warning("inbound media refused: %s", problem)
        values = {"status": "refused", "problem": problem, "fetched_at": self.clock()}
        await self.db.run(_finish, self.db.engine, media_id, values)

    async def gave_up(self, job: Job, reason: str) -> None:
        values = {"status": "failed", "problem": reason[:500], "fetched_at": self.clock()}
        await self.db.run(_finish, self.db.engine, str(job.payload["media_id"]), values)

    @property
    def jobs(self) -> dict[str, Handler]:
        return {FETCH_JOB: self.fetch}

    @property
    def give_up(self) -> dict[str, GiveUp]:
        return {FETCH_JOB: self.gave_up}


# ---- reading it back: the console, the LGPD copy, the erasure ---------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Kept:
    media_id: str
    message_id: str
    kind: str
    mime_type: str
    filename: str | None
    status: str
    problem: str | None
    size: int | None
    kept_with: str | None
    created_at: datetime


def _kept(row: Any) -> Kept:
    return Kept(
        media_id=row["media_id"],
        message_id=row["message_id"],
        kind=row["kind"],
        mime_type=row["mime_type"],
        filename=row["filename"],
        status=row["status"],
        problem=row["problem"],
        size=row["size"],
        kept_with=row["kept_with"],
        created_at=row["created_at"],
    )


_LISTED = [c for c in inbound_media.c if c.name != "data"]


def of_conversation(connection: Connection, key: str) -> list[Kept]:
    """What a customer sent, oldest first (without the files)."""
    rows = connection.execute(
        select(*_LISTED)
        .where(inbound_media.c.conversation_key == key)
        .order_by(inbound_media.c.created_at, inbound_media.c.media_id)
    ).mappings()
    return [_kept(row) for row in rows]


def described(connection: Connection, media_id: str) -> Kept | None:
    row = (
        connection.execute(select(*_LISTED).where(inbound_media.c.media_id == media_id))
        .mappings()
        .first()
    )
    return None if row is None else _kept(row)


def media_described(engine: Engine, media_id: str) -> Kept | None:
    """One file as kept (fetched, refused, failed, or still `pending`); None: unknown or erased."""
    with engine.connect() as connection:
        return described(connection, media_id)


_EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
    "text/plain": "txt",
    "audio/ogg": "ogg",
    "audio/mpeg": "mp3",
    "video/mp4": "mp4",
}


def file_name(kind: str, mime_type: str) -> str:
    """A name for a file the customer sent without one (images, audio): `image.jpg`."""
    return f"{kind}.{_EXTENSIONS.get(_type(mime_type), 'bin')}"


def described_all(engine: Engine, media_ids: Sequence[str]) -> dict[str, Kept]:
    """The files of these ids as kept (fetched, refused, or still on their way), by id."""
    if not media_ids:
        return {}
    with engine.connect() as connection:
        rows = connection.execute(
            select(*_LISTED).where(inbound_media.c.media_id.in_(list(media_ids)))
        ).mappings()
        return {row["media_id"]: _kept(row) for row in rows}


def opened(engine: Engine, sealer: Sealer, media_id: str) -> tuple[Kept, bytes] | None:
    """A kept file, opened in memory (None: not kept, or not fetched yet)."""
    with engine.connect() as connection:
        row = (
            connection.execute(
                select(inbound_media).where(
                    inbound_media.c.media_id == media_id, inbound_media.c.status == "kept"
                )
            )
            .mappings()
            .first()
        )
    if row is None or row["data"] is None:
        return None
    return _kept(row), sealer.open_bytes(bytes(row["data"]))


def erase(connection: Connection, key: str) -> int:
    """Everything a customer sent, deleted (files and their records); how many."""
    return int(
        connection.execute(
            delete(inbound_media).where(inbound_media.c.conversation_key == key)
        ).rowcount
    )
