"""Many WHM servers (#15): the credentials per server kept sealed (SQLite and PostgreSQL), the
panel that sends each service to the server WHMCS places it on (two fake WHM servers on two
ports, with different accounts), `dresbach servers add/list/remove` and the doctor's row per
server."""

from __future__ import annotations

import asyncio
import functools
import io
from collections.abc import Callable, Coroutine, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ParamSpec

import httpx
import pytest
from sqlalchemy import select

from dresbach.cli.doctor_services import whm as doctor_whm
from dresbach.cli.main import main
from dresbach.config import Secret, Settings
from dresbach.features.client_area.adapters.whm_servers import (
    ServerPanels,
    ServerStore,
    WhmServer,
    mask_token,
)
from dresbach.features.client_area.adapters.whmcs import WhmcsDirectory
from dresbach.features.client_area.rows import client_rows
from dresbach.kernel.errors import PermanentError
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.schema import audit_log, whm_servers
from dresbach.platform.store.sealing import Sealer
from dresbach.wiring import account_usage
from tests.fakes import whmcs as whmcs_fake
from tests.fakes.whm import DEFAULT_TOKEN, SECOND_TOKEN, FakeWhm, WhmState
from tests.fakes.whmcs import FakeWhmcs

P = ParamSpec("P")


def run(test: Callable[P, Coroutine[Any, Any, None]]) -> Callable[P, None]:
    """An async test run in its own event loop (as the other adapter tests do)."""

    @functools.wraps(test)
    def sync(*args: P.args, **kwargs: P.kwargs) -> None:
        asyncio.run(test(*args, **kwargs))

    return sync


NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
KEY = "44" * 32
SEALER = Sealer.from_text(KEY)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    migrate(database_url)
    database = Database(database_url)
    yield database
    database.close()


@pytest.fixture
def two_servers() -> Iterator[tuple[FakeWhm, FakeWhm]]:
    with FakeWhm() as first, FakeWhm(state=WhmState(server=2)) as second:
        yield first, second


def server(server_id: str, whm: FakeWhm, token: str, host: str) -> WhmServer:
    return WhmServer(server_id=server_id, hostname=host, url=whm.url, username="root", token=token)


def both(first: FakeWhm, second: FakeWhm) -> list[WhmServer]:
    return [
        server("1", first, DEFAULT_TOKEN, "srv1.dresbach.com.br"),
        server("2", second, SECOND_TOKEN, "srv2.dresbach.com.br"),
    ]


def panels(known: list[WhmServer], default: WhmServer | None = None) -> ServerPanels:
    async def servers() -> list[WhmServer]:
        return known

    return ServerPanels(servers=servers, default=default, clock=lambda: NOW)


# ---- the table -------------------------------------------------------------------------------


def test_the_servers_are_kept_with_their_tokens_sealed(db: Database) -> None:
    store = ServerStore(db.engine, SEALER)
    token = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
    first = WhmServer(
        server_id="1",
        hostname="",
        url="https://srv1.dresbach.com.br:2087/",
        username="root",
        token=token,
    )
    assert store.add(first, now=NOW) is False

    with db.engine.connect() as connection:
        row = connection.execute(select(whm_servers)).one()
    assert token not in str(tuple(row))
    assert row.token_sealed.startswith("sealed:v1:")
    assert row.hostname == "srv1.dresbach.com.br"  # from the URL, when not given
    assert row.url == "https://srv1.dresbach.com.br:2087"

    (kept,) = store.servers()
    assert kept.token == token
    assert token not in repr(kept)
    assert kept.masked_token == "****2345"

    rotated = WhmServer(
        server_id="1",
        hostname="srv1.dresbach.com.br",
        url="https://srv1.dresbach.com.br:2087",
        username="root",
        token="NEWTOKEN" * 4,
    )
    assert store.add(rotated, now=NOW) is True
    assert [s.token for s in store.servers()] == ["NEWTOKEN" * 4]
    assert store.remove("1") is True
    assert store.remove("1") is False
    assert store.servers() == []


def test_a_server_without_a_token_or_a_url_is_refused(db: Database) -> None:
    store = ServerStore(db.engine, SEALER)
    with pytest.raises(ValueError, match="token"):
        store.add(
            WhmServer(server_id="1", hostname="", url="https://a:2087", username="root", token=""),
            now=NOW,
        )
    with pytest.raises(ValueError, match="URL"):
        store.add(
            WhmServer(server_id="1", hostname="", url="srv1:2087", username="root", token="x" * 20),
            now=NOW,
        )


def test_a_short_token_is_masked_whole() -> None:
    assert mask_token("abc") == "****"


# ---- routing to the right server -------------------------------------------------------------


@run
async def test_each_account_opens_on_its_own_server(two_servers: tuple[FakeWhm, FakeWhm]) -> None:
    first, second = two_servers
    panel = panels(both(first, second))

    shop = await panel.access_link("anaenvios", "cpanel", server="2")
    site = await panel.access_link("anasouza", "cpanel", server="1")
    assert shop.url.startswith(second.url)
    assert site.url.startswith(first.url)
    async with httpx.AsyncClient() as browser:
        opened = await browser.get(shop.url)
        assert opened.text.endswith("cpaneld: logged in as anaenvios</body></html>")
        assert (await browser.get(site.url)).status_code == 200

    # the hostname alone is enough when WHMCS gives no id
    mail = await panel.access_link(
        "anaenvios",
        "webmail",
        mailbox="pedidos@loja.anasouza.com.br",
        hostname="SRV2.dresbach.com.br",
    )
    assert mail.url.startswith(second.url)
    assert (await panel.account_summary("anaenvios", server="2")).disk_used_mb == 9800.0
    await panel.aclose()


@run
async def test_an_account_is_never_looked_for_on_another_server(
    two_servers: tuple[FakeWhm, FakeWhm],
) -> None:
    first, second = two_servers
    panel = panels(both(first, second), default=server("default", first, DEFAULT_TOKEN, "x"))
    with pytest.raises(PermanentError, match="no credentials for the server 3"):
        await panel.access_link("anasouza", "cpanel", server="3")
    # the second server does not know the first one's account: WHM says so, nothing else
    with pytest.raises(PermanentError, match="does not exist"):
        await panel.access_link("anasouza", "cpanel", server="2")
    assert not any(call[0] == "create_user_session" for call in first.state.calls)
    await panel.aclose()


@run
async def test_with_no_server_in_the_table_the_settings_server_serves_all(
    two_servers: tuple[FakeWhm, FakeWhm],
) -> None:
    first, _ = two_servers
    panel = panels([], default=server("default", first, DEFAULT_TOKEN, "127.0.0.1"))
    link = await panel.access_link("anasouza", "cpanel", server="7", hostname="srv7.example")
    assert link.url.startswith(first.url)
    with pytest.raises(PermanentError, match="no server configured"):
        await panels([]).dns_records("anasouza.com.br")
    await panel.aclose()


@run
async def test_a_service_on_no_server_goes_to_the_only_one(
    two_servers: tuple[FakeWhm, FakeWhm],
) -> None:
    first, second = two_servers
    only = panels([server("2", second, SECOND_TOKEN, "srv2.dresbach.com.br")])
    assert (await only.access_link("bazar", "cpanel")).url.startswith(second.url)
    with pytest.raises(PermanentError):
        await panels(both(first, second)).access_link("bazar", "cpanel")
    await only.aclose()


@run
async def test_new_credentials_make_a_new_client(two_servers: tuple[FakeWhm, FakeWhm]) -> None:
    first, _ = two_servers
    known = [server("1", first, "WRONGTOKEN" * 3, "srv1.dresbach.com.br")]

    async def servers() -> list[WhmServer]:
        return known

    panel = ServerPanels(servers=servers, default=None, clock=lambda: NOW)
    with pytest.raises(PermanentError, match="401"):
        await panel.access_link("anasouza", "cpanel", server="1")
    known[0] = server("1", first, DEFAULT_TOKEN, "srv1.dresbach.com.br")
    assert (await panel.access_link("anasouza", "cpanel", server="1")).url.startswith(first.url)
    await panel.aclose()


@run
async def test_a_client_with_services_on_both_servers_sees_each_ones_dns_and_links(
    two_servers: tuple[FakeWhm, FakeWhm],
) -> None:
    """WHMCS places Ana's site on server 1 and her shop on server 2: the DNS of each domain and
    the access link of each service come from the server WHMCS names."""
    first, second = two_servers
    with FakeWhmcs() as whmcs:
        whmcs.state.products[12] = {
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
        directory = WhmcsDirectory(
            url=whmcs.url,
            identifier=whmcs_fake.DEFAULT_IDENTIFIER,
            secret=whmcs_fake.DEFAULT_SECRET,
            document_field=whmcs_fake.DOCUMENT_FIELD_ID,
            clock=lambda: NOW,
        )
        services = {s.domain: s for s in await directory.services("1")}
        assert services["loja.anasouza.com.br"].server_id == "2"
        assert services["loja.anasouza.com.br"].server_hostname == "srv2.dresbach.com.br"
        assert services["anasouza.com.br"].server_id == "1"

        panel = panels(both(first, second))
        shop = await client_rows(directory, panel, "1", "dns", "loja.anasouza.com.br")
        site = await client_rows(directory, panel, "1", "dns", "anasouza.com.br")
        await directory.aclose()
    assert dict(shop[0]) == {
        "name": "loja.anasouza.com.br",
        "type": "A",
        "value": "203.0.113.50",
        "ttl": "14400",
    }
    assert any(dict(r).get("value") == "203.0.113.10" for r in site)
    assert [c[0] for c in second.state.calls] == ["parse_dns_zone"]
    await panel.aclose()


# ---- the command and the doctor --------------------------------------------------------------


def test_the_operator_adds_lists_and_removes_a_server(
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DRESBACH_SANDBOX", "1")
    monkeypatch.setenv("DRESBACH_DATABASE_URL", database_url)
    monkeypatch.setenv("DRESBACH_SECRET_KEY", KEY)
    migrate(database_url)
    token = "TOKENOFSERVERTWO0000000000009876"
    monkeypatch.setattr("sys.stdin", io.StringIO(token + "\n"))
    add = ["servers", "add", "--id", "2", "--url", "https://srv2.dresbach.com.br:2087"]
    assert main([*add, "--token-stdin"]) == 0
    assert capsys.readouterr().out == "Servidor 2 cadastrado (token ****9876).\n"

    assert main(["servers", "list"]) == 0
    listed = capsys.readouterr().out
    assert listed == (
        "2  srv2.dresbach.com.br  https://srv2.dresbach.com.br:2087  root  ****9876\n"
    )
    assert token not in listed

    assert main(["servers", "remove", "--id", "2"]) == 0
    assert main(["servers", "remove", "--id", "2"]) == 1
    assert main(["servers", "list"]) == 0
    assert "Nenhum servidor cadastrado" in capsys.readouterr().out

    database = Database(database_url)
    with database.engine.connect() as connection:
        actions = [r.action for r in connection.execute(select(audit_log.c.action))]
    database.close()
    assert actions == ["whm_server_added", "whm_server_removed"]


def test_the_doctor_checks_each_server(
    database_url: str, db: Database, two_servers: tuple[FakeWhm, FakeWhm]
) -> None:
    first, second = two_servers
    store = ServerStore(db.engine, SEALER)
    store.add(server("1", first, DEFAULT_TOKEN, "srv1.dresbach.com.br"), now=NOW)
    store.add(server("2", second, DEFAULT_TOKEN, "srv2.dresbach.com.br"), now=NOW)  # wrong one
    settings = Settings(
        database_url=database_url,
        secret_key=Secret(KEY),
        hosting_panel="whm",
        whm_url=first.url,
        whm_token=Secret(DEFAULT_TOKEN),
    )
    rows = {f.check: (f.status, f.detail) for f in doctor_whm(settings, 3.0)}
    assert rows["WHM"][0] == "ok"
    assert rows["WHM 1 (srv1.dresbach.com.br)"] == ("ok", "WHM 11.130.0.7 respondeu")
    status, detail = rows["WHM 2 (srv2.dresbach.com.br)"]
    assert status == "falha"
    assert detail == "o WHM recusou o token (401): confira `dresbach servers add --id 2`"
    assert DEFAULT_TOKEN not in str(rows)


def test_the_doctor_says_when_no_server_is_known(database_url: str, db: Database) -> None:
    settings = Settings(database_url=database_url, secret_key=Secret(KEY), hosting_panel="whm")
    (finding,) = doctor_whm(settings, 1.0)
    assert finding.status == "falha"
    assert "dresbach servers add" in finding.detail


@run
async def test_the_site_checks_read_an_accounts_usage_on_the_server_that_hosts_it(
    two_servers: tuple[FakeWhm, FakeWhm],
) -> None:
    """The site checks' `AccountUsage` port is the panels over every server (`wiring`), asked
    with the service's `serverhostname`: the usage comes from that server, never another."""
    first, second = two_servers
    panel = panels(both(first, second))
    usage = account_usage(panel)
    assert usage is panel
    summary = await usage.account_summary("anaenvios", hostname="srv2.dresbach.com.br")
    assert summary.disk_used_mb == 9800.0
    with pytest.raises(PermanentError):
        await usage.account_summary("anaenvios", hostname="srv9.elsewhere.com.br")
    await panel.aclose()
