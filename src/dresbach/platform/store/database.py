"""The database: one engine, and one place where blocking calls leave the event loop.

SQLite (the embedded default) gets WAL, `BEGIN IMMEDIATE` for every transaction, and a single
writer thread, so a checkpoint or an fsync never stalls the event loop; the WAL is checkpointed
from a second connection on a timer instead of on the committing thread. The writer has two
lanes: what an acknowledgement waits for (`run_first`: the webhooks' inserts) goes before the
work queued behind it (a job, the outbox), though never before the one it is running.
PostgreSQL (psycopg 3) gets a thread pool the size of its connection pool.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")


def normalize_url(url: str) -> str:
    """`postgresql://` and `postgres://` go through psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


PRIVATE = 0o600
"""Owner read and write, nobody else: the mode of the database files, as of the key file."""
SIDECARS = ("-wal", "-shm", "-journal")


def private_sqlite_file(path: str) -> None:
    """Create the SQLite file 0600 (in a 0700 folder when we make it) before SQLite opens it, and
    tighten it and its sidecars if an earlier version left them readable by others. SQLite gives
    the -wal, -shm and -journal it creates the mode of the database file, so they follow."""
    file = Path(path)
    if not file.parent.exists():
        file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE))
    for each in (file, *(Path(f"{path}{sidecar}") for sidecar in SIDECARS)):
        with contextlib.suppress(FileNotFoundError):
            if each.stat().st_mode & 0o077:
                each.chmod(PRIVATE)


def utc(value: datetime | None) -> datetime | None:
    """SQLite hands datetimes back naive; every stored time is UTC."""
    if value is None:
        return None
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def iso(value: datetime | None) -> str | None:
    """A stored time as ISO 8601 in UTC (None stays None)."""
    moment = utc(value)
    return moment.isoformat() if moment is not None else None


def to_utc(value: datetime) -> datetime:
    """Before storing: SQLite keeps no offset, so every time we write is converted to UTC."""
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    return value.astimezone(UTC)


PATIENCE = 0.05
"""Seconds the oldest work of the second lane waits, at most, while acknowledgements keep coming:
then it runs next, so a long burst delays the jobs and the outbox but never starves them."""


class Writer:
    """One thread that runs what it is given, one at a time: acknowledgements first, then the
    rest (unless its oldest has waited `PATIENCE`), each lane in the order it came."""

    def __init__(self, name: str = "sqlite-writer") -> None:
        self._first: deque[Callable[[], None]] = deque()
        self._next: deque[tuple[float, Callable[[], None]]] = deque()
        self._ready = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._work, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[[], T], *, first: bool = False) -> Future[T]:
        future: Future[T] = Future()

        def work() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(fn())
            except BaseException as error:  # handed to whoever awaits it
                future.set_exception(error)

        with self._ready:
            if first:
                self._first.append(work)
            else:
                self._next.append((time.monotonic(), work))
            self._ready.notify()
        return future

    def _take(self) -> Callable[[], None] | None:
        with self._ready:
            while not self._first and not self._next:
                if self._stopping:
                    return None
                self._ready.wait()
            if self._next and (not self._first or time.monotonic() - self._next[0][0] >= PATIENCE):
                return self._next.popleft()[1]
            return self._first.popleft()

    def _work(self) -> None:
        while (work := self._take()) is not None:
            work()

    def shutdown(self) -> None:
        """Run what is queued, then stop."""
        with self._ready:
            self._stopping = True
            self._ready.notify()
        self._thread.join()


class Database:
    def __init__(self, url: str, *, sqlite_synchronous: str = "NORMAL", pool_size: int = 8) -> None:
        self.url = normalize_url(url)
        parsed = make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self._sqlite_path = ""
        if self.is_sqlite:
            database = parsed.database or ""
            if database and database != ":memory:":
                private_sqlite_file(database)
                self._sqlite_path = database
            self.engine = create_engine(
                self.url,
                connect_args={"check_same_thread": False, "timeout": 30},
                pool_size=2,
            )
            self._configure_sqlite(sqlite_synchronous)
            self._writer: Writer | None = Writer()
        else:
            self._writer = None
            self.engine = create_engine(
                self.url, pool_size=pool_size, max_overflow=4, pool_pre_ping=True
            )
            self._executor = ThreadPoolExecutor(max_workers=pool_size, thread_name_prefix="pg")
        self._checkpointer: ThreadPoolExecutor | None = None

    def _configure_sqlite(self, synchronous: str) -> None:
        engine: Engine = self.engine

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA synchronous={synchronous.upper()}")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA wal_autocheckpoint=0")
            cursor.execute("PRAGMA foreign_keys=ON")
            # freed space is zeroed: an erased or purged row leaves no copy in the file
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Any) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a blocking database function off the event loop."""
        if self._writer is not None:
            return await asyncio.wrap_future(self._writer.submit(lambda: fn(*args, **kwargs)))
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: fn(*args, **kwargs))

    async def run_first(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`run`, ahead of what waits for SQLite's writer: for what an acknowledgement waits on.
        (PostgreSQL's threads write side by side: nothing to go ahead of.)"""
        if self._writer is not None:
            work = self._writer.submit(lambda: fn(*args, **kwargs), first=True)
            return await asyncio.wrap_future(work)
        return await self.run(fn, *args, **kwargs)

    @property
    def sqlite_path(self) -> str:
        """The SQLite file, or "" (PostgreSQL, in-memory)."""
        return self._sqlite_path

    def checkpoint(self) -> None:
        """Move the SQLite WAL into the database file without blocking writers."""
        if not self.is_sqlite or not self._sqlite_path:
            return
        connection = sqlite3.connect(self._sqlite_path, timeout=1.0, isolation_level=None)
        try:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            connection.close()

    def truncate_wal(self) -> None:
        """Checkpoint the whole SQLite WAL into the database file and empty it, so no earlier
        version of a page (an erased row) stays in the WAL. Blocks writers while it runs."""
        if not self.is_sqlite or not self._sqlite_path:
            return
        connection = sqlite3.connect(self._sqlite_path, timeout=10.0, isolation_level=None)
        try:
            # a reader still in a snapshot makes the checkpoint answer "busy" and leave the WAL as
            # it was: try again, briefly, until it is emptied (busy = 0)
            for _ in range(50):
                busy, _frames, _moved = connection.execute(
                    "PRAGMA wal_checkpoint(TRUNCATE)"
                ).fetchone()
                if not busy:
                    return
                time.sleep(0.02)
            log.warning("the SQLite WAL could not be emptied: a reader held it for a second")
        finally:
            connection.close()

    async def checkpoint_in_background(self) -> None:
        if not self.is_sqlite:
            return
        if self._checkpointer is None:
            self._checkpointer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wal-ckpt")
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._checkpointer, self.checkpoint)

    def ping(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            log.warning("database ping failed", exc_info=True)
            return False
        return True

    def close(self) -> None:
        if self._writer is not None:
            self._writer.shutdown()
        else:
            self._executor.shutdown(wait=True)
        if self._checkpointer is not None:
            self._checkpointer.shutdown(wait=True)
        with contextlib.suppress(Exception):
            self.checkpoint()
        self.engine.dispose()


MIGRATIONS = Path(__file__).resolve().parent / "migrations"
"""Where the Alembic scripts are: the only place that creates the tables."""


def migrate(url: str) -> None:
    """Bring the schema to the newest revision with Alembic."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    if make_url(normalize_url(url)).get_backend_name() == "sqlite":
        database = make_url(url).database or ""
        if database and database != ":memory:":
            private_sqlite_file(database)
    command.upgrade(config, "head")
