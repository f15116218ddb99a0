"""The site-down assistant's steps: which site, then the checks as a job, then what they found.

    start ─(logged in)─▶ service ─(a service or a domain)─▶ checking ─site_checked─▶ done
    start ─(not logged in)─▶ domain ─(a domain)─▶ checking   (the public checks: DNS, HTTP, TLS)

`start` only decides where to go (its entry action): after the Área do Cliente's login the
client's services are fetched and listed; without it the customer is asked for the domain (a
domain already in the message that brought them here is checked at once). The checks run as a
`RunSiteCheck` job, never in the step; while they run the customer is told so, and the result
comes back as `SiteChecked`, taken only when it answers the check being waited for. The list of
the services after the login is in `services`.
"""

from __future__ import annotations

import re
from typing import Any, Final

from dresbach.features.client_area.flow import slots as area
from dresbach.features.client_area.login import session
from dresbach.features.client_area.model import FetchClientData
from dresbach.features.sitecheck.flow.model import (
    RunSiteCheck,
    SiteChecked,
    SiteCheckProgress,
    SiteDown,
)
from dresbach.features.sitecheck.flow.texts import TEXTS
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.events import TextReceived
from dresbach.kernel.flow_kit import event_key
from dresbach.kernel.machine.machine import Outcome, Turn
from dresbach.kernel.messages import Button, Buttons, Message, Text
from dresbach.kernel.policy import Policy

SERVICES: Final = "sitecheck.services"
"""The logged-in client's services with a domain ({id, domain, product}); None while loading."""
WAITING: Final = "sitecheck.waiting"
"""What is awaited: "services", or the id of the `RunSiteCheck` under way."""
DOMAIN: Final = "sitecheck.domain"
PUBLIC: Final = "sitecheck.public"
"""The check under way is the public one (from the domain alone)."""
REPORTED: Final = "secret.sitecheck.reported"
LAST: Final = "sitecheck.last"
"""The last check's result (domain, when, what the customer read, the ticket), for the operator
who may take the conversation next (`assistant/context.py`)."""
LAST_LINES = 6
LAST_CHARACTERS = 300


def _last(turn: Turn, event: SiteChecked) -> dict[str, Any]:
    return {
        "domain": event.domain,
        "at": turn.now.isoformat(),
        "said": [body[:LAST_CHARACTERS] for body in event.messages[:LAST_LINES]],
        "ticket": event.ticket,
    }


"""What the customer said when asking (for the ticket), at most `_REPORTED` characters: free
text that may hold a CPF or a card, so kept sealed at rest (a `secret.*` slot); the job's
payload keeps it masked."""

_REPORTED: Final = 500
_LABEL: Final = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_TLD: Final = re.compile(r"^(?:[a-z]{2,24}|xn--[a-z0-9-]{1,59})$")


def domain_of(text: str) -> str | None:
    """The first site address in ``text`` (``https://www.Site.com.br/x`` → ``www.site.com.br``),
    or None."""
    for word in text.lower().split():
        candidate = re.sub(r"^[a-z][a-z0-9+.-]*://", "", word.strip("<>()[]\"'"))
        candidate = re.split(r"[/?#:]", candidate, maxsplit=1)[0].strip(".,;!…")
        labels = candidate.split(".")
        if (
            len(labels) >= 2
            and len(candidate) <= 253
            and all(_LABEL.match(label) for label in labels)
            and _TLD.match(labels[-1])
        ):
            return candidate
    return None


def typed(turn: Turn) -> str | None:
    event = turn.event
    return event.body if isinstance(event, TextReceived) else None


def client(turn: Turn) -> str | None:
    return area.text(turn.slots, area.CLIENT_ID) or None if session.live(turn) else None


def asked(turn: Turn) -> Outcome:
    """The route of the `site_down` intent ("meu site caiu", "erro 500"…): to the assistant,
    keeping what was said for the ticket."""
    reported = (typed(turn) or "").strip()[:_REPORTED]
    return Outcome(goto=SiteDown.START.qualified, slots={REPORTED: reported}, reset_trail=True)


def entered(turn: Turn) -> Outcome:
    """`start`'s entry action: the services after a login, else the domain (checked at once
    when the message already names one)."""
    client_id = client(turn)
    base: dict[str, Any] = {SERVICES: None, WAITING: None, DOMAIN: None}
    if client_id is not None:
        command = FetchClientData(
            command_id=f"{event_key(turn.event)}:sitecheck:services",
            client_id=client_id,
            what="services",
        )
        return Outcome(
            goto=SiteDown.SERVICE, slots={**base, WAITING: "services"}, commands=(command,)
        )
    domain = domain_of(typed(turn) or "")
    if domain is not None:
        return run(turn, domain, more=base)
    return Outcome(goto=SiteDown.DOMAIN, slots=base)


def run(
    turn: Turn, domain: str, *, service_id: str | None = None, more: dict[str, Any] | None = None
) -> Outcome:
    client_id = client(turn)
    command = RunSiteCheck(
        command_id=f"{event_key(turn.event)}:sitecheck",
        domain=domain,
        client_id=client_id,
        service_id=service_id if client_id else None,
        reported=str(turn.slots.get(REPORTED) or ""),
    )
    return Outcome(
        goto=SiteDown.CHECKING,
        slots={
            **(more or {}),
            WAITING: command.command_id,
            DOMAIN: domain,
            PUBLIC: client_id is None,
        },
        commands=(command,),
    )


# ---- the domain (the public checks) ------------------------------------------------------------


def domain_prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    return (Text(body=TEXTS["ask_domain"]),)


def typed_domain(turn: Turn) -> Outcome:
    domain = domain_of(typed(turn) or "")
    if domain is None:
        return Outcome(missed="invalid", say=(Text(body=TEXTS["invalid_domain"]),))
    return run(turn, domain)


# ---- the checks under way, and their result ----------------------------------------------------


def checking_prompt(conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    key = "checking_public" if conversation.slots.get(PUBLIC) else "checking"
    return (Text(body=TEXTS[key].format(domain=conversation.slots.get(DOMAIN) or "")),)


def still_checking(turn: Turn) -> Outcome:
    body = TEXTS["still_checking"].format(domain=turn.slots.get(DOMAIN) or "")
    return Outcome(say=(Text(body=body),), prompt=False)


def progressed(turn: Turn) -> Outcome:
    """The checks under way take a while: said once, when the job says so."""
    event = turn.event
    if not isinstance(event, SiteCheckProgress) or event.command != turn.slots.get(WAITING):
        return Outcome(prompt=False)
    body = TEXTS["progress"].format(domain=turn.slots.get(DOMAIN) or "")
    return Outcome(say=(Text(body=body),), prompt=False)


def checked(turn: Turn) -> Outcome:
    """The result of the check being waited for: every message, then what else to do."""
    event = turn.event
    if not isinstance(event, SiteChecked) or event.command != turn.slots.get(WAITING):
        return Outcome(prompt=False)
    return Outcome(
        goto=SiteDown.DONE,
        say=tuple(Text(body=body) for body in event.messages),
        slots={WAITING: None, REPORTED: None, LAST: _last(turn, event)},
        merge=False,
    )


def checked_elsewhere(turn: Turn) -> Outcome:
    """The result of the check under way, after the customer went elsewhere (the menu): said
    where they are, so a ticket opened for them is never opened in silence (the menu forgets
    what was awaited; another check awaited since is left to say its own)."""
    event = turn.event
    if not isinstance(event, SiteChecked) or turn.slots.get(WAITING) not in (None, event.command):
        return Outcome(prompt=False)
    return Outcome(
        say=tuple(Text(body=body) for body in event.messages),
        slots={WAITING: None, REPORTED: None, LAST: _last(turn, event)},
        prompt=False,
        merge=False,
    )


def done_prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    return (
        Buttons(
            body=TEXTS["done"],
            buttons=(
                Button(id="go:menu", title=TEXTS["button.menu"]),
                Button(id="go:human", title=TEXTS["button.human"]),
            ),
        ),
    )
