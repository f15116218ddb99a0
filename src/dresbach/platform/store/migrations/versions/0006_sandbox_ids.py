"""The sandbox sink never reuses a message id: the simulator and `dresbach chat` read it by
cursor ("after id N"), and SQLite hands out the highest id again once the newest rows are gone
(an erasure deletes a user's whole sink), so what came next stayed hidden. AUTOINCREMENT on
SQLite; PostgreSQL's sequence never goes back.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    # the copy keeps every id, and sqlite_sequence starts from the highest one copied
    with op.batch_alter_table(
        "sandbox_messages", recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ):
        pass


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "sandbox_messages", recreate="always", table_kwargs={"sqlite_autoincrement": False}
    ):
        pass
