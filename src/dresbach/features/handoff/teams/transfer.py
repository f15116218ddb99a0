"""A hand-off passed on: to a colleague (who has it at once; the customer hears who joined) or
to a team (its queue, or its least busy member on duty when it assigns), with a note for whoever
takes it next. The note is sealed; the audit log says who passed what to whom, never the note.

Only the operator who has a hand-off being worked may pass it on, unless `any_operator` (a team
lead or an admin); a waiting one may be passed on by anyone at the console.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, select, update

from dresbach.features.handoff.model import HandOffQueued
from dresbach.features.handoff.records import (
    OPEN,
    HandOffError,
    display_name,
    join,
    locked,
    position,
)
from dresbach.features.handoff.teams import roster
from dresbach.kernel.policy import Policy
from dresbach.platform.inbound.door import deliver
from dresbach.platform.observe import audit
from dresbach.platform.store.database import utc
from dresbach.platform.store.hooks import StepHooks
from dresbach.platform.store.schema import handoff_transfers, handoffs, operators
from dresbach.platform.store.sealing import Sealer

NOTE_MAX = 1000


@dataclass(frozen=True, slots=True, kw_only=True)
class Transfer:
    """One pass, as the console shows it."""

    at: datetime
    by: str
    to: str
    """The colleague's name or the team's."""
    note: str


def _check(
    connection: Connection, to_operator: str | None, to_team: str | None, note: str
) -> str | None:
    """The team's slug; raises HandOffError for what cannot be done."""
    if bool(to_operator) == bool(to_team):
        raise HandOffError("Escolha um colega ou uma equipe para transferir.")
    if len(note) > NOTE_MAX:
        raise HandOffError(f"A nota tem {len(note)} caracteres; o limite é {NOTE_MAX}.")
    if to_team:
        if roster.by_slug(connection, to_team) is None:
            raise HandOffError("Equipe não encontrada.")
        return to_team
    found = connection.execute(
        select(operators.c.id).where(operators.c.username == to_operator)
    ).scalar()
    if found is None:
        raise HandOffError("Colega não encontrado.")
    return None


def transfer(
    engine: Engine,
    handoff_id: int,
    operator: str,
    now: datetime,
    policy: Policy,
    sealer: Sealer,
    hooks: StepHooks,
    *,
    to_operator: str | None,
    to_team: str | None,
    note: str,
    any_operator: bool = False,
) -> None:
    text = note.strip()
    with engine.begin() as connection:
        row = locked(connection, handoff_id)
        if row["status"] not in OPEN:
            raise HandOffError("Este atendimento já foi encerrado.")
        if row["status"] == "active" and not any_operator and row["taken_by"] != operator:
            raise HandOffError(
                f"Este atendimento está com {row['taken_by']}: só quem assumiu pode transferi-lo."
            )
        team = _check(connection, to_operator, to_team, text)
        if to_operator and to_operator == row["taken_by"]:
            raise HandOffError("Este atendimento já está com esse colega.")
        result = connection.execute(
            handoff_transfers.insert().values(
                handoff_id=handoff_id,
                at=now,
                by_operator=operator[:80],
                to_operator=to_operator,
                to_team=team,
                note=sealer.seal(text) if text else None,
            )
        )
        transfer_id = result.inserted_primary_key[0] if result.inserted_primary_key else 0
        target = f"equipe {team}" if team else f"atendente {to_operator}"
        audit.record(
            connection,
            who=operator,
            action="handoff_transferred",
            now=now,
            detail=f"atendimento {handoff_id} ({audit.mask_key(row['conversation_key'])}) "
            f"para {target}" + (" com nota" if text else ""),
            mask=False,
        )
        if to_operator:
            join(
                connection, row, to_operator, now, policy, sealer, hooks, action="handoff_received"
            )
            return
        assert team is not None
        connection.execute(
            update(handoffs)
            .where(handoffs.c.id == handoff_id)
            .values(team=team, status="waiting", taken_by=None, taken_at=None)
        )
        _to_team(connection, handoff_id, transfer_id, now, policy, sealer, hooks)


def _to_team(
    connection: Connection,
    handoff_id: int,
    transfer_id: int,
    now: datetime,
    policy: Policy,
    sealer: Sealer,
    hooks: StepHooks,
) -> None:
    """In the team's queue now: its least busy member on duty takes it if the team assigns;
    else a customer still waiting hears the new place in line."""
    row = locked(connection, handoff_id)
    team = roster.by_slug(connection, row["team"])
    chosen = roster.least_busy(connection, team, now, policy) if team["auto_assign"] else None
    if chosen is not None:
        join(connection, row, chosen, now, policy, sealer, hooks, action="handoff_assigned")
        return
    deliver(
        connection,
        HandOffQueued(
            event_id=f"handoff:{handoff_id}:transfer:{transfer_id}:queued",
            conversation_key=row["conversation_key"],
            timestamp=now,
            handoff_id=str(handoff_id),
            position=position(connection, row, now),
            open_now=policy.support_hours.is_open(now),
            opens_at=policy.support_hours.next_open(now),
        ),
        now,
        policy,
        sealer,
        hooks,
    )


def transfers_of(engine: Engine, handoff_id: int, sealer: Sealer) -> list[Transfer]:
    """The hand-off's passes, oldest first, the notes opened for the console."""
    with engine.connect() as connection:
        rows = (
            connection.execute(
                select(handoff_transfers)
                .where(handoff_transfers.c.handoff_id == handoff_id)
                .order_by(handoff_transfers.c.id)
            )
            .mappings()
            .all()
        )
        names = roster.team_names(connection)
        found = []
        for row in rows:
            to = (
                names.get(row["to_team"], row["to_team"])
                if row["to_team"]
                else display_name(connection, row["to_operator"])
            )
            at = utc(row["at"])
            assert at is not None
            found.append(
                Transfer(
                    at=at,
                    by=display_name(connection, row["by_operator"]),
                    to=str(to),
                    note=sealer.open(row["note"]) if row["note"] else "",
                )
            )
    return found
