"""The real WhmPanel against the fake WHM over HTTP on 127.0.0.1 (and odd answers through
httpx.MockTransport); the fake's own listaccts / accountsummary."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import httpx
import pytest

from dresbach.features.client_area.adapters.whm import WhmPanel
from dresbach.features.client_area.hosting import DnsRecord
from dresbach.features.client_area.ports import HostingPanel
from dresbach.kernel.errors import PermanentError, TransientError
from tests.fakes.whm import DEFAULT_TOKEN, RESELLER_TOKEN, FakeWhm, WhmState

T = TypeVar("T")
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def server() -> Iterator[FakeWhm]:
    with FakeWhm(state=WhmState(clock=lambda: NOW)) as running:
        yield running


@pytest.fixture
def whm(server: FakeWhm) -> FakeWhm:
    server.state.reset()
    return server


def run(whm: FakeWhm | None, scenario: Callable[[WhmPanel], Awaitable[T]], **changes: Any) -> T:
    async def main() -> T:
        options: dict[str, Any] = {
            "url": whm.url if whm is not None else "https://whm.invalid:2087",
            "user": "root",
            "token": DEFAULT_TOKEN,
            "clock": lambda: NOW,
            "timeout": 5.0,
        }
        options.update(changes)
        panel = WhmPanel(**options)
        try:
            return await scenario(panel)
        finally:
            await panel.aclose()

    return asyncio.run(main())


def functions(whm: FakeWhm) -> list[str]:
    return [function for function, _, _ in whm.state.calls]


def params_of(whm: FakeWhm, function: str) -> list[dict[str, str]]:
    return [params for name, params, _ in whm.state.calls if name == function]


def test_it_is_a_hosting_panel(whm: FakeWhm) -> None:
    async def scenario(panel: WhmPanel) -> None:
        port: HostingPanel = panel
        assert await port.dns_records("clienterevenda.com.br")

    run(whm, scenario)


# ---- access links ------------------------------------------------------------------------------


def test_a_cpanel_link_logs_in_once(whm: FakeWhm) -> None:
    link = run(whm, lambda p: p.access_link("anasouza", "cpanel"))
    assert link.url.startswith(f"{whm.url}/cpsess")
    assert "session=anasouza:" in link.url
    assert link.expires_at == NOW + timedelta(seconds=900)  # data.expires
    assert link.demo is False
    assert params_of(whm, "create_user_session") == [{"user": "anasouza", "service": "cpaneld"}]
    first = httpx.get(link.url)
    assert first.status_code == 200
    assert "logged in as anasouza" in first.text
    assert httpx.get(link.url).status_code == 401  # single use


def test_webmail_of_the_account(whm: FakeWhm) -> None:
    link = run(whm, lambda p: p.access_link("anasouza", "webmail"))
    assert params_of(whm, "create_user_session") == [{"user": "anasouza", "service": "webmaild"}]
    assert "session=anasouza:" in link.url


def test_webmail_of_one_mailbox_checks_it_belongs_to_the_account(whm: FakeWhm) -> None:
    link = run(
        whm, lambda p: p.access_link("anasouza", "webmail", mailbox=" Contato@AnaSouza.com.br ")
    )
    assert "session=contato@anasouza.com.br:" in link.url
    assert functions(whm) == ["uapi_cpanel", "create_user_session"]
    assert params_of(whm, "uapi_cpanel") == [
        {"cpanel.user": "anasouza", "cpanel.module": "Email", "cpanel.function": "list_pops"}
    ]
    assert params_of(whm, "create_user_session") == [
        {"user": "contato@anasouza.com.br", "service": "webmaild"}
    ]


def test_a_mailbox_of_another_account_is_refused(whm: FakeWhm) -> None:
    with pytest.raises(PermanentError, match="not one of anasouza's"):
        run(
            whm,
            lambda p: p.access_link(
                "anasouza", "webmail", mailbox="financeiro@techsolutions.com.br"
            ),
        )
    assert "create_user_session" not in functions(whm)


@pytest.mark.parametrize(
    ("username", "kind", "mailbox", "message"),
    [
        ("anasouza", "cpanel", "contato@anasouza.com.br", "only opens Webmail"),
        ("anasouza", "webmail", "not-an-address", "invalid mailbox"),
        ("ana souza", "cpanel", None, "invalid cPanel username"),
        ("../root", "cpanel", None, "invalid cPanel username"),
        ("", "cpanel", None, "invalid cPanel username"),
        ("anasouza", "ftp", None, "unknown access kind"),
    ],
)
def test_bad_requests_cost_no_call(
    whm: FakeWhm, username: str, kind: Any, mailbox: str | None, message: str
) -> None:
    with pytest.raises(PermanentError, match=message):
        run(whm, lambda p: p.access_link(username, kind, mailbox=mailbox))
    assert whm.state.calls == []


def test_whm_for_a_reseller_only(whm: FakeWhm) -> None:
    link = run(whm, lambda p: p.access_link("techsol", "whm"))
    assert "session=techsol:" in link.url
    assert params_of(whm, "create_user_session")[0]["service"] == "whostmgrd"
    with pytest.raises(PermanentError, match="is not a reseller"):
        run(whm, lambda p: p.access_link("anasouza", "whm"))


def test_an_unknown_user_is_metadata_result_0(whm: FakeWhm) -> None:
    with pytest.raises(PermanentError, match="“ninguem” does not exist") as caught:
        run(whm, lambda p: p.access_link("ninguem", "cpanel"))
    assert not isinstance(caught.value, TransientError)
    assert whm.state.calls[-1][2] == 200


def test_a_reseller_token_reaches_only_its_accounts(whm: FakeWhm) -> None:
    link = run(
        whm,
        lambda p: p.access_link("clienterevenda", "cpanel"),
        user="techsol",
        token=RESELLER_TOKEN,
    )
    assert "session=clienterevenda:" in link.url
    with pytest.raises(PermanentError, match="HTTP 403") as caught:
        run(
            whm,
            lambda p: p.access_link("anasouza", "cpanel"),
            user="techsol",
            token=RESELLER_TOKEN,
        )
    assert caught.value.code == 403
    with pytest.raises(PermanentError, match="HTTP 403"):
        run(
            whm,
            lambda p: p.dns_records("anasouza.com.br"),
            user="techsol",
            token=RESELLER_TOKEN,
        )


def test_a_wrong_token_is_a_permanent_401(whm: FakeWhm) -> None:
    with pytest.raises(PermanentError, match="HTTP 401") as caught:
        run(whm, lambda p: p.access_link("anasouza", "cpanel"), token="wrong")
    assert caught.value.code == 401


@pytest.mark.parametrize(
    ("reason", "error"),
    [
        ("Timed out waiting for the lock on /var/cpanel/users/anasouza", TransientError),
        ("The server is busy. Try again later.", TransientError),
        ("cpsrvd is temporarily unavailable", TransientError),
        ("The account “anasouza” is suspended.", PermanentError),
    ],
)
def test_metadata_result_0_says_whether_a_retry_helps(
    whm: FakeWhm, reason: str, error: type[Exception]
) -> None:
    whm.state.fail_next_reason(reason)
    with pytest.raises(error, match=reason[:20]) as caught:
        run(whm, lambda p: p.access_link("anasouza", "cpanel"))
    assert type(caught.value) is error


def test_a_suspended_account_gets_no_cpanel_session(whm: FakeWhm) -> None:
    with pytest.raises(PermanentError, match="suspended"):
        run(whm, lambda p: p.access_link("suspenso", "cpanel"))


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_is_transient(whm: FakeWhm, status: int) -> None:
    whm.fail_next(status)
    with pytest.raises(TransientError) as caught:
        run(whm, lambda p: p.access_link("anasouza", "cpanel"))
    assert caught.value.code == status
    assert run(whm, lambda p: p.access_link("anasouza", "cpanel")).url


def test_a_slow_whm_beyond_the_timeout_is_transient(whm: FakeWhm) -> None:
    whm.state.delay = 1.0
    with pytest.raises(TransientError, match="timeout"):
        run(whm, lambda p: p.dns_records("anasouza.com.br"), timeout=0.3)


# ---- DNS ---------------------------------------------------------------------------------------


def test_dns_records_decoded_and_filtered(whm: FakeWhm) -> None:
    records = run(whm, lambda p: p.dns_records("AnaSouza.com.br."))
    assert params_of(whm, "parse_dns_zone") == [{"zone": "anasouza.com.br"}]
    assert records == [
        DnsRecord(name="anasouza.com.br", kind="A", value="203.0.113.10", ttl=14400),
        DnsRecord(name="anasouza.com.br", kind="AAAA", value="2001:db8::10", ttl=14400),
        DnsRecord(name="www.anasouza.com.br", kind="CNAME", value="anasouza.com.br", ttl=14400),
        # No TTL on the line: the zone's $TTL; a relative target completed with the origin.
        DnsRecord(name="ftp.anasouza.com.br", kind="CNAME", value="www.anasouza.com.br", ttl=14400),
        DnsRecord(
            name="anasouza.com.br",
            kind="MX",
            value="mail.anasouza.com.br",
            ttl=14400,
            priority=0,
        ),
        DnsRecord(
            name="anasouza.com.br",
            kind="MX",
            value="mx2.dresbach.com.br",
            ttl=14400,
            priority=10,
        ),
        DnsRecord(name="mail.anasouza.com.br", kind="A", value="203.0.113.11", ttl=300),
        DnsRecord(
            name="anasouza.com.br",
            kind="TXT",
            value="v=spf1 +a +mx include:_spf.dresbach.com.br ~all",
            ttl=14400,
        ),
        DnsRecord(
            name="default._domainkey.anasouza.com.br",
            kind="TXT",
            value="v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0B"
            "AQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo",
            ttl=14400,
        ),
        # Bytes that are not UTF-8 survive, replaced.
        DnsRecord(name="legado.anasouza.com.br", kind="TXT", value="caf\ufffd antigo", ttl=14400),
    ]
    assert {r.kind for r in records} == {"A", "AAAA", "CNAME", "MX", "TXT"}  # no SOA, NS, SRV


def test_dns_records_use_the_zone_ttl(whm: FakeWhm) -> None:
    records = run(whm, lambda p: p.dns_records("techsolutions.com.br"))
    assert [(r.kind, r.name, r.value, r.ttl, r.priority) for r in records] == [
        ("A", "techsolutions.com.br", "203.0.113.20", 3600, None),
        ("CNAME", "www.techsolutions.com.br", "techsolutions.com.br", 3600, None),
        ("MX", "techsolutions.com.br", "mail.techsolutions.com.br", 3600, 5),
    ]


def test_an_unknown_zone_is_permanent(whm: FakeWhm) -> None:
    with pytest.raises(PermanentError, match="does not exist"):
        run(whm, lambda p: p.dns_records("naoexiste.com.br"))


@pytest.mark.parametrize("domain", ["", "exa mple.com", "localhost", "a..b.com", "x/../y.com"])
def test_an_invalid_domain_costs_no_call(whm: FakeWhm, domain: str) -> None:
    with pytest.raises(PermanentError, match="invalid domain"):
        run(whm, lambda p: p.dns_records(domain))
    assert whm.state.calls == []


def test_an_idn_domain_is_asked_in_punycode(whm: FakeWhm) -> None:
    with pytest.raises(PermanentError, match="does not exist"):
        run(whm, lambda p: p.dns_records("pão.com.br"))
    assert params_of(whm, "parse_dns_zone") == [{"zone": "xn--po-sia.com.br"}]


# ---- the wire, through MockTransport -----------------------------------------------------------


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def mock(answer: Callable[[httpx.Request], httpx.Response]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == f"whm root:{DEFAULT_TOKEN}"
        assert request.url.params["api.version"] == "1"
        return answer(request)

    return httpx.MockTransport(handler)


def envelope(data: object, result: int = 1, reason: str = "OK") -> dict[str, Any]:
    return {"data": data, "metadata": {"command": "x", "reason": reason, "result": result}}


def test_origin_control_lines_and_malformed_records() -> None:
    payload = [
        {"line_index": 0, "type": "control", "text_b64": b64("$ORIGIN sub.example.com.")},
        {"line_index": 1, "type": "control", "text_b64": b64("$TTL 600")},
        {"line_index": 2, "type": "record", "dname_b64": b64("www"), "record_type": "A",
         "data_b64": [b64("192.0.2.1")]},
        {"line_index": 3, "type": "record", "dname_b64": b64("@"), "record_type": "TXT",
         "ttl": "60", "data_b64": [b64("a"), b64("b")]},
        {"line_index": 4, "type": "record", "dname_b64": "%%%not-base64", "record_type": "A",
         "data_b64": [b64("192.0.2.2")]},
        {"line_index": 5, "type": "record", "dname_b64": b64("mx"), "record_type": "MX",
         "data_b64": [b64("high")]},
        {"line_index": 6, "type": "record", "dname_b64": b64("x"), "record_type": "CNAME",
         "data_b64": []},
    ]  # fmt: skip
    transport = mock(lambda request: httpx.Response(200, json=envelope({"payload": payload})))
    records = run(None, lambda p: p.dns_records("example.com"), transport=transport)
    assert records == [
        DnsRecord(name="www.sub.example.com", kind="A", value="192.0.2.1", ttl=600),
        DnsRecord(name="sub.example.com", kind="TXT", value="ab", ttl=60),
    ]


@pytest.mark.parametrize(
    ("expires", "expected"),
    [
        (1_795_619_700, datetime(2026, 11, 25, 15, 15, tzinfo=UTC)),
        ("1795619700", datetime(2026, 11, 25, 15, 15, tzinfo=UTC)),
        (None, NOW + timedelta(minutes=15)),
        ("soon", NOW + timedelta(minutes=15)),
    ],
)
def test_the_expiry_comes_from_data_expires(expires: object, expected: datetime) -> None:
    data = {
        "url": "https://srv1.dresbach.com.br:2083/cpsess1/login/?session=a:b",
        "expires": expires,
    }
    transport = mock(lambda request: httpx.Response(200, json=envelope(data)))
    link = run(None, lambda p: p.access_link("anasouza", "cpanel"), transport=transport)
    assert link.expires_at == expected


@pytest.mark.parametrize(
    ("response", "error", "message"),
    [
        (httpx.Response(200, json=envelope({"expires": 1})), PermanentError, "no login URL"),
        (httpx.Response(200, json={"status": 0}), PermanentError, "no metadata"),
        (httpx.Response(200, content=b"<html>cpsrvd</html>"), PermanentError, "not JSON"),
        (httpx.Response(404, content=b""), PermanentError, "HTTP 404"),
        (httpx.Response(429, content=b""), TransientError, "HTTP 429"),
    ],
)
def test_odd_answers(response: httpx.Response, error: type[Exception], message: str) -> None:
    transport = mock(lambda request: response)
    with pytest.raises(error, match=message):
        run(None, lambda p: p.access_link("anasouza", "cpanel"), transport=transport)


def test_a_uapi_failure_inside_a_successful_envelope() -> None:
    uapi = {"status": 0, "errors": ["Timed out waiting for Email::list_pops"], "data": None}
    transport = mock(lambda request: httpx.Response(200, json=envelope({"uapi": uapi})))
    with pytest.raises(TransientError, match="UAPI Email::list_pops"):
        run(
            None,
            lambda p: p.access_link("anasouza", "webmail", mailbox="a@anasouza.com.br"),
            transport=transport,
        )


def test_a_certificate_that_fails_verification_is_permanent() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] self-signed certificate")

    with pytest.raises(PermanentError, match="TLS certificate"):
        run(None, lambda p: p.access_link("anasouza", "cpanel"), transport=mock(refuse))


def test_a_refused_connection_is_transient() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Connection refused")

    with pytest.raises(TransientError, match="unreachable"):
        run(None, lambda p: p.dns_records("example.com"), transport=mock(refuse))


# ---- the fake's other functions ----------------------------------------------------------------


def call(whm: FakeWhm, function: str, token: str = DEFAULT_TOKEN, **params: str) -> Any:
    user = "root" if token == DEFAULT_TOKEN else "techsol"
    response = httpx.get(
        f"{whm.url}/json-api/{function}",
        params={"api.version": "1", **params},
        headers={"Authorization": f"whm {user}:{token}"},
    )
    assert response.status_code == 200
    return response.json()


def test_fake_listaccts_searches_and_scopes_by_owner(whm: FakeWhm) -> None:
    everyone = call(whm, "listaccts")
    assert [a["user"] for a in everyone["data"]["acct"]] == [
        "anasouza",
        "clienterevenda",
        "suspenso",
        "techsol",
    ]
    found = call(whm, "listaccts", searchtype="domain", search=r"^anasouza\.com\.br$")
    assert [a["user"] for a in found["data"]["acct"]] == ["anasouza"]
    assert found["data"]["acct"][0]["diskused"] == "512M"
    assert found["metadata"] == {
        "command": "listaccts",
        "reason": "OK",
        "result": 1,
        "version": 1,
    }
    by_owner = call(whm, "listaccts", searchtype="owner", search="techsol", searchmethod="exact")
    assert [a["user"] for a in by_owner["data"]["acct"]] == ["clienterevenda"]
    reseller = call(whm, "listaccts", token=RESELLER_TOKEN)
    assert [a["user"] for a in reseller["data"]["acct"]] == ["clienterevenda", "techsol"]


def test_fake_accountsummary(whm: FakeWhm) -> None:
    one = call(whm, "accountsummary", domain="techsolutions.com.br")
    assert one["data"]["acct"][0]["user"] == "techsol"
    assert one["data"]["acct"][0]["inodesused"] == 1234
    unknown = call(whm, "accountsummary", user="ninguem")
    assert unknown["metadata"]["result"] == 0
    assert "does not exist" in unknown["metadata"]["reason"]
    assert "data" not in unknown


def test_fake_requires_api_version_1(whm: FakeWhm) -> None:
    response = httpx.get(
        f"{whm.url}/json-api/listaccts", headers={"Authorization": f"whm root:{DEFAULT_TOKEN}"}
    )
    assert "metadata" not in response.json()


def test_fake_parse_dns_zone_is_base64(whm: FakeWhm) -> None:
    zone = call(whm, "parse_dns_zone", zone="anasouza.com.br")
    payload = zone["data"]["payload"]
    assert {line["type"] for line in payload} == {"comment", "control", "record"}
    first_record = next(line for line in payload if line["type"] == "record")
    assert base64.b64decode(first_record["dname_b64"]) == b"anasouza.com.br."
    assert first_record["record_type"] == "SOA"
