"""The `dresbach` command."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from dresbach.cli import (
    chat,
    clients_commands,
    doctor,
    faq_commands,
    flows_commands,
    operators_commands,
    payments_commands,
    pix_commands,
    serve_commands,
    understanding_commands,
)
from dresbach.cli.incidents import commands as incidents_commands
from dresbach.cli.templates import commands as templates_commands
from dresbach.cli.whatsapp import setup as whatsapp_setup
from dresbach.config import SettingsError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dresbach", description="Dresbach Assistente: o assistente de WhatsApp da Dresbach."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve_commands.register(sub)
    chat.register(sub)
    flows_commands.register(sub)
    templates_commands.register(sub)
    faq_commands.register(sub)
    pix_commands.register(sub)
    payments_commands.register(sub)
    clients_commands.register(sub)
    operators_commands.register(sub)
    incidents_commands.register(sub)
    operators_commands.register_canned(sub)
    understanding_commands.register(sub)
    whatsapp_setup.register(sub)
    doctor.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for noisy in ("httpx", "httpcore", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        result: int = args.func(args)
    except SettingsError as error:  # what to fix, naming the variable: no traceback
        print(f"Configuração inválida: {error}", file=sys.stderr)
        return 2
    return result


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
