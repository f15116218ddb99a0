"""Scale-out on PostgreSQL: two web processes and two workers share one database; one of each is
killed with SIGKILL under load, and the survivors carry on without losing, repeating (beyond the
sends in flight at the kill) or reordering a single reply.

Like Meta, the load generator redelivers a webhook until some server answers 2xx, alternating
between the two servers; a user writes again only after the previous message was acknowledged.
Neither killed process is restarted: the remaining server takes all the traffic, and the
remaining worker takes over the killed worker's leased rows once their lease ends.
"""

from __future__ import annotations

import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.conftest import _truncate
from tests.fakes.graph_api import FailureKind, FakeGraphServer
from tests.fakes.graph_statuses import StatusWebhooks
from tests.support.environments import SMTP_NOWHERE
from tests.support.meta import ACCESS_TOKEN, APP_SECRET, PHONE_NUMBER_ID, VERIFY_TOKEN, Meta
from tests.support.scale_out import audit, pending
from tests.support.servers import ServiceProcess, WorkerProcess

USERS = 30
PER_USER = 15
BATCH = 64
"""Conversations one worker claims per pass (`OutboxSender.batch`): what a kill may repeat."""
LEASE = 2 * 2 + 5
"""Seconds a claimed row stays leased with DRESBACH_GRAPH_TIMEOUT=2 (bootstrap: 2 × timeout + 5)."""
GRAPH_LATENCY = 0.1
"""Seconds the fake Graph API holds each answer (it records the request first), about the real
one's: a worker is then nearly always mid-send, so killing it strands sends in flight."""


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1] * 1000


@pytest.mark.slow
def test_two_servers_two_workers_one_of_each_killed_lose_and_reorder_nothing(
    graph: FakeGraphServer, postgres_database: str, tmp_path: Path
) -> None:
    database_url = postgres_database
    _truncate(database_url)
    # Every send is accepted, recorded, then answered GRAPH_LATENCY s later.
    graph.app_state.failure_kinds = (FailureKind.TIMEOUT,)
    graph.app_state.timeout_delay = GRAPH_LATENCY
    graph.app_state.failure_rate = 1.0
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
        "DRESBACH_GRAPH_TIMEOUT": "2",  # the lease of a claimed row: 2 × 2 + 5 = 9 s
        "DRESBACH_FLOOD_PER_MINUTE": "0",  # these users write faster than any person
        "DRESBACH_BURST_SECONDS": "0",  # each of their messages is a turn, stepped once
        "DRESBACH_SECRET_KEY": "5e" * 32,  # one key for every process, as on several machines
        "SMTP_HOST": SMTP_NOWHERE,
    }
    servers = [
        ServiceProcess(env, None, "--no-workers", log=tmp_path / f"server{n}.log") for n in (1, 2)
    ]
    workers = [WorkerProcess(env, log=tmp_path / f"worker{n}.log") for n in (1, 2)]
    everyone: list[ServiceProcess | WorkerProcess] = [*servers, *workers]
    meta = [Meta(server.origin) for server in servers]
    total = USERS * PER_USER
    acknowledged: list[str] = []
    ack_seconds: list[float] = []
    redelivered = 0
    lock = threading.Lock()
    stop = threading.Event()

    def user(n: int) -> None:
        nonlocal redelivered
        wa_id = f"55219{n:08d}"
        with httpx.Client(timeout=5) as client:
            for k in range(PER_USER):
                message_id = meta[0].message_id()
                body = meta[0].text_body(
                    wa_id, "oi" if k == 0 else f"mensagem {_word(k)}", message_id
                )
                target = (n + k) % 2
                while not stop.is_set():  # like Meta: redeliver until a 2xx, to either server
                    started = time.monotonic()
                    try:
                        if meta[target].post(body, client=client).status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    with lock:
                        redelivered += 1
                    target = 1 - target
                    time.sleep(0.02)
                else:
                    return
                with lock:
                    acknowledged.append(message_id)
                    ack_seconds.append(time.monotonic() - started)

    threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(USERS)]
    statuses = StatusWebhooks(graph.app_state, [s.origin for s in servers], APP_SECRET)
    try:
        with ThreadPoolExecutor(len(everyone)) as pool:
            list(pool.map(lambda process: process.start(), everyone))
        # Like Meta, the fake posts a `sent` status for every message it accepts, naming it by
        # our callback: a reply the killed worker had sent but not recorded is recorded from it.
        statuses.__enter__()
        began = time.monotonic()
        for t in threads:
            t.start()
        deadline = began + 30
        while len(acknowledged) < total * 3 // 10 and time.monotonic() < deadline:
            time.sleep(0.005)
        servers[0].kill()
        server_killed_after = len(acknowledged)
        while len(acknowledged) < total // 2 and time.monotonic() < deadline:
            time.sleep(0.005)
        while not pending(database_url, leased=True) and time.monotonic() < deadline:
            time.sleep(0.005)  # some worker is mid-pass
        workers[0].kill()
        worker_killed_at = time.monotonic()
        worker_killed_after = len(acknowledged)
        for t in threads:
            t.join(timeout=45)
        acked_at = time.monotonic()
        assert len(acknowledged) == total
        assert 0 < server_killed_after < worker_killed_after < total

        deadline = time.monotonic() + 40
        while pending(database_url) and time.monotonic() < deadline:
            time.sleep(0.1)
        drained_at = time.monotonic()
        assert pending(database_url) == 0, "the surviving worker did not drain the outbox"
        survivors = [servers[1].process, workers[1].process]
        assert [p.poll() if p else "never started" for p in survivors] == [None, None]

        books = audit(
            database_url,
            acknowledged,
            graph.app_state.requests,
            kill_at=worker_killed_at,
            min_repeat_gap=LEASE - 4,
        )
    finally:
        stop.set()
        statuses.__exit__()
        for process in everyone:
            process.stop()

    print(
        f"\nscale-out: 2 servers + 2 workers on PostgreSQL, {USERS} users × {PER_USER} messages; "
        f"server 1 SIGKILLed after {server_killed_after} acks, worker 1 after "
        f"{worker_killed_after}; {redelivered} webhook deliveries failed and were redelivered\n"
        f"  throughput: {total / (acked_at - began):.0f} msg/s acknowledged, "
        f"{total / (drained_at - began):.0f} msg/s answered (drained "
        f"{drained_at - worker_killed_at:.1f} s after the worker kill)\n"
        f"  ack p50/p95/p99: {_ms(ack_seconds, 50):.1f} / {_ms(ack_seconds, 95):.1f} / "
        f"{_ms(ack_seconds, 99):.1f} ms\n"
        f"  {books.summary()}"
    )
    # Every acknowledged message was stepped exactly once, in the user's order.
    assert books.not_stepped == []
    assert books.unacknowledged_steps == []
    assert books.double_steps == []
    assert books.inbound_order_violations == 0
    assert books.inbox_rows == total
    # Every queued reply and read receipt reached the Graph API, in each user's order.
    assert books.outbox_rows >= 2 * total  # a read receipt and at least one reply per message
    assert books.not_sent == []
    assert books.lost == []
    assert books.unexpected == []
    assert books.order_violations == 0
    # Repeats: only sends in flight when the worker died (accepted by the Graph API, not yet
    # recorded): each began before the kill and was sent again only once the dead worker's
    # lease ended (allowing 4 s between its claim and its send), at most one batch of them.
    assert books.unexplained_duplicates == []
    assert books.duplicated_conversations <= BATCH
    # ...and no reply among them: each one Meta had accepted was recorded from its status.
    assert books.duplicated_replies == 0, books.summary()


def _word(k: int) -> str:
    """A message without digits: the understanding tier takes some numbers for an intent."""
    letters = "abcdefghij"
    return "".join(letters[int(d)] for d in str(k))
