"""A meeting keeps one identity across reschedules, counts its revisions and has a link.

- `uid`: the meeting's UID in calendars (the first booking's id; a reschedule keeps it);
- `sequence`: the revision of the meeting's invitation (RFC 5545 SEQUENCE);
- `meeting_url`: the booking's own link (from the calendar server, or set by an operator).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("bookings", sa.Column("uid", sa.String(240)))
    op.add_column(
        "bookings",
        sa.Column("sequence", sa.Integer, nullable=False, server_default=sa.text("0")),
    )
    op.add_column("bookings", sa.Column("meeting_url", sa.String(500)))


def downgrade() -> None:
    with op.batch_alter_table("bookings") as batch:
        batch.drop_column("meeting_url")
        batch.drop_column("sequence")
        batch.drop_column("uid")
