"""The operators' desk: teams (seeded: Financeiro, Suporte técnico, Consultoria, Comercial) with
members and hours, each hand-off's team, operators' roles and transfers between operators.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

SEED = (
    ("financeiro", "Financeiro", "billing"),
    ("suporte", "Suporte técnico", "support,privacy"),
    ("consultoria", "Consultoria", "meeting"),
    ("comercial", "Comercial", "sales"),
)


def upgrade() -> None:
    teams = op.create_table(
        "teams",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("slug", sa.String(40), nullable=False, unique=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("topics", sa.String(200), nullable=False, server_default=""),
        sa.Column("auto_assign", sa.Integer, nullable=False, server_default="0"),
        sa.Column("hours", sa.String(200)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "team_members",
        sa.Column("team_id", ID, nullable=False),
        sa.Column("operator_id", ID, nullable=False),
        sa.PrimaryKeyConstraint("team_id", "operator_id"),
    )
    op.create_index("ix_team_members_operator_id", "team_members", ["operator_id"])
    op.create_table(
        "handoff_transfers",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("handoff_id", ID, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_operator", sa.String(80), nullable=False),
        sa.Column("to_operator", sa.String(80)),
        sa.Column("to_team", sa.String(40)),
        sa.Column("note", sa.Text),
    )
    op.create_index("ix_handoff_transfers_handoff_id", "handoff_transfers", ["handoff_id"])
    with op.batch_alter_table("handoffs") as batch:
        batch.add_column(sa.Column("team", sa.String(40)))
    with op.batch_alter_table("operators") as batch:
        batch.add_column(
            sa.Column("role", sa.String(20), nullable=False, server_default="operator")
        )
    now = datetime.now(UTC)
    op.bulk_insert(
        teams,
        [
            {"slug": slug, "name": name, "topics": topics, "auto_assign": 0, "created_at": now}
            for slug, name, topics in SEED
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("operators") as batch:
        batch.drop_column("role")
    with op.batch_alter_table("handoffs") as batch:
        batch.drop_column("team")
    op.drop_index("ix_handoff_transfers_handoff_id", table_name="handoff_transfers")
    op.drop_table("handoff_transfers")
    op.drop_index("ix_team_members_operator_id", table_name="team_members")
    op.drop_table("team_members")
    op.drop_table("teams")
