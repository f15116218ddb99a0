"""Operator tools for the embedded directory: `dresbach clients …`, `dresbach demo seed`."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, date, datetime, timedelta
from typing import Any

import segno

from dresbach.bootstrap import Container, build
from dresbach.config import load_settings
from dresbach.features.client_area.adapters.local_directory import DirectoryStore
from dresbach.features.client_area.credentials import enroll_totp, remove_totp, unlock
from dresbach.features.operators.service import add_operator, get_operator
from dresbach.kernel.documents import DocumentError, parse_document

ISSUER = "Dresbach Hosting"


def _store(container: Container) -> DirectoryStore:
    return DirectoryStore(container.db.engine, container.sealer)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return getpass.getpass("Senha do cliente: ")


def _show_totp(secret: str, email: str) -> None:
    import pyotp

    uri = pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)
    print(f"Autenticador (TOTP): {uri}")
    segno.make(uri, error="m").terminal(compact=True)


def add_client(args: argparse.Namespace) -> int:
    container = build(load_settings())
    try:
        password = _password(args)
        if len(password) < 8:
            print("Erro: a senha precisa ter pelo menos 8 caracteres.", file=sys.stderr)
            return 1
        now = datetime.now(UTC)
        client_id = _store(container).add_client(
            document=args.document, name=args.name, email=args.email, password=password, now=now
        )
        masked = parse_document(args.document).masked
        print(f"Cliente {client_id} criado ({masked}).")
        if args.totp:
            _show_totp(
                enroll_totp(container.db.engine, container.sealer, client_id, now), args.email
            )
        return 0
    except (DocumentError, ValueError) as error:
        print(f"Erro: {getattr(error, 'message', error)}", file=sys.stderr)
        return 1
    finally:
        container.db.close()


def list_clients(_args: argparse.Namespace) -> int:
    container = build(load_settings())
    rows = _store(container).all_clients()
    container.db.close()
    if not rows:
        print("Nenhum cliente cadastrado.")
        return 0
    for row in rows:
        print(f"{row['client_id']}  {row['document_masked']}  {row['name']}  {row['email']}")
    return 0


def _client_id(container: Container, document: str) -> str | None:
    row = _store(container).client_by_document(document)
    return None if row is None else str(row["client_id"])


def set_password(args: argparse.Namespace) -> int:
    container = build(load_settings())
    try:
        client_id = _client_id(container, args.document)
        if client_id is None:
            print("Erro: cliente não encontrado.", file=sys.stderr)
            return 1
        _store(container).set_password(client_id, _password(args))
        print("Senha alterada.")
        return 0
    except DocumentError as error:
        print(f"Erro: {error.message}", file=sys.stderr)
        return 1
    finally:
        container.db.close()


def unlock_client(args: argparse.Namespace) -> int:
    container = build(load_settings())
    try:
        document = parse_document(args.document).value
        client_id = _client_id(container, args.document)
        subjects = [container.sealer.lookup_key(f"doc:{document}")]
        if client_id is not None:
            subjects.append(container.sealer.lookup_key(f"2fa:{client_id}"))
        removed = unlock(container.db.engine, subjects)
        print("Acesso desbloqueado." if removed else "Não havia bloqueio para este documento.")
        return 0
    except DocumentError as error:
        print(f"Erro: {error.message}", file=sys.stderr)
        return 1
    finally:
        container.db.close()


def totp_reset(args: argparse.Namespace) -> int:
    container = build(load_settings())
    try:
        row = _store(container).client_by_document(args.document)
        if row is None:
            print("Erro: cliente não encontrado.", file=sys.stderr)
            return 1
        if args.remove:
            remove_totp(container.db.engine, row["client_id"])
            print("Autenticador removido: o segundo fator passa a ser o código por e-mail.")
            return 0
        secret = enroll_totp(
            container.db.engine, container.sealer, row["client_id"], datetime.now(UTC)
        )
        _show_totp(secret, row["email"])
        return 0
    except DocumentError as error:
        print(f"Erro: {error.message}", file=sys.stderr)
        return 1
    finally:
        container.db.close()


DEMO_EMAIL_CPF = "529.982.247-25"
DEMO_TOTP_CNPJ = "12.ABC.345/01DE-35"
DEMO_PASSWORD = "demo12345"  # noqa: S105 - the documented demo password


def seed_demo(_args: argparse.Namespace) -> int:
    """Demo clients with services, domains, DNS, tickets and invoices (see the README)."""
    container = build(load_settings())
    if not container.settings.sandbox:
        container.db.close()
        print(
            "Erro: os dados de demonstração (com senhas conhecidas) só podem ser criados no modo "
            "sandbox: rode com DRESBACH_SANDBOX=1.",
            file=sys.stderr,
        )
        return 1
    store = _store(container)
    now = datetime.now(UTC)
    today = date.today()
    try:
        created = []
        for document, name, email in (
            (DEMO_EMAIL_CPF, "Maria Demonstração", "maria.demo@exemplo.com.br"),
            (DEMO_TOTP_CNPJ, "Loja Exemplo Ltda", "ti@lojaexemplo.com.br"),
        ):
            if store.client_by_document(document) is not None:
                print(f"{parse_document(document).masked}: já existe, mantido.")
                continue
            client_id = store.add_client(
                document=document, name=name, email=email, password=DEMO_PASSWORD, now=now
            )
            created.append((client_id, document, email))
            _seed_records(store, client_id, today, name.split()[0].lower())
        for client_id, document, email in created:
            if document == DEMO_TOTP_CNPJ:
                secret = enroll_totp(container.db.engine, container.sealer, client_id, now)
                print(f"CNPJ {DEMO_TOTP_CNPJ}, senha {DEMO_PASSWORD}, segundo fator: autenticador")
                _show_totp(secret, email)
            else:
                print(
                    f"CPF {DEMO_EMAIL_CPF}, senha {DEMO_PASSWORD}, "
                    "segundo fator: código por e-mail (no sandbox, em /simulator/mail)"
                )
        _seed_operator(container, now)
        return 0
    finally:
        container.db.close()


DEMO_OPERATOR = "demo"
DEMO_OPERATOR_PASSWORD = "console-demo"  # noqa: S105 - the documented sandbox password


def _seed_operator(container: Container, now: datetime) -> None:
    """A demo operator for `/console` (sandbox only: a real deployment adds its own)."""
    if not container.settings.sandbox:
        return
    if get_operator(container.db.engine, DEMO_OPERATOR) is not None:
        print(f"Atendente {DEMO_OPERATOR}: já existe, mantido.")
        return
    add_operator(
        container.db.engine,
        DEMO_OPERATOR,
        "Ana Demonstração",
        DEMO_OPERATOR_PASSWORD,
        None,
        now,
        by="demo seed",
    )
    print(f"Console em /console: usuário {DEMO_OPERATOR}, senha {DEMO_OPERATOR_PASSWORD}")


def _seed_records(store: DirectoryStore, client_id: str, today: date, slug: str) -> None:
    site = f"{slug}-demo.com.br"
    shop = f"loja-{slug}.com.br"
    services: list[dict[str, Any]] = [
        {
            "id": f"{client_id}-1",
            "product": "Hospedagem Pro",
            "domain": site,
            "status": "Active",
            "next_due": str(today + timedelta(days=23)),
            "username": f"{slug[:6]}1",
            "mailboxes": [f"contato@{site}", f"financeiro@{site}"],
        },
        {
            "id": f"{client_id}-2",
            "product": "Revenda Start",
            "domain": shop,
            "status": "Active",
            "next_due": str(today + timedelta(days=40)),
            "username": f"{slug[:6]}rv",
            "reseller": True,
            "mailboxes": [f"vendas@{shop}"],
        },
        {
            "id": f"{client_id}-3",
            "product": "E-mail Profissional",
            "domain": site,
            "status": "Suspended",
            "next_due": str(today - timedelta(days=5)),
            "username": f"{slug[:6]}ml",
        },
    ]
    for service in services:
        store.put(client_id, "service", service["id"], service)
    for n, (name, days) in enumerate(((site, 200), (shop, 35)), start=1):
        store.put(
            client_id,
            "domain",
            f"{client_id}-d{n}",
            {
                "id": f"{client_id}-d{n}",
                "name": name,
                "status": "Active",
                "expires": str(today + timedelta(days=days)),
                "nameservers": ["ns1.dresbach.com.br", "ns2.dresbach.com.br"],
            },
        )
        records = [
            ("A", name, "203.0.113.10", None),
            ("AAAA", name, "2001:db8::10", None),
            ("CNAME", f"www.{name}", name, None),
            ("MX", name, f"mail.{name}", 10),
            ("TXT", name, "v=spf1 include:_spf.dresbach.com.br ~all", None),
        ]
        for k, (kind, host, value, priority) in enumerate(records):
            store.put(
                client_id,
                "dns",
                f"{name}-{k}",
                {
                    "zone": name,
                    "name": host,
                    "type": kind,
                    "value": value,
                    "ttl": 14400,
                    "priority": priority,
                },
            )
    store.put(
        client_id,
        "ticket",
        f"{client_id}-t1",
        {
            "id": f"{client_id}-t1",
            "number": "481203",
            "subject": "E-mail não chega no Outlook",
            "status": "Answered",
            "department": "Suporte técnico",
            "updated": (datetime.now(UTC) - timedelta(hours=3)).isoformat(),
            "replies": [
                {
                    "author": "Cliente",
                    "when": (datetime.now(UTC) - timedelta(days=1)).isoformat(),
                    "message": "Os e-mails enviados para clientes com Outlook não chegam.",
                },
                {
                    "author": "Equipe Dresbach",
                    "when": (datetime.now(UTC) - timedelta(hours=3)).isoformat(),
                    "message": "Ajustamos o registro SPF do seu domínio. Pode testar de novo?",
                },
            ],
        },
    )
    invoices = [
        ("Paid", today - timedelta(days=30), "59.90"),
        ("Unpaid", today + timedelta(days=23), "59.90"),
        ("Overdue", today - timedelta(days=5), "19.90"),
    ]
    for n, (status, due, total) in enumerate(invoices, start=1):
        number = f"{today:%Y}{n:04d}{client_id[-3:]}"
        store.put(
            client_id,
            "invoice",
            f"{client_id}-i{n}",
            {
                "id": f"{client_id}-i{n}",
                "number": number,
                "issued": str(due - timedelta(days=10)),
                "due": str(due),
                "total": total,
                "status": status,
                "items": [{"description": "Hospedagem Pro (mensal)", "amount": total}],
                "pdf_url": f"https://cliente.dresbach.com.br/demo/fatura-{number}.pdf",
            },
        )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    clients = sub.add_parser("clients", help="the embedded client directory")
    inner = clients.add_subparsers(dest="clients_command", required=True)
    p = inner.add_parser("add", help="add a client")
    p.add_argument("--document", required=True, help="CPF or CNPJ (numeric or alphanumeric)")
    p.add_argument("--name", required=True)
    p.add_argument("--email", required=True)
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.add_argument("--totp", action="store_true", help="enroll an authenticator app (shows the QR)")
    p.set_defaults(func=add_client)
    inner.add_parser("list", help="list clients (documents masked)").set_defaults(func=list_clients)
    p = inner.add_parser("set-password", help="set a client's password")
    p.add_argument("--document", required=True)
    p.add_argument("--password-stdin", action="store_true")
    p.set_defaults(func=set_password)
    p = inner.add_parser("unlock", help="lift a login lock")
    p.add_argument("--document", required=True)
    p.set_defaults(func=unlock_client)
    p = inner.add_parser("totp-reset", help="enroll a new authenticator (or --remove it)")
    p.add_argument("--document", required=True)
    p.add_argument("--remove", action="store_true")
    p.set_defaults(func=totp_reset)
    demo = sub.add_parser("demo", help="demo data")
    inner = demo.add_subparsers(dest="demo_command", required=True)
    inner.add_parser(
        "seed", help="demo clients with services, domains, tickets, invoices"
    ).set_defaults(func=seed_demo)
