"""The embedded client directory (`DRESBACH_CLIENT_DIRECTORY=local`): clients, their services,
domains, DNS zones, tickets and invoices in our own database. Passwords are argon2 hashes;
documents are found by keyed HMAC and kept only masked. A real adapter, not a mock: `make run`
shows the Área do Cliente with it, and `dresbach clients` / `dresbach demo seed` fill it."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import orjson
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, select, update

from dresbach.features.client_area.hosting import (
    ClientAccount,
    Department,
    DnsRecord,
    Domain,
    Invoice,
    InvoiceItem,
    Service,
    Ticket,
    TicketReply,
)
from dresbach.kernel.documents import parse_document
from dresbach.kernel.errors import PermanentError
from dresbach.kernel.ports import Attachment
from dresbach.platform.store.database import Database
from dresbach.platform.store.schema import directory_clients, directory_records, second_factors
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.store.sql import insert_ignore

HASHER = PasswordHasher()
DUMMY_HASH = HASHER.hash("dresbach-dummy-password")
"""Verified against when a document is unknown, so both answers take the same time."""

DEPARTMENTS = (
    ("suporte", "Suporte técnico"),
    ("financeiro", "Financeiro"),
    ("comercial", "Comercial"),
)


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _when(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return bool(HASHER.verify(stored_hash, password))
    except (VerificationError, InvalidHashError):
        return False


class DirectoryStore:
    """Sync writes and reads of the embedded directory (CLI, demo seed, the adapter)."""

    def __init__(self, engine: Engine, sealer: Sealer) -> None:
        self.engine, self.sealer = engine, sealer

    def add_client(
        self, *, document: str, name: str, email: str, password: str, now: datetime
    ) -> str:
        parsed = parse_document(document)
        client_id = str(uuid.uuid4().int % 10**8)
        with self.engine.begin() as connection:
            inserted = insert_ignore(
                connection,
                directory_clients,
                {
                    "client_id": client_id,
                    "document_key": self.sealer.lookup_key(parsed.value),
                    "document_masked": parsed.masked,
                    "name": name,
                    "email": email,
                    "password_hash": HASHER.hash(password),
                    "created_at": now,
                },
                ["document_key"],
            )
        if not inserted:
            raise ValueError(f"já existe um cliente com o documento {parsed.masked}")
        return client_id

    def client_by_document(self, document: str) -> Any:
        key = self.sealer.lookup_key(parse_document(document).value)
        with self.engine.connect() as connection:
            return (
                connection.execute(
                    select(directory_clients).where(directory_clients.c.document_key == key)
                )
                .mappings()
                .first()
            )

    def client(self, client_id: str) -> Any:
        with self.engine.connect() as connection:
            return (
                connection.execute(
                    select(directory_clients).where(directory_clients.c.client_id == client_id)
                )
                .mappings()
                .first()
            )

    def all_clients(self) -> list[Any]:
        with self.engine.connect() as connection:
            return list(connection.execute(select(directory_clients)).mappings())

    def set_password(self, client_id: str, password: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(directory_clients)
                .where(directory_clients.c.client_id == client_id)
                .values(password_hash=HASHER.hash(password))
            )

    def put(self, client_id: str, kind: str, record_id: str, data: dict[str, Any]) -> None:
        body = orjson.dumps(data, default=str).decode()
        with self.engine.begin() as connection:
            if not insert_ignore(
                connection,
                directory_records,
                {"client_id": client_id, "kind": kind, "record_id": record_id, "data": body},
                ["client_id", "kind", "record_id"],
            ):
                connection.execute(
                    update(directory_records)
                    .where(
                        directory_records.c.client_id == client_id,
                        directory_records.c.kind == kind,
                        directory_records.c.record_id == record_id,
                    )
                    .values(data=body)
                )

    def records(self, client_id: str | None, kind: str) -> list[dict[str, Any]]:
        query = select(directory_records.c.data).where(directory_records.c.kind == kind)
        if client_id is not None:
            query = query.where(directory_records.c.client_id == client_id)
        with self.engine.connect() as connection:
            rows = connection.execute(query.order_by(directory_records.c.id)).scalars().all()
        return [orjson.loads(r) for r in rows]

    def has_totp(self, client_id: str) -> bool:
        with self.engine.connect() as connection:
            return (
                connection.execute(
                    select(second_factors.c.client_id).where(
                        second_factors.c.client_id == client_id
                    )
                ).first()
                is not None
            )


class LocalDirectory:
    """ClientDirectory over the embedded store; every call runs off the event loop."""

    def __init__(self, db: Database, sealer: Sealer, clock: Callable[[], datetime]) -> None:
        self.db, self.store, self.clock = db, DirectoryStore(db.engine, sealer), clock
        self._ids = itertools.count(1)

    async def find_by_document(self, document: str) -> ClientAccount | None:
        row = await self.db.run(self.store.client_by_document, document)
        if row is None:
            return None
        totp = await self.db.run(self.store.has_totp, row["client_id"])
        return ClientAccount(
            client_id=row["client_id"],
            name=row["name"],
            email=row["email"],
            document_masked=row["document_masked"],
            totp_secret_enrolled=totp,
        )

    async def contact(self, client_id: str) -> tuple[str, str] | None:
        row = await self.db.run(self.store.client, client_id)
        return (row["email"], row["name"]) if row is not None else None

    async def check_password(self, client_id: str, email: str, password: str) -> bool:
        row = await self.db.run(self.store.client, client_id)
        stored = row["password_hash"] if row is not None and row["email"] == email else DUMMY_HASH
        ok = await asyncio.to_thread(verify_password, stored, password)  # argon2 is slow on purpose
        return ok and stored != DUMMY_HASH

    async def _records(self, client_id: str, kind: str) -> list[dict[str, Any]]:
        return await self.db.run(self.store.records, client_id, kind)

    async def services(self, client_id: str) -> list[Service]:
        return [
            Service(
                service_id=r["id"],
                product=r["product"],
                domain=r["domain"],
                status=r["status"],
                next_due=_date(r.get("next_due")),
                username=r.get("username"),
                reseller=bool(r.get("reseller")),
                mailboxes=tuple(r.get("mailboxes", ())),
            )
            for r in await self._records(client_id, "service")
        ]

    async def domains(self, client_id: str) -> list[Domain]:
        return [
            Domain(
                domain_id=r["id"],
                name=r["name"],
                status=r["status"],
                expires=_date(r.get("expires")),
                nameservers=tuple(r.get("nameservers", ())),
            )
            for r in await self._records(client_id, "domain")
        ]

    def _ticket(self, r: dict[str, Any]) -> Ticket:
        return Ticket(
            ticket_id=r["id"],
            number=r["number"],
            subject=r["subject"],
            status=r["status"],
            department=r["department"],
            updated=_when(r.get("updated")),
            replies=tuple(
                TicketReply(author=x["author"], when=_when(x.get("when")), message=x["message"])
                for x in r.get("replies", ())
            ),
        )

    async def tickets(self, client_id: str) -> list[Ticket]:
        return [self._ticket(r) for r in await self._records(client_id, "ticket")]

    async def ticket(self, client_id: str, ticket_id: str) -> Ticket | None:
        found = [r for r in await self._records(client_id, "ticket") if r["id"] == ticket_id]
        return self._ticket(found[0]) if found else None

    async def departments(self) -> list[Department]:
        return [Department(department_id=i, name=n) for i, n in DEPARTMENTS]

    async def open_ticket(
        self,
        client_id: str,
        department_id: str,
        subject: str,
        message: str,
        attachments: Sequence[Attachment] = (),
    ) -> Ticket:
        names = dict(DEPARTMENTS)
        if department_id not in names:
            raise PermanentError(f"unknown department {department_id}")
        now = self.clock()
        number = f"{now:%y%m%d}-{uuid.uuid4().int % 10**5:05d}"
        data = {
            "id": number,
            "number": number,
            "subject": subject,
            "status": "Aberto",
            "department": names[department_id],
            "updated": now.isoformat(),
            "replies": [_reply(now.isoformat(), message, attachments)],
        }
        await self.db.run(self.store.put, client_id, "ticket", number, data)
        return self._ticket(data)

    async def reply_ticket(
        self, client_id: str, ticket_id: str, message: str, attachments: Sequence[Attachment] = ()
    ) -> None:
        found = [r for r in await self._records(client_id, "ticket") if r["id"] == ticket_id]
        if not found:
            raise PermanentError("no such ticket for this client")
        ticket = found[0]
        now = self.clock().isoformat()
        ticket["replies"] = [
            *ticket.get("replies", []),
            _reply(now, message, attachments),
        ]
        ticket["updated"] = now
        ticket["status"] = "Respondido pelo cliente"
        await self.db.run(self.store.put, client_id, "ticket", ticket_id, ticket)

    def _invoice(self, r: dict[str, Any]) -> Invoice:
        return Invoice(
            invoice_id=r["id"],
            number=r["number"],
            issued=_date(r.get("issued")),
            due=_date(r.get("due")),
            total=Decimal(r["total"]),
            status=r["status"],
            items=tuple(
                InvoiceItem(description=i["description"], amount=Decimal(i["amount"]))
                for i in r.get("items", ())
            ),
            pdf_url=r.get("pdf_url"),
        )

    async def invoices(self, client_id: str) -> list[Invoice]:
        return [self._invoice(r) for r in await self._records(client_id, "invoice")]

    async def invoice(self, client_id: str, invoice_id: str) -> Invoice | None:
        found = [r for r in await self._records(client_id, "invoice") if r["id"] == invoice_id]
        return self._invoice(found[0]) if found else None

    async def dns_records(self, domain: str) -> list[DnsRecord]:
        """The zone of a domain, for the local panel."""
        rows = await self.db.run(self.store.records, None, "dns")
        return [
            DnsRecord(
                name=r["name"],
                kind=r["type"],
                value=r["value"],
                ttl=r.get("ttl"),
                priority=r.get("priority"),
            )
            for r in rows
            if r["zone"] == domain
        ]


def _reply(when: str, message: str, attachments: Sequence[Attachment]) -> dict[str, Any]:
    """A customer's message as kept; its files by name (the embedded desk keeps no files)."""
    reply: dict[str, Any] = {"author": "Cliente", "when": when, "message": message}
    if attachments:
        reply["files"] = [a.filename for a in attachments]
    return reply
