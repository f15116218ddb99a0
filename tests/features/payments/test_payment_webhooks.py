"""PSP notifications through the app: verified, re-queried, confirmed once; forged ones change
nothing. The charge is created by the real job worker through the real gateway, against faithful
fakes of Mercado Pago (HTTP) and of a BCB API Pix PSP (mTLS)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme
from sqlalchemy import select

from dresbach.platform.store.schema import inbox, payments
from dresbach.platform.work.effects import enqueue_job
from tests.fakes import mercadopago as mp_fake
from tests.fakes.bcb_pix import BcbPspState, FakeBcbPsp
from tests.fakes.mercadopago import FakeMercadoPago
from tests.support.bcb import bcb_overrides
from tests.support.stack_fixtures import Stack

KEY = "5511955554444"


def wait(predicate: Callable[[], Any], timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out")


def charge_through_the_job_worker(stack: Stack, amount: str = "1500.00") -> dict[str, Any]:
    from datetime import UTC, datetime

    assert stack.meta.says(KEY, "oi").status_code == 200  # the customer's conversation
    with stack.container.db.engine.begin() as connection:
        enqueue_job(
            connection,
            command_id="wamid.e2e.pay:charge",
            kind="create_charge",
            payload={"lead_id": "lead-e2e", "amount": amount, "description": "Diagnóstico"},
            now=datetime.now(UTC),
            conversation_key=KEY,
        )
    stack.container.jobs.wake()
    return wait(lambda: payment_row(stack))  # type: ignore[no-any-return]


def payment_row(stack: Stack) -> dict[str, Any] | None:
    with stack.container.db.engine.connect() as connection:
        row = connection.execute(select(payments)).mappings().first()
    return dict(row) if row else None


def kinds(stack: Stack) -> list[str]:
    with stack.container.db.engine.connect() as connection:
        return list(connection.execute(select(inbox.c.kind).order_by(inbox.c.id)).scalars())


# ---- Mercado Pago ---------------------------------------------------------------------------


@pytest.fixture
def mercado_pago() -> Iterator[FakeMercadoPago]:
    with FakeMercadoPago() as server:
        yield server


@pytest.fixture
def mp_stack(stack_factory, sqlite_url: str, mercado_pago: FakeMercadoPago) -> Stack:  # type: ignore[no-untyped-def]
    stack: Stack = stack_factory(
        sqlite_url,
        pix_provider="mercadopago",
        mp_base_url=mercado_pago.base_url,
        mp_access_token=_secret(mp_fake.DEFAULT_ACCESS_TOKEN),
        mp_webhook_secret=_secret(mp_fake.DEFAULT_WEBHOOK_SECRET),
    )
    return stack


def _secret(value: str):  # type: ignore[no-untyped-def]
    from dresbach.config import Secret

    return Secret(value)


def test_mercado_pago_payment_is_confirmed_once_after_a_re_query(
    mp_stack: Stack, mercado_pago: FakeMercadoPago
) -> None:
    row = charge_through_the_job_worker(mp_stack)
    assert row["provider"] == "mercadopago"
    assert row["copia_e_cola"].startswith("000201")
    hook = f"{mp_stack.origin}/webhooks/mercadopago"
    assert mercado_pago.notify(hook, row["provider_id"]) == 200  # not paid yet: nothing happens
    time.sleep(1.0)
    assert payment_row(mp_stack)["status"] == "active"  # type: ignore[index]
    mercado_pago.approve(row["provider_id"])
    for _ in range(3):  # duplicate notifications
        assert mercado_pago.notify(hook, row["provider_id"]) == 200
    wait(lambda: payment_row(mp_stack)["status"] == "paid")  # type: ignore[index]
    time.sleep(1.0)
    assert kinds(mp_stack).count("payment_confirmed") == 1


def test_a_forged_mercado_pago_notification_is_refused_and_changes_nothing(
    mp_stack: Stack, mercado_pago: FakeMercadoPago
) -> None:
    row = charge_through_the_job_worker(mp_stack)
    mercado_pago.approve(row["provider_id"])
    hook = f"{mp_stack.origin}/webhooks/mercadopago"
    assert mercado_pago.notify(hook, row["provider_id"], secret="not-the-secret") == 401
    unsigned = httpx.post(f"{hook}?data.id={row['provider_id']}&type=payment", content=b"{}")
    assert unsigned.status_code == 401
    time.sleep(1.0)
    assert payment_row(mp_stack)["status"] == "active"  # type: ignore[index]
    assert "payment_confirmed" not in kinds(mp_stack)


# ---- BCB API Pix (mTLS) ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def bcb(ca: trustme.CA) -> Iterator[FakeBcbPsp]:
    with FakeBcbPsp(ca, BcbPspState()) as server:
        yield server


@pytest.fixture
def bcb_stack(
    stack_factory, sqlite_url: str, bcb: FakeBcbPsp, ca: trustme.CA, tmp_path: Path
) -> Stack:  # type: ignore[no-untyped-def]
    stack: Stack = stack_factory(sqlite_url, **bcb_overrides(bcb, ca, tmp_path))
    return stack


@pytest.mark.parametrize("bare_array", [False, True], ids=["pix-object", "bare-array"])
def test_bcb_webhook_in_both_shapes_confirms_once(
    bcb_stack: Stack, bcb: FakeBcbPsp, bare_array: bool
) -> None:
    row = charge_through_the_job_worker(bcb_stack)
    assert row["provider"] == "bcb"
    bcb.pay(row["txid"])
    assert bcb.notify(bcb_stack.origin, [row["txid"]], bare_array=bare_array) == 200
    assert bcb.notify(bcb_stack.origin, [row["txid"]], bare_array=bare_array) == 200
    wait(lambda: payment_row(bcb_stack)["status"] == "paid")  # type: ignore[index]
    time.sleep(1.0)
    assert kinds(bcb_stack).count("payment_confirmed") == 1


def test_a_bcb_hint_without_payment_confirms_nothing_and_a_wrong_amount_is_flagged(
    bcb_stack: Stack, bcb: FakeBcbPsp
) -> None:
    row = charge_through_the_job_worker(bcb_stack)
    assert bcb.notify(bcb_stack.origin, [row["txid"]]) == 200  # a made-up hint: still ATIVA
    time.sleep(1.0)
    assert payment_row(bcb_stack)["status"] == "active"  # type: ignore[index]
    bcb.pay(row["txid"], Decimal("15.00"))
    assert bcb.notify(bcb_stack.origin, [row["txid"]]) == 200
    flagged = wait(lambda: payment_row(bcb_stack)["status"] == "flagged" and payment_row(bcb_stack))  # type: ignore[index]
    assert "15.00" in flagged["note"]
    assert "payment_confirmed" not in kinds(bcb_stack)


def test_a_malformed_bcb_notification_is_a_400(bcb_stack: Stack) -> None:
    response = httpx.post(f"{bcb_stack.origin}/pix", content=b"{not json")
    assert response.status_code == 400


def test_the_bcb_webhook_token_survives_the_psp_appending_pix_to_the_registered_url(
    stack_factory, sqlite_url: str, bcb: FakeBcbPsp, ca: trustme.CA, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    stack: Stack = stack_factory(
        sqlite_url,
        **bcb_overrides(bcb, ca, tmp_path),
        bcb_webhook_token=_secret("s3cr3t-token"),
    )
    registered = f"{stack.origin}/pix?token=s3cr3t-token&ignorar="  # as the README says
    body = b'{"pix": []}'
    assert httpx.post(registered + "/pix", content=body).status_code == 200  # what the PSP calls
    assert httpx.post(f"{stack.origin}/pix", content=body).status_code == 401
    assert httpx.post(f"{stack.origin}/pix?token=wrong", content=body).status_code == 401
