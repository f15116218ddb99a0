"""The ticket Flow's business side: the `FlowsExchange` behind `POST /whatsapp/flows` for the
Área do Cliente's new-ticket form (Flow JSON `flows/ticket.json`).

    INIT → TICKET (departments) ─department, subject, message─▶ SUCCESS (closes: ticket_opened)
    a refusal shows TICKET again with its error_message (the chat's pt-BR words)

The token is bound to the conversation (`flow_tokens`, purpose "ticket") and, from `INIT` on, to
the session it was opened in: the client and the moment of the login, read from the
conversation and kept sealed in the token's context. A request whose conversation is no longer
logged in as that client, in that session, is `FlowTokenRejected` (427).

The subject and the message are checked like the chat's (`new_ticket`: the same limits and
words); the ticket is opened by the chat's own method (`ClientAreaService.file_ticket`), and
the Flow closes with its masked number. Only the Flow's completion (`nfm_reply`,
`FinishFlowTicket`) tells the conversation, in the chat version's words, and only if this
token's context says the ticket was opened for the client of the session. Nothing typed is
kept: the subject and the message go to the help desk and nowhere else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Final

import orjson
from sqlalchemy import select

from dresbach.features.client_area.flow import slots as s
from dresbach.features.client_area.flow.display import clip
from dresbach.features.client_area.flow.new_ticket import (
    MESSAGE_MIN,
    SUBJECT_MAX,
    SUBJECT_MIN,
    one_line,
)
from dresbach.features.client_area.flow.texts import TEXTS
from dresbach.features.client_area.flow.tickets import TEXT_MAX, refusal
from dresbach.features.client_area.form_tokens import Context, FormTokens
from dresbach.features.client_area.login.session import expiry
from dresbach.features.client_area.model import FlowTicketFinished
from dresbach.features.client_area.service import ClientAreaService
from dresbach.kernel.errors import DresbachError
from dresbach.platform.store.database import Database
from dresbach.platform.store.schema import conversations
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.whatsapp.flows_exchange import (
    CloseFlow,
    FlowAnswer,
    FlowRequest,
    FlowTokenRejected,
    NextScreen,
)
from dresbach.platform.work.jobs import Job

log = logging.getLogger(__name__)

PURPOSE: Final = "ticket"
TICKET: Final = "TICKET"
OPENED: Final = "opened"
TITLE_MAX: Final = 30
"""A Dropdown option's title, at most (Flow JSON)."""
MAX_FIELD: Final = 8000
"""Longer than any subject or message we take: cut before it is checked (and refused)."""
Session = tuple[str, str]
"""The client and the moment of the login (`client_area.login_at`)."""


def _field(data: Any, name: str) -> str:
    value = data.get(name) if hasattr(data, "get") else None
    return value[:MAX_FIELD] if isinstance(value, str) else ""


def masked_ticket(number: str) -> str:
    """A ticket number for the Flow's closing answer: its last three characters only."""
    shown = number[-3:]
    return "*" * (len(number) - len(shown)) + shown


def session_of(slots: Mapping[str, Any], now: datetime) -> Session | None:
    """The conversation's live session, or None when it is not logged in (or it expired)."""
    client_id, login_at = s.text(slots, s.CLIENT_ID), s.text(slots, s.LOGIN_AT)
    if not client_id or not login_at or expiry(slots, now) is not None:
        return None
    return client_id, login_at


class TicketForm:
    """The ticket Flow's exchange (a `FlowsExchange`)."""

    def __init__(
        self,
        db: Database,
        sealer: Sealer,
        service: ClientAreaService,
        *,
        clock: Callable[[], datetime],
    ) -> None:
        self.db, self.sealer, self.service, self.clock = db, sealer, service, clock
        self.tokens = FormTokens(db, sealer, PURPOSE, clock=clock)

    # ---- the session -------------------------------------------------------------------------

    def _slots(self, key: str) -> dict[str, Any]:
        with self.db.engine.connect() as connection:
            raw = connection.execute(
                select(conversations.c.slots).where(conversations.c.key == key)
            ).scalar()
        slots = orjson.loads(raw) if raw else {}
        return slots if isinstance(slots, dict) else {}

    async def _session(self, key: str, context: Context) -> Session:
        """The session this token serves: the conversation's own, and the one it opened in."""
        slots = await self.db.run(self._slots, key)
        session = session_of(slots, self.clock())
        if session is None:
            raise FlowTokenRejected("session")
        if context and (context.get("client_id"), context.get("login_at")) != session:
            raise FlowTokenRejected("session")
        return session

    async def _departments(self) -> list[dict[str, str]]:
        found = await self.service.directory.departments()
        return [
            {"id": d.department_id, "title": clip(d.name, TITLE_MAX)}
            for d in found
            if d.department_id and d.name
        ]

    async def _screen(self, error: str = "") -> NextScreen:
        try:
            departments = await self._departments()
        except DresbachError as failure:
            log.warning("ticket flow: departments unavailable: %s", type(failure).__name__)
            departments, error = [], TEXTS["ticket_failed"]
        if not departments and not error:
            error = TEXTS["departments_empty"]
        return NextScreen(screen=TICKET, data={"departments": departments, "error_message": error})

    # ---- the exchange ----------------------------------------------------------------------
    async def exchange(self, request: FlowRequest) -> FlowAnswer:
        token = await self.tokens.check(request.flow_token)
        context = self.tokens.context(token)
        if context.get("stage") == OPENED:  # the Flow closed already
            raise FlowTokenRejected("finished")
        client_id, login_at = await self._session(token.conversation_key, context)
        if request.action in ("INIT", "BACK") or not context:
            await self.tokens.keep(
                request.flow_token, {"stage": TICKET, "client_id": client_id, "login_at": login_at}
            )
            return await self._screen()
        if request.screen != TICKET:
            log.warning(
                "ticket flow: a screen it does not have", extra={"screen": request.screen[:40]}
            )
            return await self._screen()
        return await self._submitted(request, token.conversation_key, context, client_id)

    async def _submitted(
        self, request: FlowRequest, who: str, context: Context, client_id: str
    ) -> FlowAnswer:
        department = _field(request.data, "department")
        subject = one_line(_field(request.data, "subject"))
        message = _field(request.data, "message")
        names = {d["id"]: d["title"] for d in await self._departments()}
        if department not in names:
            return await self._screen(TEXTS["ticket_flow_department"])
        refused = refusal(subject, SUBJECT_MIN, SUBJECT_MAX) or refusal(
            message, MESSAGE_MIN, TEXT_MAX
        )
        if refused is not None:
            return await self._screen(refused)
        try:
            number = await self.service.file_ticket(
                who, client_id, department, subject.strip(), message.strip()
            )
        except DresbachError as failure:  # not retried: WHMCS has no idempotency key
            log.warning("ticket flow: the ticket was not opened: %s", type(failure).__name__)
            return await self._screen(TEXTS["ticket_failed"])
        await self.tokens.keep(
            request.flow_token,
            {**context, "stage": OPENED, "number": number, "department": names[department]},
        )
        return CloseFlow(params={"outcome": "ticket_opened", "ticket": masked_ticket(number)})

    # ---- the completion ----------------------------------------------------------------------
    async def finish(self, job: Job) -> None:
        """The Flow's completion reached the chat (`FinishFlowTicket`): use the token up (once,
        for this conversation and this client) and tell the conversation what it came to."""
        key, now = job.conversation_key or "", self.clock()
        context = await self.tokens.complete(job.payload["sealed"], key)
        number = context.get("number")
        if (
            context.get("stage") == OPENED
            and context.get("client_id") == job.payload.get("client_id")
            and isinstance(number, str)
        ):
            finished = FlowTicketFinished(
                event_id=f"{job.command_id}:opened",
                conversation_key=key,
                timestamp=now,
                result="opened",
                number=number,
                department=str(context.get("department") or ""),
            )
        else:
            finished = FlowTicketFinished(
                event_id=f"{job.command_id}:expired",
                conversation_key=key,
                timestamp=now,
                result="expired",
            )
        await self.service.tell(finished)
