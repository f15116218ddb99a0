"""The embedded LocalPanel: demo links, always marked demo, and DNS records from a lookup."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from dresbach.features.client_area.adapters.hosting_local import LocalPanel
from dresbach.features.client_area.hosting import AccessKind, DnsRecord
from dresbach.features.client_area.ports import HostingPanel
from dresbach.kernel.errors import PermanentError

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
RECORDS = [
    DnsRecord(name="anasouza.com.br", kind="A", value="203.0.113.10", ttl=14400),
    DnsRecord(name="anasouza.com.br", kind="MX", value="mail.anasouza.com.br", priority=0),
]


def panel(records: Callable[[str], Awaitable[list[DnsRecord]]] | None = None) -> LocalPanel:
    return LocalPanel(base_url="https://bot.dresbach.com.br/", clock=lambda: NOW, records=records)


def test_it_is_a_hosting_panel() -> None:
    port: HostingPanel = panel()
    assert asyncio.run(port.dns_records("anasouza.com.br")) == []


@pytest.mark.parametrize("kind", ["cpanel", "webmail", "whm"])
def test_demo_links_are_marked_demo(kind: AccessKind) -> None:
    link = asyncio.run(panel().access_link("anasouza", kind))
    assert link.demo is True
    assert link.url == f"https://bot.dresbach.com.br/demo/{kind}/anasouza"
    assert link.expires_at == NOW + timedelta(minutes=15)


def test_a_mailbox_opens_its_demo_webmail() -> None:
    link = asyncio.run(
        panel().access_link("anasouza", "webmail", mailbox=" Contato@AnaSouza.com.br ")
    )
    assert link.url == (
        "https://bot.dresbach.com.br/demo/webmail/anasouza?mailbox=contato@anasouza.com.br"
    )
    assert link.demo is True


def test_the_username_is_quoted() -> None:
    link = asyncio.run(panel().access_link("ana souza/../x?y", "cpanel"))
    assert link.url == "https://bot.dresbach.com.br/demo/cpanel/ana%20souza%2F..%2Fx%3Fy"


@pytest.mark.parametrize(
    ("username", "kind", "mailbox", "message"),
    [
        ("anasouza", "ftp", None, "unknown access kind"),
        ("  ", "cpanel", None, "username is empty"),
        ("anasouza", "cpanel", "contato@anasouza.com.br", "only opens Webmail"),
    ],
)
def test_bad_requests(username: str, kind: Any, mailbox: str | None, message: str) -> None:
    with pytest.raises(PermanentError, match=message):
        asyncio.run(panel().access_link(username, kind, mailbox=mailbox))


def test_dns_records_come_from_the_injected_lookup() -> None:
    asked: list[str] = []

    async def lookup(domain: str) -> list[DnsRecord]:
        asked.append(domain)
        return RECORDS if domain == "anasouza.com.br" else []

    local = panel(records=lookup)
    assert asyncio.run(local.dns_records(" AnaSouza.com.br. ")) == RECORDS
    assert asyncio.run(local.dns_records("outro.com.br")) == []
    assert asked == ["anasouza.com.br", "outro.com.br"]


def test_without_a_lookup_there_are_no_records() -> None:
    assert asyncio.run(panel().dns_records("anasouza.com.br")) == []
