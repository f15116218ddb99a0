"""Outbox rows found by their `callback_data`: a status webhook names the message it is about by
the `biz_opaque_callback_data` we sent, which is how a send in doubt (its worker died after Meta
accepted it) is recorded instead of sent again (`unit_of_work/statuses.py`).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_outbox_callback_data", "outbox", ["callback_data"])


def downgrade() -> None:
    op.drop_index("ix_outbox_callback_data", table_name="outbox")
