"""The audit log: who did what, when, with personal data masked."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from dresbach.platform.store.schema import audit_log


def mask_key(key: str) -> str:
    """A conversation key (phone or BSUID) masked for logs and the audit trail."""
    if len(key) <= 6:
        return "*" * len(key)
    return f"{key[:4]}{'*' * (len(key) - 8)}{key[-4:]}"


def record(
    connection: Connection,
    *,
    who: str,
    action: str,
    now: datetime,
    document_masked: str | None = None,
    detail: str | None = None,
    mask: bool = True,
) -> None:
    """`who` is masked (a customer's phone or BSUID) unless `mask` is False: an operator's
    username is kept, so the log says which operator did what."""
    connection.execute(
        audit_log.insert().values(
            at=now,
            who=mask_key(who) if mask else who[:80],
            action=action,
            document_masked=document_masked,
            detail=detail,
        )
    )
