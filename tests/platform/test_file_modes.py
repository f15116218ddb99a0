"""The files that hold personal data are readable by their owner only (0600), like the key:
the SQLite database and its -wal / -shm, whoever creates them (`dresbach migrate`, the service),
whatever the umask; a database an earlier version left 0644 is tightened at start; and the log
file `dresbach chat` writes."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert

from dresbach.cli.chat import _log_to
from dresbach.config import Settings
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.schema import worker_heartbeats
from tests.support.environments import sandbox_env
from tests.support.servers import DRESBACH


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The usual 022: without care, new files are world-readable."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def written(database: Path) -> Database:
    """A database with a committed row, its WAL and shared memory open."""
    db = Database(f"sqlite:///{database}")
    with db.engine.begin() as connection:
        connection.execute(insert(worker_heartbeats).values(name="w:1", beat_at=datetime.now(UTC)))
    return db


@pytest.mark.usefixtures("loose_umask")
def test_the_database_its_wal_and_shm_are_created_0600(tmp_path: Path) -> None:
    database = tmp_path / "var" / "dresbach.sqlite3"
    migrate(f"sqlite:///{database}")
    db = written(database)
    try:
        for suffix in ("", "-wal", "-shm"):
            path = Path(f"{database}{suffix}")
            assert path.exists(), suffix
            assert mode(path) == 0o600, f"{path.name} is {oct(mode(path))}"
        assert mode(database.parent) == 0o700
    finally:
        db.close()


@pytest.mark.usefixtures("loose_umask")
def test_a_database_left_readable_by_an_earlier_version_is_tightened(tmp_path: Path) -> None:
    database = tmp_path / "dresbach.sqlite3"
    migrate(f"sqlite:///{database}")
    database.chmod(0o644)
    for suffix in ("-wal", "-shm"):  # left behind by a killed process
        Path(f"{database}{suffix}").touch(mode=0o644)
    db = written(database)
    try:
        for suffix in ("", "-wal", "-shm"):
            assert mode(Path(f"{database}{suffix}")) == 0o600, suffix
    finally:
        db.close()


def test_the_commands_create_it_0600_too(tmp_path: Path) -> None:
    database = tmp_path / "cli.sqlite3"
    env = {**os.environ, **sandbox_env(f"sqlite:///{database}")}
    subprocess.run(
        ["sh", "-c", f"umask 022 && {DRESBACH} migrate && {DRESBACH} operators list"],
        env=env,
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    assert mode(database) == 0o600


@pytest.mark.usefixtures("loose_umask")
def test_the_chat_log_is_the_owners_only(tmp_path: Path) -> None:
    log = tmp_path / "dresbach-chat.log"
    with _log_to(log, Settings()) as stream:
        stream.write("x\n")
    assert mode(log) == 0o600
    log.chmod(0o644)  # an older one: tightened on the next chat
    with _log_to(log, Settings()):
        pass
    assert mode(log) == 0o600
