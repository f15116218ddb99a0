"""Fixtures shared by every layer of tests.

Store tests run against SQLite and PostgreSQL. PostgreSQL comes from DRESBACH_TEST_POSTGRES_URL;
without it the PostgreSQL half is skipped on a laptop and FAILS in CI (CI=true), so a missing
server can never pass silently.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from dresbach.features.registry import HOUSE
from dresbach.platform.feature import install
from dresbach.platform.store.database import migrate, normalize_url
from dresbach.platform.store.schema import metadata

POSTGRES_ENV = "DRESBACH_TEST_POSTGRES_URL"

install(HOUSE)  # what `dresbach.bootstrap.build` does, for tests that build the parts by hand

# The fixtures of the servers a test may need, wherever the test lives in the tree.
pytest_plugins = [
    "tests.support.calendar_fixtures",
    "tests.support.stack_fixtures",
    "tests.support.browser_fixtures",
]


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
