"""Observability as an operator meets it: the JSON log lines of real `dresbach serve` and
`dresbach worker` processes, what `/metrics` says after a conversation, and `/readyz`."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import insert

from dresbach.bootstrap import build
from dresbach.config import Secret
from dresbach.platform.observe.correlation import correlation_id_for
from dresbach.platform.store.database import migrate
from dresbach.platform.store.schema import handoffs, jobs, outbox, payments, worker_heartbeats
from dresbach.web.app import create_app
from tests.fakes.graph_api import FakeGraphServer
from tests.support.environments import SMTP_NOWHERE
from tests.support.meta import ACCESS_TOKEN, APP_SECRET, PHONE_NUMBER_ID, VERIFY_TOKEN, Meta
from tests.support.servers import DRESBACH, free_port, serve_in_thread
from tests.support.stack_fixtures import settings_for

USER = "5511987650042"
UNREACHABLE = "5511987650043"
CPF = "529.982.247-25"
EMAIL = "maria.souza@anasouza.com.br"
PHONE = "+55 (11) 98765-4321"
SECRET_KEY = "11" * 32


# ---- helpers ---------------------------------------------------------------------------------


@contextlib.contextmanager
def process(args: list[str], env: dict[str, str], log: Path, cwd: Path) -> Iterator[None]:
    """A `dresbach` command as a real process, its stderr (the log) written to `log`."""
    command = (
        [DRESBACH, *args]
        if Path(DRESBACH).exists()
        else [sys.executable, "-m", "dresbach.cli.main", *args]
    )
    with log.open("wb") as sink:
        running = subprocess.Popen(
            command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=sink
        )
        try:
            yield
        finally:
            running.terminate()
            try:
                running.wait(timeout=15)
            except subprocess.TimeoutExpired:
                running.kill()
                running.wait(timeout=5)


def wait_until(url: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=0.5).status_code == 200:
                return
        time.sleep(0.05)
    raise AssertionError(f"{url} did not answer")


def scrape(url: str, **headers: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a /metrics page, by name and labels."""
    response = httpx.get(url, headers=headers, timeout=5)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: dict[Any, float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def json_lines(path: Path) -> list[dict[str, Any]]:
    lines = [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
    for line in lines:
        assert {"ts", "level", "logger", "msg"} <= line.keys(), line
    return lines


# ---- a conversation across two processes -----------------------------------------------------


def test_the_logs_and_metrics_of_a_conversation_across_a_server_and_a_worker(
    graph: FakeGraphServer, sqlite_url: str, tmp_path: Path
) -> None:
    migrate(sqlite_url)
    port, metrics_port = free_port(), free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "DRESBACH_DATABASE_URL": sqlite_url,
        "DRESBACH_SECRET_KEY": SECRET_KEY,
        "WHATSAPP_APP_SECRET": APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
        "WHATSAPP_ACCESS_TOKEN": ACCESS_TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_API_BASE_URL": graph.base_url,
        "DRESBACH_SEND_RATE": "1000",
        "DRESBACH_RECIPIENT_BURST": "1000",
        "DRESBACH_RECIPIENT_RATE": "1000",
        "DRESBACH_LOG_FORMAT": "json",
        "DRESBACH_LOG_LEVEL": "info",
        "DRESBACH_BURST_SECONDS": "0",  # each text its own turn, as the logs below read them
        "SMTP_HOST": SMTP_NOWHERE,
    }
    serve_log, worker_log = tmp_path / "serve.log", tmp_path / "worker.log"
    origin = f"http://127.0.0.1:{port}"
    state = graph.app_state
    state.undeliverable.add(UNREACHABLE)
    meta = Meta(origin)
    first_id = meta.message_id()
    first = meta.text_body(USER, "oi", first_id)

    def replies_to(wa_id: str) -> int:
        return sum(1 for r in state.requests if not r.is_read_receipt and r.recipient == wa_id)

    serve = ["serve", "--host", "127.0.0.1", "--port", str(port), "--no-workers"]
    worker = ["worker", "--metrics-port", str(metrics_port)]
    with (
        process(serve, env, serve_log, tmp_path),
        process(worker, env, worker_log, tmp_path),
    ):
        wait_until(f"{origin}/healthz")
        wait_until(f"http://127.0.0.1:{metrics_port}/metrics")
        # The user says "oi", then writes their CPF, e-mail and phone in a free text.
        assert meta.post(first).status_code == 200
        assert state.wait_for(lambda _: replies_to(USER) >= 2, 15)
        said = replies_to(USER)
        personal = f"Meu CPF é {CPF}, meu e-mail {EMAIL} e o telefone {PHONE}"
        assert meta.says(USER, personal).status_code == 200
        assert state.wait_for(lambda _: replies_to(USER) > said, 15)
        # Meta delivers the first message again; someone posts without a signature.
        assert meta.post(first).status_code == 200
        assert httpx.post(f"{origin}/webhook", content=first).status_code == 401
        # Another user's number cannot receive messages: 131026, dead-lettered.
        assert meta.says(UNREACHABLE, "oi").status_code == 200
        deadline = time.monotonic() + 15
        while True:  # until the outbox is empty and the dead letters recorded
            at_server = scrape(f"{origin}/metrics")
            if value(at_server, "dresbach_outbox_dead") and not value(
                at_server, "dresbach_outbox_pending"
            ):
                break
            assert time.monotonic() < deadline, "the outbox did not drain"
            time.sleep(0.1)
        at_worker = scrape(f"http://127.0.0.1:{metrics_port}/metrics")

    # /metrics of the web process: what came in, and the figures from the database.
    assert value(at_server, "dresbach_messages_in_total", kind="text") == 3
    assert value(at_server, "dresbach_webhook_duplicates_total") == 1
    assert value(at_server, "dresbach_webhook_requests_total", status="200") == 4
    assert value(at_server, "dresbach_webhook_requests_total", status="401") == 1
    assert value(at_server, "dresbach_webhook_ack_seconds_count") == 5
    assert value(at_server, "dresbach_step_seconds_count") == 0  # it stores; workers step
    assert value(at_server, "dresbach_messages_out_total", kind="read") == 0  # it sends nothing
    assert value(at_server, "dresbach_database_up") == 1
    assert value(at_server, "dresbach_workers_alive") == 1
    undeliverable = sum(1 for f in state.failures if f.code == 131026)
    assert undeliverable >= 1
    assert value(at_server, "dresbach_outbox_dead") == undeliverable
    # /metrics of the worker: what it stepped, and what went out.
    assert value(at_worker, "dresbach_step_seconds_count") == 3  # a duplicate takes no step
    sent_to_user = replies_to(USER)
    assert value(at_worker, "dresbach_messages_out_total", kind="read") == 3
    out = sum(
        v
        for (name, labels), v in at_worker.items()
        if name == "dresbach_messages_out_total" and labels != (("kind", "read"),)
    )
    assert out == sent_to_user
    assert value(at_worker, "dresbach_sends_total", result="sent", code="") == sent_to_user + 3
    dead_letters = value(at_worker, "dresbach_sends_total", result="dead", code="131026")
    assert dead_letters == undeliverable
    assert value(at_worker, "dresbach_dead_letters_total") == undeliverable
    calls = sent_to_user + 3 + undeliverable
    assert value(at_worker, "dresbach_graph_send_seconds_count") == calls

    # The log: every line one JSON object, in both processes.
    served, worked = json_lines(serve_log), json_lines(worker_log)
    assert any(line["logger"].startswith("uvicorn") for line in served)
    correlation = correlation_id_for(first_id)
    received = [
        line
        for line in served
        if line["msg"] == "message received" and line.get("correlation_id") == correlation
    ]
    assert [line["kind"] for line in received] == ["text", "text"]  # and again, duplicated
    refused = [line for line in served if line.get("correlation_id") == correlation]
    assert any(line["msg"] == "duplicate ignored" for line in refused)
    steps = [line for line in worked if line.get("correlation_id") == correlation]
    (step,) = [line for line in steps if line["msg"] == "event taken in"]
    assert step["replies"] >= 1
    assert step["place"] == "menu.main"
    sends = [
        line
        for line in worked
        if line["msg"] == "graph api send" and line.get("correlation_id") == correlation
    ]
    assert {line["result"] for line in sends} == {"sent"}
    assert sends[0]["kind"] == "read"
    assert len(sends) == 1 + step["replies"]  # the read receipt, then each reply
    dead = [line for line in worked if line.get("result") == "dead"]
    assert len(dead) == undeliverable
    assert all(line["level"] == "error" and line["code"] == 131026 for line in dead)
    # Nothing personal or secret in clear, anywhere.
    text = serve_log.read_text() + worker_log.read_text()
    clear = [CPF, "52998224725", EMAIL, PHONE, "98765-4321", USER, UNREACHABLE, first_id]
    for value_in_clear in [*clear, ACCESS_TOKEN, APP_SECRET, SECRET_KEY]:
        assert value_in_clear not in text


# ---- the figures read from the database ------------------------------------------------------


def test_metrics_read_the_outbox_hand_offs_payments_and_jobs_from_the_database(
    graph: FakeGraphServer, database_url: str
) -> None:
    settings = replace(
        settings_for(database_url, graph),
        metrics_token=Secret("scrape-me-please"),
        secret_key=Secret(SECRET_KEY),
    )
    container = build(settings, auto_migrate=True)
    now = datetime.now(UTC)
    with container.db.engine.begin() as connection:
        for n, (status, age) in enumerate([("pending", 90), ("pending", 5), ("dead", 300)]):
            connection.execute(
                insert(outbox).values(
                    conversation_key="5511900000001",
                    seq=n + 1,
                    recipient="5511900000001",
                    kind="message",
                    payload="{}",
                    status=status,
                    attempts=0,
                    next_attempt_at=now + timedelta(hours=1),
                    delivery_rank=0,
                    created_at=now - timedelta(seconds=age),
                )
            )
        for n, (status, age) in enumerate([("waiting", 600), ("waiting", 60), ("active", 900)]):
            connection.execute(
                insert(handoffs).values(
                    request_id=f"handoff-{n}",
                    conversation_key=f"55119000000{n + 10}",
                    status=status,
                    reason="asked",
                    flow="menu",
                    context="{}",
                    requested_at=now - timedelta(seconds=age),
                )
            )
        for n, status in enumerate(["active", "active", "paid", "flagged"]):
            connection.execute(
                insert(payments).values(
                    txid=f"txid{n:028d}",
                    provider="static",
                    provider_id=f"txid{n:028d}",
                    conversation_key="5511900000001",
                    lead_id="lead",
                    amount="1500.00",
                    copia_e_cola="000201",
                    status=status,
                    created_at=now,
                    expires_at=now + timedelta(hours=1),
                )
            )
        connection.execute(
            insert(jobs).values(
                command_id="job-1",
                kind="create_charge",
                payload="{}",
                status="pending",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
        )
        connection.execute(
            insert(worker_heartbeats).values(
                [
                    {"name": "a:1", "beat_at": now - timedelta(seconds=2)},
                    {"name": "b:2", "beat_at": now - timedelta(minutes=5)},
                ]
            )
        )
    with serve_in_thread(create_app(container, run_workers=False)) as origin:
        assert httpx.get(f"{origin}/metrics").status_code == 401
        wrong = httpx.get(f"{origin}/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        samples = scrape(f"{origin}/metrics", Authorization="Bearer scrape-me-please")
    assert value(samples, "dresbach_database_up") == 1
    assert value(samples, "dresbach_outbox_pending") == 2
    assert 90 <= value(samples, "dresbach_outbox_oldest_pending_age_seconds") < 120
    assert value(samples, "dresbach_outbox_dead") == 1
    assert value(samples, "dresbach_handoffs_waiting") == 2
    assert 600 <= value(samples, "dresbach_handoffs_oldest_waiting_seconds") < 630
    assert value(samples, "dresbach_handoffs_active") == 1
    assert value(samples, "dresbach_payments", status="active") == 2
    assert value(samples, "dresbach_payments", status="paid") == 1
    assert value(samples, "dresbach_payments", status="flagged") == 1
    assert value(samples, "dresbach_jobs_pending") == 1
    assert value(samples, "dresbach_workers_alive") == 1
    assert value(samples, "process_resident_memory_bytes") > 0


# ---- /readyz ---------------------------------------------------------------------------------


def test_readyz_says_ready_only_with_the_database_and_a_live_worker(
    graph: FakeGraphServer, database_url: str
) -> None:
    settings = replace(settings_for(database_url, graph), secret_key=Secret(SECRET_KEY))
    container = build(settings, auto_migrate=True)
    with serve_in_thread(create_app(container, run_workers=False)) as origin:
        # The web tier alone: no worker has beaten yet.
        alone = httpx.get(f"{origin}/readyz")
        assert alone.status_code == 503
        assert alone.json() == {"database": True, "workers": False, "ready": False}
        with container.db.engine.begin() as connection:
            connection.execute(
                insert(worker_heartbeats).values(name="w:1", beat_at=datetime.now(UTC))
            )
        ready = httpx.get(f"{origin}/readyz")
        assert (ready.status_code, ready.json()["ready"]) == (200, True)
        with container.db.engine.begin() as connection:
            connection.execute(
                worker_heartbeats.update().values(beat_at=datetime.now(UTC) - timedelta(minutes=1))
            )
        stale = httpx.get(f"{origin}/readyz")
        assert stale.status_code == 503
        assert stale.json()["workers"] is False


def test_readyz_fails_when_the_database_cannot_be_reached(graph: FakeGraphServer) -> None:
    nowhere = f"postgresql://postgres@127.0.0.1:{free_port()}/dresbach"
    settings = replace(settings_for(nowhere, graph), secret_key=Secret(SECRET_KEY))
    container = build(settings, auto_migrate=False)
    with serve_in_thread(create_app(container)) as origin:
        answer = httpx.get(f"{origin}/readyz", timeout=15)
        assert answer.status_code == 503
        assert answer.json()["database"] is False
        scraped = scrape(f"{origin}/metrics")
        assert value(scraped, "dresbach_database_up") == 0


def test_readyz_fails_when_a_worker_task_has_died(graph: FakeGraphServer, sqlite_url: str) -> None:
    container = build(settings_for(sqlite_url, graph), auto_migrate=True)
    with serve_in_thread(create_app(container)) as origin:
        assert httpx.get(f"{origin}/readyz").status_code == 200
        task = container.workers._tasks[0]
        task.get_loop().call_soon_threadsafe(task.cancel)
        deadline = time.monotonic() + 5
        while httpx.get(f"{origin}/readyz").status_code != 503:
            assert time.monotonic() < deadline, "/readyz still says ready"
            time.sleep(0.05)
        assert httpx.get(f"{origin}/readyz").json()["workers"] is False
