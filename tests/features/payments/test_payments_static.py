"""The embedded static Pix gateway: a BR Code we build, confirmed only by an operator."""

from __future__ import annotations

import asyncio
import struct
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import segno

from dresbach.features.payments.adapters.static import StaticPixGateway, qr_png
from dresbach.features.payments.model import ChargeRequest, ChargeStatus, txid_for
from dresbach.features.payments.pix import parse_brcode
from dresbach.features.payments.ports import PaymentGateway
from dresbach.kernel.errors import PermanentError

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
KEY = "12345678000195"


class Ledger:
    """Stands in for our database: operator confirmations, looked up by txid."""

    def __init__(self) -> None:
        self.confirmed: dict[str, ChargeStatus] = {}
        self.lookups: list[str] = []

    async def lookup(self, txid: str) -> ChargeStatus:
        self.lookups.append(txid)
        return self.confirmed.get(txid) or ChargeStatus(txid=txid, provider_id=txid, state="active")


def gateway(ledger: Ledger, key: str = KEY, name: str = "Dresbach Hosting") -> StaticPixGateway:
    return StaticPixGateway(
        key=key,
        merchant_name=name,
        merchant_city="São Paulo",
        lookup=ledger.lookup,
        clock=lambda: NOW,
    )


def request(amount: str = "1500.00", txid: str | None = None) -> ChargeRequest:
    return ChargeRequest(
        txid=txid or txid_for("cmd-1"),
        amount=Decimal(amount),
        description="Diagnóstico técnico",
        expires_in_seconds=3600,
    )


def test_it_is_a_payment_gateway() -> None:
    port: PaymentGateway = gateway(Ledger())
    assert port.name == "static"


def test_create_charge_builds_a_static_brcode_with_the_fee_and_a_short_txid() -> None:
    req = request()
    charge = asyncio.run(gateway(Ledger()).create_charge(req))

    assert charge.txid == req.txid
    assert charge.provider == "static"
    assert charge.provider_id == req.txid
    assert charge.amount == Decimal("1500.00")
    assert charge.created_at == NOW
    assert charge.expires_at == NOW + timedelta(seconds=3600)
    parsed = parse_brcode(charge.copia_e_cola)
    assert not parsed.is_dynamic
    assert parsed.key == KEY
    assert parsed.amount == Decimal("1500.00")
    assert parsed.tags["54"] == "1500.00"
    assert len(req.txid) == 32
    assert parsed.txid == req.txid[:25]
    assert parsed.merchant_name == "Dresbach Hosting"
    assert parsed.merchant_city == "Sao Paulo"
    assert not parsed.point_of_initiation_unique


def test_invalid_input_is_a_permanent_error() -> None:
    with pytest.raises(PermanentError, match="Chave CPF"):
        asyncio.run(gateway(Ledger(), key="123.456.789-09").create_charge(request()))
    with pytest.raises(PermanentError, match="nome do recebedor"):
        asyncio.run(gateway(Ledger(), name="Dresbach Hosting do Brasil").create_charge(request()))
    with pytest.raises(PermanentError, match="txid"):
        asyncio.run(gateway(Ledger()).create_charge(request(txid="DRB-not-alnum-txid-0001")))
    with pytest.raises(PermanentError, match="casas decimais"):
        asyncio.run(gateway(Ledger()).create_charge(request(amount="10.001")))


def test_fetch_charge_reads_only_our_database() -> None:
    ledger = Ledger()
    port = gateway(ledger)
    charge = asyncio.run(port.create_charge(request()))

    status = asyncio.run(port.fetch_charge(charge.txid, charge.provider_id))
    assert status.state == "active"

    ledger.confirmed[charge.txid] = ChargeStatus(
        txid=charge.txid,
        provider_id=charge.provider_id,
        state="paid",
        amount_paid=Decimal("1500.00"),
        paid_at=NOW,
    )
    status = asyncio.run(port.fetch_charge(charge.txid, charge.provider_id))
    assert status.state == "paid"
    assert status.amount_paid == Decimal("1500.00")
    assert ledger.lookups == [charge.txid, charge.txid]


def test_qr_png_is_a_png_of_the_payload_at_scale_8_border_4() -> None:
    payload = asyncio.run(gateway(Ledger()).create_charge(request())).copia_e_cola
    png = qr_png(payload)

    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    expected = segno.make(payload, error="m", micro=False).symbol_size(scale=8, border=4)
    assert (width, height) == expected
    assert qr_png(payload) == png
