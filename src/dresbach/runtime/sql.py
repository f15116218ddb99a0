"""The few statements whose spelling differs between SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def insert_ignore(
    connection: Connection, table: Table, values: dict[str, Any], keys: Sequence[str]
) -> bool:
    """Insert unless a row with the same unique `keys` exists; True when inserted."""
    if connection.dialect.name == "postgresql":
        pg = (
            postgresql.insert(table)
            .values(**values)
            .on_conflict_do_nothing(index_elements=keys)
            .returning(table.c[keys[0]])
        )
        return connection.execute(pg).first() is not None
    lite = sqlite.insert(table).values(**values).on_conflict_do_nothing(index_elements=keys)
    return connection.execute(lite).rowcount == 1


def is_postgres(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"
