"""Each message template's latest status in the WhatsApp Business Account, as Meta's
`message_template_status_update` webhook reports it (APPROVED, REJECTED, PAUSED, DISABLED…):
what `dresbach_template_status` shows.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-11
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "template_statuses",
        sa.Column("name", sa.String(512), primary_key=True),
        sa.Column("language", sa.String(16), primary_key=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("reason", sa.String(200)),
        sa.Column("template_id", sa.String(64)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("template_statuses")
