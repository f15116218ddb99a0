"""The Click-to-WhatsApp ad a conversation came from: `conversations.referral` keeps, as JSON,
the `referral` of the first message that carried one (source id and type, headline, ctwa_clid),
for the Tech Ops lead it becomes and the console's lead view.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("conversations", sa.Column("referral", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("referral")
