"""Secrets typed where the bot does not expect them, and the lead's CNPJ for the receipt.

- `conversations.sensitive_until`: after a login failure, a lockout, a logout or leaving a
  sensitive question, the conversation's texts are kept only as a placeholder until then.
- `leads.cnpj_sealed`: the CNPJ a lead gave, sealed (AES-GCM); the answers keep it masked. An
  operator reveals it in the console, audited.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("conversations", sa.Column("sensitive_until", sa.DateTime(timezone=True)))
    op.add_column("leads", sa.Column("cnpj_sealed", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("leads") as batch:
        batch.drop_column("cnpj_sealed")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("sensitive_until")
