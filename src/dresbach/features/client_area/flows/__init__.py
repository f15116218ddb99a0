"""The Área do Cliente's WhatsApp Flows, as Meta's Flow JSON: `login.json` (screens DOCUMENT,
PASSWORD, SECOND_FACTOR) and `ticket.json` (screen TICKET). `dresbach flows publish` checks and
publishes them; the data-exchange endpoint answers their screens.

What each screen expects from the endpoint (its `data`): `error_message`, a string shown under
the field ("" for none); TICKET also takes `departments`, a list of `{"id", "title"}` (the
WHMCS departments, titles of at most 30 characters). A Flow ends with the endpoint's `SUCCESS`
answer, never with a screen of that name.
"""

from __future__ import annotations

from importlib import resources
from typing import Final

LOGIN: Final = "login"
TICKET: Final = "ticket"
NAMES: Final = (LOGIN, TICKET)


def flow_json(name: str) -> bytes:
    """The Flow JSON `name` (`login` or `ticket`), as it is uploaded to Meta."""
    if name not in NAMES:
        raise ValueError(f"no Flow named {name!r}: {', '.join(NAMES)}")
    return resources.files(__name__).joinpath(f"{name}.json").read_bytes()
