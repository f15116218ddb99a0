"""Incidents: `dresbach incidents open|update|close|list`."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from datetime import UTC, datetime

from dresbach.bootstrap import Container, build
from dresbach.config import load_settings
from dresbach.features.incidents import service as incidents
from dresbach.features.incidents.model import Incident
from dresbach.features.incidents.service import IncidentError
from dresbach.kernel.hours import when_label


def _by() -> str:
    """Who runs the command, for the audit log."""
    return f"cli:{getpass.getuser()}"


def _servers(text: str | None) -> list[str] | None:
    return None if text is None else [text]


def _run(action: Callable[[Container, datetime], str]) -> int:
    container = build(load_settings())
    try:
        print(action(container, datetime.now(UTC)))
        return 0
    except IncidentError as error:
        print(f"Erro: {error}", file=sys.stderr)
        return 1
    finally:
        container.db.close()


def _line(incident: Incident, asked: int) -> str:
    where = ", ".join(incident.servers) or "todos os servidores"
    if incident.closed_at is not None:
        state = f"encerrado {when_label(incident.closed_at)}"
    else:
        state = f"aberto, atualizado {when_label(incident.updated_at)}"
    return f"{incident.incident_id}  {incident.title}  ({where})  {state}  {asked} perguntaram"


def open_(args: argparse.Namespace) -> int:
    def action(container: Container, now: datetime) -> str:
        opened = incidents.open_incident(
            container.db.engine,
            title=args.title,
            message=args.message,
            servers=_servers(args.servers) or (),
            by=_by(),
            now=now,
        )
        return f"Incidente {opened.incident_id} aberto: {opened.title}."

    return _run(action)


def update(args: argparse.Namespace) -> int:
    def action(container: Container, now: datetime) -> str:
        changed = incidents.update_incident(
            container.db.engine,
            args.incident_id,
            message=args.message,
            title=args.title,
            servers=_servers(args.servers),
            by=_by(),
            now=now,
        )
        return f"Incidente {changed.incident_id} atualizado: {changed.title}."

    return _run(action)


def close(args: argparse.Namespace) -> int:
    def action(container: Container, now: datetime) -> str:
        closed = incidents.close_incident(container.db.engine, args.incident_id, by=_by(), now=now)
        return (
            f"Incidente {closed.incident.incident_id} encerrado; "
            f"{closed.told} cliente(s) avisado(s) de que foi resolvido."
        )

    return _run(action)


def list_all(_args: argparse.Namespace) -> int:
    def action(container: Container, _now: datetime) -> str:
        found = incidents.latest(container.db.engine)
        if not found:
            return "Nenhum incidente registrado."
        return "\n".join(_line(incident, asked) for incident, asked in found)

    return _run(action)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser("incidents", help="outages announced to customers who ask")
    inner = cmd.add_subparsers(dest="incidents_command", required=True)
    p = inner.add_parser("open", help="open an incident: customers who ask read it first")
    p.add_argument("--title", required=True)
    p.add_argument("--message", required=True, help="what customers read (pt-BR)")
    p.add_argument("--servers", help="affected servers or services, comma separated (none: all)")
    p.set_defaults(func=open_)
    p = inner.add_parser("update", help="a new message for an open incident")
    p.add_argument("incident_id", type=int)
    p.add_argument("--message", required=True)
    p.add_argument("--title")
    p.add_argument("--servers")
    p.set_defaults(func=update)
    p = inner.add_parser("close", help="close it: each customer who asked is told once")
    p.add_argument("incident_id", type=int)
    p.set_defaults(func=close)
    p = inner.add_parser("list", help="open incidents, then the latest closed")
    p.set_defaults(func=list_all)
