"""`/readyz` of real processes, on SQLite and PostgreSQL: `dresbach serve` with its workers in
the same process (the image's default), and `dresbach serve --no-workers` beside a
`dresbach worker` (the compose shape). Each must say ready within a few seconds of starting."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from dresbach.bootstrap import build
from dresbach.platform.store.database import migrate
from dresbach.platform.store.schema import worker_heartbeats
from dresbach.platform.work import workers as workers_module
from dresbach.web.app import create_app
from tests.fakes.graph_api import FakeGraphServer
from tests.support.environments import production_env
from tests.support.servers import ServiceProcess, WorkerProcess, serve_in_thread
from tests.support.stack_fixtures import settings_for

READY_WITHIN = 10.0
"""Seconds: the first heartbeat is written at once, so readiness is a matter of one poll."""


def ready(origin: str) -> dict[str, bool]:
    """The last /readyz answer, once it says ready or `READY_WITHIN` has passed."""
    deadline = time.monotonic() + READY_WITHIN
    while True:
        answer = httpx.get(f"{origin}/readyz", timeout=5)
        body: dict[str, bool] = answer.json()
        assert answer.status_code == (200 if body["ready"] else 503)
        if body["ready"] or time.monotonic() > deadline:
            return body
        time.sleep(0.2)


def test_serve_with_its_own_workers_is_ready(
    graph: FakeGraphServer, database_url: str, tmp_path: Path
) -> None:
    migrate(database_url)
    server = ServiceProcess(
        production_env(database_url, graph.base_url), log=tmp_path / "serve.log"
    ).start()
    try:
        assert ready(server.origin) == {"database": True, "workers": True, "ready": True}
        time.sleep(1.5)  # and stays ready: no worker task ends on its own
        assert ready(server.origin)["ready"] is True
    finally:
        server.stop()


def test_a_web_process_is_ready_once_a_worker_process_runs(
    graph: FakeGraphServer, database_url: str, tmp_path: Path
) -> None:
    migrate(database_url)
    env = production_env(database_url, graph.base_url)
    server = ServiceProcess(env, None, "--no-workers", log=tmp_path / "serve.log").start()
    try:
        alone = httpx.get(f"{server.origin}/readyz", timeout=5)
        assert (alone.status_code, alone.json()["workers"]) == (503, False)
        worker = WorkerProcess(env, log=tmp_path / "worker.log").start()
        try:
            assert ready(server.origin) == {"database": True, "workers": True, "ready": True}
        finally:
            worker.stop()
    finally:
        server.stop()


def test_a_worker_with_a_stopped_task_stops_beating(
    graph: FakeGraphServer, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a web process without workers trusts is the workers' heartbeat: a worker process
    whose sender (or any other task) has ended must stop beating, so it stops counting."""
    monkeypatch.setattr(workers_module, "HEARTBEAT", 0.1)
    container = build(settings_for(database_url, graph), auto_migrate=True)

    def last_beat() -> datetime | None:
        with container.db.engine.connect() as connection:
            found = connection.execute(select(worker_heartbeats.c.beat_at)).scalar()
        return found  # type: ignore[no-any-return]

    with serve_in_thread(create_app(container, run_workers=True)):
        deadline = time.monotonic() + 5
        while last_beat() is None:
            assert time.monotonic() < deadline, "no heartbeat"
            time.sleep(0.05)
        sender = container.workers._tasks[0]
        sender.get_loop().call_soon_threadsafe(sender.cancel)
        time.sleep(0.5)  # the beat in flight when the task ended may still land
        stopped_at = last_beat()
        time.sleep(1.0)  # ten beats' time
        assert last_beat() == stopped_at
        assert container.workers.alive is False
