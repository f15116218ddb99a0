"""What a customer owns outside any one conversation: the paid Tech Ops diagnoses still to be
held. The records (payments, leads, bookings) are the truth, not the conversation's slots: the
unit of work reads this summary from them at every step and hands it to the core with the
conversation (`Conversation.owned`), so that what was paid survives `menu`, `cancelar`, an
operator's hand-back or a conversation that timed out, and is never charged twice."""

from __future__ import annotations

from dataclasses import dataclass

from dresbach.kernel.conversation import Conversation


@dataclass(frozen=True, slots=True, kw_only=True)
class PaidDiagnosis:
    """A diagnosis paid for, whose meeting has not happened yet (booked or still to book)."""

    lead_id: str
    area: str | None
    """The Tech Ops area (`technical`, `security`…), None when the lead's answers are gone."""
    amount: str
    """The fee charged, a plain decimal string."""
    txid: str
    name: str = ""
    email: str = ""
    booking_id: str | None = None
    slot_id: str | None = None
    """The booked meeting's slot (a `Slot` id), when one is booked and still to come."""

    @property
    def booked(self) -> bool:
        return self.booking_id is not None and self.slot_id is not None


def paid_diagnoses(conversation: Conversation) -> tuple[PaidDiagnosis, ...]:
    """The paid diagnoses among what the customer owns (`Conversation.owned`, where the kernel
    knows them only as holdings)."""
    return tuple(held for held in conversation.owned if isinstance(held, PaidDiagnosis))
