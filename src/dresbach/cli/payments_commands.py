"""Operator tools: `dresbach payments list|show|confirm|reject` and `dresbach leads list`."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import select

from dresbach.bootstrap import build
from dresbach.config import load_settings
from dresbach.features.payments.model import STATUS_PT, bank_txid
from dresbach.features.payments.service import PaymentError
from dresbach.kernel.hours import SAO_PAULO
from dresbach.kernel.money import format_brl
from dresbach.platform.observe.audit import mask_key
from dresbach.platform.store.database import utc
from dresbach.platform.store.schema import conversations, leads, payment_receipts, payments


def _when(value: Any) -> str:
    """A stored time in Brasília time, whatever the machine's zone (the tables say so)."""
    moment = utc(value)
    return moment.astimezone(SAO_PAULO).strftime("%d/%m/%Y %H:%M") if moment else "-"


def _whose(name: str | None, conversation_key: str) -> str:
    """Whose charge, masked: the first name and the initials (`Maria S.`), and the WhatsApp
    number (or BSUID) with only its ends shown."""
    words = (name or "").split()
    shown = (
        " ".join([words[0], *(f"{w[0]}." for w in words[1:] if w[0].isalnum())]) if words else ""
    )
    number = mask_key(conversation_key)
    return f"{shown} ({number})" if shown else number


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join([line, *body])


def list_payments(args: argparse.Namespace) -> int:
    container = build(load_settings())
    query = (
        select(payments, leads.c.answers, conversations.c.profile_name)
        .outerjoin(leads, leads.c.lead_id == payments.c.lead_id)
        .outerjoin(conversations, conversations.c.key == payments.c.conversation_key)
        .order_by(payments.c.created_at.desc())
    )
    if args.status:
        query = query.where(payments.c.status == args.status)
    with container.db.engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    container.db.close()
    if not rows:
        print("Nenhuma cobrança encontrada.")
        return 0
    print(
        _table(
            ["txid", "cliente", "provedor", "valor", "situação", "criada", "expira"],
            [
                [
                    bank_txid(r["txid"], r["provider"]),
                    _whose(
                        orjson.loads(r["answers"] or "{}").get("name") or r["profile_name"],
                        r["conversation_key"],
                    ),
                    r["provider"],
                    format_brl(Decimal(r["amount"])),
                    STATUS_PT.get(r["status"], r["status"]),
                    _when(r["created_at"]),
                    _when(r["expires_at"]),
                ]
                for r in rows
            ],
        )
    )
    print("\nHorários de Brasília.")
    return 0


def show_payment(args: argparse.Namespace) -> int:
    container = build(load_settings())
    try:
        txid = container.payments.resolve(args.txid)
    except PaymentError as error:
        container.db.close()
        print(error, file=sys.stderr)
        return 1
    with container.db.engine.connect() as connection:
        row = connection.execute(select(payments).where(payments.c.txid == txid)).mappings().one()
        receipts = (
            connection.execute(select(payment_receipts).where(payment_receipts.c.txid == txid))
            .mappings()
            .all()
        )
    container.db.close()
    shown = bank_txid(row["txid"], row["provider"])
    if shown != row["txid"]:
        print(f"txid no Pix (o que o banco mostra): {shown}")
    labels = {
        "txid": "txid completo" if shown != row["txid"] else "txid",
        "provider": "provedor",
        "provider_id": "id no provedor",
        "lead_id": "lead",
        "amount": "valor",
        "status": "situação",
        "created_at": "criada em (Brasília)",
        "expires_at": "expira em (Brasília)",
        "paid_at": "paga em (Brasília)",
        "amount_paid": "valor pago",
        "end_to_end_id": "endToEndId",
        "decided_by": "decidido por",
        "decided_at": "decidido em (Brasília)",
        "note": "observação",
    }
    for column, label in labels.items():
        value = row[column]
        shown = _when(value) if column.endswith("_at") else (value if value is not None else "-")
        print(f"{label}: {STATUS_PT.get(shown, shown) if column == 'status' else shown}")
    print(f"copia e cola: {row['copia_e_cola']}")
    for receipt in receipts:
        print(
            f"comprovante: {receipt['mime_type']} {receipt['filename'] or ''} "
            f"(mídia {receipt['media_id']}, {receipt['status']})"
        )
    return 0


def confirm_payment(args: argparse.Namespace) -> int:
    container = build(load_settings())
    try:
        result = container.payments.confirm_manually(args.txid, args.operator)
    except PaymentError as error:
        print(f"Erro: {error}", file=sys.stderr)
        return 1
    finally:
        container.db.close()
    if result == "already paid":
        print(f"A cobrança {args.txid} já estava confirmada.")
    else:
        print(f"Pagamento {args.txid} confirmado por {args.operator}. O cliente recebe o recibo.")
    return 0


def reject_payment(args: argparse.Namespace) -> int:
    container = build(load_settings())
    try:
        container.payments.reject(args.txid, args.reason, args.operator)
    except PaymentError as error:
        print(f"Erro: {error}", file=sys.stderr)
        return 1
    finally:
        container.db.close()
    print(f"Comprovante da cobrança {args.txid} recusado. O cliente foi avisado do motivo.")
    return 0


def list_leads(args: argparse.Namespace) -> int:
    container = build(load_settings())
    query = select(leads).order_by(leads.c.updated_at.desc())
    if args.status:
        query = query.where(leads.c.status == args.status)
    with container.db.engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    container.db.close()
    if not rows:
        print("Nenhum lead encontrado.")
        return 0
    table = []
    for r in rows:
        answers = orjson.loads(r["answers"])
        table.append(
            [
                r["lead_id"],
                r["status"] + (f" ({r['lost_reason']})" if r["lost_reason"] else ""),
                str(answers.get("company", "-")),
                str(answers.get("area", "-")),
                _when(r["created_at"]),
                _when(r["updated_at"]),
            ]
        )
    print(_table(["lead", "situação", "empresa", "área", "criado", "atualizado"], table))
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    operator = getpass.getuser()
    pay = sub.add_parser("payments", help="Pix charges: list, show, confirm, reject")
    inner = pay.add_subparsers(dest="payments_command", required=True)
    p = inner.add_parser("list", help="list charges")
    p.add_argument("--status", choices=sorted(STATUS_PT))
    p.set_defaults(func=list_payments)
    txid_help = "the whole txid, or the one the payer's bank shows (a static Pix: 25 characters)"
    p = inner.add_parser("show", help="one charge, with its receipts")
    p.add_argument("txid", help=txid_help)
    p.set_defaults(func=show_payment)
    p = inner.add_parser("confirm", help="confirm a static Pix by hand")
    p.add_argument("txid", help=txid_help)
    p.add_argument("--operator", default=operator, help="who confirms (default: you)")
    p.set_defaults(func=confirm_payment)
    p = inner.add_parser("reject", help="refuse a receipt, telling the customer why")
    p.add_argument("txid", help=txid_help)
    p.add_argument("--reason", required=True)
    p.add_argument("--operator", default=operator)
    p.set_defaults(func=reject_payment)
    lead = sub.add_parser("leads", help="Tech Ops leads")
    inner = lead.add_subparsers(dest="leads_command", required=True)
    p = inner.add_parser("list", help="leads with status and dates")
    p.add_argument(
        "--status", choices=["qualified", "offered", "paid", "scheduled", "handed_off", "lost"]
    )
    p.set_defaults(func=list_leads)
