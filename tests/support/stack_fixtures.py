"""End-to-end fixtures: our app over real HTTP, replies checked at a fake Graph API."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, select

from dresbach.bootstrap import Container, build
from dresbach.config import Secret, Settings
from dresbach.platform.store.schema import inbox
from dresbach.web.app import create_app
from tests.fakes.graph_api import FakeGraphServer, GraphApiState
from tests.support.meta import (
    ACCESS_TOKEN,
    APP_SECRET,
    PHONE_NUMBER_ID,
    VERIFY_TOKEN,
    Customer,
    Meta,
    replies_to,
)
from tests.support.servers import serve_in_thread

T = TypeVar("T")


def waiting(container: Container) -> int:
    """How many stored messages wait to be stepped."""
    with container.db.engine.connect() as connection:
        query = select(func.count()).select_from(inbox).where(inbox.c.to_step.is_not(None))
        return int(connection.execute(query).scalar_one())


@dataclass
class Stack:
    """The app over real HTTP, Meta's side and the fake Graph API; the waiting verbs a test
    needs, so that no test polls on its own."""

    meta: Meta
    graph: GraphApiState
    container: Container
    origin: str

    def customer(self, wa_id: str) -> Customer:
        """A WhatsApp user who says, taps and waits for the bot's reply."""
        return Customer(self.meta, self.graph, wa_id)

    def waits_until(self, condition: Callable[[], T], timeout: float = 15.0, what: str = "") -> T:
        """Block until `condition()` gives something true, and return it; fail after `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            found = condition()
            if found:
                return found
            if time.monotonic() >= deadline:
                raise AssertionError(f"{what or 'condition'} not met within {timeout}s")
            time.sleep(0.05)

    def waits_until_stepped(self, timeout: float = 30.0) -> None:
        """Block until every message the webhook stored has been stepped by the workers (the
        200 means stored; the step comes after it)."""
        self.waits_until(lambda: not waiting(self.container), timeout, "every message stepped")

    def waits_until_sent(self, count: int, to: str, timeout: float = 15.0) -> list[dict[str, Any]]:
        """Block until the fake Graph API has accepted `count` messages to `to` (read receipts
        aside); return them all, in order."""
        if not self.graph.wait_for(lambda g: len(replies_to(g.requests, to)) >= count, timeout):
            got = replies_to(self.graph.requests, to)
            raise AssertionError(f"expected {count} replies to {to} within {timeout}s, got {got}")
        return replies_to(self.graph.requests, to)


@pytest.fixture
def graph() -> Iterator[FakeGraphServer]:
    state = GraphApiState(access_token=ACCESS_TOKEN, phone_number_id=PHONE_NUMBER_ID, seed=7)
    with FakeGraphServer(state) as server:
        yield server


def settings_for(database_url: str, graph: FakeGraphServer) -> Settings:
    return Settings(
        database_url=database_url,
        whatsapp_app_secret=Secret(APP_SECRET),
        whatsapp_verify_token=Secret(VERIFY_TOKEN),
        whatsapp_access_token=Secret(ACCESS_TOKEN),
        whatsapp_phone_number_id=PHONE_NUMBER_ID,
        whatsapp_api_base_url=graph.base_url,
        graph_timeout_seconds=1.0,
        send_rate=1000.0,
        recipient_burst=1000,
        recipient_rate=1000.0,
        retry_base_seconds=0.02,
        send_doubt_seconds=0.5,  # this fake Graph API sends no status webhooks unless asked
        send_max_attempts=30,
        insecure_cookies=True,  # the console is reached over plain http on 127.0.0.1
    )


@pytest.fixture
def stack_factory(graph: FakeGraphServer):  # type: ignore[no-untyped-def]
    """Start the app on a database URL, with optional setting overrides."""
    opened: list[object] = []

    def start(database_url: str, **overrides: object) -> Stack:
        settings = replace(settings_for(database_url, graph), **overrides)  # type: ignore[arg-type]
        container = build(settings, auto_migrate=True)
        server = serve_in_thread(create_app(container))
        origin = server.__enter__()
        opened.append(server)
        return Stack(meta=Meta(origin), graph=graph.app_state, container=container, origin=origin)

    yield start
    for server in reversed(opened):
        server.__exit__(None, None, None)  # type: ignore[attr-defined]


@pytest.fixture
def stack(stack_factory, database_url: str) -> Stack:  # type: ignore[no-untyped-def]
    result: Stack = stack_factory(database_url)
    return result
