"""The Consultoria Tech Ops' state names, checked by the language (`kernel.machine.states`)."""

from __future__ import annotations

from dresbach.kernel.machine.states import OtherFlows, States


class TechOps(States, flow="techops"):
    """The Consultoria Tech Ops' states (qualification, offer, Pix, scheduling)."""

    START = "start"
    DESCRIPTION = "description"
    COMPANY = "company"
    SIZE = "size"
    URGENCY = "urgency"
    EMAIL = "email"
    NAME_CONFIRM = "name_confirm"
    NAME = "name"
    CNPJ_CHOICE = "cnpj_choice"
    CNPJ = "cnpj"
    SUMMARY = "summary"
    FIX = "fix"
    OFFER = "offer"
    CREATING_CHARGE = "creating_charge"
    AWAITING_PAYMENT = "awaiting_payment"
    EXPIRED = "expired"
    PAID = "paid"
    FINDING_SLOTS = "finding_slots"
    CHOOSING_SLOT = "choosing_slot"
    BOOKING_SLOT = "booking_slot"
    BOOKED = "booked"
    CONFIRM_CANCEL = "confirm_cancel"
    CANCELLING = "cancelling"
    CANCELLED = "cancelled"
    NO_SLOTS = "no_slots"
    SCHEDULE_FAILED = "schedule_failed"
    MINE = "mine"
    UNSCHEDULED = "unscheduled"
    CANCEL_MEETING = "cancel_meeting"


class Elsewhere(OtherFlows):
    """Where the Consultoria Tech Ops leads outside itself."""

    HANDOFF_START = "handoff.start"
    MENU_MAIN = "menu.main"
