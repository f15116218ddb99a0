"""WHM credentials per server (`dresbach servers add/list/remove`), keyed by the server's id in
WHMCS, the API token sealed; with the table empty, the single server of WHM_URL is used.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "whm_servers",
        sa.Column("server_id", sa.String(40), primary_key=True),
        sa.Column("hostname", sa.String(253), nullable=False),
        sa.Column("url", sa.String(400), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("token_sealed", sa.Text, nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("whm_servers")
