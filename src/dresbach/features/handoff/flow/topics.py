"""Why a person was asked for, read from where the conversation stood: the topic that routes
the hand-off to a team (`teams.topics`). Pure: the place and the slots in, a topic out.

- `billing`: invoices, a charge or a Pix still to be paid;
- `support`: the Área do Cliente's services, accesses, domains and tickets, and anything else;
- `meeting`: a paid diagnosis, its slots and the Tech Ops meeting;
- `sales`: the Tech Ops funnel before the payment;
- `privacy`: the LGPD requests.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from dresbach.kernel.conversation import Place

TOPICS = ("billing", "support", "meeting", "sales", "privacy")
TOPICS_PT = MappingProxyType(
    {
        "billing": "faturas e pagamentos",
        "support": "suporte técnico",
        "meeting": "reuniões de consultoria",
        "sales": "vendas",
        "privacy": "privacidade (LGPD)",
    }
)

_CLIENT_AREA_BILLING = frozenset({"invoices", "invoice"})
_TECHOPS_BILLING = frozenset({"creating_charge", "awaiting_payment", "expired"})
_TECHOPS_MEETING = frozenset({"paid", "finding_slots", "choosing_slot"})
RESUME_CLIENT_AREA = "resume.client_area"
"""The section the customer asked for before the login (kept by the Área do Cliente)."""


def topic_of(reason: str, place: Place, slots: Mapping[str, object]) -> str:
    """The topic of a hand-off asked from `place` (for `reason` "consultant": a meeting)."""
    if reason == "consultant":
        return "meeting"
    if place.flow == "client_area":
        wanted = slots.get(RESUME_CLIENT_AREA)
        if place.state in _CLIENT_AREA_BILLING or wanted in _CLIENT_AREA_BILLING:
            return "billing"
        return "support"
    if place.flow == "techops":
        if place.state in _TECHOPS_BILLING:
            return "billing"
        if place.state in _TECHOPS_MEETING:
            return "meeting"
        return "sales"
    if place.flow == "privacy":
        return "privacy"
    return "support"
