"""The server killed with SIGKILL under load, then restarted, loses no acknowledged message."""

from __future__ import annotations

import threading
import time
from collections import Counter

import httpx
import pytest

from dresbach.platform.store.database import migrate
from tests.fakes.graph_api import FakeGraphServer
from tests.support.environments import SECRET_KEY, SMTP_NOWHERE
from tests.support.meta import ACCESS_TOKEN, APP_SECRET, PHONE_NUMBER_ID, VERIFY_TOKEN, Meta
from tests.support.servers import ServiceProcess

USERS = 20
PER_USER = 12


@pytest.mark.slow
def test_sigkill_under_load_loses_no_acknowledged_message(
    graph: FakeGraphServer, database_url: str
) -> None:
    migrate(database_url)
    env = {
        "DRESBACH_DATABASE_URL": database_url,
        "WHATSAPP_APP_SECRET": APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
        "WHATSAPP_ACCESS_TOKEN": ACCESS_TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_API_BASE_URL": graph.base_url,
        "DRESBACH_SEND_RATE": "2000",
        "DRESBACH_RECIPIENT_BURST": "1000",
        "DRESBACH_RECIPIENT_RATE": "1000",
        "DRESBACH_LOG_LEVEL": "warning",
        "DRESBACH_GRAPH_TIMEOUT": "2",
        "DRESBACH_SECRET_KEY": SECRET_KEY,
        "SMTP_HOST": SMTP_NOWHERE,
    }
    service = ServiceProcess(env).start()
    meta = Meta(service.origin)
    acknowledged: list[str] = []
    lock = threading.Lock()

    def user(n: int) -> None:
        wa_id = f"55119{n:08d}"
        with httpx.Client(timeout=5) as client:
            for k in range(PER_USER):
                message_id = meta.message_id()
                body = meta.text_body(wa_id, "oi" if k == 0 else f"mensagem {_word(k)}", message_id)
                while True:  # like Meta: redeliver until a 2xx
                    try:
                        if meta.post(body, client=client).status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    time.sleep(0.05)
                with lock:
                    acknowledged.append(message_id)

    threads = [threading.Thread(target=user, args=(n,)) for n in range(USERS)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 30
    while len(acknowledged) < USERS * PER_USER // 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    service.kill()  # SIGKILL, mid-load
    killed_at = len(acknowledged)
    time.sleep(0.3)
    service.start()
    try:
        for t in threads:
            t.join(timeout=60)
        assert len(acknowledged) == USERS * PER_USER
        assert 0 < killed_at < USERS * PER_USER

        def first_replies() -> Counter[str]:
            return Counter(
                r.body["biz_opaque_callback_data"].split("#")[0]
                for r in graph.app_state.requests
                if not r.is_read_receipt and r.body["biz_opaque_callback_data"].endswith("#0")
            )

        assert graph.app_state.wait_for(lambda _g: set(acknowledged) <= set(first_replies()), 60), (
            f"lost: {sorted(set(acknowledged) - set(first_replies()))[:5]}"
        )
        duplicated = [k for k, v in first_replies().items() if v > 1]
        # Only a send in flight at the very moment of the kill can be repeated (the Graph API
        # had accepted it, the process died before recording it): at most one batch.
        assert len(duplicated) <= 64
    finally:
        service.stop()


def _word(k: int) -> str:
    """A message without digits: the understanding tier takes some numbers for an intent."""
    letters = "abcdefghij"
    return "".join(letters[int(d)] for d in str(k))
