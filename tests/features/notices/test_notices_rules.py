"""The notices' rules without I/O: which WHMCS records make which notice today, a WHMCS phone as
a WhatsApp number, the settings refusing what cannot work, and the text against the template."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from dresbach.features.notices.compose import message_of
from dresbach.features.notices.detection import (
    Cursors,
    domain_notices,
    invoice_notices,
    moved,
    suspension_notices,
    ticket_notices,
)
from dresbach.features.notices.model import (
    AnsweredTicket,
    Notice,
    OpenInvoice,
    RegisteredDomain,
    SuspendedService,
)
from dresbach.features.notices.phones import whatsapp_number
from dresbach.features.notices.service import NoticesService
from dresbach.features.notices.settings import NoticesSettings
from dresbach.kernel.messages import Template, Text
from dresbach.kernel.settings import SettingsError
from dresbach.platform.store.database import Database, migrate

TODAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def invoice(n: int, *, issued: date, due: date) -> OpenInvoice:
    return OpenInvoice(
        invoice_id=n, number=str(n), client_id="1", issued=issued, due=due, total="R$ 10,00"
    )


@pytest.mark.parametrize(
    ("typed", "code", "number"),
    [
        ("11987654321", "55", "5511987654321"),
        ("(11) 98765-4321", "55", "5511987654321"),
        ("011 98765-4321", "55", "5511987654321"),
        ("+55.11987654321", "55", "5511987654321"),
        ("5511987654321", "55", "5511987654321"),
        ("1140004000", "55", "551140004000"),
        ("+1 415 555 0100", "55", "14155550100"),
        ("4155550100", "1", "14155550100"),
        ("98765-4321", "55", None),  # no area code: not a number we can reach
        ("n/a", "55", None),
        ("", "55", None),
    ],
)
def test_a_whmcs_phone_becomes_a_whatsapp_number(typed: str, code: str, number: str | None):  # type: ignore[no-untyped-def]
    assert whatsapp_number(typed, code) == number


def test_an_invoice_is_told_when_issued_recalled_before_it_is_due_and_after_it_is_late() -> None:
    found = invoice_notices(
        [
            invoice(1, issued=TODAY, due=TODAY + timedelta(days=30)),  # issued today
            invoice(2, issued=TODAY - timedelta(days=27), due=TODAY + timedelta(days=3)),  # due
            invoice(3, issued=TODAY - timedelta(days=40), due=TODAY - timedelta(days=1)),  # late
            invoice(4, issued=TODAY - timedelta(days=27), due=TODAY + timedelta(days=4)),  # later
            invoice(5, issued=TODAY - timedelta(days=27), due=TODAY),  # due today: not yet late
        ],
        TODAY,
        due_days=3,
        cursor=None,
    )
    assert [(n.kind, n.object_id) for n in found] == [
        ("invoice_issued", "1"),
        ("invoice_due", "2"),
        ("invoice_overdue", "3"),
    ]
    assert found[1].event_key == "invoice_due:2:2026-12-10"


def test_an_invoice_issued_close_to_its_due_date_is_told_once_not_twice() -> None:
    fresh = invoice(9, issued=TODAY, due=TODAY + timedelta(days=2))
    found = invoice_notices([fresh], TODAY, due_days=3, cursor=None)
    assert [n.kind for n in found] == ["invoice_issued"]  # it already says when it is due


def test_the_invoice_cursor_keeps_old_invoices_from_being_told_as_new() -> None:
    old = invoice(7, issued=TODAY - timedelta(days=2), due=TODAY + timedelta(days=30))
    new = invoice(8, issued=TODAY - timedelta(days=2), due=TODAY + timedelta(days=30))
    assert invoice_notices([old, new], TODAY, 3, cursor=None) == []  # first look: a day back
    assert [n.object_id for n in invoice_notices([old, new], TODAY, 3, cursor=7)] == ["8"]
    assert moved(Cursors(invoice_id=7), [old, new], []).invoice_id == 8
    assert moved(Cursors(invoice_id=9), [old], []).invoice_id == 9  # never back


def test_only_a_suspension_for_non_payment_is_told() -> None:
    services = [
        SuspendedService(
            service_id=1, client_id="1", name="A", reason="Overdue on Payment", due=TODAY
        ),
        SuspendedService(service_id=2, client_id="1", name="B", reason="Abuse: spam", due=TODAY),
        SuspendedService(service_id=3, client_id="1", name="C", reason="", due=TODAY),
    ]
    assert [n.object_id for n in suspension_notices(services, TODAY)] == ["1"]


def test_an_active_domain_is_told_within_the_days_before_it_expires() -> None:
    def domain(n: int, status: str, days: int) -> RegisteredDomain:
        expires = TODAY + timedelta(days=days)
        return RegisteredDomain(
            domain_id=n, client_id="1", name="x.com.br", status=status, expires=expires
        )

    found = domain_notices(
        [
            domain(1, "Active", 10),
            domain(2, "Active", 31),
            domain(3, "Grace", 5),
            domain(4, "Active", -1),
        ],
        TODAY,
        30,
    )
    assert [n.object_id for n in found] == ["1"]


def test_a_ticket_answered_after_the_cursor_is_told_each_answer_once() -> None:
    morning = datetime(2026, 12, 7, 11, 0, tzinfo=UTC)
    ticket = AnsweredTicket(
        ticket_id=5, number="123", client_id="1", subject="Site", answered_at=morning
    )
    [first] = ticket_notices([ticket], NOW, cursor=None)
    assert first.subject == "#123 (Site)"
    assert ticket_notices([ticket], NOW, cursor=morning) == []
    later = AnsweredTicket(
        ticket_id=5, number="123", client_id="1", subject="Site", answered_at=NOW
    )
    [second] = ticket_notices([later], NOW + timedelta(minutes=1), cursor=morning)
    assert second.event_key != first.event_key  # a new answer is a new event


def test_the_text_goes_inside_the_window_and_the_template_outside() -> None:
    notice = Notice(
        kind="domain_expiring", client_id="1", object_id="1", on=TODAY, subject="x.com.br"
    )
    site = "https://cliente.dresbach.com.br"
    inside = message_of(notice, "Ana Paula Souza", site, NOW - timedelta(hours=23), NOW)
    assert isinstance(inside, Text)
    assert inside.body.startswith("Olá, Ana! O domínio x.com.br expira em 07/12/2026.")
    assert inside.fallback == Template(
        name="aviso_dominio_expirando", body_params=("Ana", "x.com.br", "07/12/2026", site)
    )
    outside = message_of(notice, "Ana Paula Souza", site, NOW - timedelta(hours=25), NOW)
    assert outside == inside.fallback
    assert message_of(notice, "", site, None, NOW) == Template(
        name="aviso_dominio_expirando", body_params=("cliente", "x.com.br", "07/12/2026", site)
    )


def test_the_settings_refuse_what_cannot_work() -> None:
    with pytest.raises(SettingsError, match="unknown kinds"):
        NoticesSettings(notices_off="invoice_due,marketing").validate()
    with pytest.raises(SettingsError, match="https"):
        NoticesSettings(notices_billing_site="http://cliente.exemplo.com.br").validate()
    assert NoticesSettings(notices_off=" invoice_due , ssl_expiring").notices_turned_off == {
        "invoice_due",
        "ssl_expiring",
    }


def test_the_sweep_polls_only_when_on_and_due_and_by_one_process(database_url: str) -> None:
    migrate(database_url)
    db = Database(database_url)
    polls: list[str] = []
    clock = [NOW]

    class Probe(NoticesService):
        async def poll(self):  # type: ignore[no-untyped-def, override]
            polls.append(self.name)

    def process(name: str, minutes: int) -> Probe:
        probe = Probe(
            db, object(), NoticesSettings(notices_poll_minutes=minutes), clock=lambda: clock[0]
        )  # type: ignore[arg-type]
        probe.name = name  # type: ignore[attr-defined]
        return probe

    try:
        asyncio.run(process("off", 0).sweep())
        assert polls == []  # DRESBACH_NOTICES_POLL_MINUTES=0: never
        one, other = process("one", 15), process("other", 15)
        asyncio.run(one.sweep())
        asyncio.run(other.sweep())
        asyncio.run(one.sweep())
        assert polls == ["one"]  # one process per period
        clock[0] = NOW + timedelta(minutes=15)
        asyncio.run(other.sweep())
        asyncio.run(one.sweep())
        assert polls == ["one", "other"]
    finally:
        db.close()
