"""`dresbach whatsapp setup`: the number's conversation starters at Meta, from what the features
register: their ice breakers and the global commands that have a slash (`/fatura`…)."""

from __future__ import annotations

import argparse
import sys

from dresbach.cli.flows_keys import fail, settings_for_meta
from dresbach.features.registry import FEATURES, MACHINE
from dresbach.kernel.errors import DresbachError
from dresbach.platform.whatsapp.number.conversational import (
    SlashCommand,
    problems,
    register_starters,
)


def starters() -> tuple[list[str], list[SlashCommand]]:
    """The ice breakers and the commands, in the registry's order."""
    prompts = [text for feature in FEATURES for text in feature.ice_breakers]
    commands = [SlashCommand(c.slash, c.hint) for c in MACHINE.commands if c.slash]
    return prompts, commands


def setup(args: argparse.Namespace) -> int:
    prompts, commands = starters()
    found = problems(prompts, commands)
    if found:
        for problem in found:
            print(problem, file=sys.stderr)
        return fail("os atalhos passam dos limites da Meta: nada foi enviado.")
    settings = settings_for_meta("os atalhos só são registrados")
    if settings is None:
        return 1
    try:
        register_starters(
            base_url=settings.whatsapp_api_base_url,
            phone_number_id=settings.whatsapp_phone_number_id,
            access_token=settings.whatsapp_access_token.reveal(),
            prompts=prompts,
            commands=commands,
            timeout=args.timeout,
        )
    except DresbachError as error:
        return fail(
            f"a Meta recusou os atalhos ({error}): confira WHATSAPP_ACCESS_TOKEN e "
            "WHATSAPP_PHONE_NUMBER_ID"
        )
    print(f"Atalhos registrados no número {settings.whatsapp_phone_number_id}:")
    for prompt in prompts:
        print(f"  conversa: {prompt}")
    for command in commands:
        print(f"  /{command.name}: {command.description}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    whatsapp = sub.add_parser("whatsapp", help="the WhatsApp business number at Meta")
    inner = whatsapp.add_subparsers(dest="whatsapp_command", required=True)
    p = inner.add_parser("setup", help="register the ice breakers and the /commands customers see")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds (default 10)")
    p.set_defaults(func=setup)
