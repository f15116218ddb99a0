"""WhatsApp's conversation starters for one business number, as Meta's page "Conversational
Components" gives them: `POST {base}/{phone_number_id}/conversational_automation` with a JSON
body of `enable_welcome_message`, `prompts` (the ice breakers: at most 4, each at most 80
characters, no emoji) and `commands` (`[{command_name, command_description}]`: at most 30, a
name of at most 32 characters, a description of at most 256); Meta answers `{"success": true}`
and refuses what breaks a limit (105 for too many, 100 for too long). What `dresbach whatsapp
setup` calls, blocking (the command line); failures raise `TransientError` or `PermanentError`
(`graph_http`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import httpx

from dresbach.kernel.errors import PermanentError
from dresbach.platform.whatsapp.graph_http import call

MAX_PROMPTS: Final = 4
PROMPT_LENGTH: Final = 80
MAX_COMMANDS: Final = 30
COMMAND_NAME: Final = 32
COMMAND_DESCRIPTION: Final = 256


@dataclass(frozen=True, slots=True)
class SlashCommand:
    name: str
    """Without the slash: `fatura` is typed `/fatura`."""
    description: str


def problems(prompts: Sequence[str], commands: Sequence[SlashCommand]) -> list[str]:
    """What Meta would refuse in these starters, in words (empty when none)."""
    found: list[str] = []
    if len(prompts) > MAX_PROMPTS:
        found.append(f"{len(prompts)} ice breakers (at most {MAX_PROMPTS})")
    found += [
        f"ice breaker over {PROMPT_LENGTH} characters: {p!r}"
        for p in prompts
        if not 1 <= len(p) <= PROMPT_LENGTH
    ]
    if len(commands) > MAX_COMMANDS:
        found.append(f"{len(commands)} commands (at most {MAX_COMMANDS})")
    for command in commands:
        if not 1 <= len(command.name) <= COMMAND_NAME:
            found.append(f"command name over {COMMAND_NAME} characters: {command.name!r}")
        if not 1 <= len(command.description) <= COMMAND_DESCRIPTION:
            found.append(f"/{command.name}: description over {COMMAND_DESCRIPTION} characters")
    return found


def body(prompts: Sequence[str], commands: Sequence[SlashCommand]) -> dict[str, Any]:
    """The request body. No welcome message: the bot greets at the customer's first message
    (it does not answer Meta's `request_welcome`)."""
    return {
        "enable_welcome_message": False,
        "prompts": list(prompts),
        "commands": [
            {"command_name": c.name, "command_description": c.description} for c in commands
        ],
    }


def register_starters(
    *,
    base_url: str,
    phone_number_id: str,
    access_token: str,
    prompts: Sequence[str],
    commands: Sequence[SlashCommand],
    timeout: float = 10.0,
    transport: httpx.BaseTransport | None = None,
) -> None:
    """Replace the number's ice breakers and commands with these."""
    answer = call(
        "POST",
        f"{base_url.rstrip('/')}/{phone_number_id}/conversational_automation",
        access_token,
        timeout=timeout,
        transport=transport,
        json=body(prompts, commands),
    )
    if answer.get("success") is not True:
        raise PermanentError("Graph API did not confirm the starters (no success: true)")
