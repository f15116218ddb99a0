"""Payments in the runtime, on SQLite and PostgreSQL: charges stored once, confirmations that
cannot be fooled, reminders and expiry; every outcome reaches the conversation once."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from dresbach.features.payments.adapters.static import StaticPixGateway, qr_png
from dresbach.features.payments.model import Charge, ChargeStatus
from dresbach.features.payments.service import (
    PaymentError,
    PaymentService,
    due_timers,
    recorded_status,
    settle_status,
    store_charge,
)
from dresbach.features.step_hooks import STEP_HOOKS
from dresbach.kernel.policy import Policy
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.schema import inbox, media_blobs, payments
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.work.jobs import Job

SEALER = Sealer.from_text("66" * 32)


NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
POLICY = Policy()
KEY = "BR.900"


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    migrate(database_url)
    database = Database(database_url)
    yield database
    database.close()


def job(command_id: str = "wamid.1:charge") -> Job:
    return Job(
        id=1,
        command_id=command_id,
        kind="create_charge",
        conversation_key=KEY,
        payload={"lead_id": "lead-1", "amount": "1500.00", "description": "Diagnóstico"},
        attempts=0,
    )


def charge(txid: str = "DRB" + "a" * 29, minutes: int = 60) -> Charge:
    return Charge(
        txid=txid,
        provider="static",
        provider_id=txid,
        copia_e_cola="00020101021226...6304ABCD",
        amount=Decimal("1500.00"),
        created_at=NOW,
        expires_at=NOW + timedelta(minutes=minutes),
    )


def events(db: Database) -> list[str]:
    with db.engine.connect() as connection:
        return list(connection.execute(select(inbox.c.kind).order_by(inbox.c.id)).scalars())


def payment(db: Database, txid: str) -> dict:  # type: ignore[type-arg]
    with db.engine.connect() as connection:
        return dict(
            connection.execute(select(payments).where(payments.c.txid == txid)).mappings().one()
        )


def paid(txid: str, amount: str = "1500.00", at: datetime = NOW) -> ChargeStatus:
    return ChargeStatus(
        txid=txid, provider_id=txid, state="paid", amount_paid=Decimal(amount), paid_at=at
    )


def test_a_created_charge_is_stored_once_and_told_to_the_conversation(db: Database) -> None:
    c = charge()
    store_charge(db.engine, c, job(), qr_png(c.copia_e_cola), NOW, POLICY, SEALER, STEP_HOOKS)
    store_charge(
        db.engine, c, job(), qr_png(c.copia_e_cola), NOW, POLICY, SEALER, STEP_HOOKS
    )  # a retried job
    assert events(db) == ["charge_created"]
    assert payment(db, c.txid)["status"] == "active"
    with db.engine.connect() as connection:
        blobs = connection.execute(select(media_blobs)).mappings().all()
    assert len(blobs) == 1
    assert blobs[0]["data"].startswith(b"\x89PNG")


def test_a_payment_is_confirmed_once_however_often_it_is_notified(db: Database) -> None:
    c = charge()
    store_charge(db.engine, c, job(), None, NOW, POLICY, SEALER, STEP_HOOKS)
    assert (
        settle_status(db.engine, paid(c.txid), "bcb", NOW, POLICY, SEALER, STEP_HOOKS)
        == "confirmed"
    )
    assert (
        settle_status(db.engine, paid(c.txid), "bcb", NOW, POLICY, SEALER, STEP_HOOKS)
        == "already paid"
    )
    assert events(db) == ["charge_created", "payment_confirmed"]
    row = payment(db, c.txid)
    assert (row["status"], row["amount_paid"], row["decided_by"]) == ("paid", "1500.00", "bcb")


def test_an_amount_mismatch_is_flagged_not_confirmed(db: Database) -> None:
    c = charge()
    store_charge(db.engine, c, job(), None, NOW, POLICY, SEALER, STEP_HOOKS)
    result = settle_status(db.engine, paid(c.txid, "15.00"), "bcb", NOW, POLICY, SEALER, STEP_HOOKS)
    assert result.startswith("flagged")
    assert payment(db, c.txid)["status"] == "flagged"
    assert "payment_confirmed" not in events(db)


def test_a_payment_after_expiry_is_flagged(db: Database) -> None:
    c = charge(minutes=60)
    store_charge(db.engine, c, job(), None, NOW, POLICY, SEALER, STEP_HOOKS)
    late = NOW + timedelta(minutes=61)
    assert settle_status(
        db.engine, paid(c.txid, at=late), "bcb", late, POLICY, SEALER, STEP_HOOKS
    ).startswith("flagged")
    assert "payment_confirmed" not in events(db)


def test_one_reminder_before_expiry_then_the_static_charge_expires(db: Database) -> None:
    c = charge(minutes=60)
    store_charge(db.engine, c, job(), None, NOW, POLICY, SEALER, STEP_HOOKS)
    assert due_timers(db.engine, NOW + timedelta(minutes=10), POLICY, SEALER, STEP_HOOKS) == []
    due_timers(db.engine, NOW + timedelta(minutes=46), POLICY, SEALER, STEP_HOOKS)
    due_timers(db.engine, NOW + timedelta(minutes=50), POLICY, SEALER, STEP_HOOKS)
    assert events(db) == ["charge_created", "charge_expiring"]
    due_timers(db.engine, NOW + timedelta(minutes=60), POLICY, SEALER, STEP_HOOKS)
    due_timers(db.engine, NOW + timedelta(minutes=70), POLICY, SEALER, STEP_HOOKS)
    assert events(db) == ["charge_created", "charge_expiring", "charge_expired"]
    assert payment(db, c.txid)["status"] == "expired"


def test_open_provider_charges_are_rechecked_by_the_sweep(db: Database) -> None:
    c = Charge(
        txid="DRB" + "b" * 29,
        provider="bcb",
        provider_id="DRB" + "b" * 29,
        copia_e_cola="x",
        amount=Decimal("1500.00"),
        created_at=NOW,
        expires_at=NOW + timedelta(minutes=60),
    )
    store_charge(db.engine, c, job("wamid.2:charge"), None, NOW, POLICY, SEALER, STEP_HOOKS)
    assert due_timers(db.engine, NOW + timedelta(minutes=1), POLICY, SEALER, STEP_HOOKS) == [
        (c.txid, "bcb")
    ]
    expired = due_timers(db.engine, NOW + timedelta(minutes=61), POLICY, SEALER, STEP_HOOKS)
    assert expired == [(c.txid, "bcb")]  # a PSP charge is re-queried, never expired blindly
    assert payment(db, c.txid)["status"] == "active"


def test_operators_confirm_static_charges_and_reject_receipts(db: Database) -> None:
    async def lookup(txid: str) -> ChargeStatus:
        return recorded_status(db.engine, txid)

    gateway = StaticPixGateway(
        key="pix@dresbach.com.br",
        merchant_name="DRESBACH HOSTING",
        merchant_city="SAO PAULO",
        lookup=lookup,
        clock=lambda: NOW,
    )
    service = PaymentService(
        db, gateway, POLICY, qr_png=qr_png, clock=lambda: NOW, sealer=SEALER, hooks=STEP_HOOKS
    )
    asyncio.run(service.create_charge(job()))
    (txid,) = _txids(db)
    with pytest.raises(PaymentError, match="não encontrada"):
        service.confirm_manually("NAOEXISTE", "ana")
    with pytest.raises(PaymentError, match="sem valores em dinheiro"):
        service.reject(txid, "o comprovante é de R$ 20,00", "ana")  # the guard would hide it
    assert "payment_rejected" not in events(db)
    service.reject(txid, "comprovante ilegível", "ana")
    assert events(db)[-1] == "payment_rejected"
    assert service.confirm_manually(txid, "ana") == "confirmed"
    assert service.confirm_manually(txid, "ana") == "already paid"
    row = payment(db, txid)
    assert (row["status"], row["decided_by"]) == ("paid", "ana")
    assert events(db).count("payment_confirmed") == 1
    with pytest.raises(PaymentError, match="já está paga"):
        service.reject(txid, "tarde demais", "ana")


def test_operators_name_a_static_charge_by_the_txid_the_payers_bank_shows(db: Database) -> None:
    """#18.17: a static BR Code carries the first 25 characters of the txid, and that is what the
    payer's bank shows; an operator confirms, rejects and finds a charge by it (any letter case),
    and a txid shared by two charges is refused, naming both."""
    from dresbach.features.payments.pix import parse_brcode

    async def lookup(txid: str) -> ChargeStatus:
        return recorded_status(db.engine, txid)

    gateway = StaticPixGateway(
        key="pix@dresbach.com.br",
        merchant_name="DRESBACH HOSTING",
        merchant_city="SAO PAULO",
        lookup=lookup,
        clock=lambda: NOW,
    )
    service = PaymentService(
        db, gateway, POLICY, qr_png=None, clock=lambda: NOW, sealer=SEALER, hooks=STEP_HOOKS
    )
    asyncio.run(service.create_charge(job("wamid.31:charge")))
    (txid,) = _txids(db)
    from_the_bank = parse_brcode(payment(db, txid)["copia_e_cola"]).txid
    assert len(txid) == 32
    assert from_the_bank == txid[:25]

    service.reject(from_the_bank, "comprovante ilegível", "ana")
    assert events(db)[-1] == "payment_rejected"
    assert service.confirm_manually(from_the_bank, "ana") == "confirmed"
    assert payment(db, txid)["status"] == "paid"
    assert service.resolve(from_the_bank) == txid
    assert service.resolve(f" {from_the_bank.upper()} ") == txid
    assert service.resolve(txid) == txid

    twins = ["DRB" + "b" * 22 + "1111111", "DRB" + "b" * 22 + "2222222"]
    for twin in twins:
        store_charge(
            db.engine, charge(twin), job(f"{twin}:charge"), None, NOW, POLICY, SEALER, STEP_HOOKS
        )
    shared = twins[0][:25]
    for act in (
        lambda: service.resolve(shared),
        lambda: service.confirm_manually(shared, "ana"),
        lambda: service.reject(shared, "comprovante ilegível", "ana"),
    ):
        with pytest.raises(PaymentError, match="mais de uma cobrança") as refused:
            act()
        assert all(twin in str(refused.value) for twin in twins)
    assert [payment(db, t)["status"] for t in twins] == ["active", "active"]
    assert service.confirm_manually(twins[1], "ana") == "confirmed"  # the whole txid still works
    with pytest.raises(PaymentError, match="não encontrada"):
        service.resolve(from_the_bank[:20])


def _txids(db: Database) -> list[str]:
    with db.engine.connect() as connection:
        return list(connection.execute(select(payments.c.txid)).scalars())


def test_leads_that_stopped_answering_are_lost_with_why(db: Database) -> None:
    from dresbach.features.payments.service import close_stale_leads
    from dresbach.kernel.commands import RecordLead
    from dresbach.platform.store.schema import leads
    from dresbach.platform.work.effects import apply_commands

    with db.engine.begin() as connection:
        apply_commands(connection, KEY, [RecordLead(lead_id="quiet", status="offered")], NOW)
        apply_commands(connection, KEY, [RecordLead(lead_id="lead-1", status="offered")], NOW)
    store_charge(
        db.engine, charge(), job(), None, NOW, POLICY, SEALER, STEP_HOOKS
    )  # lead-1 has an open Pix
    assert close_stale_leads(db.engine, NOW + timedelta(days=6), POLICY) == 0
    assert close_stale_leads(db.engine, NOW + timedelta(days=8), POLICY) == 1
    with db.engine.connect() as connection:
        rows = {r["lead_id"]: r for r in connection.execute(select(leads)).mappings()}
    assert (rows["quiet"]["status"], rows["quiet"]["lost_reason"]) == ("lost", "stopped_answering")
    assert rows["lead-1"]["status"] == "offered"


class Recording:
    """A gateway that keeps the requests it got (and makes a static charge)."""

    name = "static"

    def __init__(self) -> None:
        self.requests: list[Any] = []

    async def create_charge(self, request: Any) -> Charge:
        self.requests.append(request)
        return charge(request.txid)

    async def fetch_charge(self, txid: str, provider_id: str) -> ChargeStatus:
        raise AssertionError("not asked here")


def test_the_payers_cnpj_is_sealed_in_the_job_and_wiped_once_the_psp_has_it(db: Database) -> None:
    from dresbach.features.registry import HOUSE
    from dresbach.kernel.commands import CreatePixCharge
    from dresbach.platform.store.schema import jobs
    from dresbach.platform.store.sealing import Sealer
    from dresbach.platform.work.effects import apply_commands
    from dresbach.platform.work.jobs import JobRunner

    sealer = Sealer.from_text("11" * 32)
    command = CreatePixCharge(
        command_id="wamid.9:charge",
        lead_id="lead-1",
        amount=Decimal("1800.00"),
        description="Diagnóstico",
        payer_name="Maria Souza",
        payer_document="12ABC34501DE35",
    )
    with db.engine.begin() as connection:
        apply_commands(connection, KEY, [command], NOW, sealer)
    with db.engine.connect() as connection:
        stored = connection.execute(select(jobs.c.payload)).scalar_one()
    assert "12ABC34501DE35" not in stored
    assert "sealed" in stored

    gateway = Recording()
    service = PaymentService(
        db, gateway, POLICY, qr_png=None, clock=lambda: NOW, sealer=sealer, hooks=STEP_HOOKS
    )
    runner = JobRunner(
        db, {"create_charge": service.create_charge}, wipe=HOUSE.wipe, clock=lambda: NOW
    )
    asyncio.run(runner.drain())
    [request] = gateway.requests
    assert request.payer_document == "12ABC34501DE35"  # the PSP gets it
    with db.engine.connect() as connection:
        after = connection.execute(select(jobs.c.payload, jobs.c.status)).one()
    assert after.status == "done"
    assert after.payload == "{}"  # and then nothing is left of it
