"""The sandbox sink: what would have gone to Meta, kept for the simulator and `dresbach chat`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Engine, select

from dresbach.kernel.ports import Attachment
from dresbach.platform.observe.redaction import mask_documents_in
from dresbach.platform.store.schema import sandbox_messages
from dresbach.platform.store.sealing import Sealer

_OURS = frozenset({"to", "id", "biz_opaque_callback_data", "link", "type", "name", "code"})
"""Fields of a Graph API body that are never a person's words (ids, kinds, media links)."""


def record(
    engine: Engine,
    recipient: str,
    body: dict[str, Any],
    wamid: str,
    now: datetime,
    sealer: Sealer | None = None,
) -> None:
    """Keep what would have gone to Meta. A body that shows a CPF/CNPJ or a card (the
    customer's own, echoed for checking) is kept masked, with the clear body sealed beside it:
    the simulator opens it, nothing at rest holds it in clear."""
    masked = mask_documents_in(body, _OURS)
    if masked != body:
        masked["sealed"] = sealer.seal(orjson.dumps(body).decode()) if sealer else None
        body = masked
    with engine.begin() as connection:
        connection.execute(
            sandbox_messages.insert().values(
                recipient=recipient,
                payload=orjson.dumps(body).decode(),
                wamid=wamid,
                created_at=now,
            )
        )


def _opened(body: dict[str, Any], sealer: Sealer | None) -> dict[str, Any]:
    sealed = body.pop("sealed", None)
    if sealed and sealer is not None:
        opened: dict[str, Any] = orjson.loads(sealer.open(sealed))
        return opened
    return body


def messages_for(
    engine: Engine, recipient: str, after_id: int = 0, sealer: Sealer | None = None
) -> list[dict[str, Any]]:
    """Graph API request bodies sent to `recipient`, oldest first, with their sink id (sealed
    ones opened with `sealer`, else shown masked)."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(sandbox_messages.c.id, sandbox_messages.c.payload)
            .where(sandbox_messages.c.recipient == recipient, sandbox_messages.c.id > after_id)
            .order_by(sandbox_messages.c.id)
        ).all()
    return [{"id": row.id, "body": _opened(orjson.loads(row.payload), sealer)} for row in rows]


def record_mail(engine: Engine, to: str, subject: str, body: str, now: datetime) -> None:
    from dresbach.platform.store.schema import sandbox_mail

    with engine.begin() as connection:
        connection.execute(
            sandbox_mail.insert().values(to_address=to, subject=subject, body=body, created_at=now)
        )


def mails(engine: Engine, limit: int = 20) -> list[dict[str, Any]]:
    from dresbach.platform.store.schema import sandbox_mail

    with engine.connect() as connection:
        rows = connection.execute(
            select(sandbox_mail).order_by(sandbox_mail.c.id.desc()).limit(limit)
        ).mappings()
        return [
            {"to": r["to_address"], "subject": r["subject"], "body": r["body"], "id": r["id"]}
            for r in rows
        ]


class SandboxMailer:
    """Sandbox mode: e-mails land in a table the simulator shows at /simulator/mail."""

    def __init__(self, db: Any) -> None:
        self.db = db

    async def send(
        self, to: str, subject: str, body: str, attachments: Sequence[Attachment] = ()
    ) -> None:
        from datetime import UTC

        listed = "".join(
            f"\n\n📎 {a.filename} ({a.mime_type}"
            + (f", METHOD:{a.method}" if a.method else "")
            + f")\n{a.data.decode(errors='replace')}"
            for a in attachments
        )
        await self.db.run(
            record_mail, self.db.engine, to, subject, body + listed, datetime.now(UTC)
        )
