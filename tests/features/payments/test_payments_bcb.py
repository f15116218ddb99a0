"""The real BcbPixGateway against the fake PSP, over HTTPS with client certificates (mTLS)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import httpx
import orjson
import pytest
import trustme
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dresbach.features.payments.adapters.bcb import BcbPixGateway, mtls_context, parse_notification
from dresbach.features.payments.model import (
    Charge,
    ChargeRequest,
    ChargeStatus,
    PaymentHint,
    txid_for,
)
from dresbach.features.payments.pix import parse_brcode
from dresbach.features.payments.ports import PaymentGateway
from dresbach.kernel.errors import PermanentError, TransientError
from tests.fakes.bcb_pix import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_PIX_KEY,
    BcbPspState,
    FakeBcbPsp,
)
from tests.support.servers import serve_in_thread

T = TypeVar("T")


@dataclass(frozen=True)
class Certs:
    cert: Path
    key: Path
    ca: Path


class Clock:
    """Real time plus an offset a test can move forward."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def certs(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Certs:
    """A client certificate issued by the same CA as the PSP's server certificate."""
    folder = tmp_path_factory.mktemp("client-certs")
    client = ca.issue_cert("dresbach-pix.client.test")
    found = Certs(cert=folder / "client.pem", key=folder / "client.key", ca=folder / "ca.pem")
    client.cert_chain_pems[0].write_to_path(str(found.cert))
    client.private_key_pem.write_to_path(str(found.key))
    ca.cert_pem.write_to_path(str(found.ca))
    return found


@pytest.fixture(scope="module")
def server(ca: trustme.CA) -> Iterator[FakeBcbPsp]:
    with FakeBcbPsp(ca, BcbPspState()) as running:
        yield running


@pytest.fixture
def psp(server: FakeBcbPsp) -> Iterator[FakeBcbPsp]:
    yield server
    server.state.reject_duplicate_put = False
    server.state.fail_next()


def make_gateway(
    psp: FakeBcbPsp, certs: Certs, clock: Callable[[], datetime] | None = None, **changes: Any
) -> BcbPixGateway:
    options: dict[str, Any] = {
        "base_url": psp.base_url,
        "token_url": psp.token_url,
        "client_id": DEFAULT_CLIENT_ID,
        "client_secret": DEFAULT_CLIENT_SECRET,
        "cert_file": certs.cert,
        "key_file": certs.key,
        "ca_file": certs.ca,
        "pix_key": DEFAULT_PIX_KEY,
        "clock": clock or Clock(),
        "timeout": 5.0,
    }
    options.update(changes)
    return BcbPixGateway(**options)


def run(
    psp: FakeBcbPsp,
    certs: Certs,
    scenario: Callable[[BcbPixGateway], Awaitable[T]],
    clock: Callable[[], datetime] | None = None,
    **changes: Any,
) -> T:
    async def main() -> T:
        gateway = make_gateway(psp, certs, clock, **changes)
        try:
            return await scenario(gateway)
        finally:
            await gateway.aclose()

    return asyncio.run(main())


def create(
    psp: FakeBcbPsp,
    certs: Certs,
    request: ChargeRequest,
    clock: Callable[[], datetime] | None = None,
    **changes: Any,
) -> Charge:
    return run(psp, certs, lambda gateway: gateway.create_charge(request), clock, **changes)


def fetch(
    psp: FakeBcbPsp, certs: Certs, charge: Charge, clock: Callable[[], datetime] | None = None
) -> ChargeStatus:
    return run(psp, certs, lambda g: g.fetch_charge(charge.txid, charge.provider_id), clock)


_counter = iter(range(1_000_000))


def new_request(
    amount: str = "1500.00",
    *,
    expires: int = 3600,
    description: str = "Diagnóstico técnico",
    name: str | None = None,
    document: str | None = None,
) -> ChargeRequest:
    return ChargeRequest(
        txid=txid_for(f"test-bcb-{next(_counter)}-{datetime.now(UTC).isoformat()}"),
        amount=Decimal(amount),
        description=description,
        expires_in_seconds=expires,
        payer_name=name,
        payer_document=document,
    )


# ---- creating --------------------------------------------------------------------------------


def test_it_is_a_payment_gateway(psp: FakeBcbPsp, certs: Certs) -> None:
    gateway: PaymentGateway = make_gateway(psp, certs)
    assert gateway.name == "bcb"


def test_create_charge_puts_a_cob_and_returns_its_copia_e_cola(
    psp: FakeBcbPsp, certs: Certs
) -> None:
    request = new_request(description="Diagnóstico " + "x" * 200)

    charge = create(psp, certs, request)

    assert charge.txid == request.txid
    assert charge.provider == "bcb"
    assert charge.provider_id == request.txid
    assert charge.amount == Decimal("1500.00")
    assert charge.expires_at - charge.created_at == timedelta(seconds=3600)
    assert charge.created_at.tzinfo is not None
    cob = psp.state.cob(request.txid)
    assert cob is not None
    assert cob["status"] == "ATIVA"
    assert cob["valor"]["original"] == "1500.00"
    assert cob["calendario"]["expiracao"] == 3600
    assert cob["chave"] == DEFAULT_PIX_KEY
    assert len(cob["solicitacaoPagador"]) == 140
    assert "devedor" not in cob
    parsed = parse_brcode(charge.copia_e_cola)
    assert parsed.is_dynamic
    assert parsed.url == cob["location"]
    assert parsed.point_of_initiation_unique
    assert parsed.amount == Decimal("1500.00")


def test_the_amount_is_written_as_a_string_without_float(psp: FakeBcbPsp, certs: Certs) -> None:
    for amount, text in [("37", "37.00"), ("0.30", "0.30"), ("9999999999.99", "9999999999.99")]:
        request = new_request(amount)
        create(psp, certs, request)
        cob = psp.state.cob(request.txid)
        assert cob is not None
        assert cob["valor"]["original"] == text


def test_devedor_goes_only_with_a_name_and_a_valid_document(psp: FakeBcbPsp, certs: Certs) -> None:
    cases: list[tuple[str | None, str | None, dict[str, str] | None]] = [
        ("Empresa Nova SA", "12.ABC.345/01DE-35", {"cnpj": "12ABC34501DE35"}),
        ("Francisco da Silva", "529.982.247-25", {"cpf": "52998224725"}),
        ("Francisco da Silva", None, None),
        (None, "52998224725", None),
        ("Francisco da Silva", "529.982.247-24", None),  # wrong check digit: left out
    ]
    for name, document, expected in cases:
        request = new_request(name=name, document=document)
        create(psp, certs, request)
        cob = psp.state.cob(request.txid)
        assert cob is not None
        if expected is None:
            assert "devedor" not in cob
        else:
            assert cob["devedor"] == {**expected, "nome": name}


def test_a_retry_returns_the_same_charge_and_creates_no_second_one(
    psp: FakeBcbPsp, certs: Certs
) -> None:
    request = new_request()

    async def twice(gateway: BcbPixGateway) -> tuple[Charge, Charge]:
        return await gateway.create_charge(request), await gateway.create_charge(request)

    first, second = run(psp, certs, twice)

    assert first == second
    path = f"/cob/{request.txid}"
    assert [c for c in psp.state.calls if c[1] == path] == [("PUT", path, 201), ("PUT", path, 200)]


def test_a_psp_that_refuses_the_re_put_is_read_back(psp: FakeBcbPsp, certs: Certs) -> None:
    request = new_request()
    first = create(psp, certs, request)
    psp.state.reject_duplicate_put = True

    second = create(psp, certs, request)

    assert second == first
    path = f"/cob/{request.txid}"
    calls = [c for c in psp.state.calls if c[1] == path]
    assert calls == [("PUT", path, 201), ("PUT", path, 400), ("GET", path, 200)]


def test_a_re_put_of_a_removed_charge_is_a_permanent_error(psp: FakeBcbPsp, certs: Certs) -> None:
    request = new_request()
    create(psp, certs, request)
    psp.remove(request.txid)

    with pytest.raises(PermanentError, match="já foi utilizado") as caught:
        create(psp, certs, request)
    assert caught.value.code == 400


def test_a_re_put_of_a_paid_charge_returns_it(psp: FakeBcbPsp, certs: Certs) -> None:
    request = new_request()
    first = create(psp, certs, request)
    psp.pay(request.txid)

    assert create(psp, certs, request) == first


def test_a_different_charge_under_a_used_txid_is_refused(psp: FakeBcbPsp, certs: Certs) -> None:
    request = new_request("10.00")
    create(psp, certs, request)
    other = ChargeRequest(
        txid=request.txid, amount=Decimal("20.00"), description="x", expires_in_seconds=60
    )

    with pytest.raises(PermanentError, match="HTTP 400"):
        create(psp, certs, other)


def test_the_psps_validation_errors_are_permanent_with_the_problem_details(
    psp: FakeBcbPsp, certs: Certs
) -> None:
    request = new_request()
    with pytest.raises(PermanentError) as caught:
        create(psp, certs, request, pix_key="outra-chave@example.com")
    message = str(caught.value)
    assert caught.value.code == 400
    assert "Cobrança inválida." in message
    assert "A chave não pertence a este usuário recebedor." in message


def test_bad_input_fails_before_any_call(psp: FakeBcbPsp, certs: Certs) -> None:
    before = len(psp.state.calls)
    short = ChargeRequest(
        txid="short", amount=Decimal("1.00"), description="", expires_in_seconds=1
    )
    with pytest.raises(PermanentError, match="txid"):
        create(psp, certs, short)
    with pytest.raises(PermanentError, match="amount"):
        create(psp, certs, new_request("1.005"))
    with pytest.raises(PermanentError, match="amount"):
        create(psp, certs, new_request("12345678901.00"))
    with pytest.raises(PermanentError, match="expiry"):
        create(psp, certs, new_request(expires=0))
    assert len(psp.state.calls) == before


# ---- fetching --------------------------------------------------------------------------------


def test_fetch_is_active_then_paid_after_the_payer_pays(psp: FakeBcbPsp, certs: Certs) -> None:
    request = new_request()
    charge = create(psp, certs, request)

    active = fetch(psp, certs, charge)
    assert active.state == "active"
    assert active.amount_paid is None

    end_to_end = psp.pay(charge.txid)
    paid = fetch(psp, certs, charge)

    assert paid.state == "paid"
    assert paid.txid == charge.txid
    assert paid.amount_paid == Decimal("1500.00")
    assert paid.end_to_end_id == end_to_end
    assert len(end_to_end) == 32
    assert paid.paid_at is not None
    assert paid.paid_at.tzinfo is not None


def test_a_different_amount_paid_shows_in_amount_paid(psp: FakeBcbPsp, certs: Certs) -> None:
    charge = create(psp, certs, new_request("1500.00"))
    psp.pay(charge.txid, Decimal("15.00"))

    status = fetch(psp, certs, charge)

    assert status.state == "paid"
    assert status.amount_paid == Decimal("15.00")
    assert status.amount_paid != charge.amount


def test_a_refunded_pix_is_subtracted_from_amount_paid(psp: FakeBcbPsp, certs: Certs) -> None:
    charge = create(psp, certs, new_request("100.00"))
    psp.pay(charge.txid)
    psp.state.refund(charge.txid, Decimal("40.00"))

    status = fetch(psp, certs, charge)

    assert status.state == "paid"
    assert status.amount_paid == Decimal("60.00")


def test_expiry_is_computed_locally_while_the_psp_still_says_ativa(
    psp: FakeBcbPsp, certs: Certs
) -> None:
    clock = Clock()
    charge = create(psp, certs, new_request(expires=60), clock)

    fresh = fetch(psp, certs, charge, clock)
    clock.offset = timedelta(seconds=61)
    late = fetch(psp, certs, charge, clock)

    assert fresh.state == "active"
    assert late.state == "expired"
    cob = psp.state.cob(charge.txid)
    assert cob is not None
    assert cob["status"] == "ATIVA"


@pytest.mark.parametrize("by_psp", [False, True])
def test_a_removed_charge_is_cancelled(psp: FakeBcbPsp, certs: Certs, by_psp: bool) -> None:
    charge = create(psp, certs, new_request())
    psp.remove(charge.txid, by_psp=by_psp)

    status = fetch(psp, certs, charge)

    assert status.state == "cancelled"


def test_an_unknown_charge_is_a_permanent_error(psp: FakeBcbPsp, certs: Certs) -> None:
    txid = txid_for("never-created")
    with pytest.raises(PermanentError, match="Cobrança não encontrada") as caught:
        run(psp, certs, lambda g: g.fetch_charge(txid, txid))
    assert caught.value.code == 404


# ---- auth, transport and server errors -------------------------------------------------------


def test_the_token_is_fetched_once_and_reused(psp: FakeBcbPsp, certs: Certs) -> None:
    before = psp.state.token_requests

    async def three_calls(gateway: BcbPixGateway) -> None:
        charge = await gateway.create_charge(new_request())
        await gateway.fetch_charge(charge.txid, charge.provider_id)
        await gateway.fetch_charge(charge.txid, charge.provider_id)

    run(psp, certs, three_calls)

    assert psp.state.token_requests == before + 1


def test_a_token_near_its_expiry_is_renewed_before_use(psp: FakeBcbPsp, certs: Certs) -> None:
    psp.state.token_lifetime = 1  # cached for 0.9 s (a tenth of it, at most 60 s, is kept back)

    async def scenario(gateway: BcbPixGateway) -> None:
        charge = await gateway.create_charge(new_request())
        await asyncio.sleep(1.0)
        await gateway.fetch_charge(charge.txid, charge.provider_id)

    before_tokens, before_calls = psp.state.token_requests, len(psp.state.calls)
    try:
        run(psp, certs, scenario)
    finally:
        psp.state.token_lifetime = 3600

    assert psp.state.token_requests == before_tokens + 2
    assert 401 not in [c[2] for c in psp.state.calls[before_calls:]]


def test_a_refused_token_is_renewed_once(psp: FakeBcbPsp, certs: Certs) -> None:
    async def scenario(gateway: BcbPixGateway) -> str:
        charge = await gateway.create_charge(new_request())
        psp.state.revoke_tokens()
        status = await gateway.fetch_charge(charge.txid, charge.provider_id)
        return status.state

    before = psp.state.token_requests
    assert run(psp, certs, scenario) == "active"
    assert psp.state.token_requests == before + 2
    assert [c[2] for c in psp.state.calls[-3:]] == [401, 200, 200]


def test_wrong_client_credentials_are_a_permanent_error(psp: FakeBcbPsp, certs: Certs) -> None:
    with pytest.raises(PermanentError, match="OAuth token: HTTP 401") as caught:
        create(psp, certs, new_request(), client_secret="wrong")
    assert caught.value.code == 401


def test_server_errors_are_transient(psp: FakeBcbPsp, certs: Certs) -> None:
    psp.state.fail_next(503)
    with pytest.raises(TransientError, match="Serviço indisponível") as caught:
        create(psp, certs, new_request())
    assert caught.value.code == 503


def test_a_client_without_a_certificate_is_refused(psp: FakeBcbPsp, certs: Certs) -> None:
    context = mtls_context(None, None, certs.ca)
    with httpx.Client(verify=context, timeout=5.0) as client, pytest.raises(httpx.TransportError):
        client.post(psp.token_url, data={"grant_type": "client_credentials"})

    with pytest.raises(TransientError, match="unreachable"):
        create(psp, certs, new_request(), cert_file=None, key_file=None)


def test_a_server_we_do_not_trust_is_refused(psp: FakeBcbPsp, certs: Certs) -> None:
    other = trustme.CA()
    folder = certs.ca.parent
    other.cert_pem.write_to_path(str(folder / "other-ca.pem"))
    with pytest.raises(TransientError, match="unreachable"):
        create(psp, certs, new_request(), ca_file=folder / "other-ca.pem")


def test_a_psp_that_is_down_is_transient(certs: Certs) -> None:
    with serve_in_thread(Starlette()) as origin:
        closed = origin.replace("http://", "https://")

    async def scenario() -> None:
        gateway = BcbPixGateway(
            base_url=closed,
            token_url=f"{closed}/oauth/token",
            client_id="x",
            client_secret="y",
            cert_file=certs.cert,
            key_file=certs.key,
            ca_file=certs.ca,
            pix_key=DEFAULT_PIX_KEY,
            clock=Clock(),
            timeout=2.0,
        )
        try:
            await gateway.create_charge(new_request())
        finally:
            await gateway.aclose()

    with pytest.raises(TransientError, match="unreachable"):
        asyncio.run(scenario())


# ---- webhook ---------------------------------------------------------------------------------


def test_parse_notification_reads_the_spec_shape_and_the_bare_array() -> None:
    item = {
        "endToEndId": "E12345678202009091221kkkkkkkkkkk",
        "txid": "c3e0e7a4e7f1469a9f782d3d4999343c",
        "valor": "110.00",
        "horario": "2020-09-09T20:15:00.358Z",
        "infoPagador": "0123456789",
    }
    no_txid = {k: v for k, v in item.items() if k != "txid"}
    other = {**item, "txid": "DRB" + "1" * 29, "endToEndId": "E12345678202009091221bbbbbbbbbbb"}
    expected = [
        PaymentHint(txid=item["txid"], provider_id=item["txid"]),
        PaymentHint(txid=other["txid"], provider_id=other["txid"]),
    ]

    spec = orjson.dumps({"pix": [item, no_txid, other, item]})
    bare = orjson.dumps([item, no_txid, other])

    assert parse_notification(spec) == expected
    assert parse_notification(bare) == expected
    assert parse_notification(b'{"pix": []}') == []


@pytest.mark.parametrize(
    "junk",
    [b"", b"not json", b'"pix"', b"42", b'{"foo": []}', b'{"pix": {}}', b'{"pix": [1]}', b"\xff"],
)
def test_parse_notification_refuses_junk(junk: bytes) -> None:
    with pytest.raises(ValueError, match="Pix webhook"):
        parse_notification(junk)


def test_the_fake_psps_webhook_reaches_us_in_both_shapes(psp: FakeBcbPsp, certs: Certs) -> None:
    received: list[tuple[str, bytes]] = []

    async def webhook(request: Request) -> Response:
        received.append((request.url.path, await request.body()))
        return Response(status_code=200)

    charge = create(psp, certs, new_request())
    psp.pay(charge.txid)
    app = Starlette(routes=[Route("/webhooks/pix/pix", webhook, methods=["POST"])])
    with serve_in_thread(app) as origin:
        assert psp.notify(f"{origin}/webhooks/pix", [charge.txid]) == 200
        assert psp.notify(f"{origin}/webhooks/pix", [charge.txid], bare_array=True) == 200

    (path_1, spec), (path_2, bare) = received
    assert path_1 == path_2 == "/webhooks/pix/pix"
    assert isinstance(orjson.loads(spec), dict)
    assert isinstance(orjson.loads(bare), list)
    hint = PaymentHint(txid=charge.txid, provider_id=charge.txid)
    assert parse_notification(spec) == parse_notification(bare) == [hint]
    cob = psp.state.cob(charge.txid)
    assert cob is not None
    assert orjson.loads(spec)["pix"] == cob["pix"]
