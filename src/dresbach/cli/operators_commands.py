"""Console operators: `dresbach operators add|list|unlock|duty|set-password|role`; their
canned replies: `dresbach canned add|list|remove`."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from datetime import UTC, datetime

from dresbach.bootstrap import Container, build
from dresbach.config import load_settings
from dresbach.features.operators import canned, roles
from dresbach.features.operators import service as operators
from dresbach.features.operators.canned import CannedError
from dresbach.features.operators.service import OperatorError
from dresbach.kernel.hours import SAO_PAULO, at_clock


def _by() -> str:
    """Who runs the command, for the audit log."""
    return f"cli:{getpass.getuser()}"


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Senha do atendente: ")
    if getpass.getpass("Repita a senha: ") != first:
        raise OperatorError("As senhas não conferem.")
    return first


def _run(action: Callable[[Container, datetime], str]) -> int:
    container = build(load_settings())
    try:
        print(action(container, datetime.now(UTC)))
        return 0
    except (OperatorError, CannedError) as error:
        print(f"Erro: {error}", file=sys.stderr)
        return 1
    finally:
        container.db.close()


def add(args: argparse.Namespace) -> int:
    def action(container: Container, now: datetime) -> str:
        password = _password(args)
        added = operators.add_operator(
            container.db.engine,
            args.username,
            args.name,
            password,
            args.phone,
            now,
            by=_by(),
            role=roles.checked(args.role),
        )
        role = "" if added.role == "operator" else f" ({roles.ROLES_PT[added.role]})"
        return f"Atendente {added.username} ({added.display_name}) cadastrado, de plantão{role}."

    return _run(action)


def list_all(_args: argparse.Namespace) -> int:
    def action(container: Container, now: datetime) -> str:
        found = operators.list_operators(container.db.engine)
        if not found:
            return "Nenhum atendente cadastrado. Cadastre um com: dresbach operators add <usuário>"
        lines = []
        for o in found:
            state = "de plantão" if o.on_duty else "fora de plantão"
            if o.locked(now) and o.locked_until is not None:
                until = o.locked_until.astimezone(SAO_PAULO)
                state += f", bloqueado até {until:%d/%m}, {at_clock(until)}"
            role = roles.ROLES_PT.get(o.role, o.role)
            lines.append(f"{o.username}  {o.display_name}  {o.phone or '-'}  {state}  {role}")
        return "\n".join(lines)

    return _run(action)


def unlock(args: argparse.Namespace) -> int:
    def action(container: Container, now: datetime) -> str:
        operators.unlock(container.db.engine, args.username, now, by=_by())
        return f"Acesso de {operators.normalize_username(args.username)} desbloqueado."

    return _run(action)


def duty(args: argparse.Namespace) -> int:
    def action(container: Container, now: datetime) -> str:
        on = args.state == "on"
        changed = operators.set_duty(container.db.engine, args.username, on, now, by=_by())
        return f"{changed.username} agora está {'de plantão' if on else 'fora de plantão'}."

    return _run(action)


def set_password(args: argparse.Namespace) -> int:
    def action(container: Container, now: datetime) -> str:
        if operators.get_operator(container.db.engine, args.username) is None:
            raise OperatorError(
                f"Atendente {operators.normalize_username(args.username)} não encontrado."
            )
        changed = operators.set_password(
            container.db.engine, args.username, _password(args), now, by=_by()
        )
        return f"Senha de {changed.username} alterada. As sessões abertas foram encerradas."

    return _run(action)


def role(args: argparse.Namespace) -> int:
    def action(container: Container, now: datetime) -> str:
        changed = roles.set_role(container.db.engine, args.username, args.role, now, by=_by())
        return f"{changed.username} agora é {roles.ROLES_PT[changed.role]}."

    return _run(action)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ops = sub.add_parser("operators", help="operators of the web console (/console)")
    inner = ops.add_subparsers(dest="operators_command", required=True)
    p = inner.add_parser("add", help="create an operator (asks for the password)")
    p.add_argument("username")
    p.add_argument("--name", required=True, help="the name customers see, e.g. 'Ana Lima'")
    p.add_argument("--phone", help="WhatsApp number for hand-off alerts, e.g. +5511999998888")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.add_argument("--role", default="operator", choices=roles.ROLES, help="default: operator")
    p.set_defaults(func=add)
    p = inner.add_parser("list", help="operators, duty and locks")
    p.set_defaults(func=list_all)
    p = inner.add_parser("unlock", help="lift a lock after repeated failed logins")
    p.add_argument("username")
    p.set_defaults(func=unlock)
    p = inner.add_parser("duty", help="put an operator on or off duty")
    p.add_argument("username")
    p.add_argument("state", choices=["on", "off"])
    p.set_defaults(func=duty)
    p = inner.add_parser("set-password", help="a new password (ends the operator's sessions)")
    p.add_argument("username")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.set_defaults(func=set_password)
    p = inner.add_parser("role", help="operator, team_lead or admin (admins manage the console)")
    p.add_argument("username")
    p.add_argument("role", choices=roles.ROLES)
    p.set_defaults(func=role)


def canned_add(args: argparse.Namespace) -> int:
    def action(container: Container, now: datetime) -> str:
        body = sys.stdin.read() if args.body is None else args.body
        created = canned.save(container.db.engine, args.shortcut, args.title, body, _by(), now)
        name = canned.shortcut_of(args.shortcut)
        return f"Resposta pronta /{name} {'criada' if created else 'alterada'}."

    return _run(action)


def canned_list(args: argparse.Namespace) -> int:
    def action(container: Container, _now: datetime) -> str:
        found = canned.search(container.db.engine, args.search or "", limit=500)
        if not found:
            return "Nenhuma resposta pronta. Crie uma com: dresbach canned add <atalho> --title …"
        return "\n".join(f"/{r.shortcut}  {r.title}  ({len(r.body)} caracteres)" for r in found)

    return _run(action)


def canned_remove(args: argparse.Namespace) -> int:
    def action(container: Container, now: datetime) -> str:
        canned.remove(container.db.engine, args.shortcut, _by(), now)
        return f"Resposta pronta /{canned.shortcut_of(args.shortcut)} removida."

    return _run(action)


def register_canned(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    top = sub.add_parser("canned", help="canned replies operators send from the console")
    inner = top.add_subparsers(dest="canned_command", required=True)
    p = inner.add_parser("add", help="create or change a canned reply (text from stdin)")
    p.add_argument("shortcut", help="what operators type after '/', e.g. dns")
    p.add_argument("--title", required=True, help="what the reply is about")
    p.add_argument("--body", help="the text ({nome}, {dominio} allowed); default: stdin")
    p.set_defaults(func=canned_add)
    p = inner.add_parser("list", help="canned replies, by shortcut")
    p.add_argument("search", nargs="?", help="a shortcut prefix or a word of the title")
    p.set_defaults(func=canned_list)
    p = inner.add_parser("remove", help="remove a canned reply")
    p.add_argument("shortcut")
    p.set_defaults(func=canned_remove)
