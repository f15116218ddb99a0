"""End-to-end fixtures: our app over real HTTP, replies checked at a fake Graph API."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest

from dresbach.bootstrap import Container, build
from dresbach.config import Secret, Settings
from dresbach.web.app import create_app
from tests.fakes.graph_api import FakeGraphServer, GraphApiState
from tests.support.meta import ACCESS_TOKEN, APP_SECRET, PHONE_NUMBER_ID, VERIFY_TOKEN, Meta
from tests.support.servers import serve_in_thread


@dataclass
class Stack:
    meta: Meta
    graph: GraphApiState
    container: Container
    origin: str


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
