"""A long send pass records what the Graph API accepted while it is still sending, so a worker
killed mid-pass leaves only its last moment's sends to be repeated, not the whole pass's."""

from __future__ import annotations

import time

from sqlalchemy import select

from dresbach.platform.store.schema import outbox
from tests.fakes.graph_api import FailureKind
from tests.support.stack_fixtures import Stack

USER = "5511987650077"
LATENCY = 0.4


def test_the_read_receipt_is_recorded_while_the_replies_are_still_being_sent(
    stack: Stack,
) -> None:
    # The Graph API records each send on arrival and answers LATENCY s later: the user's
    # read receipt and the bot's two replies leave one after another, in one pass of ~1.2 s.
    stack.graph.failure_kinds = (FailureKind.TIMEOUT,)
    stack.graph.timeout_delay = LATENCY
    stack.graph.failure_rate = 1.0

    def statuses() -> list[str]:
        with stack.container.db.engine.connect() as connection:
            query = select(outbox.c.status).order_by(outbox.c.seq)
            return list(connection.execute(query).scalars())

    assert stack.meta.says(USER, "oi").status_code == 200
    seen: list[tuple[int, list[str]]] = []
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        arrived = len(stack.graph.requests)
        now = statuses()
        seen.append((arrived, now))
        if now and all(s == "sent" for s in now):
            break
        time.sleep(0.02)
    assert seen[-1][1] == ["sent", "sent", "sent"], seen[-1]
    # Some moment showed the receipt recorded as sent while a later reply had not even reached
    # the Graph API: the pass recorded it as it went.
    assert any(arrived < 3 and now[:1] == ["sent"] for arrived, now in seen), seen[-3:]
