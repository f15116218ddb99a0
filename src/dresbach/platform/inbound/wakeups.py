"""Wake-ups of the stepper across processes on PostgreSQL: `LISTEN` on the channel a commit of
new arrivals notifies, on a connection of its own (psycopg's async connection, autocommit). A
lost connection is opened again; meanwhile the stepper's slow poll is the safety net, and each
new connection wakes the stepper once for what arrived while nobody listened."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import psycopg
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

RETRY = 2.0
"""Seconds before listening again after the connection was lost."""


def conninfo(url: str) -> str:
    """A SQLAlchemy URL (`postgresql+psycopg://…`) as libpq reads it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def listen(url: str, channel: str, wake: Callable[[], None]) -> None:
    """Call `wake` on every notification on `channel`, until cancelled."""
    while True:
        try:
            connection = await psycopg.AsyncConnection.connect(conninfo(url), autocommit=True)
            async with connection:
                await connection.execute(f"LISTEN {channel}")
                wake()
                async for _ in connection.notifies():
                    wake()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("listening for new messages failed; polling meanwhile", exc_info=True)
        await asyncio.sleep(RETRY)
