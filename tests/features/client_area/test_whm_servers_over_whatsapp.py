"""A client with services on two WHM servers, over WhatsApp (#15): Ana's site is on server 1, her
shop on server 2 (WHMCS says so); each cPanel link she asks for opens on that service's server,
with the credentials kept in `whm_servers` and no `WHM_URL` at all."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller

from dresbach.config import Secret
from dresbach.features.client_area.adapters.whm_servers import ServerStore, WhmServer
from tests.fakes import whmcs as whmcs_fake
from tests.fakes.whm import DEFAULT_TOKEN, SECOND_TOKEN, FakeWhm, WhmState
from tests.fakes.whmcs import FakeWhmcs
from tests.features.client_area.test_client_area_whmcs_whm import Mailbox, options, to_home, until
from tests.support.servers import free_port
from tests.support.stack_fixtures import Stack

USER = "5511933334444"
SHOP = {
    "id": 12,
    "clientid": 1,
    "pid": 3,
    "name": "Hospedagem Loja",
    "groupname": "Hospedagem",
    "domain": "loja.anasouza.com.br",
    "status": "Active",
    "nextduedate": "2026-12-28",
    "username": "anaenvios",
    "amount": "89.90",
    "serverid": 2,
}


@pytest.fixture
def backends() -> Iterator[tuple[FakeWhmcs, FakeWhm, FakeWhm, Mailbox, int]]:
    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    with FakeWhmcs() as whmcs, FakeWhm() as first, FakeWhm(state=WhmState(server=2)) as second:
        whmcs.state.products[12] = dict(SHOP)
        yield whmcs, first, second, box, port
    controller.stop()


def port_of(url: str) -> int | None:
    return urlsplit(url).port


def test_each_cpanel_link_opens_on_its_services_server(  # type: ignore[no-untyped-def]
    stack_factory, sqlite_url: str, backends
) -> None:
    whmcs, first, second, box, port = backends
    stack: Stack = stack_factory(
        sqlite_url,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_starttls="false",
        secret_key=Secret("55" * 32),
        client_directory="whmcs",
        whmcs_url=whmcs.url,
        whmcs_identifier=whmcs_fake.DEFAULT_IDENTIFIER,
        whmcs_secret=Secret(whmcs_fake.DEFAULT_SECRET),
        whmcs_document_field=whmcs_fake.DOCUMENT_FIELD_ID,
        hosting_panel="whm",
    )
    store = ServerStore(stack.container.db.engine, stack.container.sealer)
    now = datetime.now(UTC)
    for server_id, whm, token in (("1", first, DEFAULT_TOKEN), ("2", second, SECOND_TOKEN)):
        host = f"srv{server_id}.dresbach.com.br"
        held = WhmServer(server_id=server_id, hostname=host, url=whm.url, username="", token=token)
        store.add(held, now=now)

    c = stack.customer(USER)
    c.says("oi")
    c.taps("Área do Cliente")
    c.says("52998224725")
    until(c, c.says(whmcs_fake.PASSWORDS["ana@anasouza.com.br"]), lambda r: "código" in str(r))
    body = box.messages[-1].get_payload(decode=True).decode()  # type: ignore[union-attr]
    code = re.search(r"\b(\d{6})\b", body).group(1)  # type: ignore[union-attr]
    until(c, c.says(code), lambda r: "Serviços ativos" in options(r))

    # the customer asks for the shop's cPanel: the link is the second server's
    services = until(c, c.taps("Acessos"), lambda r: "loja.anasouza.com.br" in options(r))
    assert "anasouza.com.br" in options(services)
    until(c, c.taps("loja.anasouza.com.br"), lambda r: "cPanel" in options(r))
    shop = until(c, c.taps("cPanel"), lambda r: "cpsess" in str(r))
    assert f"127.0.0.1:{second.port}" in str(shop)
    assert f"127.0.0.1:{first.port}" not in str(shop)
    to_home(c)

    # then the site's: the first server's
    until(c, c.taps("Acessos"), lambda r: "anasouza.com.br" in options(r))
    until(c, c.taps("anasouza.com.br"), lambda r: "cPanel" in options(r))
    site = until(c, c.taps("cPanel"), lambda r: "cpsess" in str(r))
    assert f"127.0.0.1:{first.port}" in str(site)
    assert f"127.0.0.1:{second.port}" not in str(site)

    assert [s["user"] for s in second.state.sessions.values()] == ["anaenvios"]
    assert [s["user"] for s in first.state.sessions.values()] == ["anasouza"]
