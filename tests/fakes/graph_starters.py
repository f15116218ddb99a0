"""The fake Graph API's ``POST /{version}/{phone-number-id}/conversational_automation``: the
number's ice breakers and commands, checked as Meta does.

Meta's OpenAPI description of the Messages API (``business-messaging-api_v23.0.yaml``) does not
cover this endpoint; the rules are those of Meta's page "Conversational Components" (checked
2026-12-06): a JSON body with ``enable_welcome_message`` (boolean), ``prompts`` (at most 4
strings of at most 80 characters) and ``commands`` (at most 30 ``{command_name,
command_description}``, a name of at most 32 characters, a description of at most 256). The
refusals are worded as Meta's answers relayed by solution partners show them: ``(#105) The
parameter prompts must have at most 4 elements, 5 found.`` and ``(#100) Param
commands[8]['command_name'] must be at most 32 characters long.``; an accepted body answers
``{"success": true}`` and replaces what the number had.
"""

from __future__ import annotations

from typing import Any, Final

from tests.fakes.graph_refusals import JsonObject, Refusal

__all__ = ["check_starters"]

_LIMITS: Final = {"prompts": 4, "commands": 30}
_COMMAND_FIELDS: Final = {"command_name": 32, "command_description": 256}
PROMPT_LENGTH: Final = 80


def _refusal(code: int, text: str) -> Refusal:
    return Refusal(400, code, f"(#{code}) {text}", kind="invalid")


def check_starters(body: Any) -> JsonObject:
    """The body as the number's new starters, or the :class:`Refusal` Meta would give."""
    if not isinstance(body, dict):
        raise _refusal(100, "The request body must be a JSON object.")
    unknown = sorted(set(body) - {"enable_welcome_message", "prompts", "commands"})
    if unknown:
        raise _refusal(100, f'Unexpected key "{unknown[0]}" on param "conversational_automation".')
    welcome = body.get("enable_welcome_message", False)
    if not isinstance(welcome, bool):
        raise _refusal(100, "Param enable_welcome_message must be a boolean.")
    for name, most in _LIMITS.items():
        found = body.get(name, [])
        if not isinstance(found, list):
            raise _refusal(100, f"Param {name} must be an array.")
        if len(found) > most:
            raise _refusal(
                105, f"The parameter {name} must have at most {most} elements, {len(found)} found."
            )
    for index, prompt in enumerate(body.get("prompts", [])):
        if not isinstance(prompt, str) or not prompt:
            raise _refusal(100, f"Param prompts[{index}] must be a non-empty string.")
        if len(prompt) > PROMPT_LENGTH:
            raise _refusal(
                100, f"Param prompts[{index}] must be at most {PROMPT_LENGTH} characters long."
            )
    for index, command in enumerate(body.get("commands", [])):
        if not isinstance(command, dict) or set(command) != set(_COMMAND_FIELDS):
            raise _refusal(
                100, f"Param commands[{index}] must have command_name and command_description."
            )
        for field, most in _COMMAND_FIELDS.items():
            value = command[field]
            if not isinstance(value, str) or not value:
                raise _refusal(100, f"Param commands[{index}]['{field}'] must not be empty.")
            if len(value) > most:
                raise _refusal(
                    100,
                    f"Param commands[{index}]['{field}'] must be at most {most} characters long.",
                )
    return {
        "enable_welcome_message": welcome,
        "prompts": list(body.get("prompts", [])),
        "commands": [dict(c) for c in body.get("commands", [])],
    }
