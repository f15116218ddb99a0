"""Domain changes a logged-in client asks for (#15): the entries checked with pt-BR refusals, the
WHMCS registrar functions against the fake (which refuses what WHMCS refuses), and the service
that checks ownership, shows before/after, audits each change and sends the EPP code only to the
account's e-mail."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from dresbach.features.client_area.adapters.hosting_local import LocalPanel
from dresbach.features.client_area.adapters.whm_servers import ServerPanels, WhmServer
from dresbach.features.client_area.adapters.whmcs import WhmcsDirectory
from dresbach.features.client_area.adapters.whmcs_domains import WhmcsRegistrar
from dresbach.features.client_area.domains import texts
from dresbach.features.client_area.domains.changes import DomainChanges
from dresbach.features.client_area.domains.edits import (
    RecordEdit,
    Refused,
    check_nameservers,
    check_record,
    confirmation,
    parse_line,
)
from dresbach.features.client_area.hosting import DnsRecord
from dresbach.features.client_area.model import (
    DomainChanged,
    DomainChangePreviewed,
    DomainChangeRefused,
)
from dresbach.features.client_area.ports import HostingPanel
from dresbach.kernel.errors import PermanentError
from dresbach.kernel.machine.lint import lint_texts
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.schema import audit_log
from dresbach.platform.work.jobs import Job
from tests.fakes import whmcs as whmcs_fake
from tests.fakes.whm import DEFAULT_TOKEN, SECOND_TOKEN, FakeWhm, WhmState
from tests.fakes.whmcs import FakeWhmcs

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
ZONE = "anasouza.com.br"

# ---- the entries -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "name", "value", "priority", "refusal"),
    [
        ("A", "@", "203.0.113.300", None, "O endereço “203.0.113.300” não é um IP válido."),
        ("A", "www", "192.168.0.10", None, "O IP “192.168.0.10” é de rede interna"),
        ("A", "loja", "servidor", None, "O endereço “servidor” não é um IP válido."),
        ("CNAME", "@", "outro.com.br", None, "O próprio domínio (anasouza.com.br) não pode"),
        ("CNAME", "blog", "nome com espaço", None, "“nome com espaço” não é um nome de servidor"),
        ("MX", "@", "mail.anasouza.com.br", "70000", "A prioridade “70000” não é válida."),
        ("MX", "@", "mail.anasouza.com.br", "-1", "A prioridade “-1” não é válida."),
        ("MX", "@", "mail..anasouza", "10", "“mail..anasouza” não é um nome de servidor"),
        ("TXT", "@", "   ", None, "O texto do registro TXT está vazio."),
        ("TXT", "x" * 64, "v=spf1", None, "não é um nome válido dentro do domínio"),
        ("SRV", "@", "x", None, "Aqui é possível editar registros A, CNAME, MX e TXT."),
    ],
)
def test_a_bad_entry_is_refused_in_portuguese(
    kind: str, name: str, value: str, priority: str | None, refusal: str
) -> None:
    with pytest.raises(Refused) as refused:
        check_record(ZONE, kind, name, value, priority=priority)
    assert refusal in refused.value.text


def test_good_entries_become_records() -> None:
    assert check_record(ZONE, "a", "Loja", "177.70.1.10") == DnsRecord(
        name="loja.anasouza.com.br", kind="A", value="177.70.1.10", ttl=14400
    )
    assert check_record(ZONE, "MX", "@", "Mail.AnaSouza.com.br.", priority="5", ttl="3600") == (
        DnsRecord(name=ZONE, kind="MX", value="mail.anasouza.com.br", ttl=3600, priority=5)
    )
    assert check_record(ZONE, "CNAME", "www.anasouza.com.br", "anasouza.com.br").name == (
        "www.anasouza.com.br"
    )
    long_txt = "v=DKIM1; p=" + "A" * 400
    assert check_record(ZONE, "TXT", "default._domainkey", long_txt).value == long_txt
    with pytest.raises(Refused, match="txt_long"):
        check_record(ZONE, "TXT", "@", "A" * 2049)


def test_nameservers_are_two_to_five_host_names() -> None:
    assert check_nameservers(["NS1.Cloudflare.com.", " ns2.cloudflare.com", ""]) == (
        "ns1.cloudflare.com",
        "ns2.cloudflare.com",
    )
    for bad in (["ns1.cloudflare.com"], ["a.ns.com"] * 2, [f"ns{n}.x.com" for n in range(6)]):
        with pytest.raises(Refused) as refused:
            check_nameservers(bad)
        assert refused.value.text == "Informe de 2 a 5 servidores DNS, sem repetir."
    with pytest.raises(Refused) as refused:
        check_nameservers(["ns1.cloudflare.com", "http://ns2"])
    assert refused.value.text.startswith("“http://ns2” não é um nome de servidor DNS válido")


def test_a_record_change_shows_before_and_after() -> None:
    before = DnsRecord(name=ZONE, kind="A", value="203.0.113.10", ttl=14400)
    after = check_record(ZONE, "A", "@", "177.70.1.10")
    text = confirmation(RecordEdit(zone=ZONE, before=before, after=after))
    assert text == (
        "Alterar um registro A de anasouza.com.br\n\n"
        "*Antes:* anasouza.com.br A 203.0.113.10\n*Depois:* anasouza.com.br A 177.70.1.10"
    )
    removal = confirmation(RecordEdit(zone=ZONE, before=before, after=None))
    assert removal.endswith("*Depois:* nenhum")


def test_every_text_keeps_the_house_rules() -> None:
    catalogs = {
        "refusals": dict(texts.REFUSALS),
        "confirmations": dict(texts.CONFIRMATIONS),
        "mail": {"body": texts.EPP_MAIL_BODY},
    }
    assert lint_texts(catalogs) == []
    assert all(t.count("?") == 0 for t in texts.CONFIRMATIONS.values())  # the question apart


# ---- WHMCS ---------------------------------------------------------------------------------


@pytest.fixture
def whmcs() -> Iterator[FakeWhmcs]:
    with FakeWhmcs() as fake:
        # Ana's .com, at eNom: lockable, and with a transfer code
        fake.state.domains[32] = {
            "id": 32,
            "userid": 1,
            "domainname": "anasouza.com",
            "status": "Active",
            "expirydate": "2027-05-01",
            "registrar": "enom",
            "nameservers": ["ns1.dresbach.com.br", "ns2.dresbach.com.br"],
        }
        yield fake


def registrar(whmcs: FakeWhmcs) -> WhmcsRegistrar:
    return WhmcsRegistrar(
        url=whmcs.url,
        identifier=whmcs_fake.DEFAULT_IDENTIFIER,
        secret=whmcs_fake.DEFAULT_SECRET,
    )


def test_the_registrar_functions_do_what_whmcs_does(whmcs: FakeWhmcs) -> None:
    async def run() -> None:
        r = registrar(whmcs)
        await r.update_nameservers("30", ("ns1.cloudflare.com", "ns2.cloudflare.com"))
        assert await r.lock_status("32") is True
        with pytest.raises(PermanentError, match="unlock it before a transfer"):
            await r.request_epp("32")
        await r.set_lock("32", False)
        assert await r.lock_status("32") is False
        code = await r.request_epp("32")
        assert code is not None
        assert code.startswith("EPP-32-")
        await r.aclose()

    asyncio.run(run())
    assert whmcs.state.domains[30]["nameservers"] == ["ns1.cloudflare.com", "ns2.cloudflare.com"]
    assert whmcs.state.calls_of("DomainUpdateLockingStatus")[0]["lockstatus"] == "0"


@pytest.mark.parametrize(
    ("domain_id", "call", "refusal"),
    [
        ("30", "lock", "Registrar Function Not Supported"),  # Registro.br: no lock
        ("30", "epp", "Registrar Function Not Supported"),
        ("31", "nameservers", "Domain status is Pending"),
        ("40", "nameservers", "Registro.br: connection timed out"),
        ("999", "nameservers", "Domain ID Not Found"),
    ],
)
def test_the_registrar_refusals_reach_us(
    whmcs: FakeWhmcs, domain_id: str, call: str, refusal: str
) -> None:
    async def run() -> None:
        r = registrar(whmcs)
        try:
            if call == "lock":
                await r.set_lock(domain_id, True)
            elif call == "epp":
                await r.request_epp(domain_id)
            else:
                await r.update_nameservers(domain_id, ("ns1.a.com", "ns2.a.com"))
        finally:
            await r.aclose()

    with pytest.raises(PermanentError, match=refusal):
        asyncio.run(run())


def test_whmcs_wants_two_nameservers(whmcs: FakeWhmcs) -> None:
    async def run() -> None:
        r = registrar(whmcs)
        api = r._api  # what WHMCS itself says to one nameserver, past our own check
        try:
            await api.call("DomainUpdateNameservers", domainid="30", ns1="ns1.a.com")
        finally:
            await r.aclose()

    with pytest.raises(PermanentError, match="ns1 and ns2 are required"):
        asyncio.run(run())


# ---- the service -----------------------------------------------------------------------------


@dataclass
class Outbox:
    sent: list[tuple[str, str, str]] = field(default_factory=list)

    async def send(self, to: str, subject: str, body: str, attachments: Sequence[Any] = ()) -> None:
        self.sent.append((to, subject, body))


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    migrate(database_url)
    database = Database(database_url)
    yield database
    database.close()


def changes(
    db: Database, whmcs: FakeWhmcs, mail: Outbox, panel: HostingPanel | None = None
) -> DomainChanges:
    directory = WhmcsDirectory(
        url=whmcs.url,
        identifier=whmcs_fake.DEFAULT_IDENTIFIER,
        secret=whmcs_fake.DEFAULT_SECRET,
        document_field=whmcs_fake.DOCUMENT_FIELD_ID,
        clock=lambda: NOW,
    )
    shown = panel or LocalPanel(base_url="http://127.0.0.1", clock=lambda: NOW)
    return DomainChanges(db, directory, registrar(whmcs), shown, mail, clock=lambda: NOW)


def audited(db: Database) -> list[tuple[str, str]]:
    with db.engine.connect() as connection:
        rows = connection.execute(select(audit_log.c.action, audit_log.c.detail)).all()
    return [(r.action, r.detail) for r in rows]


def test_the_client_changes_nameservers_after_seeing_before_and_after(
    db: Database, whmcs: FakeWhmcs
) -> None:
    service = changes(db, whmcs, Outbox())
    typed = ["ns1.cloudflare.com", "ns2.cloudflare.com"]

    async def run() -> str:
        _, preview = await service.nameservers_preview("1", "30", typed)
        await service.change_nameservers("5511900000000", "1", "30", typed)
        return preview

    preview = asyncio.run(run())
    assert preview == (
        "Trocar os servidores DNS de anasouza.com.br\n\n"
        "*Antes:* ns1.dresbach.com.br, ns2.dresbach.com.br\n"
        "*Depois:* ns1.cloudflare.com, ns2.cloudflare.com\n\n"
        "A mudança pode levar até 24 horas para valer em toda a internet."
    )
    assert whmcs.state.domains[30]["nameservers"] == typed
    assert audited(db) == [
        (
            "domain_nameservers",
            "client 1: anasouza.com.br ns1.dresbach.com.br, ns2.dresbach.com.br -> "
            "ns1.cloudflare.com, ns2.cloudflare.com",
        )
    ]


def test_another_clients_domain_is_never_changed(db: Database, whmcs: FakeWhmcs) -> None:
    service = changes(db, whmcs, Outbox())
    with pytest.raises(PermanentError, match="not this client's"):
        asyncio.run(service.change_nameservers("x", "1", "40", ["ns1.a.com", "ns2.a.com"]))
    assert whmcs.state.calls_of("DomainUpdateNameservers") == []
    assert audited(db) == []


def test_a_lock_change_shows_the_state_before(db: Database, whmcs: FakeWhmcs) -> None:
    service = changes(db, whmcs, Outbox())

    async def run() -> str:
        preview = await service.lock_preview("1", "32", lock=False)
        await service.set_lock("5511900000000", "1", "32", lock=False)
        return preview

    assert asyncio.run(run()).startswith(
        "Desativar o bloqueio de transferência de anasouza.com\n\n*Antes:* bloqueado\n"
    )
    assert whmcs.state.domains[32]["locked"] is False
    assert audited(db) == [("domain_unlocked", "client 1: anasouza.com")]


def test_the_epp_code_goes_only_to_the_accounts_email(db: Database, whmcs: FakeWhmcs) -> None:
    mail = Outbox()
    service = changes(db, whmcs, mail)
    whmcs.state.domains[32]["locked"] = False

    async def run() -> tuple[str, str]:
        preview = await service.epp_preview("1", "32")
        return preview, await service.request_epp("5511900000000", "1", "32")

    preview, where = asyncio.run(run())
    assert "vai só para o e-mail da sua conta (an***@anasouza.com.br), nunca por aqui" in preview
    assert where == "an***@anasouza.com.br"
    ((to, subject, body),) = mail.sent
    assert to == "ana@anasouza.com.br"
    assert subject == "Código de transferência do domínio anasouza.com"
    code = body.split("\n\n")[2]
    assert code.startswith("EPP-32-")
    assert code not in preview
    assert code not in str(audited(db))
    assert audited(db) == [("domain_epp_requested", "client 1: anasouza.com, e-mailed by us")]


def test_an_epp_code_the_registrar_mails_itself_is_not_mailed_twice(
    db: Database, whmcs: FakeWhmcs
) -> None:
    mail = Outbox()
    whmcs.state.domains[32].update(locked=False, epp_by_email=True)
    assert asyncio.run(changes(db, whmcs, mail).request_epp("x", "1", "32")) == (
        "an***@anasouza.com.br"
    )
    assert mail.sent == []
    assert whmcs.state.epp_requests == ["anasouza.com"]


# ---- DNS records, on the server of the domain's hosting --------------------------------------

SHOP = "loja.anasouza.com.br"


@pytest.fixture
def two_servers(whmcs: FakeWhmcs) -> Iterator[ServerPanels]:
    whmcs.state.products[12] = {
        "id": 12,
        "clientid": 1,
        "pid": 3,
        "name": "Hospedagem Loja",
        "groupname": "Hospedagem",
        "domain": SHOP,
        "status": "Active",
        "nextduedate": "2026-12-28",
        "username": "anaenvios",
        "amount": "89.90",
        "serverid": 2,
    }
    with FakeWhm() as first, FakeWhm(state=WhmState(server=2)) as second:
        known = [
            WhmServer(
                server_id="1",
                hostname="srv1.dresbach.com.br",
                url=first.url,
                username="root",
                token=DEFAULT_TOKEN,
            ),
            WhmServer(
                server_id="2",
                hostname="srv2.dresbach.com.br",
                url=second.url,
                username="root",
                token=SECOND_TOKEN,
            ),
        ]

        async def servers() -> list[WhmServer]:
            return known

        panels = ServerPanels(servers=servers, default=None, clock=lambda: NOW)
        panels.fakes = (first, second)  # type: ignore[attr-defined]
        yield panels


def test_the_client_changes_an_a_record_on_the_shops_server(
    db: Database, whmcs: FakeWhmcs, two_servers: ServerPanels
) -> None:
    first, _ = two_servers.fakes  # type: ignore[attr-defined]
    service = changes(db, whmcs, Outbox(), two_servers)

    async def run() -> tuple[str, list[DnsRecord]]:
        records = await two_servers.dns_records(SHOP, server="2")
        before = next(r for r in records if r.kind == "A")
        edit = await service.record_edit("1", SHOP, before=before, name="@", value="177.70.1.10")
        await service.apply_record("5511900000000", "1", edit)
        return confirmation(edit), await two_servers.dns_records(SHOP, server="2")

    shown, after = asyncio.run(run())
    assert shown == (
        "Alterar um registro A de loja.anasouza.com.br\n\n"
        "*Antes:* loja.anasouza.com.br A 203.0.113.50\n*Depois:* loja.anasouza.com.br A 177.70.1.10"
    )
    assert [r.value for r in after if r.kind == "A"] == ["177.70.1.10"]
    assert not any(call[0] == "mass_edit_dns_zone" for call in first.state.calls)
    assert audited(db) == [
        (
            "dns_record_changed",
            "client 1: loja.anasouza.com.br: loja.anasouza.com.br A 203.0.113.50 -> "
            "loja.anasouza.com.br A 177.70.1.10",
        )
    ]


def test_the_client_adds_an_mx_and_removes_a_cname(
    db: Database, whmcs: FakeWhmcs, two_servers: ServerPanels
) -> None:
    service = changes(db, whmcs, Outbox(), two_servers)

    async def run() -> list[DnsRecord]:
        added = await service.record_edit(
            "1", SHOP, kind="MX", name="@", value="mx2.dresbach.com.br", priority="20"
        )
        await service.apply_record("x", "1", added)
        www = next(r for r in await two_servers.dns_records(SHOP, server="2") if r.kind == "CNAME")
        removal = await service.record_edit("1", SHOP, before=www, remove=True)
        await service.apply_record("x", "1", removal)
        return await two_servers.dns_records(SHOP, server="2")

    records = asyncio.run(run())
    assert (
        DnsRecord(name=SHOP, kind="MX", value="mx2.dresbach.com.br", ttl=14400, priority=20)
        in records
    )
    assert not any(r.kind == "CNAME" for r in records)
    assert [a for a, _ in audited(db)] == ["dns_record_added", "dns_record_removed"]


def test_a_bad_entry_never_reaches_whm(
    db: Database, whmcs: FakeWhmcs, two_servers: ServerPanels
) -> None:
    _, second = two_servers.fakes  # type: ignore[attr-defined]
    service = changes(db, whmcs, Outbox(), two_servers)
    with pytest.raises(Refused) as refused:
        asyncio.run(service.record_edit("1", SHOP, kind="A", name="www", value="10.1.2.3"))
    assert refused.value.text.startswith("O IP “10.1.2.3” é de rede interna")
    assert not any(call[0] == "mass_edit_dns_zone" for call in second.state.calls)


def test_an_edit_made_meanwhile_is_not_overwritten(
    db: Database, whmcs: FakeWhmcs, two_servers: ServerPanels
) -> None:
    """The client confirms a change to a record someone else changed after it was shown."""
    service = changes(db, whmcs, Outbox(), two_servers)

    async def run() -> None:
        before = next(r for r in await two_servers.dns_records(SHOP, server="2") if r.kind == "A")
        edit = await service.record_edit("1", SHOP, before=before, value="177.70.1.10")
        other = await service.record_edit("1", SHOP, before=before, value="177.70.1.99")
        await service.apply_record("x", "1", other)
        await service.apply_record("x", "1", edit)

    with pytest.raises(PermanentError, match="changed meanwhile"):
        asyncio.run(run())
    assert [a for a, _ in audited(db)] == ["dns_record_changed"]


def test_whm_refuses_a_stale_serial_and_a_bad_address(two_servers: ServerPanels) -> None:
    new = DnsRecord(name=f"blog.{SHOP}", kind="A", value="not-an-ip", ttl=300)
    line = '{"dname": "blog", "ttl": 300, "record_type": "A", "data": ["177.70.1.10"]}'

    async def run() -> None:
        panel = await two_servers.panel_for("2")
        with pytest.raises(PermanentError, match="is not a valid IPv4 address"):
            await panel.edit_record(SHOP, None, new)
        with pytest.raises(PermanentError, match=r"serial number \(2026120600\) does not match"):
            await panel._call("mass_edit_dns_zone", zone=SHOP, serial="2026120600", add=line)
        await panel.edit_record(SHOP, None, replace(new, value="177.70.1.10"))  # the real one

    asyncio.run(run())


def test_another_clients_zone_is_never_edited(
    db: Database, whmcs: FakeWhmcs, two_servers: ServerPanels
) -> None:
    service = changes(db, whmcs, Outbox(), two_servers)
    with pytest.raises(PermanentError, match="not this client's"):
        asyncio.run(service.record_edit("1", "bazar.com.br", kind="A", value="177.70.1.10"))


def test_the_registrar_is_whmcs_only_when_clients_live_there() -> None:
    from dresbach import wiring
    from dresbach.config import Secret, Settings

    whmcs = Settings(
        client_directory="whmcs",
        whmcs_url="http://127.0.0.1:9",
        whmcs_identifier="id",
        whmcs_secret=Secret("secret"),
        whmcs_document_field="7",
    )
    assert isinstance(wiring.registrar(whmcs), WhmcsRegistrar)
    assert wiring.registrar(Settings()) is None


# ---- the chat's jobs -------------------------------------------------------------------------


def test_a_record_line_is_read_and_checked() -> None:
    assert parse_line(ZONE, "@ MX 10 mail.anasouza.com.br") == DnsRecord(
        name=ZONE, kind="MX", value="mail.anasouza.com.br", ttl=14400, priority=10
    )
    assert parse_line(ZONE, '@ TXT "v=spf1 +a ~all"').value == "v=spf1 +a ~all"
    for bad in ("www", "www AAAA ::1", "@ MX mail.anasouza.com.br"):
        with pytest.raises(Refused) as refused:
            parse_line(ZONE, bad)
        assert refused.value.text == (
            "Não entendi o registro. Escreva o nome, o tipo e o valor numa linha, como: www "
            "CNAME anasouza.com.br"
        )


def test_the_chat_jobs_preview_refuse_and_make_a_record(
    db: Database, whmcs: FakeWhmcs, two_servers: ServerPanels
) -> None:
    """What the chat's jobs tell the conversation: the before/after, a refusal in pt-BR, and
    the change made on the server of the domain's hosting."""
    told: list[Any] = []

    async def tell(event: Any) -> None:
        told.append(event)

    service = changes(db, whmcs, Outbox(), two_servers)
    service.tell = tell
    whmcs.state.domains[33] = {
        "id": 33,
        "userid": 1,
        "domainname": SHOP,
        "status": "Active",
        "expirydate": "2027-05-01",
        "registrar": "enom",
    }

    def job(change: str, record: str) -> Job:
        payload = {"client_id": "1", "domain_id": "33", "change": change, "record": record}
        return Job(
            id=1,
            kind=change,
            command_id=f"c-{len(told)}",
            conversation_key="wa:1",
            payload=payload,
            attempts=0,
        )

    async def run() -> None:
        await service.preview_job(job("record_add", "blog A 10.1.1.1"))
        await service.preview_job(job("record_add", "blog A 177.70.1.20"))
        await service.apply_job(job("record_add", "blog A 177.70.1.20"))

    asyncio.run(run())
    refused, previewed, changed = told
    assert isinstance(refused, DomainChangeRefused)
    assert refused.text.startswith("O IP “10.1.1.1” é de rede interna")
    assert isinstance(previewed, DomainChangePreviewed)
    assert previewed.text.endswith(
        "*Antes:* nenhum\n*Depois:* blog.loja.anasouza.com.br A 177.70.1.20"
    )
    assert isinstance(changed, DomainChanged)
    assert changed.text.startswith("Pronto: o registro blog.loja.anasouza.com.br A 177.70.1.20")
    _, second = two_servers.fakes  # type: ignore[attr-defined]
    assert [c[0] for c in second.state.calls].count("mass_edit_dns_zone") == 1
