"""`dresbach servers add|list|remove`: WHM credentials per server, keyed by the server's id in
WHMCS (Configurações → Servidores; `GetClientsProducts` answers it as `serverid`). The token is
read from stdin or a prompt, never from the command line (which `ps` shows), sealed at rest and
listed masked. With no server here, the single server of WHM_URL serves every account."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, datetime

from dresbach.bootstrap import Container, build
from dresbach.config import load_settings
from dresbach.features.client_area.adapters.whm_servers import ServerStore, WhmServer
from dresbach.platform.observe import audit


def _store(container: Container) -> ServerStore:
    return ServerStore(container.db.engine, container.sealer)


def _audit(container: Container, action: str, server_id: str) -> None:
    with container.db.engine.begin() as connection:
        audit.record(
            connection,
            who="cli",
            action=action,
            now=datetime.now(UTC),
            detail=f"WHM server {server_id}",
            mask=False,
        )


def add_server(args: argparse.Namespace) -> int:
    token = sys.stdin.readline().strip() if args.token_stdin else getpass.getpass("Token da API: ")
    container = build(load_settings())
    try:
        server = WhmServer(
            server_id=args.id,
            hostname=args.hostname or "",
            url=args.url,
            username=args.user,
            token=token,
        )
        replaced = _store(container).add(server, now=datetime.now(UTC))
        _audit(container, "whm_server_replaced" if replaced else "whm_server_added", args.id)
        verb = "atualizado" if replaced else "cadastrado"
        print(f"Servidor {args.id} {verb} (token {server.masked_token}).")
        return 0
    except ValueError as error:
        print(f"Erro: {error}", file=sys.stderr)
        return 1
    finally:
        container.db.close()


def list_servers(_args: argparse.Namespace) -> int:
    container = build(load_settings())
    try:
        servers = _store(container).servers()
    finally:
        container.db.close()
    if not servers:
        print("Nenhum servidor cadastrado: todas as contas usam o WHM de WHM_URL.")
        return 0
    for s in servers:
        print(f"{s.server_id}  {s.hostname}  {s.url}  {s.username}  {s.masked_token}")
    return 0


def remove_server(args: argparse.Namespace) -> int:
    container = build(load_settings())
    try:
        if not _store(container).remove(args.id):
            print(f"Erro: não há servidor {args.id}.", file=sys.stderr)
            return 1
        _audit(container, "whm_server_removed", args.id)
        print(f"Servidor {args.id} removido.")
        return 0
    finally:
        container.db.close()


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    servers = sub.add_parser("servers", help="WHM servers and their API tokens (sealed)")
    inner = servers.add_subparsers(dest="servers_command", required=True)
    p = inner.add_parser("add", help="add a WHM server, or replace the one with this id")
    p.add_argument("--id", required=True, help="the server's id in WHMCS (serverid)")
    p.add_argument("--url", required=True, help="the WHM URL, like https://srv2.example:2087")
    p.add_argument("--hostname", help="its hostname in WHMCS (default: the URL's)")
    p.add_argument("--user", default="root", help="the WHM user of the token (default root)")
    p.add_argument("--token-stdin", action="store_true", help="read the API token from stdin")
    p.set_defaults(func=add_server)
    inner.add_parser("list", help="list the servers (tokens masked)").set_defaults(
        func=list_servers
    )
    p = inner.add_parser("remove", help="remove a server")
    p.add_argument("--id", required=True)
    p.set_defaults(func=remove_server)
