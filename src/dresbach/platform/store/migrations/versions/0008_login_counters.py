"""Login counters: every failure is counted by one conditional UPDATE on one row.

`login_locks` keeps, per keyed subject, the failures counted in the current window and when the
window opened, besides the lock's end (a moment already past: not locked); `operators` keeps when
its window opened. Existing locks stay as they are.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column(
        "login_locks",
        sa.Column("failed_logins", sa.Integer, nullable=False, server_default=sa.text("0")),
    )
    op.add_column("login_locks", sa.Column("first_failed_at", TS))
    op.add_column("operators", sa.Column("first_failed_at", TS))


def downgrade() -> None:
    with op.batch_alter_table("operators") as batch:
        batch.drop_column("first_failed_at")
    with op.batch_alter_table("login_locks") as batch:
        batch.drop_column("first_failed_at")
        batch.drop_column("failed_logins")
