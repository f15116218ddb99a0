"""The domain changes a logged-in client confirms: nameservers, the registrar lock and the EPP
code, through the registrar (WHMCS), and DNS records (A, CNAME, MX, TXT) through WHM on the
server of the domain's hosting. Each first checks that the domain is the client's, each
preview shows the before and after the client confirms, and each change is in the audit log
(the EPP code never: it goes only to the account's e-mail, never to the chat nor a log).

Errors: ``Refused`` for an entry the client typed wrong (its ``text`` is pt-BR);
``PermanentError`` for a domain that is not the client's, or a registrar that refuses;
``TransientError`` when the registrar is slow or down.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

from dresbach.features.client_area.domains.edits import (
    RecordEdit,
    Refused,
    check_nameservers,
    check_record,
    confirmation,
    describe,
    parse_line,
)
from dresbach.features.client_area.domains.texts import (
    CONFIRMATIONS,
    DONE,
    EPP_MAIL_BODY,
    EPP_MAIL_SUBJECT,
    LOCK_STATES,
)
from dresbach.features.client_area.hosting import DnsRecord, Domain
from dresbach.features.client_area.model import (
    ClientDataUnavailable,
    DomainChanged,
    DomainChangePreviewed,
    DomainChangeRefused,
)
from dresbach.features.client_area.ports import ClientDirectory, DomainRegistrar, HostingPanel
from dresbach.kernel.documents import mask_email
from dresbach.kernel.errors import DresbachError, PermanentError
from dresbach.kernel.events import InternalEvent
from dresbach.kernel.ports import Mailer
from dresbach.platform.observe import audit
from dresbach.platform.store.database import Database
from dresbach.platform.work.jobs import Job

__all__ = ["DomainChanges"]

log = logging.getLogger(__name__)


class DomainChanges:
    def __init__(
        self,
        db: Database,
        directory: ClientDirectory,
        registrar: DomainRegistrar | None,
        panel: HostingPanel,
        mailer: Mailer,
        *,
        clock: Callable[[], datetime],
        tell: Callable[[InternalEvent], Awaitable[None]] | None = None,
    ) -> None:
        self.db, self.directory, self.registrar = db, directory, registrar
        self.panel, self.mailer, self.clock, self.tell = panel, mailer, clock, tell

    # ---- what the client confirms -----------------------------------------------------------

    async def nameservers_preview(
        self, client_id: str, domain_id: str, typed: Sequence[str]
    ) -> tuple[tuple[str, ...], str]:
        """The nameservers checked, and the before/after to confirm."""
        domain = await self.domain(client_id, domain_id)
        after = check_nameservers(typed)
        text = CONFIRMATIONS["nameservers"].format(
            domain=domain.name,
            before=", ".join(domain.nameservers) or LOCK_STATES["unknown"],
            after=", ".join(after),
        )
        return after, text

    async def lock_preview(self, client_id: str, domain_id: str, *, lock: bool) -> str:
        domain = await self.domain(client_id, domain_id)
        state = await self._registrar().lock_status(domain.domain_id)
        before = LOCK_STATES["unknown" if state is None else "locked" if state else "unlocked"]
        return CONFIRMATIONS["lock" if lock else "unlock"].format(domain=domain.name, before=before)

    async def epp_preview(self, client_id: str, domain_id: str) -> str:
        domain = await self.domain(client_id, domain_id)
        email = await self._email(client_id)
        return CONFIRMATIONS["epp"].format(domain=domain.name, email=mask_email(email))

    # ---- the changes, once confirmed --------------------------------------------------------

    async def change_nameservers(
        self, who: str, client_id: str, domain_id: str, typed: Sequence[str]
    ) -> None:
        domain = await self.domain(client_id, domain_id)
        after = check_nameservers(typed)
        await self._registrar().update_nameservers(domain.domain_id, after)
        change = f"{', '.join(domain.nameservers) or '?'} -> {', '.join(after)}"
        await self._audit(who, "domain_nameservers", f"client {client_id}: {domain.name} {change}")

    async def set_lock(self, who: str, client_id: str, domain_id: str, *, lock: bool) -> None:
        domain = await self.domain(client_id, domain_id)
        await self._registrar().set_lock(domain.domain_id, lock)
        action = "domain_locked" if lock else "domain_unlocked"
        await self._audit(who, action, f"client {client_id}: {domain.name}")

    async def request_epp(self, who: str, client_id: str, domain_id: str) -> str:
        """Ask for the EPP code; the masked e-mail it goes to. A code the registrar answers is
        e-mailed to the account's address here; otherwise the registrar e-mails it itself."""
        domain = await self.domain(client_id, domain_id)
        email = await self._email(client_id)
        code = await self._registrar().request_epp(domain.domain_id)
        if code is not None:
            contact = await self.directory.contact(client_id)
            name = contact[1].strip() if contact else ""
            await self.mailer.send(
                email,
                EPP_MAIL_SUBJECT.format(domain=domain.name),
                EPP_MAIL_BODY.format(
                    hello=f"Olá, {name}." if name else "Olá.", domain=domain.name, code=code
                ),
            )
        how = "e-mailed by us" if code is not None else "e-mailed by the registrar"
        await self._audit(who, "domain_epp_requested", f"client {client_id}: {domain.name}, {how}")
        return mask_email(email)

    # ---- DNS records, on the WHM server of the domain's hosting ------------------------------

    async def record_edit(
        self,
        client_id: str,
        zone: str,
        *,
        before: DnsRecord | None = None,
        kind: str = "",
        name: str = "",
        value: str = "",
        priority: str | None = None,
        ttl: str | None = None,
        remove: bool = False,
    ) -> RecordEdit:
        """The change the client typed, checked: ``before`` must be a record the zone has now;
        without it, a new record; with ``remove``, its removal. ``confirmation(edit)`` is the
        before/after to show."""
        where = await self._zone(client_id, zone)
        if before is not None:
            held = await self.panel.dns_records(zone, **where)
            before = next((r for r in held if _same(r, before)), None)
            if before is None:
                raise PermanentError("that record is not in the zone (any more)")
        if remove:
            if before is None:
                raise PermanentError("a removal names the record")
            return RecordEdit(zone=zone, before=before, after=None)
        kind = kind or (before.kind if before else "")
        after = check_record(zone, kind, name, value, priority=priority, ttl=ttl)
        return RecordEdit(zone=zone, before=before, after=after)

    async def apply_record(self, who: str, client_id: str, edit: RecordEdit) -> None:
        where = await self._zone(client_id, edit.zone)
        await self.panel.edit_record(edit.zone, edit.before, edit.after, **where)
        action = "dns_record_" + (
            "added" if edit.before is None else "removed" if edit.after is None else "changed"
        )
        change = f"{describe(edit.before)} -> {describe(edit.after)}"
        await self._audit(who, action, f"client {client_id}: {edit.zone}: {change}")

    async def _zone(self, client_id: str, zone: str) -> dict[str, str | None]:
        """Where the zone of one of the client's domains lives (its hosting's server); any
        other zone is refused."""
        services = await self.directory.services(client_id)
        owned = {d.name for d in await self.directory.domains(client_id)}
        if zone not in owned | {s.domain for s in services}:
            raise PermanentError("that domain is not this client's")
        host = next((s for s in services if s.domain == zone and s.server_id), None)
        return {"server": host.server_id, "hostname": host.server_hostname} if host else {}

    # ---- the jobs of the chat ---------------------------------------------------------------

    async def preview_job(self, job: Job) -> None:
        """`PreviewDomainChange`: the before/after, or why it cannot be shown."""
        p = job.payload
        try:
            if p["change"] == "epp":
                text = await self.epp_preview(p["client_id"], p["domain_id"])
            elif p["change"] == "nameservers":
                typed = p.get("nameservers") or []
                _, text = await self.nameservers_preview(p["client_id"], p["domain_id"], typed)
            elif p["change"] in ("record_add", "record_remove"):
                text = confirmation(await self._record_change(p))
            else:
                lock = p["change"] == "lock"
                text = await self.lock_preview(p["client_id"], p["domain_id"], lock=lock)
        except Refused as refused:
            await self._tell(job, DomainChangeRefused, "refused", text=refused.text)
            return
        except DresbachError as error:
            await self._unavailable(job, error)
            return
        await self._tell(job, DomainChangePreviewed, "previewed", text=text)

    async def apply_job(self, job: Job) -> None:
        """`ApplyDomainChange`: the change the client confirmed."""
        p, who = job.payload, job.conversation_key or ""
        try:
            domain = await self.domain(p["client_id"], p["domain_id"])
            email, after = "", ", ".join(p.get("nameservers") or [])
            if p["change"] == "epp":
                email = await self.request_epp(who, p["client_id"], p["domain_id"])
            elif p["change"] == "nameservers":
                typed = p.get("nameservers") or []
                await self.change_nameservers(who, p["client_id"], p["domain_id"], typed)
                after = ", ".join(check_nameservers(typed))
            elif p["change"] in ("record_add", "record_remove"):
                edit = await self._record_change(p)
                await self.apply_record(who, p["client_id"], edit)
                after = describe(edit.after or edit.before)
            else:
                lock = p["change"] == "lock"
                await self.set_lock(who, p["client_id"], p["domain_id"], lock=lock)
        except (DresbachError, Refused) as error:
            await self._unavailable(job, error)
            return
        text = DONE[p["change"]].format(domain=domain.name, email=email, after=after)
        await self._tell(job, DomainChanged, "changed", text=text)

    async def _record_change(self, p: dict[str, Any]) -> RecordEdit:
        """The record a chat job names, on one line, as an addition or a removal."""
        zone = (await self.domain(p["client_id"], p["domain_id"])).name
        record = parse_line(zone, p.get("record") or "")
        if p["change"] == "record_add":
            return await self.record_edit(
                p["client_id"],
                zone,
                kind=record.kind,
                name=record.name,
                value=record.value,
                priority=None if record.priority is None else str(record.priority),
            )
        return await self.record_edit(p["client_id"], zone, before=record, remove=True)

    async def _unavailable(self, job: Job, error: Exception) -> None:
        log.warning("domain change unavailable: %s", type(error).__name__)
        reason = type(error).__name__
        await self._tell(job, ClientDataUnavailable, "unavailable", what="domain", reason=reason)

    async def _tell(
        self, job: Job, event_type: type[InternalEvent], suffix: str, **values: Any
    ) -> None:
        if self.tell is None:
            raise PermanentError("no conversation to tell")
        await self.tell(
            event_type(
                event_id=f"{job.command_id}:{suffix}",
                conversation_key=job.conversation_key or "",
                timestamp=self.clock(),
                **values,
            )
        )

    # ---- the pieces -------------------------------------------------------------------------

    async def domain(self, client_id: str, domain_id: str) -> Domain:
        """The client's own domain of that id; any other is refused."""
        for domain in await self.directory.domains(client_id):
            if domain.domain_id == domain_id:
                return domain
        raise PermanentError("that domain is not this client's")

    def _registrar(self) -> DomainRegistrar:
        if self.registrar is None:
            raise PermanentError("domain changes need the registrar of WHMCS")
        return self.registrar

    async def _email(self, client_id: str) -> str:
        contact = await self.directory.contact(client_id)
        if contact is None or not contact[0].strip():
            raise PermanentError("the account has no e-mail to send the EPP code to")
        return contact[0].strip()

    async def _audit(self, who: str, action: str, detail: str) -> None:
        def write() -> None:
            with self.db.engine.begin() as connection:
                audit.record(
                    connection, who=who or "?", action=action, now=self.clock(), detail=detail
                )

        await self.db.run(write)


def _same(record: DnsRecord, wanted: DnsRecord) -> bool:
    """The same record whatever its TTL (a line typed or shown carries none)."""
    return (record.name, record.kind, record.value, record.priority) == (
        wanted.name,
        wanted.kind,
        wanted.value,
        wanted.priority,
    )
