"""The Pix: waiting for the charge, showing it, waiting for the payment, reminders, expiry, the
receipt. The events here are internal (results of side effects and timers); their `kind` is the
table key. `paid` is reached only through a `payment_confirmed` edge.

Every state of the flow has a rule for each payment event (`rules_for`), so that late news is
never answered with the router's "não entendi"; only the waiting states act on it.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from dresbach.features.scheduling.model import FindSlots
from dresbach.features.techops.diagnosis.texts import PAYMENT_CONFIRMED, PIX_EXPIRING
from dresbach.features.techops.flow import lead
from dresbach.features.techops.flow.labels import MEDIA_NAMES
from dresbach.features.techops.flow.texts import TEXTS
from dresbach.features.techops.model import paid_diagnoses
from dresbach.features.techops.states import TechOps
from dresbach.kernel.commands import EmailReceipt, QueueReceiptReview
from dresbach.kernel.events import (
    ChargeExpired,
    ChargeExpiring,
    MediaReceived,
    PaymentConfirmed,
    PaymentRejected,
    PixChargeCreated,
)
from dresbach.kernel.flow_kit import event_key
from dresbach.kernel.hours import SAO_PAULO, at_clock, clock
from dresbach.kernel.machine.machine import Outcome, Rule, Turn
from dresbach.kernel.messages import Image, Message, OrderStatus, PixOrder, Text
from dresbach.kernel.money import format_brl

WAITING = frozenset({TechOps.CREATING_CHARGE, TechOps.AWAITING_PAYMENT})
"""The states that wait for the Pix: the charge's news is shown there."""
AFTER_PAYMENT = frozenset(
    {
        TechOps.PAID,
        TechOps.FINDING_SLOTS,
        TechOps.CHOOSING_SLOT,
        TechOps.BOOKING_SLOT,
        TechOps.BOOKED,
        TechOps.CONFIRM_CANCEL,
        TechOps.CANCELLING,
        TechOps.CANCELLED,
        TechOps.NO_SLOTS,
        TechOps.SCHEDULE_FAILED,
        TechOps.UNSCHEDULED,
        TechOps.CANCEL_MEETING,
    }
)
"""The states of a paid diagnosis: another payment confirmed there gets its own receipt."""

INTERNAL = (
    "charge_created",
    "charge_failed",
    "payment_confirmed",
    "payment_rejected",
    "charge_expiring",
    "charge_expired",
)


def local(moment: datetime) -> datetime:
    return moment.astimezone(SAO_PAULO)


def brl(amount: str | None) -> str | None:
    try:
        return format_brl(Decimal(amount)) if amount else None
    except InvalidOperation:
        return None


def _silent() -> Outcome:
    return Outcome(prompt=False)


def _say(text: str) -> Outcome:
    return Outcome(say=(Text(body=text),), prompt=False)


# -- the charge ---------------------------------------------------------------------------------


def _created(turn: Turn) -> Outcome:
    event = turn.event
    assert isinstance(event, PixChargeCreated)
    if event.txid == turn.slots.get(lead.TXID):
        return _silent()  # the same news twice
    changes = {
        lead.CHARGE: "open",
        lead.TXID: event.txid,
        lead.CODE: event.copia_e_cola,
        lead.AMOUNT: event.amount,
        lead.EXPIRES_AT: event.expires_at.isoformat(),
        lead.REMINDED: None,
    }
    say: tuple[Message, ...] = (Text(body=event.copia_e_cola),)
    if event.qr_media_ref:
        say = (Image(upload_ref=event.qr_media_ref, caption=TEXTS["qr_caption"]), *say)
    cents = _cents(event.amount)
    if event.payee is not None and cents is not None:  # the native card; today's if refused
        order = PixOrder(
            body=TEXTS["pix_order"],
            reference_id=event.txid,
            item_id="diagnostico",
            item_name=TEXTS["pix_order_item"],
            amount_cents=cents,
            code=event.copia_e_cola,
            payee=event.payee,
            fallback=say,
        )
        say, changes = (order,), {**changes, lead.ORDER: event.txid}
    return Outcome(goto=TechOps.AWAITING_PAYMENT, say=say, slots=changes, merge=False)


def _cents(amount: str) -> int | None:
    try:
        cents = Decimal(amount) * 100
    except InvalidOperation:
        return None
    return int(cents) if cents == cents.to_integral_value() and cents > 0 else None


def _order_news(
    turn: Turn, txid: str, status: str, body: str, fallback: tuple[Message, ...]
) -> tuple[Message, ...]:
    """The news of a charge: an `order_status` when it went as a native order card (with what
    goes today as its fallback), else today's messages."""
    if turn.slots.get(lead.ORDER) != txid:
        return fallback
    description = TEXTS["pix_order_paid" if status == "completed" else "pix_order_expired_status"]
    news = OrderStatus(
        body=body, reference_id=txid, status=status, description=description, fallback=fallback
    )
    return (news,)


def _failed(turn: Turn) -> Outcome:
    if turn.slots.get(lead.CHARGE) != "requested":
        return _silent()
    return Outcome(
        goto=TechOps.OFFER,
        say=(Text(body=TEXTS["charge_failed"]),),
        slots={lead.CHARGE: None},
        reset_trail=True,
    )


def receipt_message(event: PaymentConfirmed) -> Text:
    """The receipt; a template replaces it when the 24 h window has closed."""
    amount = brl(event.amount) or event.amount
    when = local(event.paid_at)
    body = TEXTS["receipt"].format(
        amount=amount, txid=event.txid, date=f"{when:%d/%m/%Y}", at_time=at_clock(when)
    )
    return Text(body=body, fallback=PAYMENT_CONFIRMED.message(amount, event.txid))


def _confirmed(turn: Turn) -> Outcome:
    """Paid (whichever of this lead's charges it was): the receipt, the lead paid, `paid`."""
    event = turn.event
    assert isinstance(event, PaymentConfirmed)
    receipt = receipt_message(event)
    say = _order_news(turn, event.txid, "completed", receipt.body, (receipt,))
    command, remembered = lead.record(turn, "paid")
    changes = {**remembered, lead.CHARGE: "paid", lead.TXID: event.txid}
    return Outcome(
        goto=TechOps.PAID,
        say=say,
        slots=changes,
        commands=(command, _find_slots(turn), _email_receipt(turn, event)),
        merge=False,
        reset_trail=True,
    )


def _email_receipt(turn: Turn, event: PaymentConfirmed) -> EmailReceipt:
    """The receipt by e-mail too, as the e-mail question promised."""
    return EmailReceipt(
        command_id=f"{event_key(turn.event)}:receipt_mail",
        txid=event.txid,
        lead_id=event.lead_id or str(turn.slots.get(lead.LEAD_ID) or "") or None,
    )


def _find_slots(turn: Turn) -> FindSlots:
    """Paid: straight on to the calendar, no back and forth."""
    return FindSlots(
        command_id=f"{event_key(turn.event)}:slots",
        lead_id=str(turn.slots.get(lead.LEAD_ID) or ""),
    )


def _rejected(turn: Turn) -> Outcome:
    event = turn.event
    assert isinstance(event, PaymentRejected)
    if turn.slots.get(lead.CHARGE) == "paid" or not turn.slots.get(lead.TXID):
        return _silent()
    reason = teams_words(event.reason)
    rejected = (
        TEXTS["payment_rejected"].format(reason=reason)
        if reason
        else TEXTS["payment_rejected_plain"]
    )
    return _say(f"{rejected}\n\n{TEXTS['payment_rejected_next']}")


_QUOTES = "\"'“”‘’«»"
_ENDINGS = (".", "!", "?", "…")


def teams_words(reason: str) -> str:
    """The operator's reason as the customer reads it between quotes: the quotes the operator
    may have typed dropped, a capital first letter, and a full stop only when the sentence has
    no ending of its own (no "?." after a question)."""
    words = " ".join(reason.split()).strip(_QUOTES).strip()
    if not words:
        return ""
    words = words[0].upper() + words[1:]
    return words if words.endswith(_ENDINGS) else f"{words}."


def _expiring(turn: Turn) -> Outcome:
    event = turn.event
    assert isinstance(event, ChargeExpiring)
    slots = turn.slots
    current = event.txid == slots.get(lead.TXID) and slots.get(lead.CHARGE) == "open"
    if not current or slots.get(lead.REMINDED) == event.txid:
        return _silent()
    expires = local(event.expires_at)
    time = clock(expires)
    text = Text(
        body=TEXTS["reminder"].format(at_time=at_clock(expires)),
        fallback=PIX_EXPIRING.message(time),
    )
    return Outcome(say=(text,), slots={lead.REMINDED: event.txid}, prompt=False)


def _expired(turn: Turn) -> Outcome:
    """The open charge expired: the lead is lost (expired) until the customer asks again."""
    event = turn.event
    assert isinstance(event, ChargeExpired)
    slots = turn.slots
    if event.txid != slots.get(lead.TXID) or slots.get(lead.CHARGE) != "open":
        return _silent()
    command, remembered = lead.record(turn, "lost", lost_reason="expired")
    changes = {**remembered, lead.CHARGE: "expired"}
    say = _order_news(turn, event.txid, "canceled", TEXTS["pix_order_expired"], ())
    return Outcome(
        goto=TechOps.EXPIRED, say=say, slots=changes, commands=(command,), reset_trail=True
    )


def receipt(turn: Turn) -> Outcome:
    """An image or a PDF while a Pix is open (or just expired): keep it for an operator."""
    event = turn.event
    assert isinstance(event, MediaReceived)
    txid = turn.slots.get(lead.TXID)
    if turn.slots.get(lead.CHARGE) == "paid":
        return _say(TEXTS["no_receipt_needed"])
    if not txid:
        return _say(TEXTS["still_creating"])
    if event.media_kind not in ("image", "document"):
        what = MEDIA_NAMES.get(event.media_kind, "a sua mensagem")
        return _say(TEXTS["receipt_kind"].format(what=what))
    command = QueueReceiptReview(
        command_id=f"{event.message_id}:receipt",
        txid=txid,
        media_id=event.media_id,
        mime_type=event.mime_type,
        filename=event.filename,
    )
    return Outcome(say=(Text(body=TEXTS["receipt_stored"]),), commands=(command,), prompt=False)


def _again(turn: Turn) -> Outcome:
    """In `paid`: the same confirmation twice says nothing; another payment gets its receipt."""
    event = turn.event
    assert isinstance(event, PaymentConfirmed)
    if event.txid == turn.slots.get(lead.TXID):
        return _silent()
    return Outcome(say=(receipt_message(event),), prompt=False)


def _ignored(_turn: Turn) -> Outcome:
    return _silent()


def rules_for(state: str) -> dict[str, Rule]:
    """The payment events as `state` handles them, with the edges they may take from there.
    Outside the waiting states the news of a charge is kept quiet (never the router's "não
    entendi"), except a payment confirmed: that is always told. The trail is reset on the way
    into the Pix, so `voltar` cannot lead back into the qualification while a Pix is open."""
    ignored = {kind: Rule(handler=_ignored) for kind in INTERNAL}
    if state in WAITING:
        waiting = {
            **ignored,
            "payment_confirmed": Rule(handler=_confirmed, goes_to=(TechOps.PAID,)),
            "payment_rejected": Rule(handler=_rejected),
            "charge_expiring": Rule(handler=_expiring),
            "charge_expired": Rule(handler=_expired, goes_to=(TechOps.EXPIRED,)),
            "media": Rule(handler=receipt),
        }
        if state == TechOps.CREATING_CHARGE:
            waiting["charge_created"] = Rule(handler=_created, goes_to=(TechOps.AWAITING_PAYMENT,))
            waiting["charge_failed"] = Rule(handler=_failed, goes_to=(TechOps.OFFER,))
        return waiting
    if state == TechOps.EXPIRED:  # a receipt under review may still confirm the expired Pix
        return {
            **ignored,
            "payment_confirmed": Rule(handler=_confirmed, goes_to=(TechOps.PAID,)),
            "payment_rejected": Rule(handler=_rejected),
            "media": Rule(handler=receipt),
        }
    if state == TechOps.PAID:
        return {
            **ignored,
            "payment_confirmed": Rule(handler=_again),
            "media": Rule(handler=receipt),
        }
    if state in AFTER_PAYMENT:
        return {**ignored, "payment_confirmed": Rule(handler=_again)}
    # Before the offer's Pix (a new qualification, the offer): an earlier Pix paid late is this
    # customer's diagnosis, shown at once, rather than news kept quiet.
    confirmed = Rule(handler=confirmed_elsewhere, goes_to=(TechOps.PAID.qualified,))
    return {**ignored, "payment_confirmed": confirmed}


def confirmed_elsewhere(turn: Turn) -> Outcome:
    """A payment confirmed after the customer left the flow (typed `menu`, went to the client
    area, started another qualification): the receipt still reaches them, and the conversation
    rests in `paid` with that lead, as the records have it. The lead is marked paid by the
    runtime with the payment itself."""
    event = turn.event
    assert isinstance(event, PaymentConfirmed)
    lead_id = event.lead_id or turn.slots.get(lead.LEAD_ID)
    owned = paid_diagnoses(turn.conversation)
    known = next((d for d in owned if d.lead_id == lead_id), None)
    slots = (
        lead.restored(known)
        if known is not None
        else {
            lead.CHARGE: "paid",
            lead.TXID: event.txid,
            lead.FEE: event.amount,
            lead.OFFERED: True,
            lead.LEAD_ID: lead_id,
        }
    )
    find = FindSlots(command_id=f"{event_key(turn.event)}:slots", lead_id=str(lead_id or ""))
    return Outcome(
        goto=TechOps.PAID.qualified,
        say=(receipt_message(event),),
        slots=slots,
        commands=(find, _email_receipt(turn, event)),
        merge=False,
        reset_trail=True,
    )


INTERRUPTS = {
    "payment_confirmed": Rule(
        handler=confirmed_elsewhere, goes_to=(TechOps.PAID.qualified,), label="payment_confirmed"
    )
}
