"""Fixtures for the adapter and store tests: a real Radicale CalDAV server for the session, and a
fresh calendar on it for each test. Radicale failing to start skips locally and FAILS in CI."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import require
from tests.support.radicale import Radicale, radicale_server


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    try:
        server = radicale_server(tmp_path_factory.mktemp("radicale"))
        started = server.__enter__()
    except Exception as error:
        require(f"Radicale could not start: {error!r}")
        raise AssertionError from error  # unreachable
    try:
        yield started
    finally:
        server.__exit__(None, None, None)


@pytest.fixture
def calendar_url(radicale: Radicale) -> str:
    """A calendar of this test's own (MKCALENDAR), named "Consultoria"."""
    return radicale.make_calendar("Consultoria")
