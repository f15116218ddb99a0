"""Quick texts understood together: `conversations.held` keeps, sealed, the texts a user sent
at rest that wait (a second or two) to be stepped as one turn with the ones that follow.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("conversations", sa.Column("held", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("held")
