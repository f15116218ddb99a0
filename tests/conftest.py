"""Fixtures shared by every layer of tests, and the markers that sort them into tiers.

Store tests run against SQLite and PostgreSQL. PostgreSQL comes from DRESBACH_TEST_POSTGRES_URL;
without it the PostgreSQL half is skipped on a laptop and FAILS in CI (CI=true), so a missing
server can never pass silently.

The markers are applied here, from what a test uses, so that no test has to remember them:
`postgres` (the PostgreSQL half of `database_url`, or `postgres_database`), `browser` (Chromium:
the `page`/`browser`/`service` fixtures, or a `test_browser_*` file), `e2e` (a server, a full
stack or a process of its own: the stack, Graph, Radicale fixtures, or a module that starts one
of the servers and processes named in E2E_NAMES). `slow` stays explicit. `make test-fast` runs
what none of them marks.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from dresbach.config import Settings
from dresbach.features.registry import HOUSE
from dresbach.platform.feature import install
from dresbach.platform.store.database import Database, migrate, normalize_url
from dresbach.platform.store.schema import metadata

POSTGRES_ENV = "DRESBACH_TEST_POSTGRES_URL"

install(HOUSE)  # what `dresbach.bootstrap.build` does, for tests that build the parts by hand

# The tests' customers say one thing and wait for its answer: quick texts are understood together
# (DRESBACH_BURST_SECONDS, 2 s in production) only where a test turns it on
# (tests/platform/test_bursts.py), in this process and in the processes the tests start.
Settings.__init__.__kwdefaults__["burst_seconds"] = 0.0
os.environ.setdefault("DRESBACH_BURST_SECONDS", "0")

# The fixtures of the servers a test may need, wherever the test lives in the tree.
pytest_plugins = [
    "tests.support.calendar_fixtures",
    "tests.support.stack_fixtures",
    "tests.support.browser_fixtures",
]


BROWSER_FIXTURES = frozenset({"page", "browser", "service"})
E2E_FIXTURES = frozenset({"stack", "stack_factory", "graph", "radicale", "calendar_url"})
# What a test module names when it starts a server, a stack or a process of its own
E2E_NAMES = re.compile(
    r"\b(subprocess|Popen|serve_in_thread|FakeGraphServer|radicale_server|ServiceProcess"
    r"|WorkerProcess|BackgroundServer|local_sites|LocalDns|aiosmtpd|Controller|uvicorn)\b"
)


@cache
def starts_servers(module: Path) -> bool:
    return E2E_NAMES.search(module.read_text("utf-8")) is not None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        callspec = getattr(item, "callspec", None)
        params = callspec.params if callspec is not None else {}
        if "postgres_database" in used or params.get("database_url") == "postgres":
            item.add_marker(pytest.mark.postgres)
        if used & BROWSER_FIXTURES or item.path.name.startswith("test_browser_"):
            item.add_marker(pytest.mark.browser)
        if used & E2E_FIXTURES or starts_servers(item.path):
            item.add_marker(pytest.mark.e2e)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(reason: str) -> None:
    """Skip locally, fail in CI."""
    if in_ci():
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, migrated, dropped at the end."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        require(f"{POSTGRES_ENV} is not set")
        raise AssertionError  # unreachable
    admin = create_engine(normalize_url(base), isolation_level="AUTOCOMMIT")
    name = f"dresbach_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:
        require(f"PostgreSQL at {POSTGRES_ENV} is unreachable: {error}")
    url = base.rsplit("/", 1)[0] + f"/{name}"
    migrate(url)
    yield url
    with admin.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        )
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def _truncate(url: str) -> None:
    engine = create_engine(normalize_url(url))
    with engine.begin() as connection:
        names = ", ".join(t.name for t in metadata.sorted_tables)
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Each store test runs twice: on a fresh SQLite file and on a clean PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db')}/dresbach.sqlite3"
    url: str = request.getfixturevalue("postgres_database")
    _truncate(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db')}/dresbach.sqlite3"


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """A migrated database, on SQLite and on PostgreSQL (a module may define its own)."""
    migrate(database_url)
    database = Database(database_url)
    yield database
    database.close()
