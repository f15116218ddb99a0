"""WHM ``accountsummary`` through the real WhmPanel: against the fake WHM over HTTP on
127.0.0.1, and odd answers through httpx.MockTransport (#15.2)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
import pytest

from dresbach.features.client_area.adapters.whm import WhmPanel
from dresbach.features.client_area.hosting import AccountSummary
from dresbach.features.sitecheck.ports import AccountUsage
from dresbach.kernel.errors import PermanentError
from tests.fakes.whm import DEFAULT_TOKEN, RESELLER_TOKEN, FakeWhm, WhmState

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def server() -> Iterator[FakeWhm]:
    with FakeWhm(state=WhmState(clock=lambda: NOW)) as running:
        yield running


@pytest.fixture
def whm(server: FakeWhm) -> FakeWhm:
    server.state.reset()
    return server


def summary(
    username: str, *, url: str = "https://whm.invalid:2087", **options: Any
) -> AccountSummary:
    async def main() -> AccountSummary:
        settings: dict[str, Any] = {
            "url": url,
            "user": "root",
            "token": DEFAULT_TOKEN,
            "clock": lambda: NOW,
            "timeout": 5.0,
        }
        settings.update(options)
        panel = WhmPanel(**settings)
        try:
            port: AccountUsage = panel
            return await port.account_summary(username)
        finally:
            await panel.aclose()

    return asyncio.run(main())


def test_an_account_s_usage_and_state(whm: FakeWhm) -> None:
    assert summary("anasouza", url=whm.url) == AccountSummary(
        username="anasouza",
        domain="anasouza.com.br",
        disk_used_mb=512.0,
        disk_limit_mb=10240.0,
        inodes_used=1234,
        inodes_limit=None,
        suspended=False,
        suspend_reason=None,
        ip="203.0.113.10",
        ipv6=(),
    )
    assert whm.state.calls == [("accountsummary", {"user": "anasouza"}, 200)]


def test_a_full_suspended_account(whm: FakeWhm) -> None:
    whm.state.add_account(
        "cheio",
        domain="cheio.com.br",
        suspended=True,
        suspend_reason="Overdue on Payment",
        disk_used="2048M",
        disk_limit="2000M",
        inodes_used=250_000,
        inodes_limit=250_000,
        ip="203.0.113.40",
        ipv6=("2001:db8::40",),
    )
    found = summary("cheio", url=whm.url)
    assert (found.disk_used_mb, found.disk_limit_mb) == (2048.0, 2000.0)
    assert (found.inodes_used, found.inodes_limit) == (250_000, 250_000)
    assert (found.suspended, found.suspend_reason) == (True, "Overdue on Payment")
    assert (found.ip, found.ipv6) == ("203.0.113.40", ("2001:db8::40",))


def test_the_seeded_suspended_account(whm: FakeWhm) -> None:
    found = summary("suspenso", url=whm.url)
    assert (found.suspended, found.suspend_reason) == (True, "Pagamento em atraso")


def test_an_unknown_account(whm: FakeWhm) -> None:
    with pytest.raises(PermanentError, match="does not exist"):
        summary("ninguem", url=whm.url)


def test_a_reseller_sees_only_its_own_accounts(whm: FakeWhm) -> None:
    assert summary("clienterevenda", url=whm.url, user="techsol", token=RESELLER_TOKEN)
    with pytest.raises(PermanentError, match="403"):
        summary("anasouza", url=whm.url, user="techsol", token=RESELLER_TOKEN)


def test_an_invalid_username_never_reaches_whm(whm: FakeWhm) -> None:
    with pytest.raises(PermanentError, match="invalid cPanel username"):
        summary("../etc", url=whm.url)
    assert whm.state.calls == []


def answering(account: dict[str, Any] | None) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        data = {"acct": [account]} if account is not None else {"acct": []}
        body = {"data": data, "metadata": {"result": 1, "reason": "OK", "version": 1}}
        return httpx.Response(200, content=orjson.dumps(body))

    return httpx.MockTransport(handler)


@pytest.mark.parametrize(
    ("used", "limit", "megabytes"),
    [
        ("1.5G", "unlimited", (1536.0, None)),
        ("900K", "10240M", (900 / 1024, 10240.0)),
        ("300", "1T", (300.0, 1024.0 * 1024)),
        (12.5, "none", (12.5, None)),
        ("512 MB", "2 GB", (512.0, 2048.0)),
    ],
)
def test_sizes_in_any_unit(used: object, limit: str, megabytes: tuple[float, float | None]) -> None:
    account = {"user": "u", "domain": "u.com.br", "diskused": used, "disklimit": limit}
    found = summary("u", transport=answering(account))
    assert (found.disk_used_mb, found.disk_limit_mb) == megabytes
    assert (found.inodes_used, found.inodes_limit) == (None, None)


@pytest.mark.parametrize(("limit", "expected"), [("0", None), (0, None), ("1000", 1000)])
def test_an_inode_limit_of_zero_is_no_limit(limit: object, expected: int | None) -> None:
    account = {"user": "u", "diskused": "1M", "inodesused": "12", "inodeslimit": limit}
    found = summary("u", transport=answering(account))
    assert (found.inodes_used, found.inodes_limit) == (12, expected)


def test_an_answer_without_the_account_or_its_usage_is_refused() -> None:
    with pytest.raises(PermanentError, match="no account"):
        summary("u", transport=answering(None))
    with pytest.raises(PermanentError, match="no disk usage"):
        summary("u", transport=answering({"user": "u", "diskused": "muito"}))
