"""What the core's commands do to our own database, inside the step's transaction.

Saving a lead or a receipt needs no outside system, so it commits with the step. A command that
needs one (a Pix charge) becomes a job row here, drained by the job worker, whose result comes
back to the conversation as an event through the same unit of work.

Which command does what is each feature's registration (`features/<name>/feature.py`,
`Feature.effects`): here only the lookup and the helpers the registrations are made of.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import datetime
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import Connection

from dresbach.kernel.commands import Command
from dresbach.platform.feature import Effect, installed
from dresbach.platform.store.schema import jobs
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.store.sql import insert_ignore


def _json(value: Any) -> str:
    return orjson.dumps(
        value, default=lambda v: str(v) if isinstance(v, Decimal) else None
    ).decode()


def as_json(value: Any) -> str:
    """A payload as it is stored (a Decimal as its text)."""
    return _json(value)


_ENQUEUED = "dresbach.jobs_enqueued"


def took_jobs(connection: Connection) -> bool:
    """Whether a job was enqueued on this connection since the last call: the stepper wakes the
    job worker only then (a claim of nothing, after every message, cost as much as a send)."""
    return bool(connection.info.pop(_ENQUEUED, False))


def enqueue_job(
    connection: Connection,
    *,
    command_id: str,
    kind: str,
    payload: dict[str, Any],
    now: datetime,
    conversation_key: str | None = None,
    due: datetime | None = None,
) -> bool:
    """A job runs once per command id, however often it is enqueued; from `due` (now when
    not given). The connection remembers that one was (`took_jobs`)."""
    connection.info[_ENQUEUED] = True
    return insert_ignore(
        connection,
        jobs,
        {
            "command_id": command_id,
            "kind": kind,
            "conversation_key": conversation_key,
            "payload": _json(payload),
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now if due is None else due,
            "created_at": now,
        },
        ["command_id"],
    )


def sealed(sealer: Sealer | None, secret: dict[str, str]) -> str:
    """A secret for a job's payload, sealed (a secret command without the sealer is a bug)."""
    if sealer is None:
        raise ValueError("a secret command needs the sealer")
    return sealer.seal(orjson.dumps(secret).decode())


Payload = Callable[[Any, "Sealer | None"], dict[str, Any]]


def every_field(command: Any, _sealer: Sealer | None) -> dict[str, Any]:
    """The payload of most jobs: the command's fields."""
    return asdict(command)


def fields_but_id(command: Any, _sealer: Sealer | None) -> dict[str, Any]:
    """The command's fields but its id (the job row has it)."""
    return {k: v for k, v in asdict(command).items() if k != "command_id"}


def job(kind: str, payload: Payload = every_field) -> Effect:
    """The effect of a command that becomes a job of `kind`, once per command id."""

    def effect(
        connection: Connection, key: str, command: Any, now: datetime, sealer: Sealer | None
    ) -> None:
        enqueue_job(
            connection,
            command_id=command.command_id,
            kind=kind,
            payload=payload(command, sealer),
            now=now,
            conversation_key=key,
        )

    return effect


def apply_commands(
    connection: Connection,
    key: str,
    commands: Sequence[Command],
    now: datetime,
    sealer: Sealer | None = None,
) -> None:
    effects = installed().effects
    for command in commands:
        effect = effects.get(type(command))
        if effect is None:  # pragma: no cover - a command without an effect is a bug
            raise TypeError(f"no effect for {command.name}")
        effect(connection, key, command, now, sealer)
