"""The session after a successful login: 10 minutes idle at most, 60 minutes in all.

Both are computed here, from the session's own slots and the turn's clock: `client_area.seen_at`
(set on every message the customer sends inside the session; the router's `last_activity_at`
is already "now" when a handler runs) and `client_area.login_at`. Every state after the login
is built with `logged_in`, which checks the session before its handlers run: an expired session
is ended (`EndSession`), its slots forgotten, and the customer asked to log in again.

`sair`, `menu` and `cancelar` are handled by the router before any table: they clear the slots
(so the session is over) but no EndSession can be emitted from here for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Literal

from dresbach.features.client_area.flow import slots as s
from dresbach.features.client_area.flow.texts import TEXTS
from dresbach.features.client_area.model import EndSession
from dresbach.features.client_area.states import ClientArea, Elsewhere
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.events import InboundEvent
from dresbach.kernel.flow_kit import event_key
from dresbach.kernel.machine.machine import Handler, Outcome, Prompt, Rule, State, Turn
from dresbach.kernel.messages import Message, Text
from dresbach.kernel.policy import Policy

IDLE = timedelta(minutes=10)
ABSOLUTE = timedelta(minutes=60)

Expiry = Literal["idle", "absolute"]


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def expiry(slots: Mapping[str, Any], now: datetime) -> Expiry | None:
    """Why the session is over at `now`, or None while it lasts (or when there is none)."""
    login_at = _moment(slots.get(s.LOGIN_AT))
    if login_at is None:
        return None
    if now - login_at >= ABSOLUTE:
        return "absolute"
    seen_at = _moment(slots.get(s.SEEN_AT)) or login_at
    if now - seen_at >= IDLE:
        return "idle"
    return None


def live(turn: Turn) -> bool:
    """Whether a session is open and lasts at this turn (a login would ask nothing new)."""
    return bool(s.text(turn.slots, s.CLIENT_ID)) and expiry(turn.slots, turn.now) is None


def started(turn: Turn, client_id: str, name: str) -> dict[str, Any]:
    """The slots of a new session (the login's own slots forgotten)."""
    now = turn.now.isoformat()
    return {
        s.CLIENT_ID: client_id,
        s.NAME: name,
        s.LOGIN_AT: now,
        s.SEEN_AT: now,
        s.PENDING_CLIENT: None,
        s.PENDING_NAME: None,
        s.EMAIL: None,
        s.RESENDS: None,
    }


def end(turn: Turn, reason: str) -> tuple[EndSession, dict[str, Any]]:
    """The EndSession for the audit log, and the slots that forget the session."""
    command = EndSession(
        command_id=f"{event_key(turn.event)}:end",
        client_id=s.text(turn.slots, s.CLIENT_ID),
        reason=reason,
    )
    return command, s.forget(turn.slots)


def expired(turn: Turn, reason: Expiry) -> Outcome:
    command, forgotten = end(turn, reason)
    return Outcome(
        goto=ClientArea.START,
        say=(Text(body=TEXTS[f"session_{reason}"]),),
        slots=forgotten,
        commands=(command,),
        reset_trail=True,
    )


def logout(turn: Turn) -> Outcome:
    """The "Sair da área" row: the session ends, and the customer is back at the main menu."""
    command, forgotten = end(turn, "logout")
    return Outcome(
        goto=Elsewhere.MENU_MAIN,
        say=(Text(body=TEXTS["logged_out"]),),
        slots=forgotten,
        commands=(command,),
        reset_trail=True,
    )


def in_session(handler: Handler) -> Handler:
    """Run `handler` only inside a live session; a message from the customer keeps it alive."""

    def checked(turn: Turn) -> Outcome:
        if not s.text(turn.slots, s.CLIENT_ID):
            return Outcome(
                goto=ClientArea.START,
                say=(Text(body=TEXTS["session_required"]),),
                slots=s.forget(turn.slots),
                reset_trail=True,
            )
        reason = expiry(turn.slots, turn.now)
        if reason is not None:
            return expired(turn, reason)
        outcome = handler(turn)
        if isinstance(turn.event, InboundEvent):
            return replace(outcome, slots={s.SEEN_AT: turn.now.isoformat(), **outcome.slots})
        return outcome

    return checked


def session_prompt(prompt: Prompt) -> Prompt:
    """The prompt, unless the session is already over (reached with `voltar` after it expired):
    then only a notice, and nothing from the client's data."""

    def shown(conversation: Conversation, policy: Policy) -> tuple[Message, ...]:
        now = conversation.last_activity_at
        if now is not None and expiry(conversation.slots, now) is not None:
            return (Text(body=TEXTS["session_over"]),)
        return prompt(conversation, policy)

    return shown


def logged_in(state: State) -> State:
    """`state` behind the session check: every rule may also end the session (to `start`)."""
    rules = {
        kind: Rule(
            handler=in_session(rule.handler),
            goes_to=tuple(dict.fromkeys((*rule.goes_to, ClientArea.START))),
            label=rule.label,
        )
        for kind, rule in state.rules.items()
    }
    return replace(state, prompt=session_prompt(state.prompt), rules=rules)
