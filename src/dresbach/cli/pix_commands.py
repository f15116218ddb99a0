"""Operator commands for Pix BR Codes: ``pix brcode`` builds a static copia-e-cola (and optionally
its QR image), ``pix decode`` checks a copia-e-cola's CRC and shows its fields.

Exit codes: 0 on success, 1 on invalid input, a bad CRC or a PNG that could not be written.
"""

from __future__ import annotations

import argparse
import re
import sys
from decimal import Decimal
from pathlib import Path

import segno

from dresbach.features.payments.pix import (
    NO_TXID,
    BrCode,
    BrCodeError,
    ParsedBrCode,
    build_brcode,
    parse_brcode,
)

_AMOUNT = re.compile(r"[0-9]+(?:[.,][0-9]{1,2})?")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``pix`` command and its subcommands to a CLI's subparsers."""
    pix = subparsers.add_parser("pix", help="Pix copia e cola (BR Code)")
    commands = pix.add_subparsers(dest="pix_command", metavar="{brcode,decode}", required=True)

    brcode = commands.add_parser("brcode", help="gera um Pix copia e cola estático")
    brcode.add_argument("--key", required=True, help="chave Pix (CPF/CNPJ só com números, etc.)")
    brcode.add_argument("--name", required=True, help="nome do recebedor (até 25 caracteres)")
    brcode.add_argument("--city", required=True, help="cidade do recebedor (até 15 caracteres)")
    brcode.add_argument("--amount", help="valor em reais, ex.: 37.00 ou 37,00 (omita: valor livre)")
    brcode.add_argument("--txid", default=NO_TXID, help="identificador (até 25 letras/números)")
    brcode.add_argument("--description", help="descrição mostrada ao pagador")
    brcode.add_argument("--png", type=Path, help="também grava o QR Code neste arquivo PNG")
    brcode.set_defaults(func=brcode_command)

    decode = commands.add_parser("decode", help="confere o CRC e mostra os campos")
    decode.add_argument("payload", help="o texto do Pix copia e cola (entre aspas)")
    decode.set_defaults(func=decode_command)


def brcode_command(args: argparse.Namespace) -> int:
    """Print the copia-e-cola on stdout; write the QR PNG when ``--png`` is given."""
    try:
        code = BrCode(
            key=args.key,
            merchant_name=args.name,
            merchant_city=args.city,
            amount=_amount(args.amount),
            txid=args.txid,
            description=args.description,
        )
        payload = build_brcode(code)
    except BrCodeError as error:
        return _fail(error.message)
    print(payload)
    png: Path | None = args.png
    if png is not None:
        try:
            segno.make(payload, error="m").save(str(png), scale=8, border=4)
        except OSError as error:
            return _fail(f"Não consegui gravar o PNG em {png}: {error.strerror or error}")
        print(f"QR Code gravado em {png}", file=sys.stderr)
    return 0


def decode_command(args: argparse.Namespace) -> int:
    """Print the fields of a copia-e-cola, one per line; exit 1 if the CRC or layout is wrong."""
    try:
        parsed = parse_brcode(args.payload)
    except BrCodeError as error:
        return _fail(error.message)
    for label, value in _fields(parsed):
        print(f"{label}: {value}")
    return 0


def _amount(text: str | None) -> Decimal | None:
    if text is None:
        return None
    cleaned = text.strip()
    if not _AMOUNT.fullmatch(cleaned):
        raise BrCodeError(f"Valor inválido: {text!r}. Use, por exemplo, 37.00 ou 37,00.")
    return Decimal(cleaned.replace(",", "."))


def _fields(parsed: ParsedBrCode) -> list[tuple[str, str]]:
    rows = [("Tipo", "dinâmico" if parsed.is_dynamic else "estático")]
    if parsed.key is not None:
        rows.append(("Chave Pix", parsed.key))
    if parsed.url is not None:
        rows.append(("URL da cobrança", parsed.url))
    rows += [("Recebedor", parsed.merchant_name), ("Cidade", parsed.merchant_city)]
    amount = "livre (o pagador digita)" if parsed.amount is None else _reais(parsed.amount)
    rows += [("Valor", amount), ("Identificador (txid)", parsed.txid)]
    if parsed.description is not None:
        rows.append(("Descrição", parsed.description))
    if parsed.postal_code is not None:
        rows.append(("CEP", parsed.postal_code))
    if parsed.recurrence_url is not None:
        rows.append(("URL da recorrência", parsed.recurrence_url))
    rows += [
        ("Uso único", "sim" if parsed.point_of_initiation_unique else "não"),
        ("CRC", f"{parsed.crc} (confere)"),
    ]
    return rows


def _reais(amount: Decimal) -> str:
    us_style = f"{amount:,.2f}"
    return "R$ " + us_style.replace(",", "_").replace(".", ",").replace("_", ".")


def _fail(message: str) -> int:
    print(f"Erro: {message}", file=sys.stderr)
    return 1
