"""Send once over real HTTP: when the Graph API took a message but its answer never reached the
sender (the worker was SIGKILLed, or the request timed out), Meta's status webhook for it, which
echoes our `biz_opaque_callback_data`, records the send, and the customer gets the reply once.

The fake Graph API posts Meta's `sent` status for every message it accepts
(tests/fakes/graph_statuses.py). On SQLite and PostgreSQL.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, select

from dresbach.platform.store.database import migrate, normalize_url
from dresbach.platform.store.schema import outbox
from tests.fakes.graph_api import FailureKind, FakeGraphServer
from tests.fakes.graph_state import RecordedRequest
from tests.fakes.graph_statuses import StatusWebhooks
from tests.support.environments import SECRET_KEY, SMTP_NOWHERE
from tests.support.meta import (
    ACCESS_TOKEN,
    APP_SECRET,
    PHONE_NUMBER_ID,
    VERIFY_TOKEN,
    Meta,
    replies_to,
)
from tests.support.servers import ServiceProcess, WorkerProcess
from tests.support.stack_fixtures import Stack

USER = "5511987650123"


def outbox_rows(database_url: str) -> list[dict[str, object]]:
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as connection:
            query = select(outbox).order_by(outbox.c.seq)
            return [dict(r) for r in connection.execute(query).mappings()]
    finally:
        engine.dispose()


def copies(graph: FakeGraphServer, wa_id: str) -> Counter[str]:
    """How many times each reply (by its callback) reached the Graph API."""
    return Counter(
        m["biz_opaque_callback_data"] for m in replies_to(graph.app_state.requests, wa_id)
    )


def test_a_worker_killed_after_meta_accepted_a_reply_does_not_make_it_arrive_twice(
    graph: FakeGraphServer, database_url: str, tmp_path: Path
) -> None:
    migrate(database_url)
    # Every send is accepted and recorded at once, and answered 1.5 s later: killed while it
    # waits, the worker never learns that its reply went.
    graph.app_state.failure_kinds = (FailureKind.TIMEOUT,)
    graph.app_state.timeout_delay = 1.5
    graph.app_state.failure_rate = 1.0
    env = {
        "DRESBACH_DATABASE_URL": database_url,
        "WHATSAPP_APP_SECRET": APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
        "WHATSAPP_ACCESS_TOKEN": ACCESS_TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_API_BASE_URL": graph.base_url,
        "DRESBACH_SEND_RATE": "1000",
        "DRESBACH_RECIPIENT_BURST": "1000",
        "DRESBACH_RECIPIENT_RATE": "1000",
        "DRESBACH_LOG_LEVEL": "warning",
        "DRESBACH_GRAPH_TIMEOUT": "2",  # the lease of a claimed row: 2 × 2 + 5 = 9 s
        "DRESBACH_SEND_DOUBT_SECONDS": "5",
        "DRESBACH_SECRET_KEY": SECRET_KEY,
        "SMTP_HOST": SMTP_NOWHERE,
    }
    server = ServiceProcess(env, None, "--no-workers", log=tmp_path / "server.log")
    first_worker = WorkerProcess(env, log=tmp_path / "worker1.log")
    second_worker = WorkerProcess(env, log=tmp_path / "worker2.log")
    try:
        server.start()
        first_worker.start()
        with StatusWebhooks(graph.app_state, [server.origin], APP_SECRET) as statuses:
            # The user says "oi"; the worker sends the read receipt and the first reply.
            assert Meta(server.origin).says(USER, "oi").status_code == 200
            assert graph.app_state.wait_for(lambda g: len(replies_to(g.requests, USER)) >= 1, 20)
            first_worker.kill()  # Meta has the first reply; the worker has no answer yet
            taken = copies(graph, USER)
            assert list(taken.values()) == [1]
            second_worker.start()
            deadline = time.monotonic() + 40
            while time.monotonic() < deadline:
                rows = outbox_rows(database_url)
                if rows and all(r["status"] == "sent" for r in rows):
                    break
                time.sleep(0.2)
            rows = outbox_rows(database_url)
            assert rows
            assert [r["status"] for r in rows] == ["sent"] * len(rows)
            assert statuses.posted >= 1
        replies = [r for r in rows if r["kind"] == "message"]
        # The customer got every reply exactly once, and the first one is recorded with the
        # wamid Meta gave it (from its status), not sent again.
        assert copies(graph, USER) == Counter({str(r["callback_data"]): 1 for r in replies})
        first = next(m for m in graph.app_state.requests if m.wamid and m.recipient == USER)
        assert replies[0]["wamid"] == first.wamid
    finally:
        for process in (second_worker, first_worker, server):
            process.stop()


def test_a_send_that_timed_out_but_reached_meta_is_recorded_from_its_status(
    stack_factory: Callable[..., Stack], database_url: str
) -> None:
    """The Graph API takes each reply but answers after our timeout (1 s here): each send is in
    doubt, waits for its status webhook instead of going again at once, and arrives once."""
    stack: Stack = stack_factory(database_url, send_doubt_seconds=4.0)
    stack.graph.failure_kinds = (FailureKind.TIMEOUT,)
    stack.graph.timeout_delay = 1.5

    def the_first_reply_times_out(record: RecordedRequest) -> None:
        """After the read receipt, the next send is accepted and answered too late; the rest
        are answered at once."""
        stack.graph.failure_rate = 1.0 if record.is_read_receipt else 0.0

    stack.graph.add_listener(the_first_reply_times_out)
    with StatusWebhooks(stack.graph, [stack.origin], APP_SECRET):
        assert stack.meta.says(USER, "oi").status_code == 200
        stack.waits_until_stepped()  # the 200 means stored: the step, then the replies, follow
        stack.waits_until(
            lambda: all(r["status"] == "sent" for r in outbox_rows(database_url)),
            30,
            "every row recorded as sent",
        )
    rows = outbox_rows(database_url)
    replies = [r for r in rows if r["kind"] == "message"]
    assert len(replies) >= 2
    counted = Counter(m["biz_opaque_callback_data"] for m in replies_to(stack.graph.requests, USER))
    assert counted == Counter({str(r["callback_data"]): 1 for r in replies})
    assert all(r["wamid"] for r in replies)
    assert any(m.delayed for m in stack.graph.requests), "no send timed out"
