"""Tech Ops transcripts: the user says, the bot says, and the payment system reports.

`TechOpsTranscript` adds to `Transcript`:
- internal events (`charge_created`, `payment_confirmed`, `charge_expiring`…), as the workers
  would deliver them;
- every command the core produced, in order (`commands`, `of(RecordLead)`);
- the runtime's last check on every reply: the guards of the flows the conversation was in and
  went to (as `runtime.unit_of_work._checked` does), which must all let it through;
- `walk_to_summary` / `walk_to_offer`, to start a test where it matters;
- what the records say the customer owns (`Conversation.owned`), kept as the runtime keeps it:
  a payment confirmed makes a paid diagnosis, a booking gives it its meeting, a cancellation
  takes it away, and a meeting that ended is no longer owned. Like the unit of work, each step
  sees it as it stands before the event is taken in.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, TypeVar

from dresbach.features.registry import MACHINE
from dresbach.features.scheduling.model import BookingCancelled, Slot, SlotBooked
from dresbach.kernel.commands import Command
from dresbach.kernel.events import (
    ChargeExpired,
    ChargeExpiring,
    ChargeFailed,
    Event,
    InternalEvent,
    MediaReceived,
    PaymentConfirmed,
    PaymentRejected,
    PixChargeCreated,
)
from dresbach.kernel.messages import Message
from tests.support.transcript import Transcript

C = TypeVar("C", bound=Command)

CODE = (
    "00020101021226830014br.gov.bcb.pix2561pix.example.com/qr/v2/cobv/9d36b84f"
    "c70b478fb95c12729b90ca2552040000530398654071800.005802BR5915DRESBACH HOSTING"
    "6009SAO PAULO62070503***6304ABCD"
)


@dataclass
class TechOpsTranscript(Transcript):
    commands: list[Command] = field(default_factory=list)
    txid: str | None = None
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    """lead id -> what the runtime's tables hold about its paid diagnosis."""
    charges: dict[str, dict[str, Any]] = field(default_factory=dict)
    """txid -> the lead the charge is for, with its answers (the payments and leads rows)."""
    _event_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def _send(self, event: Event) -> list[Message]:  # type: ignore[override]
        self._keep_records(event)
        if self.records:  # what the unit of work would load from the records for this step
            self.conversation = replace(self.conversation, owned=self.owned())  # type: ignore[arg-type, call-arg]
        before = self.conversation
        assert before is not None
        replies = super()._send(event)  # type: ignore[arg-type]
        assert self.last is not None
        assert self.conversation is not None
        self.commands.extend(self.last.commands)
        for conversation in (before, self.conversation):
            flow = MACHINE.flows.get(conversation.place.flow)
            if flow is None or flow.guard is None:
                continue
            for message in replies:
                refused = flow.guard(conversation, message)
                assert refused is None, f"{refused}: {message!r}"
        return replies

    # ---- the records ---------------------------------------------------------------------------
    def _keep_records(self, event: Event) -> None:
        """What the runtime writes before it tells the conversation (same transaction)."""
        assert self.conversation is not None
        slots = self.conversation.slots
        if isinstance(event, PixChargeCreated):
            self.charges[event.txid] = {
                "lead_id": str(slots.get("techops.lead_id")),
                "area": slots.get("techops.area"),
                "name": slots.get("techops.name") or "",
                "email": slots.get("techops.email") or "",
            }
        elif isinstance(event, PaymentConfirmed):
            charge = self.charges.get(event.txid) or {
                "lead_id": event.lead_id or str(slots.get("techops.lead_id")),
                "area": slots.get("techops.area"),
                "name": slots.get("techops.name") or "",
                "email": slots.get("techops.email") or "",
            }
            self.records[charge["lead_id"]] = {
                **charge,
                "amount": event.amount,
                "txid": event.txid,
                "booking_id": None,
                "slot_id": None,
            }
        elif isinstance(event, SlotBooked):
            record = self.records.get(str(slots.get("techops.lead_id")))
            if record is not None:
                record.update(booking_id=event.booking_id, slot_id=event.slot_id)
        elif isinstance(event, BookingCancelled):
            for record in self.records.values():
                if record["booking_id"] == event.booking_id:
                    record.update(booking_id=None, slot_id=None)

    def owned(self) -> tuple[Any, ...]:
        """The paid diagnoses still to be held, as `runtime.holdings.owned_by` reads them."""
        from dresbach.features.techops.model import PaidDiagnosis

        meeting = self.policy.scheduling.meeting
        booked, to_book = [], []
        for record in reversed(self.records.values()):  # the latest paid first
            slot_id = record["slot_id"]
            if slot_id is None:
                to_book.append(PaidDiagnosis(**record))
            elif Slot.from_id(slot_id, meeting).end > self.now:
                booked.append(PaidDiagnosis(**record))
        return (*sorted(booked, key=lambda d: d.slot_id), *to_book)

    # ---- the payment system -----------------------------------------------------------------
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

    def charge_created(
        self,
        txid: str = "DRB0000000000000000000000000001",
        amount: str = "1800.00",
        *,
        qr: bool = True,
        minutes: int = 60,
    ) -> list[Message]:
        self.txid = txid
        return self.receives(
            PixChargeCreated(
                **self._internal(),
                txid=txid,
                amount=amount,
                copia_e_cola=CODE,
                expires_at=self.now + timedelta(minutes=minutes),
                qr_media_ref=f"qr-{txid}" if qr else None,
            )
        )

    def charge_failed(self) -> list[Message]:
        return self.receives(ChargeFailed(**self._internal(), reason="timeout"))

    def payment_confirmed(
        self, amount: str = "1800.00", *, txid: str | None = None, at: datetime | None = None
    ) -> list[Message]:
        paid = txid or self.txid or "DRB-unknown"
        return self.receives(
            PaymentConfirmed(
                **self._internal(),
                txid=paid,
                amount=amount,
                paid_at=at or self.now,
                confirmed_by="bcb",
                lead_id=(self.charges.get(paid) or {}).get("lead_id", ""),
            )
        )

    def payment_rejected(self, reason: str) -> list[Message]:
        assert self.txid is not None
        return self.receives(PaymentRejected(**self._internal(), txid=self.txid, reason=reason))

    def charge_expiring(self, *, txid: str | None = None) -> list[Message]:
        txid = txid or self.txid
        assert txid is not None
        expires_at = self.now + timedelta(minutes=15)
        return self.receives(ChargeExpiring(**self._internal(), txid=txid, expires_at=expires_at))

    def charge_expired(self, *, txid: str | None = None) -> list[Message]:
        txid = txid or self.txid
        assert txid is not None
        return self.receives(ChargeExpired(**self._internal(), txid=txid))

    # ---- the user, once more ---------------------------------------------------------------
    def sends_file(
        self, kind: str, mime_type: str, *, filename: str | None = None, media_id: str = "m-1"
    ) -> list[Message]:
        self.said.append(("user", f"[{kind}]"))
        return self._send(
            MediaReceived(
                **self._base(),  # type: ignore[arg-type]
                media_kind=kind,
                media_id=media_id,
                mime_type=mime_type,
                filename=filename,
            )
        )

    # ---- what was done ----------------------------------------------------------------------
    def of(self, kind: type[C]) -> list[C]:
        return [c for c in self.commands if isinstance(c, kind)]

    def last_of(self, kind: type[C]) -> list[C]:
        assert self.last is not None
        return [c for c in self.last.commands if isinstance(c, kind)]

    # ---- shortcuts --------------------------------------------------------------------------
    def walk_to_summary(
        self, area: str = "Segurança da informação", *, cnpj: str | None = None
    ) -> None:
        self.says("oi")
        self.taps("Consultoria Tech Ops")
        self.taps(area)
        self.says("Sofremos um ataque de ransomware e os backups falharam.")
        self.says("Padaria Boa Massa")
        self.taps("De 10 a 49 pessoas")
        self.taps("É urgente")
        self.says("maria@boamassa.com.br")
        self.taps("Sim, pode ser")
        if cnpj is None:
            self.taps("Pular")
        else:
            self.taps("Informar CNPJ")
            self.says(cnpj)
        assert self.place == "techops.summary", self.bot_said()

    def walk_to_offer(self, area: str = "Segurança da informação") -> None:
        self.walk_to_summary(area)
        self.taps("Está tudo certo")
        assert self.place == "techops.offer", self.bot_said()

    def walk_to_pix(self, area: str = "Segurança da informação", amount: str = "1800.00") -> None:
        self.walk_to_offer(area)
        self.taps("Pagar e agendar")
        self.charge_created(amount=amount)
        assert self.place == "techops.awaiting_payment", self.bot_said()


def at(state: str, **kwargs: object) -> TechOpsTranscript:
    """A conversation standing at one question of the funnel (up to the summary and `fix`)."""
    chat = TechOpsTranscript(**kwargs)  # type: ignore[arg-type]
    name = ("taps", "Usar outro nome") if state == "name" else ("taps", "Sim, pode ser")
    steps = [
        ("says", "oi"),
        ("taps", "Consultoria Tech Ops"),
        ("taps", "Segurança da informação"),
        ("says", "Sofremos um ataque de ransomware e os backups falharam."),
        ("says", "Padaria Boa Massa"),
        ("taps", "De 10 a 49 pessoas"),
        ("taps", "É urgente"),
        ("says", "maria@boamassa.com.br"),
        name,
        ("taps", "Informar CNPJ"),
        ("says", "12.ABC.345/01DE-35"),
        ("taps", "Corrigir"),
    ]
    for action, value in steps:
        if chat.place == f"techops.{state}":
            return chat
        getattr(chat, action)(value)
    assert chat.place == f"techops.{state}", chat.place
    return chat
