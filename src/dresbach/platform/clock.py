"""The one clock: the time now, in UTC. Everything that reads the time takes a `clock` (this one
by default), so a test can give its own."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
