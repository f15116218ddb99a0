"""Área do Cliente transcripts: the user says, the bot says, and the billing systems answer.

`ClientAreaTranscript` adds to `Transcript`:
- the internal events the workers would deliver (`login_checked`, `second_factor_checked`,
  `client_data`, `access_link`, `ticket_opened`…), and `answer` for the last FetchClientData;
- every command the core produced, in order (`commands`, `of(FetchClientData)`);
- on every step, the checks no test may forget:
  * the guards of the flows the conversation was in and went to let every reply through;
  * no reply carries a Pix code, a boleto line or a payment link, and no payment command leaves;
  * no reply and no slot holds the password, a code or the full CPF/CNPJ; the document sits only
    in `secret.document`, and only before the password is sent.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from dresbach.features.client_area.login.guard import payment_content
from dresbach.features.client_area.model import (
    AccessLinkReady,
    CheckLogin,
    ClientDataFetched,
    ClientDataUnavailable,
    FetchClientData,
    LoginChecked,
    SecondFactorChecked,
    TicketOpened,
    TicketReplied,
)
from dresbach.features.registry import MACHINE
from dresbach.kernel.commands import Command, CreatePixCharge
from dresbach.kernel.events import ButtonChosen, Event, InternalEvent
from dresbach.kernel.messages import Document, Image, Message, visible_texts
from tests.support.transcript import Transcript

C = TypeVar("C", bound=Command)

CPF = "529.982.247-25"
CNPJ = "11.222.333/0001-81"
CNPJ_ALNUM = "12.ABC.345/01DE-35"
PASSWORD = "Segredo#2026!"
CODE = "287082"
CLIENT = "c-1001"
EMAIL = "m***@boamassa.com.br"

BEFORE_PASSWORD = {"start", "password"}


def plain(document: str) -> str:
    return "".join(ch for ch in document.upper() if ch.isalnum())


def readable(message: Message) -> tuple[str, ...]:
    texts = visible_texts(message)
    if isinstance(message, Document | Image) and message.link:
        texts = (*texts, message.link)
    return texts


def rows(*items: dict[str, str]) -> tuple[tuple[tuple[str, str], ...], ...]:
    return tuple(tuple(item.items()) for item in items)


@dataclass
class ClientAreaTranscript(Transcript):
    commands: list[Command] = field(default_factory=list)
    secrets: set[str] = field(default_factory=lambda: {PASSWORD, CODE})
    """Never in a slot, never in a reply (the typed documents are added as they are sent)."""
    _event_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def _send(self, event: Event) -> list[Message]:
        before = self.conversation
        assert before is not None
        replies = super()._send(event)  # type: ignore[arg-type]
        assert self.last is not None
        assert self.conversation is not None
        self.commands.extend(self.last.commands)
        for conversation in (before, self.conversation):
            flow = MACHINE.flows.get(conversation.place.flow)
            if flow is not None and flow.guard is not None:
                for message in replies:
                    refused = flow.guard(conversation, message)
                    assert refused is None, f"{refused}: {message!r}"
        for message in replies:
            for text in readable(message):
                assert payment_content(text) is None, f"a payment in a reply: {text!r}"
                for secret in self.secrets:
                    assert secret not in text, f"a secret in a reply: {text!r}"
        assert not any(isinstance(c, CreatePixCharge) for c in self.last.commands)
        self.check_slots()
        return replies

    def check_slots(self) -> None:
        assert self.conversation is not None
        place = self.conversation.place
        for key, value in self.conversation.slots.items():
            dumped = json.dumps(value, ensure_ascii=False)
            for secret in self.secrets:
                if key == "secret.document" and secret == value:
                    continue
                assert secret not in dumped, f"slot {key} holds a secret"
        if place.flow == "client_area" and place.state not in BEFORE_PASSWORD:
            assert self.conversation.slots.get("secret.document") is None
        assert self.last is not None
        if any(isinstance(c, CheckLogin) for c in self.last.commands):
            assert self.conversation.slots.get("secret.document") is None

    # ---- the user, with a document ------------------------------------------------------------
    def sends_document(self, document: str) -> list[Message]:
        self.secrets |= {document, plain(document)}
        return self.says(document)

    def chooses(self, choice_id: str, title: str) -> list[Message]:
        """Tap an option of any earlier message (WhatsApp keeps old buttons tappable)."""
        self.said.append(("user", f"[{title}]"))
        return self._send(ButtonChosen(**self._base(), choice_id=choice_id, title=title))  # type: ignore[arg-type]

    # ---- the systems --------------------------------------------------------------------------
    def receives(self, event: InternalEvent) -> list[Message]:
        self.said.append(("system", event.kind))
        return self._send(event)

    def _internal(self) -> dict[str, Any]:
        assert self.conversation is not None
        return {
            "event_id": f"evt-{next(self._event_ids)}",
            "conversation_key": self.conversation.key,
            "timestamp": self.now,
        }

    def login_checked(
        self,
        result: str = "ok",
        *,
        factor: str | None = "totp",
        client_id: str = CLIENT,
        name: str = "Maria Souza",
    ) -> list[Message]:
        ok = result == "ok"
        return self.receives(
            LoginChecked(
                **self._internal(),
                result=result,  # type: ignore[arg-type]
                client_id=client_id if ok else None,
                name=name if ok else None,
                second_factor=factor if ok else None,  # type: ignore[arg-type]
                email_masked=EMAIL if ok and factor == "email" else None,
                locked_until=self.now + timedelta(minutes=15) if result == "locked" else None,
            )
        )

    def second_factor_checked(
        self, result: str = "ok", client_id: str = CLIENT, *, email_masked: str | None = None
    ) -> list[Message]:
        return self.receives(
            SecondFactorChecked(
                **self._internal(),
                result=result,  # type: ignore[arg-type]
                client_id=client_id,
                email_masked=email_masked,
            )
        )

    def client_data(
        self, what: str, items: tuple[tuple[tuple[str, str], ...], ...], key: str | None = None
    ) -> list[Message]:
        return self.receives(
            ClientDataFetched(**self._internal(), what=what, key=key, items=items)  # type: ignore[arg-type]
        )

    def answer(self, *items: dict[str, str]) -> list[Message]:
        """The systems answer the last FetchClientData with these items."""
        fetch = self.of(FetchClientData)[-1]
        return self.client_data(fetch.what, rows(*items), fetch.key)

    def data_unavailable(self, what: str) -> list[Message]:
        return self.receives(ClientDataUnavailable(**self._internal(), what=what, reason="timeout"))

    def access_link(
        self, url: str, *, kind: str = "cpanel", demo: bool = False, at: datetime | None = None
    ) -> list[Message]:
        expires = at or self.now + timedelta(minutes=10)
        return self.receives(
            AccessLinkReady(
                **self._internal(), url=url, expires_at=expires, kind_of_access=kind, demo=demo
            )
        )

    def ticket_opened(self, number: str) -> list[Message]:
        return self.receives(TicketOpened(**self._internal(), number=number))

    def ticket_replied(self, ticket_id: str) -> list[Message]:
        return self.receives(TicketReplied(**self._internal(), ticket_id=ticket_id))

    # ---- what was done ----------------------------------------------------------------------
    def of(self, kind: type[C]) -> list[C]:
        return [c for c in self.commands if isinstance(c, kind)]

    def last_of(self, kind: type[C]) -> list[C]:
        assert self.last is not None
        return [c for c in self.last.commands if isinstance(c, kind)]

    @property
    def state(self) -> str:
        return self.place.removeprefix("client_area.")

    # ---- shortcuts --------------------------------------------------------------------------
    def opens_the_area(self) -> None:
        self.says("oi")
        self.taps("Área do Cliente")
        assert self.place == "client_area.start", self.bot_said()

    def logs_in(self, document: str = CPF, *, factor: str = "totp") -> None:
        self.opens_the_area()
        self.answers_the_login(document, factor=factor)
        assert self.place == "client_area.home", self.bot_said()

    def answers_the_login(self, document: str = CPF, *, factor: str = "totp") -> None:
        """The document, the password and the code, asked for at `client_area.start`."""
        self.sends_document(document)
        self.says(PASSWORD)
        self.login_checked("ok", factor=factor)
        self.says(CODE)
        self.second_factor_checked("ok")


# ---- data as the systems send it ------------------------------------------------------------


def service(n: int, *, reseller: bool = False, mailboxes: str = "") -> dict[str, str]:
    item = {
        "id": f"s{n}",
        "product": "Hospedagem Plus" if not reseller else "Revenda Pro",
        "domain": f"site{n}.com.br",
        "status": "Ativo",
        "next_due": "10/12/2026",
        "username": f"site{n}",
        "reseller": "sim" if reseller else "não",
    }
    if mailboxes:
        item["mailboxes"] = mailboxes
    return item


def services(count: int) -> tuple[dict[str, str], ...]:
    return tuple(service(n) for n in range(1, count + 1))


DOMAINS = (
    {
        "id": "d1",
        "name": "boamassa.com.br",
        "status": "Ativo",
        "expires": "15/03/2027",
        "nameservers": "ns1.dresbach.com.br,ns2.dresbach.com.br",
    },
    {
        "id": "d2",
        "name": "padariaboamassa.com",
        "status": "Ativo",
        "expires": "02/08/2027",
        "nameservers": "ns1.dresbach.com.br,ns2.dresbach.com.br",
    },
)


def dns_records(count: int) -> tuple[dict[str, str], ...]:
    kinds = ("A", "AAAA", "CNAME", "MX", "TXT")
    values = {
        "A": "203.0.113.10",
        "AAAA": "2001:db8::10",
        "CNAME": "boamassa.com.br.",
        "MX": "mail.boamassa.com.br.",
        "TXT": "v=spf1 +a +mx ~all",
    }
    found = []
    for n in range(count):
        kind = kinds[n % len(kinds)]
        record = {"name": f"r{n}.boamassa.com.br.", "type": kind, "value": values[kind]}
        record["ttl"] = "14400"
        if kind == "MX":
            record["priority"] = "10"
        found.append(record)
    return tuple(found)


TICKETS = (
    {
        "id": "t1",
        "number": "482913",
        "subject": "Site fora do ar",
        "status": "Respondido",
        "department": "Suporte técnico",
        "updated": "24/11/2026, às 18h02",
    },
    {
        "id": "t2",
        "number": "482977",
        "subject": "Dúvida sobre e-mail",
        "status": "Aberto",
        "department": "Suporte técnico",
        "updated": "25/11/2026, às 9h40",
    },
)

DEPARTMENTS = ({"id": "1", "name": "Suporte técnico"}, {"id": "2", "name": "Financeiro"})

INVOICES = (
    {
        "id": "500",
        "number": "2026-0500",
        "issued": "01/11/2026",
        "due": "10/11/2026",
        "total": "R$ 59,90",
        "status": "Paga",
    },
    {
        "id": "512",
        "number": "2026-0512",
        "issued": "01/12/2026",
        "due": "10/12/2026",
        "total": "R$ 59,90",
        "status": "Em aberto",
    },
)

PDF = "https://cliente.dresbach.com.br/dl.php?type=i&id=512"
