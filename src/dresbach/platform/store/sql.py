"""The few statements whose spelling differs between SQLite and PostgreSQL.

Statements are built once per (table, keys, dialect) with the values passed as parameters, so
the hot path pays neither statement construction nor cache-key generation per call.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection, Executable, Table
from sqlalchemy.dialects import postgresql, sqlite


@cache
def _insert_ignore_statement(table: Table, keys: tuple[str, ...], dialect: str) -> Executable:
    if dialect == "postgresql":
        return (
            postgresql.insert(table)
            .on_conflict_do_nothing(index_elements=list(keys))
            .returning(table.c[keys[0]])
        )
    return sqlite.insert(table).on_conflict_do_nothing(index_elements=list(keys))


def insert_ignore(
    connection: Connection, table: Table, values: dict[str, Any], keys: Sequence[str]
) -> bool:
    """Insert unless a row with the same unique `keys` exists; True when inserted."""
    dialect = connection.dialect.name
    statement = _insert_ignore_statement(table, tuple(keys), dialect)
    result = connection.execute(statement, values)
    if dialect == "postgresql":
        return result.first() is not None
    return result.rowcount == 1


def is_postgres(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"
