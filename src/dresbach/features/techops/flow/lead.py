"""The lead of the funnel: where its answers and its charge live in the conversation's slots,
and the `RecordLead` commands that save it whenever its status changes.

Slot values are JSON-able (strings, booleans, None); every key starts with ``techops.``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from dresbach.features.techops.model import PaidDiagnosis
from dresbach.kernel.commands import RecordLead
from dresbach.kernel.documents import Document, DocumentError
from dresbach.kernel.flow_kit import event_key
from dresbach.kernel.machine.machine import Turn
from dresbach.kernel.policy import Policy

PREFIX = "techops."

LEAD_ID = "techops.lead_id"
STATUS = "techops.status"
RECORDED = "techops.recorded"
"""The answers last saved with RecordLead, to save again only when they changed."""

AREA = "techops.area"
DESCRIPTION = "techops.description"
COMPANY = "techops.company"
SIZE = "techops.size"
URGENCY = "techops.urgency"
EMAIL = "techops.email"
NAME = "techops.name"
CNPJ = "secret.techops.cnpj"
"""The optional CNPJ: a `secret.` slot, sealed at rest by the runtime; recorded masked."""
ANSWERS = (AREA, DESCRIPTION, COMPANY, SIZE, URGENCY, EMAIL, NAME, CNPJ)

EMAIL_DOUBT = "techops.email_doubt"
"""An address that looked mistyped: sent again as it is, it is accepted."""
FIXING = "techops.fixing"
"""The customer is correcting one answer from the summary: the next answer returns there."""
FEE = "techops.fee"
"""The diagnosis fee of the chosen area (a plain decimal string), for the guard."""
OFFERED = "techops.offered"
"""The customer has seen the offer, and so the fee."""

CHARGE = "techops.charge"
"""The Pix: None, "requested", "open", "expired" or "paid"."""
TXID = "techops.txid"
CODE = "techops.code"
AMOUNT = "techops.amount"
EXPIRES_AT = "techops.expires_at"
ORDER = "techops.pix_order"
"""The txid of the charge sent as a native Pix order card: its news goes as `order_status`."""
REMINDED = "techops.reminded"
"""The txid of the charge already reminded of, so a reminder is sent once."""

OFFERED_SLOTS = "techops.offered_slots"
"""The slot ids on the list last shown."""
OFFERED_AT = "techops.offered_at"
"""When that list was found (ISO-8601): slots inside the change window say so."""
PENDING_SLOT = "techops.pending_slot"
BOOKING = "techops.booking_id"
BOOKED_SLOT = "techops.booked_slot"
REPLACES = "techops.replaces"
"""The booking a reschedule gives up once the new one is saved."""
BOOKED_AT = "techops.booked_at"
"""When the current booking was confirmed (ISO-8601): a late booking's grace period counts
from it."""
MEETING_URL = "techops.meeting_url"
"""The booking's own link (from the calendar, or set by an operator); empty: none yet."""

ALL = (
    LEAD_ID,
    STATUS,
    RECORDED,
    *ANSWERS,
    EMAIL_DOUBT,
    FIXING,
    FEE,
    OFFERED,
    CHARGE,
    TXID,
    CODE,
    AMOUNT,
    EXPIRES_AT,
    REMINDED,
    OFFERED_SLOTS,
    OFFERED_AT,
    PENDING_SLOT,
    BOOKING,
    BOOKED_SLOT,
    REPLACES,
    BOOKED_AT,
    MEETING_URL,
)


def cleared() -> dict[str, Any]:
    """Slots that forget the whole funnel (the lead itself is saved outside)."""
    return dict.fromkeys(ALL)


def field_of(key: str) -> str:
    """The field name of an answer's slot: ``techops.email`` → ``email``."""
    return key.rsplit(".", 1)[-1]


def answers(slots: Mapping[str, Any]) -> dict[str, str]:
    """The answers given so far, as strings keyed by field name (``area``, ``email``…). The
    CNPJ is kept masked: a CPF/CNPJ is never stored in clear."""
    found = {}
    for key in ANSWERS:
        value = slots.get(key)
        if value not in (None, ""):
            found[field_of(key)] = masked_cnpj(str(value)) if key == CNPJ else str(value)
    return found


def masked_cnpj(value: str) -> str:
    try:
        return Document(kind="cnpj", value=value).masked
    except DocumentError:
        return "**.***.***/****-**"


def record(
    turn: Turn, status: str, *, lost_reason: str | None = None
) -> tuple[RecordLead, dict[str, Any]]:
    """The RecordLead for a new status (with the answers given so far), and the slots that
    remember it. Its id derives from the event, so a redelivered event records nothing twice.
    Once the diagnosis is paid the answers are settled: a later status keeps the saved ones
    (the conversation may hold only what `restored` brought back from the records)."""
    given = answers(turn.slots)
    settled = turn.slots.get(CHARGE) == "paid"
    document = turn.slots.get(CNPJ)
    command = RecordLead(
        command_id=f"{event_key(turn.event)}:lead:{status}",
        lead_id=str(turn.slots.get(LEAD_ID) or f"lead-{event_key(turn.event)}"),
        status=status,
        answers=None if settled else MappingProxyType(dict(given)),
        lost_reason=lost_reason,
        document=None if settled or not document else str(document),
    )
    return command, {STATUS: status, RECORDED: given}


def restored(diagnosis: PaidDiagnosis) -> dict[str, Any]:
    """Slots that bring a paid diagnosis back from the records (`Conversation.owned`) into the
    funnel, replacing whatever the conversation held: the lead, its payment and its meeting."""
    return {
        **cleared(),
        LEAD_ID: diagnosis.lead_id,
        STATUS: "scheduled" if diagnosis.booked else "paid",
        AREA: diagnosis.area,
        NAME: diagnosis.name or None,
        EMAIL: diagnosis.email or None,
        FEE: diagnosis.amount,
        OFFERED: True,
        CHARGE: "paid",
        TXID: diagnosis.txid,
        AMOUNT: diagnosis.amount,
        BOOKING: diagnosis.booking_id,
        BOOKED_SLOT: diagnosis.slot_id,
    }


def fee_of(policy: Policy, area: str | None) -> Decimal | None:
    """The diagnosis fee of an area, or None when no (known) area was chosen."""
    if area is None:
        return None
    return policy.diagnosis_fees.get(area)
