"""The webhook stores, then answers; a worker steps. A SIGKILL between the 200 and the step loses
nothing (the message waits in the inbox) and steps nothing twice, on SQLite and PostgreSQL.

Meta's side posts to a web process that runs no workers (`serve --no-workers`): every message is
acknowledged and stored, none is stepped. That process is killed. A worker then starts, and is
killed too while it steps the backlog; a second worker finishes it. Each user gets one answer
per message, in the order the user wrote, and each message was stepped exactly once.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from dresbach.platform.store.database import migrate, normalize_url
from dresbach.platform.store.schema import conversations, inbox, outbox
from tests.fakes.graph_api import FakeGraphServer
from tests.support.environments import SECRET_KEY, SMTP_NOWHERE
from tests.support.meta import ACCESS_TOKEN, APP_SECRET, PHONE_NUMBER_ID, VERIFY_TOKEN, Meta
from tests.support.scale_out import audit, pending
from tests.support.servers import ServiceProcess, WorkerProcess

USERS = 12
PER_USER = 10


def counts(database_url: str) -> tuple[int, int, int]:
    """Inbox rows, of them the ones waiting to be stepped, and outbox rows."""
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as connection:
            kept = connection.execute(select(func.count()).select_from(inbox)).scalar_one()
            waiting = connection.execute(
                select(func.count()).select_from(inbox).where(inbox.c.to_step.is_not(None))
            ).scalar_one()
            queued = connection.execute(select(func.count()).select_from(outbox)).scalar_one()
    finally:
        engine.dispose()
    return int(kept), int(waiting), int(queued)


class Waiting:
    """Counts the inbox rows waiting to be stepped over one open connection, cheap enough to
    watch a worker's first steps."""

    def __init__(self, database_url: str) -> None:
        self.engine = create_engine(normalize_url(database_url))

    def __enter__(self) -> Callable[[], int]:
        self.connection = self.engine.connect()
        query = select(func.count()).select_from(inbox).where(inbox.c.to_step.is_not(None))

        def waiting() -> int:
            found = int(self.connection.execute(query).scalar_one())
            self.connection.rollback()  # a fresh snapshot at the next count
            return found

        return waiting

    def __exit__(self, *_: object) -> None:
        self.connection.close()
        self.engine.dispose()


def versions(database_url: str) -> dict[str, int]:
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as connection:
            found = connection.execute(select(conversations.c.key, conversations.c.version))
            return {key: version for key, version in found.all()}
    finally:
        engine.dispose()


@pytest.mark.slow
def test_a_sigkill_after_the_200_and_before_the_step_loses_and_repeats_nothing(
    graph: FakeGraphServer, database_url: str, tmp_path: Path
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
        "DRESBACH_FLOOD_PER_MINUTE": "0",
        "DRESBACH_SECRET_KEY": SECRET_KEY,
        "SMTP_HOST": SMTP_NOWHERE,
    }
    server = ServiceProcess(env, None, "--no-workers", log=tmp_path / "server.log").start()
    meta = Meta(server.origin)
    acknowledged: list[str] = []
    # The users write, and every message gets its 200: stored, not stepped (no worker runs).
    with httpx.Client(timeout=5) as client:
        for k in range(PER_USER):
            for n in range(USERS):
                message_id = meta.message_id()
                text = "oi" if k == 0 else f"mensagem {_word(k)}"
                body = meta.text_body(f"55319{n:08d}", text, message_id)
                assert meta.post(body, client=client).status_code == 200
                acknowledged.append(message_id)
    server.kill()  # SIGKILL: every message acknowledged, none stepped
    total = USERS * PER_USER
    assert counts(database_url) == (total, total, 0)
    assert graph.app_state.requests == []

    # A worker steps the backlog and is killed as soon as it has stepped anything (the watch starts
    # before the worker does, so it cannot step the whole backlog unseen); another one finishes it.
    first = WorkerProcess(env, log=tmp_path / "worker1.log").spawn()
    deadline = time.monotonic() + 30
    with Waiting(database_url) as waiting:
        while waiting() == total and time.monotonic() < deadline:
            time.sleep(0.002)
        first.kill()
        left_at_the_kill = waiting()
    second = WorkerProcess(env, log=tmp_path / "worker2.log").start()
    try:
        deadline = time.monotonic() + 60
        while pending(database_url) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert pending(database_url) == 0, "the backlog was not stepped and sent"
    finally:
        second.stop()
    assert 0 < left_at_the_kill < total  # killed mid-backlog

    # Nothing lost, nothing stepped twice, each user's messages in the order written.
    assert set(versions(database_url).values()) == {PER_USER}
    books = audit(database_url, acknowledged, graph.app_state.requests, kill_at=time.monotonic())
    assert books.not_stepped == []
    assert books.double_steps == []
    assert books.inbound_order_violations == 0
    assert books.lost == []
    assert books.order_violations == 0
    first_replies = Counter(
        r.body["biz_opaque_callback_data"].split("#")[0]
        for r in graph.app_state.requests
        if not r.is_read_receipt and r.body["biz_opaque_callback_data"].endswith("#0")
    )
    assert set(first_replies) == set(acknowledged)


def _word(k: int) -> str:
    """A message without digits: the understanding tier takes some numbers for an intent."""
    letters = "abcdefghij"
    return "".join(letters[int(d)] for d in str(k))
