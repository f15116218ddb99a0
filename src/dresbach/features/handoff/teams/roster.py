"""Teams in the database: their topics (why a hand-off comes to them), members, hours and
whether a new hand-off goes at once to the least busy member on duty. The four teams
(Financeiro, Suporte técnico, Consultoria, Comercial) are seeded by migration 0023; admins
change them in the console (`/console/teams`).

Errors an admin can act on are `TeamError`, whose message is pt-BR, for the console.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, select, update

from dresbach.features.handoff.flow.topics import TOPICS
from dresbach.kernel.hours import HoursError, WorkingHours, parse_hours
from dresbach.kernel.policy import Policy
from dresbach.platform.observe import audit
from dresbach.platform.store.schema import handoffs, operators, team_members, teams

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{1,38}")


class TeamError(ValueError):
    """A team change that cannot be done; the message is pt-BR, for the console."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Team:
    slug: str
    name: str
    topics: tuple[str, ...]
    auto_assign: bool
    hours: str | None
    members: tuple[str, ...]
    """Usernames."""


def _topics(text: str) -> tuple[str, ...]:
    return tuple(t for t in (p.strip() for p in text.split(",")) if t)


def _team(row: Any, members: tuple[str, ...]) -> Team:
    return Team(
        slug=row["slug"],
        name=row["name"],
        topics=_topics(row["topics"] or ""),
        auto_assign=bool(row["auto_assign"]),
        hours=row["hours"] or None,
        members=members,
    )


def _members(connection: Connection, team_id: int) -> tuple[str, ...]:
    rows = connection.execute(
        select(operators.c.username)
        .select_from(team_members.join(operators, operators.c.id == team_members.c.operator_id))
        .where(team_members.c.team_id == team_id)
        .order_by(operators.c.username)
    ).scalars()
    return tuple(str(r) for r in rows)


def all_teams(engine: Engine) -> list[Team]:
    with engine.connect() as connection:
        rows = connection.execute(select(teams).order_by(teams.c.name)).mappings().all()
        return [_team(row, _members(connection, row["id"])) for row in rows]


def team_names(connection: Connection) -> dict[str, str]:
    """Each team's name by its slug."""
    return {
        str(slug): str(name)
        for slug, name in connection.execute(select(teams.c.slug, teams.c.name))
    }


def routed(connection: Connection, topic: str) -> Any:
    """The team whose topics hold `topic` (the oldest, should two), or None: everyone's queue."""
    for row in connection.execute(select(teams).order_by(teams.c.id)).mappings():
        if topic in _topics(row["topics"] or ""):
            return row
    return None


def by_slug(connection: Connection, slug: str) -> Any:
    return connection.execute(select(teams).where(teams.c.slug == slug)).mappings().first()


def hours_of(team: Any, policy: Policy) -> WorkingHours:
    """The team's own hours, or the company's support hours."""
    if not team["hours"]:
        return policy.support_hours
    return WorkingHours(windows=MappingProxyType(parse_hours(team["hours"])))


def least_busy(connection: Connection, team: Any, now: datetime, policy: Policy) -> str | None:
    """The member on duty, within the team's hours, working the fewest hand-offs now (by
    username on a tie); None when nobody is."""
    if not hours_of(team, policy).is_open(now):
        return None
    busy = (
        select(func.count())
        .where(handoffs.c.status == "active", handoffs.c.taken_by == operators.c.username)
        .scalar_subquery()
    )
    found = connection.execute(
        select(operators.c.username)
        .select_from(team_members.join(operators, operators.c.id == team_members.c.operator_id))
        .where(team_members.c.team_id == team["id"], operators.c.on_duty == 1)
        .order_by(busy, operators.c.username)
        .limit(1)
    ).scalar()
    return str(found) if found is not None else None


def member_ids(connection: Connection, team_id: int) -> list[int]:
    return [
        int(i)
        for i in connection.execute(
            select(team_members.c.operator_id).where(team_members.c.team_id == team_id)
        ).scalars()
    ]


# ---- admins' changes ---------------------------------------------------------------------------


def _checked(name: str, topics: list[str], hours: str) -> tuple[str, str, str | None]:
    clean = " ".join(name.split())
    if not clean or len(clean) > 80:
        raise TeamError("Dê um nome à equipe (até 80 caracteres).")
    unknown = [t for t in topics if t not in TOPICS]
    if unknown:
        raise TeamError("Assunto desconhecido.")
    text = hours.strip()
    if text:
        try:
            parse_hours(text)
        except HoursError as error:
            raise TeamError(f"Horário inválido: {error}") from error
    return clean, ",".join(topics), text[:200] or None


def save_team(
    engine: Engine,
    admin: str,
    now: datetime,
    *,
    slug: str,
    name: str,
    topics: list[str],
    auto_assign: bool,
    hours: str,
    members: list[str],
    create: bool,
) -> None:
    """Create a team (`create`) or change one; its members are set to `members`. Audited."""
    clean, topic_text, hours_text = _checked(name, topics, hours)
    values = {"name": clean, "topics": topic_text, "auto_assign": int(auto_assign)}
    with engine.begin() as connection:
        existing = by_slug(connection, slug)
        if create:
            if not SLUG.fullmatch(slug):
                raise TeamError("Use no identificador só letras minúsculas, números e hífens.")
            if existing is not None:
                raise TeamError("Já existe uma equipe com esse identificador.")
            connection.execute(
                teams.insert().values(slug=slug, hours=hours_text, created_at=now, **values)
            )
            existing = by_slug(connection, slug)
        elif existing is None:
            raise TeamError("Equipe não encontrada.")
        else:
            connection.execute(
                update(teams).where(teams.c.id == existing["id"]).values(hours=hours_text, **values)
            )
        ids = connection.execute(
            select(operators.c.id).where(operators.c.username.in_(members))
        ).scalars()
        connection.execute(delete(team_members).where(team_members.c.team_id == existing["id"]))
        for operator_id in ids:
            connection.execute(
                team_members.insert().values(team_id=existing["id"], operator_id=operator_id)
            )
        audit.record(
            connection,
            who=admin,
            action="team_created" if create else "team_changed",
            now=now,
            detail=f"equipe {slug}",
            mask=False,
        )
