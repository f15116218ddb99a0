"""#18.17 in the console: the operator finds and confirms a static Pix by the txid the payer's
bank shows (the 25 characters its BR Code carries), and the console shows that txid."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from sqlalchemy import select

from dresbach.features.operators import service as operators
from dresbach.features.payments.pix import parse_brcode
from dresbach.platform.store.schema import audit_log, payments
from tests.features.operators.test_console import Console
from tests.features.techops.test_techops_over_whatsapp import walk_to_the_pix
from tests.support.meta import text_of
from tests.support.stack_fixtures import Stack

USER = "5511955554455"
PASSWORD = "cafe-com-leite-42"


def test_the_operator_finds_and_confirms_a_pix_by_the_txid_of_the_bank(stack: Stack) -> None:
    operators.add_operator(
        stack.container.db.engine, "ana", "Ana Lima", PASSWORD, None, datetime.now(UTC), by="test"
    )
    customer = stack.customer(USER)
    code = walk_to_the_pix(customer)
    from_the_bank = parse_brcode(code).txid
    with stack.container.db.engine.connect() as connection:
        txid = connection.execute(select(payments.c.txid)).scalar_one()
    assert txid != from_the_bank
    assert txid.startswith(from_the_bank)

    with httpx.Client(follow_redirects=False, timeout=10, trust_env=False) as http:
        console = Console(stack.origin, http)
        assert console.login("ana", PASSWORD).status_code == 303
        listed = http.get(f"{stack.origin}/console/payments").text
        assert f'data-testid="txid" title="txid completo: {txid}">{from_the_bank}</code>' in listed

        found = http.get(f"{stack.origin}/console/payments", params={"txid": from_the_bank})
        assert found.status_code == 200
        assert found.text.count('data-testid="charge"') == 1
        assert f'data-txid="{txid}"' in found.text

        unknown = http.get(f"{stack.origin}/console/payments", params={"txid": "DRB000"})
        assert unknown.status_code == 404
        assert "Cobrança DRB000 não encontrada" in unknown.text
        assert 'data-testid="charge"' not in unknown.text

        approved = console.post(f"/console/payments/{from_the_bank}/approve")
        assert approved.status_code == 303
    told = "\n".join(text_of(m) for m in customer.waits_for_reply(timeout=20))
    assert "Pagamento confirmado" in told
    with stack.container.db.engine.connect() as connection:
        assert connection.execute(select(payments.c.status)).scalar_one() == "paid"
        details = connection.execute(
            select(audit_log.c.detail).where(audit_log.c.action == "payment_approved")
        ).scalars()
        assert list(details) == [f"txid {txid}: confirmed"]  # the whole txid, unambiguous
