"""Roles at the console: an operator works hand-offs; a team lead also passes any hand-off on;
an admin also manages operators and teams (`/console/admin`). Each role can do what the ones
before it can."""

from __future__ import annotations

from datetime import datetime
from types import MappingProxyType

from sqlalchemy import Engine

from dresbach.features.operators.service import Operator, OperatorError, update_operator

ROLES = ("operator", "team_lead", "admin")
ROLES_PT = MappingProxyType(
    {"operator": "atendente", "team_lead": "líder de equipe", "admin": "administrador"}
)


def allowed(operator: Operator, needs: str) -> bool:
    """The operator's role is `needs` or above it."""
    rank = ROLES.index(operator.role) if operator.role in ROLES else 0
    return rank >= ROLES.index(needs)


def checked(role: str) -> str:
    if role not in ROLES:
        raise OperatorError(f"Papel desconhecido: use {', '.join(ROLES)}.")
    return role


def set_role(engine: Engine, username: str, role: str, now: datetime, *, by: str) -> Operator:
    """A new role, audited as `operator_role_<role>`."""
    return update_operator(engine, username, (by, f"operator_role_{checked(role)}", now), role=role)
