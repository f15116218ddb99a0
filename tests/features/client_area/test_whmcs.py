"""The real WhmcsDirectory against the fake WHMCS over HTTP on 127.0.0.1 (and a few odd answers
through httpx.MockTransport)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar
from urllib.parse import parse_qsl

import httpx
import orjson
import pytest

from dresbach.features.client_area.adapters.whmcs import WhmcsDirectory, WhmcsError
from dresbach.features.client_area.hosting import Invoice
from dresbach.features.client_area.ports import ClientDirectory
from dresbach.kernel.errors import PermanentError, TransientError
from tests.fakes.whmcs import (
    DEFAULT_IDENTIFIER,
    DEFAULT_SECRET,
    DOCUMENT_FIELD_ID,
    PASSWORDS,
    FakeWhmcs,
    WhmcsState,
)

T = TypeVar("T")
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
BRT = timedelta(hours=-3)
PDF = "https://cliente.dresbach.com.br/dl.php?type=i&id={invoice_id}"


@pytest.fixture(scope="module")
def server() -> Iterator[FakeWhmcs]:
    with FakeWhmcs(state=WhmcsState(clock=lambda: NOW)) as running:
        yield running


@pytest.fixture
def whmcs(server: FakeWhmcs) -> FakeWhmcs:
    server.state.reset()
    return server


def run(
    whmcs: FakeWhmcs | None,
    scenario: Callable[[WhmcsDirectory], Awaitable[T]],
    **changes: Any,
) -> T:
    async def main() -> T:
        options: dict[str, Any] = {
            "url": whmcs.url if whmcs is not None else "http://whmcs.invalid",
            "identifier": DEFAULT_IDENTIFIER,
            "secret": DEFAULT_SECRET,
            "document_field": DOCUMENT_FIELD_ID,
            "clock": lambda: NOW,
            "timeout": 5.0,
        }
        options.update(changes)
        directory = WhmcsDirectory(**options)
        try:
            return await scenario(directory)
        finally:
            await directory.aclose()

    return asyncio.run(main())


def actions(whmcs: FakeWhmcs) -> list[str]:
    return [action for action, _, _ in whmcs.state.calls]


def test_it_is_a_client_directory(whmcs: FakeWhmcs) -> None:
    async def scenario(directory: WhmcsDirectory) -> None:
        port: ClientDirectory = directory
        assert await port.departments()

    run(whmcs, scenario)


# ---- find_by_document --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "client_id", "name", "masked"),
    [
        ("52998224725", "1", "Ana Paula Souza", "***.982.247-**"),
        ("529.982.247-25", "1", "Ana Paula Souza", "***.982.247-**"),
        (" 529 982 247 25 ", "1", "Ana Paula Souza", "***.982.247-**"),
        ("11222333000181", "2", "Tech Solutions Ltda", "**.***.***/0001-**"),
        ("11.222.333/0001–81", "2", "Tech Solutions Ltda", "**.***.***/0001-**"),
        ("12ABC34501DE35", "3", "Inova Digital S.A.", "**.***.***/01DE-**"),
        ("12.abc.345/01DE-35", "3", "Inova Digital S.A.", "**.***.***/01DE-**"),
    ],
)
def test_find_by_document_compares_normalized_documents(
    whmcs: FakeWhmcs, typed: str, client_id: str, name: str, masked: str
) -> None:
    account = run(whmcs, lambda d: d.find_by_document(typed))
    assert account is not None
    assert account.client_id == client_id
    assert account.name == name
    assert account.document_masked == masked
    assert account.email == whmcs.state.clients[int(client_id)]["email"]


def test_find_by_document_prefers_the_active_client_over_an_old_duplicate(
    whmcs: FakeWhmcs,
) -> None:
    # Client 7 (Inactive) holds the same CPF as client 1 (Active), unpunctuated.
    whmcs.state.clients[1]["status"] = "Inactive"
    whmcs.state.clients[7]["status"] = "Active"
    account = run(whmcs, lambda d: d.find_by_document("529.982.247-25"))
    assert account is not None
    assert account.client_id == "7"


def test_find_by_document_ignores_closed_unknown_and_invalid(whmcs: FakeWhmcs) -> None:
    async def scenario(directory: WhmcsDirectory) -> list[object]:
        return [
            await directory.find_by_document("111.444.777-35"),  # client 4 is Closed
            await directory.find_by_document("390.533.447-05"),  # nobody's
        ]

    assert run(whmcs, scenario) == [None, None]
    calls = len(whmcs.state.calls)
    assert run(whmcs, lambda d: d.find_by_document("123.456.789-00")) is None
    assert run(whmcs, lambda d: d.find_by_document("")) is None
    assert len(whmcs.state.calls) == calls  # an invalid document costs no call


def test_find_by_document_pages_through_get_clients(whmcs: FakeWhmcs) -> None:
    whmcs.state.max_page_size = 2
    account = run(whmcs, lambda d: d.find_by_document("12ABC34501DE35"))
    assert account is not None
    assert account.client_id == "3"
    starts = [p["limitstart"] for p in whmcs.state.calls_of("GetClients")]
    assert starts == ["0", "2", "4", "6"]


def test_find_by_document_reads_only_the_configured_field(whmcs: FakeWhmcs) -> None:
    account = run(whmcs, lambda d: d.find_by_document("52998224725"), document_field="3")
    assert account is None


def test_find_by_document_through_the_custom_lookup_command(whmcs: FakeWhmcs) -> None:
    async def scenario(directory: WhmcsDirectory) -> list[str | None]:
        found = [
            await directory.find_by_document(typed)
            for typed in ("529.982.247-25", "11.222.333/0001-81", "12.abc.345/01de-35")
        ]
        found.append(await directory.find_by_document("390.533.447-05"))
        return [a.client_id if a else None for a in found]

    result = run(whmcs, scenario, lookup_action="GetClientByDocument")
    assert result == ["1", "2", "3", None]
    assert "GetClients" not in actions(whmcs)
    assert whmcs.state.calls_of("GetClientByDocument")[0]["document"] == "52998224725"


def test_a_missing_custom_command_is_a_permanent_error(whmcs: FakeWhmcs) -> None:
    with pytest.raises(WhmcsError, match="Command Not Found") as caught:
        run(whmcs, lambda d: d.find_by_document("52998224725"), lookup_action="NotInstalled")
    assert isinstance(caught.value, PermanentError)


# ---- check_password ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("client_id", "email", "password", "expected"),
    [
        ("1", "ana@anasouza.com.br", PASSWORDS["ana@anasouza.com.br"], True),
        ("1", "ANA@anasouza.com.br ", PASSWORDS["ana@anasouza.com.br"], True),
        ("1", "ana@anasouza.com.br", "wrong-password", False),
        ("7", "ana@anasouza.com.br", PASSWORDS["ana@anasouza.com.br"], True),  # same user
        (
            "2",
            "financeiro@techsolutions.com.br",
            PASSWORDS["financeiro@techsolutions.com.br"],
            True,
        ),
        # Maria is user 1, client 3: her user id equals client 1's id, which must not count.
        ("1", "maria@inovadigital.com.br", PASSWORDS["maria@inovadigital.com.br"], False),
        ("2", "ana@anasouza.com.br", PASSWORDS["ana@anasouza.com.br"], False),
        ("4", "joao@exemplo.com.br", PASSWORDS["joao@exemplo.com.br"], False),  # Closed
        ("abc", "ana@anasouza.com.br", PASSWORDS["ana@anasouza.com.br"], False),
        ("1", "ana@anasouza.com.br", "", False),
    ],
)
def test_check_password(
    whmcs: FakeWhmcs, client_id: str, email: str, password: str, expected: bool
) -> None:
    assert run(whmcs, lambda d: d.check_password(client_id, email, password)) is expected


def test_check_password_on_whmcs_7_compares_the_client_id(whmcs: FakeWhmcs) -> None:
    whmcs.state.users_api = False

    async def scenario(directory: WhmcsDirectory) -> list[bool]:
        return [
            await directory.check_password("1", "ana@anasouza.com.br", "Ana#2026"),
            await directory.check_password("3", "maria@inovadigital.com.br", "Inova*123"),
            await directory.check_password("1", "maria@inovadigital.com.br", "Inova*123"),
        ]

    assert run(whmcs, scenario) == [True, True, False]


# ---- services and domains ----------------------------------------------------------------------


def test_services(whmcs: FakeWhmcs) -> None:
    services = run(whmcs, lambda d: d.services("1"))
    assert [s.service_id for s in services] == ["10", "11"]
    plus, mail = services
    assert plus.product == "Hospedagem Plus"
    assert plus.domain == "anasouza.com.br"
    assert plus.status == "Active"
    assert plus.next_due == date(2026, 12, 20)
    assert plus.username == "anasouza"
    assert plus.reseller is False
    assert plus.mailboxes == ()
    assert mail.status == "Cancelled"
    assert mail.next_due is None  # 0000-00-00
    assert mail.username is None  # ""


def test_reseller_by_name_or_by_configured_product_id(whmcs: FakeWhmcs) -> None:
    services = run(whmcs, lambda d: d.services("2"))
    assert {s.service_id: s.reseller for s in services} == {"20": True, "21": False, "22": False}
    services = run(whmcs, lambda d: d.services("2"), reseller_product_ids={"16"})
    assert {s.service_id: s.reseller for s in services} == {"20": True, "21": False, "22": True}


def test_services_page_and_accept_an_empty_string_list(whmcs: FakeWhmcs) -> None:
    whmcs.state.max_page_size = 1
    assert [s.service_id for s in run(whmcs, lambda d: d.services("2"))] == ["20", "21", "22"]
    assert run(whmcs, lambda d: d.services("3")) == []  # "products": ""


def test_domains_with_nameservers(whmcs: FakeWhmcs) -> None:
    domains = run(whmcs, lambda d: d.domains("1"))
    assert [(d.domain_id, d.name, d.status) for d in domains] == [
        ("30", "anasouza.com.br", "Active"),
        ("31", "anasouza.net", "Pending"),
    ]
    assert domains[0].expires == date(2027, 3, 10)
    assert domains[0].nameservers == ("ns1.dresbach.com.br", "ns2.dresbach.com.br")
    assert domains[1].expires is None
    assert domains[1].nameservers == ()
    asked = [p["domainid"] for p in whmcs.state.calls_of("DomainGetNameservers")]
    assert asked == ["30"]  # a Pending domain has no registrar to ask


def test_domains_survive_a_registrar_error_and_normalize_nameservers(whmcs: FakeWhmcs) -> None:
    domains = run(whmcs, lambda d: d.domains("2"))
    assert [(d.name, d.nameservers) for d in domains] == [
        ("techsolutions.com.br", ()),  # Registro.br timed out: the list still shows
        ("techsolutions.net", ("ns1.externo.net", "ns2.externo.net")),
    ]
    assert run(whmcs, lambda d: d.domains("3")) == []  # no "domains" key at all


def test_a_slow_registrar_does_not_block_the_domain_list(whmcs: FakeWhmcs) -> None:
    whmcs.state.delays["domaingetnameservers"] = 1.0
    domains = run(whmcs, lambda d: d.domains("1"), timeout=0.3)
    assert [d.nameservers for d in domains] == [(), ()]


# ---- tickets -----------------------------------------------------------------------------------


def test_tickets_of_the_client_newest_first(whmcs: FakeWhmcs) -> None:
    tickets = run(whmcs, lambda d: d.tickets("1"))
    assert [(t.ticket_id, t.number, t.status) for t in tickets] == [
        ("100", "482913", "Answered"),
        ("102", "330918", "Closed"),
    ]
    first = tickets[0]
    assert first.subject == "Site fora do ar"
    assert first.department == "Suporte Técnico"
    assert first.updated == datetime(2026, 11, 20, 13, 2, 44, tzinfo=UTC)
    assert first.updated.utcoffset() == BRT
    assert first.replies == ()
    assert run(whmcs, lambda d: d.tickets("3")) == []  # {"ticket": []}


def test_ticket_with_replies_newest_last_and_no_internal_notes(whmcs: FakeWhmcs) -> None:
    ticket = run(whmcs, lambda d: d.ticket("1", "100"))
    assert ticket is not None
    assert ticket.department == "Suporte Técnico"
    assert [r.author for r in ticket.replies] == ["Ana Paula Souza", "Equipe Dresbach"]
    assert ticket.replies[0].message == "Meu site não abre desde hoje cedo.\nPodem verificar?"
    assert ticket.replies[0].when == datetime(2026, 11, 20, 12, 15, 2, tzinfo=UTC)
    assert ticket.replies[1].when is not None
    assert ticket.replies[0].when < ticket.replies[1].when
    assert "NOTA INTERNA" not in repr(ticket)


def test_ticket_replies_are_sorted_even_when_whmcs_sends_them_reversed(whmcs: FakeWhmcs) -> None:
    whmcs.state.tickets[100]["replies"].reverse()
    ticket = run(whmcs, lambda d: d.ticket("1", "100"))
    assert ticket is not None
    assert [r.author for r in ticket.replies] == ["Ana Paula Souza", "Equipe Dresbach"]


def test_a_ticket_of_another_client_is_none(whmcs: FakeWhmcs) -> None:
    async def scenario(directory: WhmcsDirectory) -> list[object]:
        return [
            await directory.ticket("1", "101"),  # Carlos's
            await directory.ticket("2", "100"),  # Ana's
            await directory.ticket("1", "9999"),  # Ticket ID Not Found
            await directory.ticket("1", "abc"),
        ]

    assert run(whmcs, scenario) == [None, None, None, None]


def test_departments_unescaped(whmcs: FakeWhmcs) -> None:
    departments = run(whmcs, lambda d: d.departments())
    assert [(d.department_id, d.name) for d in departments] == [
        ("1", "Suporte Técnico"),
        ("2", "Financeiro"),
        ("3", "Comercial & Vendas"),
    ]


def test_open_ticket_then_read_it(whmcs: FakeWhmcs) -> None:
    async def scenario(directory: WhmcsDirectory) -> tuple[Any, Any]:
        opened = await directory.open_ticket("3", "2", "  Segunda via  do boleto ", "Olá!\n")
        return opened, await directory.ticket("3", opened.ticket_id)

    opened, read = run(whmcs, scenario)
    assert opened.subject == "Segunda via do boleto"
    assert opened.status == "Open"
    assert opened.department == "Financeiro"
    assert opened.updated == NOW
    assert opened.number.isdigit()
    assert len(opened.number) == 6
    assert read is not None
    assert read.number == opened.number
    assert [r.message for r in read.replies] == ["Olá!"]
    sent = whmcs.state.calls_of("OpenTicket")[0]
    assert (sent["clientid"], sent["deptid"]) == ("3", "2")


def test_open_ticket_refuses_an_unknown_department_or_empty_text(whmcs: FakeWhmcs) -> None:
    with pytest.raises(PermanentError, match="unknown department"):
        run(whmcs, lambda d: d.open_ticket("1", "99", "Assunto", "Mensagem"))
    with pytest.raises(PermanentError, match="required"):
        run(whmcs, lambda d: d.open_ticket("1", "1", "   ", "Mensagem"))
    assert "OpenTicket" not in actions(whmcs)


def test_reply_ticket(whmcs: FakeWhmcs) -> None:
    async def scenario(directory: WhmcsDirectory) -> Any:
        await directory.reply_ticket("1", "100", "Voltou, obrigada!")
        return await directory.ticket("1", "100")

    ticket = run(whmcs, scenario)
    assert ticket.status == "Customer-Reply"
    assert ticket.replies[-1].message == "Voltou, obrigada!"
    assert ticket.replies[-1].author == "Ana Paula Souza"
    assert whmcs.state.calls_of("AddTicketReply")[0]["clientid"] == "1"


def test_reply_to_another_clients_ticket_is_refused(whmcs: FakeWhmcs) -> None:
    with pytest.raises(PermanentError, match="not this client's"):
        run(whmcs, lambda d: d.reply_ticket("2", "100", "Intruso"))
    assert "AddTicketReply" not in actions(whmcs)
    assert len(whmcs.state.tickets[100]["replies"]) == 2


# ---- invoices ----------------------------------------------------------------------------------


def test_invoices_newest_first_without_drafts(whmcs: FakeWhmcs) -> None:
    invoices = run(whmcs, lambda d: d.invoices("1"))
    assert [(i.invoice_id, i.number, i.status) for i in invoices] == [
        ("500", "500", "Unpaid"),
        ("501", "2026/0042", "Paid"),
        ("504", "504", "Cancelled"),
    ]
    unpaid = invoices[0]
    assert unpaid.total == Decimal("59.90")
    assert unpaid.issued == date(2026, 11, 10)
    assert unpaid.due == date(2026, 12, 10)
    assert unpaid.items == ()
    assert unpaid.pdf_url is None
    assert invoices[2].issued is None
    assert run(whmcs, lambda d: d.invoices("3")) == []  # "invoices": []


def test_invoice_with_items(whmcs: FakeWhmcs) -> None:
    invoice = run(whmcs, lambda d: d.invoice("1", "500"))
    assert invoice is not None
    assert [(i.description, i.amount) for i in invoice.items] == [
        ("Hospedagem Plus - anasouza.com.br (10/12/2026 - 09/01/2027)", Decimal("49.90")),
        ("Proteção de privacidade & SSL", Decimal("10.00")),
    ]
    assert invoice.total == Decimal("59.90")
    assert invoice.pdf_url is None


def test_invoice_ownership_drafts_and_unknown_are_none(whmcs: FakeWhmcs) -> None:
    async def scenario(directory: WhmcsDirectory) -> list[object]:
        return [
            await directory.invoice("2", "500"),  # Ana's invoice asked by Carlos
            await directory.invoice("1", "502"),  # Carlos's asked by Ana
            await directory.invoice("1", "503"),  # a Draft
            await directory.invoice("1", "9999"),  # Invoice ID Not Found
            await directory.invoice("1", "../500"),
        ]

    assert run(whmcs, scenario) == [None, None, None, None, None]


def test_an_invoice_never_carries_a_payment_link(whmcs: FakeWhmcs) -> None:
    async def scenario(directory: WhmcsDirectory) -> list[Invoice]:
        found = await directory.invoices("1") + await directory.invoices("2")
        one = await directory.invoice("1", "500")
        assert one is not None
        return [*found, one]

    for template in (None, PDF):
        invoices = run(whmcs, scenario, invoice_pdf_url_template=template)
        for invoice in invoices:
            text = repr(invoice).lower()
            assert "viewinvoice" not in text
            assert "pay" not in (invoice.pdf_url or "")
            expected = template.format(invoice_id=invoice.invoice_id) if template else None
            assert invoice.pdf_url == expected
    assert invoices[-1].pdf_url == "https://cliente.dresbach.com.br/dl.php?type=i&id=500"


@pytest.mark.parametrize(
    "template",
    [
        "https://cliente.dresbach.com.br/viewinvoice.php?id={invoice_id}",
        "https://cliente.dresbach.com.br/dl.php?type=i",
        "javascript:alert({invoice_id})",
    ],
)
def test_a_payment_page_cannot_be_configured_as_the_pdf(template: str) -> None:
    with pytest.raises(ValueError, match="invoice_pdf_url_template"):
        WhmcsDirectory(
            url="http://whmcs.invalid",
            identifier="i",
            secret="s",
            document_field="7",
            clock=lambda: NOW,
            invoice_pdf_url_template=template,
        )


# ---- errors ------------------------------------------------------------------------------------


def test_an_ip_outside_the_allowlist_is_a_permanent_403(whmcs: FakeWhmcs) -> None:
    whmcs.state.allowed_ips = ["203.0.113.9"]
    with pytest.raises(PermanentError, match="IP not allowed") as caught:
        run(whmcs, lambda d: d.services("1"))
    assert caught.value.code == 403
    assert "Invalid IP 127.0.0.1" in str(caught.value)
    assert not isinstance(caught.value, TransientError)


def test_the_access_key_bypasses_the_allowlist(whmcs: FakeWhmcs) -> None:
    whmcs.state.allowed_ips = ["203.0.113.9"]
    whmcs.state.access_key = "chave-de-acesso"
    services = run(whmcs, lambda d: d.services("1"), access_key="chave-de-acesso")
    assert len(services) == 2


def test_wrong_credentials_are_a_permanent_error(whmcs: FakeWhmcs) -> None:
    with pytest.raises(WhmcsError, match="Authentication Failed"):
        run(whmcs, lambda d: d.departments(), secret="wrong")
    with pytest.raises(WhmcsError, match="Authentication Failed"):
        run(whmcs, lambda d: d.check_password("1", "ana@anasouza.com.br", "x"), secret="wrong")


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_is_transient_and_the_next_call_works(whmcs: FakeWhmcs, status: int) -> None:
    whmcs.fail_next(status)
    with pytest.raises(TransientError) as caught:
        run(whmcs, lambda d: d.invoices("1"))
    assert caught.value.code == status
    assert len(run(whmcs, lambda d: d.invoices("1"))) == 3


def test_a_5xx_in_the_middle_of_a_lookup_is_transient(whmcs: FakeWhmcs) -> None:
    whmcs.state.fail_next_for("GetClientsDetails", 503)
    with pytest.raises(TransientError):
        run(whmcs, lambda d: d.find_by_document("12ABC34501DE35"))
    assert actions(whmcs)[0] == "GetClients"


def test_a_5xx_from_the_registrar_call_leaves_the_nameservers_empty(whmcs: FakeWhmcs) -> None:
    whmcs.state.fail_next_for("DomainGetNameservers", 502)
    domains = run(whmcs, lambda d: d.domains("1"))
    assert [d.nameservers for d in domains] == [(), ()]


def test_a_slow_whmcs_beyond_the_timeout_is_transient(whmcs: FakeWhmcs) -> None:
    whmcs.state.delay = 1.0
    with pytest.raises(TransientError, match="timeout"):
        run(whmcs, lambda d: d.tickets("1"), timeout=0.3)


def test_an_unreachable_whmcs_is_transient() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(TransientError, match="unreachable"):
        run(None, lambda d: d.departments(), url=f"http://127.0.0.1:{port}")


# ---- the wire, through MockTransport -----------------------------------------------------------


def mock(answer: Callable[[dict[str, str]], httpx.Response]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.method == "POST"
        assert request.url.path == "/whmcs/includes/api.php"
        return answer(dict(parse_qsl(request.content.decode())))

    return httpx.MockTransport(handler)


def test_every_call_carries_the_credentials_and_asks_for_json() -> None:
    seen: list[dict[str, str]] = []

    def answer(form: dict[str, str]) -> httpx.Response:
        seen.append(form)
        return httpx.Response(200, json={"result": "success", "departments": ""})

    transport = mock(answer)
    assert run(None, lambda d: d.departments(), url="https://x/whmcs/", transport=transport) == []
    assert seen == [
        {
            "identifier": DEFAULT_IDENTIFIER,
            "secret": DEFAULT_SECRET,
            "responsetype": "json",
            "action": "GetSupportDepartments",
            "ignore_dept_assignments": "true",
        }
    ]


def test_an_api_php_url_is_used_as_is() -> None:
    transport = mock(lambda form: httpx.Response(200, json={"result": "success"}))
    found = run(
        None, lambda d: d.departments(), url="https://x/whmcs/includes/api.php", transport=transport
    )
    assert found == []


def test_json_numbers_single_objects_and_number_ids_are_read_exactly() -> None:
    body = (
        b'{"result":"success","invoiceid":7,"invoicenum":"","userid":1,"date":"2026-01-01",'
        b'"duedate":"2026-01-08","datepaid":"0000-00-00 00:00:00","total":15.95,"status":"Unpaid",'
        b'"items":{"item":{"id":1,"description":"Plano","amount":15.95}}}'
    )
    transport = mock(lambda form: httpx.Response(200, content=body))
    invoice = run(None, lambda d: d.invoice("1", "7"), url="https://x/whmcs", transport=transport)
    assert invoice is not None
    assert invoice.total == Decimal("15.95")
    assert [(i.description, i.amount) for i in invoice.items] == [("Plano", Decimal("15.95"))]


@pytest.mark.parametrize(
    ("status", "content", "error"),
    [
        (200, b"<html>Fatal error</html>", PermanentError),
        (200, orjson.dumps({"result": "maybe"}), PermanentError),
        (404, b"Not Found", PermanentError),
        (429, b"", TransientError),
        (408, b"", TransientError),
        (403, b"Forbidden", PermanentError),
    ],
)
def test_odd_answers(status: int, content: bytes, error: type[Exception]) -> None:
    transport = mock(lambda form: httpx.Response(status, content=content))
    with pytest.raises(error):
        run(None, lambda d: d.departments(), url="https://x/whmcs", transport=transport)


def test_an_amount_that_is_not_a_number_is_permanent() -> None:
    body = {"result": "success", "invoices": {"invoice": [{"id": 1, "userid": 1, "total": "x"}]}}
    transport = mock(lambda form: httpx.Response(200, json=body))
    with pytest.raises(PermanentError, match="not an amount"):
        run(None, lambda d: d.invoices("1"), url="https://x/whmcs", transport=transport)
