"""`dresbach payments list` as an operator reads it: whose charge each one is (masked), and its
times in Brasília time whatever the machine's zone, said so."""

from __future__ import annotations

import os
import subprocess

from dresbach.platform.store.database import Database, migrate
from tests.support import paid_records
from tests.support.environments import sandbox_env
from tests.support.servers import DRESBACH


def test_the_list_says_whose_charge_and_brasilia_time(database_url: str) -> None:
    migrate(database_url)
    db = Database(database_url)
    try:
        paid_records.lead(db, "lead-ana")  # Ana Souza, on WhatsApp 5511955557777
        paid_records.payment(db, "TXIDANA0000000000000000000000001", "lead-ana", status="active")
        paid_records.payment(  # a charge whose lead is gone: the number alone
            db, "TXIDSEMLEAD000000000000000000001", "lead-gone", key="5521988880000", ago=1
        )
    finally:
        db.close()
    listed = subprocess.run(
        [DRESBACH, "payments", "list"],
        env={**os.environ, **sandbox_env(database_url), "TZ": "UTC"},  # the server's zone
        capture_output=True,
        text=True,
        check=True,
    )
    lines = listed.stdout.splitlines()
    header = lines[0].split()
    assert header[:2] == ["txid", "cliente"]
    (ana,) = [line for line in lines if line.startswith("TXIDANA")]
    assert "Ana S. (5511*****7777)" in ana
    # created 10:00 UTC and due 11:00 UTC: 07:00 and 08:00 in Brasília (UTC-3)
    assert "25/11/2026 07:00" in ana
    assert "25/11/2026 08:00" in ana
    (gone,) = [line for line in lines if line.startswith("TXIDSEMLEAD")]
    assert "5521*****0000" in gone
    assert "Horários de Brasília." in listed.stdout
    for clear in ("Souza", "955557777", "988880000"):
        assert clear not in listed.stdout
