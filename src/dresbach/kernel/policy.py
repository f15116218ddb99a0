"""The settings the conversation core needs, as plain data (built by bootstrap from Settings)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from types import MappingProxyType

from dresbach.kernel.hours import WorkingHours


@dataclass(frozen=True, slots=True, kw_only=True)
class SchedulingRules:
    """Consultants' hours, meeting length, buffer between meetings and minimum notice (the
    scheduling's rules, plain data the policy carries)."""

    hours: WorkingHours = field(default_factory=WorkingHours)
    meeting: timedelta = timedelta(minutes=60)
    buffer: timedelta = timedelta(minutes=15)
    notice: timedelta = timedelta(hours=4)
    """The earliest slot offered starts at least this long after now."""
    horizon: timedelta = timedelta(days=21)
    change_notice: timedelta = timedelta(hours=24)
    """A booking may be rescheduled or cancelled up to this long before it starts."""
    change_grace: timedelta = timedelta(minutes=15)
    """Right after booking, a meeting may be changed for this long whatever its notice: a
    slot inside the change window can still be undone if it was picked by mistake."""
    location: str = "Reunião online"
    """What kind of meeting it is, shown with its link (or before the link exists)."""
    meeting_url: str = ""
    """A fixed room for every meeting (https); empty when each booking gets its own link
    (from the calendar server, or set by an operator in the console)."""
    page_size: int = 5


DEFAULT_FEES: Mapping[str, Decimal] = MappingProxyType(
    {
        "technical": Decimal("1500.00"),
        "security": Decimal("1800.00"),
        "architecture": Decimal("2000.00"),
        "lgpd": Decimal("1600.00"),
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Policy:
    company_name: str = "Dresbach Hosting do Brasil"
    privacy_url: str = "https://dresbach.com.br/privacidade"
    controller: str = "Dresbach Hosting do Brasil LTDA"
    dpo_contact: str = "privacidade@dresbach.com.br"
    privacy_purpose: str = "atendimento, suporte e consultoria"
    """Why this conversation's data is processed, as the first-contact notice says it."""
    inactivity_timeout: timedelta = timedelta(minutes=30)
    diagnosis_fees: Mapping[str, Decimal] = field(default_factory=lambda: DEFAULT_FEES)
    """The diagnosis fee per Tech Ops area: technical, security, architecture, lgpd."""
    refund_days: int = 7
    """A customer who gives up within this many days of paying, before the diagnosis meeting,
    gets the fee back (the CDC's 7-day right of withdrawal, art. 49); 0: the fee is not
    refunded. The offer answers "tem reembolso?" with it."""
    pix_expiry: timedelta = timedelta(minutes=60)
    payment_reminder_before: timedelta = timedelta(minutes=15)
    lead_stale_after: timedelta = timedelta(days=7)
    """A qualified or offered lead with no news for this long is lost: "stopped_answering"."""
    scheduling: SchedulingRules = field(default_factory=SchedulingRules)
    support_hours: WorkingHours = field(default_factory=WorkingHours)
    """When operators answer hand-offs."""
    handoff_wait: timedelta = timedelta(minutes=15)
    """A waiting hand-off nobody took for this long: the customer is told and offered a callback."""
    sensitive_window: timedelta = timedelta(minutes=5)
    """After a login failure, a lockout or a logout, the customer's texts are kept only as a
    placeholder for this long (they may be the password typed again). Applied by the unit of
    work."""
    login_flow_id: str = ""
    """The published login Flow (WHATSAPP_FLOW_LOGIN_ID), set by bootstrap only when the Flows
    private key is loaded too: the Área do Cliente then sends it instead of asking for the
    CPF/CNPJ, the password and the code in the chat. Empty: the chat login."""
    ticket_flow_id: str = ""
    """The published ticket Flow (WHATSAPP_FLOW_TICKET_ID), set by bootstrap only when the Flows
    private key is loaded too: "Abrir novo chamado" then sends it instead of asking for the
    department, the subject and the message one by one. Empty: the chat version."""
    flood_per_minute: int = 30
    """A user's messages stepped per minute; the rest of the minute is kept but not answered
    (one polite notice). 0: no limit. Applied by the unit of work, not by the flows."""
    burst_window: timedelta = timedelta(0)
    """Texts a user sends at rest (the menu) within this of each other are stepped together, as
    one turn (Brazilians split one thought into several quick messages). 0: each text is its own
    turn. Applied by the unit of work; the settings default it to 2 s."""
