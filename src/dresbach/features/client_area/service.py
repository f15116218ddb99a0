"""The Área do Cliente behind the flow: login checks with lockout, second factors (TOTP, e-mail
codes), the billing and hosting look-ups, access links and tickets. Each is a job; its result
reaches the conversation as an event. Secrets arrive sealed and are opened only here, in memory.
"""

from __future__ import annotations

import asyncio
import logging
import statistics
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

import orjson

from dresbach.features.client_area.attachments import ticket_files
from dresbach.features.client_area.credentials import (
    Tally,
    check_email_code,
    locked_until,
    matching_counter,
    new_email_code,
    note_attempt,
    spend_a_password_check,
    totp_secret,
    use_totp_counter,
)
from dresbach.features.client_area.hosting import AccessKind, ClientAccount
from dresbach.features.client_area.model import (
    AccessLinkReady,
    ClientDataFetched,
    ClientDataUnavailable,
    FactorResult,
    LoginChecked,
    LoginVerdict,
    SecondFactor,
    SecondFactorChecked,
    TicketOpened,
    TicketReplied,
)
from dresbach.features.client_area.ports import ClientDirectory, HostingPanel
from dresbach.features.client_area.rows import client_rows
from dresbach.kernel.documents import mask_email
from dresbach.kernel.errors import DresbachError, PermanentError
from dresbach.kernel.events import InternalEvent
from dresbach.kernel.ports import Attachment, Mailer
from dresbach.platform.inbound.pipeline import Pipeline
from dresbach.platform.observe import audit
from dresbach.platform.store.database import Database
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.work.jobs import Job

log = logging.getLogger(__name__)

CHECK_TIMES = 20
"""How many recent password checks of known clients set the time an unknown document takes."""


def _hello(name: str) -> str:
    """The e-mail's greeting, by the account's whole name: a company's first word is no name."""
    return f"Olá, {name.strip()}." if name.strip() else "Olá."


# ---- the service ---------------------------------------------------------------------------


class ClientAreaService:
    def __init__(
        self,
        db: Database,
        pipeline: Pipeline,
        directory: ClientDirectory,
        panel: HostingPanel,
        mailer: Mailer,
        sealer: Sealer,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.db, self.pipeline, self.directory, self.panel = db, pipeline, directory, panel
        self.mailer, self.sealer, self.clock = mailer, sealer, clock
        self._check_times: deque[float] = deque(maxlen=CHECK_TIMES)

    # ---- plumbing ------------------------------------------------------------------------
    async def _tell(
        self, job: Job, event_type: type[InternalEvent], suffix: str, **fields_: Any
    ) -> None:
        event = event_type(
            event_id=f"{job.command_id}:{suffix}",
            conversation_key=job.conversation_key or "",
            timestamp=self.clock(),
            **fields_,
        )
        await self.tell(event)

    async def _unavailable(self, job: Job, what: str, error: Exception) -> None:
        reason = type(error).__name__
        await self._tell(job, ClientDataUnavailable, "unavailable", what=what, reason=reason)

    async def tell(self, event: InternalEvent) -> None:
        """Deliver `event` to its conversation (its fields, as text, are what the inbox keeps)."""
        payload = {f.name: str(getattr(event, f.name)) for f in fields(event)}
        await self.pipeline.take_in(event, payload)

    async def _audit(
        self, job: Job, action: str, masked: str | None = None, detail: str | None = None
    ) -> None:
        await self._record(job.conversation_key or "?", action, masked, detail)

    async def _record(
        self, who: str, action: str, masked: str | None = None, detail: str | None = None
    ) -> None:
        def write() -> None:
            with self.db.engine.begin() as connection:
                audit.record(
                    connection,
                    who=who or "?",
                    action=action,
                    now=self.clock(),
                    document_masked=masked,
                    detail=detail,
                )

        await self.db.run(write)

    def _open(self, job: Job) -> dict[str, str]:
        data: dict[str, str] = orjson.loads(self.sealer.open(job.payload["sealed"]))
        return data

    # ---- login -----------------------------------------------------------------------------
    async def check_login(self, job: Job) -> None:
        secret = self._open(job)
        verdict = await self.verify_login(
            job.conversation_key or "", secret["document"], secret["password"]
        )
        await self._tell(job, LoginChecked, verdict.result, **verdict.fields())

    async def verify_login(self, who: str, document: str, password: str) -> LoginVerdict:
        """Check a document and a password for the conversation `who`: the lockout counters of
        the document and of the conversation, the same time whether the document is a client's
        or not, the audit, the lock notice and the e-mailed code. The chat login (`check_login`)
        and the login Flow both come here."""
        now = self.clock()
        subjects = [
            self.sealer.lookup_key(f"doc:{document}"),
            self.sealer.lookup_key(f"wa:{who}"),
        ]
        until = await self.db.run(locked_until, self.db.engine, subjects, now)
        if until is not None:
            return LoginVerdict(result="locked", locked_until=until)
        try:
            account = await self.directory.find_by_document(document)
            ok = await self._password_ok(account, password)
        except DresbachError as error:
            log.warning("login check unavailable: %s", type(error).__name__)
            return LoginVerdict(result="unavailable")
        masked = account.document_masked if account else None
        tally = await self.db.run(note_attempt, self.db.engine, subjects, ok, now)
        if not ok or account is None:
            log.info("client area: login refused for %s", masked or "an unknown document")
            await self._record(who, "login_failed", masked)
            if tally.locked_until is not None:
                if tally.locks:
                    await self._record(who, "login_locked", masked)
                    if account is not None:
                        await self._notify_lock(account.email, account.name)
                return LoginVerdict(result="locked", locked_until=tally.locked_until)
            return LoginVerdict(result="failed")
        if tally.locked_until is not None:  # locked by other attempts while this one was checked
            return LoginVerdict(result="locked", locked_until=tally.locked_until)
        factor = await self.db.run(totp_secret, self.db.engine, self.sealer, account.client_id)
        method: SecondFactor = "totp" if factor is not None else "email"
        if method == "email":
            await self._send_code(account.client_id, account.email, account.name)
        await self._record(who, "password_ok", masked, f"second factor: {method}")
        log.info("client area: password accepted for %s, second factor %s", masked, method)
        return LoginVerdict(
            result="ok",
            client_id=account.client_id,
            name=account.name,
            document_masked=masked,
            second_factor=method,
            email_masked=mask_email(account.email),
        )

    async def _password_ok(self, account: ClientAccount | None, password: str) -> bool:
        """The password check, which costs the same whether the document is a client's or not:
        an unknown one is verified against a dummy argon2 hash, then waits as long as checks of
        known ones take here (a billing system's answer is slower than a local hash)."""
        started = time.monotonic()
        if account is not None:
            ok = await self.directory.check_password(account.client_id, account.email, password)
            self._check_times.append(time.monotonic() - started)
            return ok
        await asyncio.to_thread(spend_a_password_check, password)
        if self._check_times:
            typical = statistics.median(self._check_times)
            await asyncio.sleep(max(0.0, typical - (time.monotonic() - started)))
        return False

    async def _send_code(self, client_id: str, email: str, name: str) -> None:
        code = await self.db.run(
            new_email_code, self.db.engine, self.sealer, client_id, self.clock()
        )
        await self.mailer.send(
            email,
            "Seu código de acesso à Área do Cliente",
            f"{_hello(name)}\n\n"
            f"Seu código de acesso à Área do Cliente da Dresbach pelo WhatsApp é {code}.\n"
            "Ele vale por 5 minutos e só pode ser usado uma vez.\n\n"
            "Se não foi você que pediu, ignore esta mensagem e troque a sua senha.",
        )

    async def _notify_lock(self, email: str, name: str) -> None:
        try:
            await self.mailer.send(
                email,
                "Acesso à Área do Cliente bloqueado temporariamente",
                f"{_hello(name)}\n\n"
                "Houve várias tentativas de acesso à sua Área do Cliente pelo WhatsApp sem "
                "sucesso, e por segurança o acesso foi bloqueado por 15 minutos.\n"
                "Se não foi você, recomendamos trocar a sua senha.",
            )
        except DresbachError:
            log.warning("could not e-mail a lockout notice")

    async def _notify_factor_lock(self, client_id: str) -> str | None:
        """The second factor failed too often: someone who knows the password is trying codes.
        Tell the owner by e-mail; the masked address it went to, or None if none was sent."""
        try:
            contact = await self.directory.contact(client_id)
            if contact is None:
                return None
            email, name = contact
            await self.mailer.send(
                email,
                "Acesso à Área do Cliente bloqueado temporariamente",
                f"{_hello(name)}\n\n"
                "Alguém digitou a senha da sua Área do Cliente pelo WhatsApp, mas errou várias "
                "vezes o código de verificação. Por segurança, o acesso foi bloqueado por 15 "
                "minutos.\n\n"
                "Se foi você, é só tentar de novo depois desse prazo. Se não foi você, troque a "
                "sua senha agora: ela pode ter sido descoberta.",
            )
        except DresbachError:
            log.warning("could not e-mail a second-factor lockout notice")
            return None
        return mask_email(email)

    async def send_email_code(self, job: Job) -> None:
        await self.email_new_code(job.payload["client_id"])

    async def email_new_code(self, client_id: str) -> None:
        """E-mail `client_id` a new code (the ones sent before no longer count)."""
        account = await self.directory.contact(client_id)
        if account is not None:
            await self._send_code(client_id, account[0], account[1])

    async def check_second_factor(self, job: Job) -> None:
        code = self._open(job)["code"]
        client_id, method = job.payload["client_id"], job.payload["method"]
        result, notified = await self.verify_second_factor(
            job.conversation_key or "", client_id, method, code
        )
        if result == "locked":
            await self._tell(
                job,
                SecondFactorChecked,
                "locked",
                result="locked",
                client_id=client_id,
                email_masked=notified,
            )
            return
        await self._tell(job, SecondFactorChecked, result, result=result, client_id=client_id)

    async def verify_second_factor(
        self, who: str, client_id: str, method: SecondFactor, code: str
    ) -> tuple[FactorResult, str | None]:
        """Check a second factor of `client_id` for the conversation `who`, with its lockout
        counter and audit: the result, and the masked address a lock notice went to (if any).
        The chat login (`check_second_factor`) and the login Flow both come here."""
        now = self.clock()
        subjects = [self.sealer.lookup_key(f"2fa:{client_id}")]
        if await self.db.run(locked_until, self.db.engine, subjects, now) is not None:
            return "locked", None
        result: FactorResult
        if method == "totp":
            found = await self.db.run(totp_secret, self.db.engine, self.sealer, client_id)
            counter = matching_counter(found[0], code, now) if found else None
            ok = counter is not None and await self.db.run(
                use_totp_counter, self.db.engine, client_id, counter
            )
            result = "ok" if ok else "failed"
        else:
            checked = await self.db.run(
                check_email_code, self.db.engine, self.sealer, client_id, code, now
            )
            result = "ok" if checked == "ok" else "failed" if checked == "failed" else "expired"
        tally = Tally(locked_until=None)
        if result in ("ok", "failed"):  # an expired code or a system down is no attempt
            tally = await self.db.run(note_attempt, self.db.engine, subjects, result == "ok", now)
        if tally.locked_until is not None:  # by this failure, or by others meanwhile
            notified = None
            if tally.locks:
                await self._record(who, "second_factor_locked", detail=f"client {client_id}")
                notified = await self._notify_factor_lock(client_id)
            return "locked", notified
        if result == "ok":
            await self._record(who, "login_success", detail=f"client {client_id} via {method}")
        else:
            await self._record(who, f"second_factor_{result}", detail=f"client {client_id}")
        return result, None

    # ---- data ------------------------------------------------------------------------------
    async def fetch_client_data(self, job: Job) -> None:
        client_id, what, key = job.payload["client_id"], job.payload["what"], job.payload.get("key")
        try:
            items = await client_rows(self.directory, self.panel, client_id, what, key)
        except DresbachError as error:
            log.warning("client data %s unavailable: %s", what, type(error).__name__)
            await self._unavailable(job, what, error)
            return
        await self._tell(job, ClientDataFetched, "fetched", what=what, key=key, items=tuple(items))

    async def access_link(self, job: Job) -> None:
        p = job.payload
        kind: AccessKind = p["kind"]
        try:
            services = {s.service_id: s for s in await self.directory.services(p["client_id"])}
            service = services.get(p["service_id"])
            if service is None or not service.username:
                raise PermanentError("no such service for this client")
            if kind == "whm" and not service.reseller:
                raise PermanentError("WHM is only for reseller accounts")
            mailbox = p.get("mailbox")
            if (
                kind == "webmail"
                and mailbox
                and service.mailboxes
                and mailbox not in service.mailboxes
            ):
                raise PermanentError("that mailbox is not this service's")
            server = {"server": service.server_id, "hostname": service.server_hostname}
            link = await self.panel.access_link(service.username, kind, mailbox=mailbox, **server)
        except DresbachError as error:
            await self._unavailable(job, "access", error)
            return
        await self._audit(job, "access_link", detail=f"client {p['client_id']}: {kind}")
        await self._tell(
            job,
            AccessLinkReady,
            "link",
            url=link.url,
            expires_at=link.expires_at,
            kind_of_access=kind,
            demo=link.demo,
        )

    async def open_ticket(self, job: Job) -> None:
        p = job.payload
        files = await ticket_files(self.db, self.sealer, p.get("attachments") or ())
        ticket = (p["client_id"], p["department_id"], p["subject"], p["message"])
        try:
            number = await self.file_ticket(job.conversation_key or "", *ticket, files)
        except DresbachError as error:  # not retried: WHMCS has no idempotency key
            await self._unavailable(job, "open_ticket", error)
            return
        await self._tell(job, TicketOpened, "opened", number=number)

    async def file_ticket(
        self,
        who: str,
        client_id: str,
        department_id: str,
        subject: str,
        message: str,
        files: Sequence[Attachment] = (),
    ) -> str:
        """Open a ticket for `client_id` and audit it: its number (`DresbachError` when the
        help desk fails). The chat (`open_ticket`) and the ticket Flow both come here."""
        ticket = await self.directory.open_ticket(client_id, department_id, subject, message, files)
        await self._record(who, "ticket_opened", detail=f"client {client_id}: {ticket.number}")
        return ticket.number

    async def reply_ticket(self, job: Job) -> None:
        p = job.payload
        files = await ticket_files(self.db, self.sealer, p.get("attachments") or ())
        try:
            await self.directory.reply_ticket(p["client_id"], p["ticket_id"], p["message"], files)
        except DresbachError as error:
            await self._unavailable(job, "reply_ticket", error)
            return
        await self._audit(
            job, "ticket_replied", detail=f"client {p['client_id']}: {p['ticket_id']}"
        )
        await self._tell(job, TicketReplied, "replied", ticket_id=p["ticket_id"])
