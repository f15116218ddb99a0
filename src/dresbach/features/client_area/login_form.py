"""The login Flow's business side: the `FlowsExchange` behind `POST /whatsapp/flows` for the
Área do Cliente's login form (Flow JSON `flows/login.json`).

    INIT → DOCUMENT ─document─▶ PASSWORD ─password─▶ SECOND_FACTOR ─code─▶ SUCCESS (closes)
    a refusal shows the same screen with its error_message; a lock closes ("locked")

Every request is checked against its flow token first (live, for the login, `flow_tokens`):
anything else is `FlowTokenRejected` (427). Between screens the token keeps a sealed context
(the stage reached, the document until the password is checked, then the client being logged
in); nothing typed is kept in clear, logged or put in the inbox.

The password and the second factor are checked by the chat login's own methods
(`ClientAreaService.verify_login`, `verify_second_factor`): the same lockout counters (the
document's and this conversation's), the same answer for an unknown document and a wrong
password, the same time, audit and notices. Errors are shown on the screen (`error_message`,
the chat's pt-BR words), never echoing what was typed. A lock closes the Flow; the chat then
says what the chat login says. Only the Flow's completion (`nfm_reply`, `FinishFlowLogin`)
logs the conversation in, and only if this context says the second factor passed (`finish`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, Final

from dresbach.features.client_area.flow.answers import code_of
from dresbach.features.client_area.flow.texts import SITE, TEXTS
from dresbach.features.client_area.form_tokens import Context, FormTokens
from dresbach.features.client_area.login.sentences import DOCUMENT_ERRORS
from dresbach.features.client_area.model import FlowLoginFinished, SecondFactor
from dresbach.features.client_area.service import ClientAreaService
from dresbach.kernel.documents import Document, DocumentError, parse_document
from dresbach.platform.store.database import Database
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.whatsapp import flow_tokens
from dresbach.platform.whatsapp.flows_exchange import (
    CloseFlow,
    FlowAnswer,
    FlowRequest,
    FlowTokenRejected,
    NextScreen,
)
from dresbach.platform.work.jobs import Job

log = logging.getLogger(__name__)

PURPOSE: Final = "login"
DOCUMENT: Final = "DOCUMENT"
PASSWORD: Final = "PASSWORD"  # noqa: S105 - a screen name, not a secret
SECOND_FACTOR: Final = "SECOND_FACTOR"
MAX_FIELD: Final = 200
"""Longer than any document, password or code we take: cut before it is checked."""


def _field(data: Any, name: str) -> str:
    value = data.get(name) if hasattr(data, "get") else None
    return value[:MAX_FIELD] if isinstance(value, str) else ""


def _screen(screen: str, error: str = "") -> NextScreen:
    return NextScreen(screen=screen, data={"error_message": error})


class LoginForm:
    """The login Flow's exchange (a `FlowsExchange`)."""

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

    # ---- the token's context -------------------------------------------------------------
    def _context(self, token: flow_tokens.FlowToken) -> Context:
        return self.tokens.context(token) or {"stage": DOCUMENT}

    async def _keep(self, flow_token: str, context: Context) -> None:
        await self.tokens.keep(flow_token, context)

    # ---- the exchange ----------------------------------------------------------------------
    async def exchange(self, request: FlowRequest) -> FlowAnswer:
        token = await self.tokens.check(request.flow_token)
        context = self._context(token)
        if context.get("stage") in ("verified", "locked"):  # the Flow closed already
            raise FlowTokenRejected("finished")
        if request.action == "INIT":
            await self._keep(request.flow_token, {"stage": DOCUMENT})
            return _screen(DOCUMENT)
        if request.action == "BACK":
            return _screen(request.screen or DOCUMENT)
        who = token.conversation_key
        if request.screen == DOCUMENT:
            return await self._document(request, _field(request.data, "document"))
        if request.screen == PASSWORD:
            return await self._password(request, context, who, _field(request.data, "password"))
        if request.screen == SECOND_FACTOR:
            code = _field(request.data, "code")
            return await self._second_factor(request, context, who, code)
        log.warning("login flow: a screen it does not have", extra={"screen": request.screen[:40]})
        return _screen(DOCUMENT, TEXTS["document_again"])

    async def _document(self, request: FlowRequest, typed: str) -> FlowAnswer:
        try:
            document = parse_document(typed)
        except DocumentError as error:  # never quoted: it may be a password typed there
            return _screen(DOCUMENT, TEXTS[DOCUMENT_ERRORS[error.reason]])
        await self._keep(request.flow_token, _after_document(document))
        return _screen(PASSWORD)

    async def _password(
        self, request: FlowRequest, context: Context, who: str, password: str
    ) -> FlowAnswer:
        document = context.get("document")
        if context.get("stage") != PASSWORD or not isinstance(document, str):
            return _screen(DOCUMENT, TEXTS["document_again"])
        verdict = await self.service.verify_login(who, document, password)
        if verdict.result == "ok" and verdict.client_id:
            await self._keep(
                request.flow_token,
                {
                    "stage": SECOND_FACTOR,
                    "client_id": verdict.client_id,
                    "name": verdict.name or "",
                    "document_kind": context.get("document_kind") or "",
                    "method": verdict.second_factor or "email",
                    "email_masked": verdict.email_masked or "",
                },
            )
            return _screen(SECOND_FACTOR)
        if verdict.result == "locked":
            return await self._locked(request, None)
        # the password screen again (its back button leads to the document): the routing
        # model goes forward only
        if verdict.result == "failed":  # an unknown document and a wrong password alike
            return _screen(PASSWORD, TEXTS["login_failed"].format(site=SITE))
        return _screen(PASSWORD, TEXTS["login_unavailable"])

    async def _second_factor(
        self, request: FlowRequest, context: Context, who: str, typed: str
    ) -> FlowAnswer:
        client_id = context.get("client_id")
        if context.get("stage") != SECOND_FACTOR or not isinstance(client_id, str):
            return _screen(DOCUMENT, TEXTS["document_again"])
        code = code_of(typed)
        if code is None:
            return _screen(SECOND_FACTOR, TEXTS["code_format"])
        method: SecondFactor = "totp" if context.get("method") == "totp" else "email"
        result, notified = await self.service.verify_second_factor(who, client_id, method, code)
        if result == "ok":
            await self._keep(request.flow_token, {**context, "stage": "verified"})
            return CloseFlow(params={"outcome": "logged_in"})
        if result == "locked":
            return await self._locked(request, notified)
        if result == "expired" and method == "email":  # a new code, at once
            await self.service.email_new_code(client_id)
            email = context.get("email_masked") or TEXTS["your_email"]
            return _screen(SECOND_FACTOR, TEXTS["flow_code_resent"].format(email=email))
        key = {"failed": f"{method}_failed", "expired": "totp_expired"}.get(
            result, "code_unavailable"
        )
        return _screen(SECOND_FACTOR, TEXTS[key])

    async def _locked(self, request: FlowRequest, notified: str | None) -> FlowAnswer:
        """A lock closes the Flow; the chat says why (`finish`)."""
        await self._keep(request.flow_token, {"stage": "locked", "email_masked": notified or ""})
        return CloseFlow(params={"outcome": "locked"})

    # ---- the completion ----------------------------------------------------------------------
    async def finish(self, job: Job) -> None:
        """The Flow's completion reached the chat (`FinishFlowLogin`): use the token up (once,
        for this conversation) and tell the conversation what the Flow came to."""
        key, now = job.conversation_key or "", self.clock()
        context = await self.tokens.complete(job.payload["sealed"], key)
        stage, client_id = context.get("stage"), context.get("client_id")
        if stage == "verified" and isinstance(client_id, str) and client_id:
            finished = FlowLoginFinished(
                event_id=f"{job.command_id}:ok",
                conversation_key=key,
                timestamp=now,
                result="ok",
                client_id=client_id,
                name=str(context.get("name") or ""),
                document_kind=str(context.get("document_kind") or ""),
            )
        elif stage == "locked":
            finished = FlowLoginFinished(
                event_id=f"{job.command_id}:locked",
                conversation_key=key,
                timestamp=now,
                result="locked",
                email_masked=str(context.get("email_masked") or "") or None,
            )
        else:
            finished = FlowLoginFinished(
                event_id=f"{job.command_id}:expired",
                conversation_key=key,
                timestamp=now,
                result="expired",
            )
        await self.service.tell(finished)


def _after_document(document: Document) -> Context:
    return {"stage": PASSWORD, "document": document.value, "document_kind": document.kind}
