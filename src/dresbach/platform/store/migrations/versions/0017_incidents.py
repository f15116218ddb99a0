"""Incidents operators open, and who asked about each (#15).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("incident_id", ID, primary_key=True, autoincrement=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("servers", sa.Text, nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(80), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(80), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("closed_by", sa.String(80)),
    )
    op.create_index("ix_incidents_closed_at", "incidents", ["closed_at"])
    op.create_table(
        "incident_askers",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("incident_id", ID, nullable=False),
        sa.Column("conversation_key", sa.String(160), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("incident_id", "conversation_key", name="uq_incident_askers"),
    )
    op.create_index("ix_incident_askers_conversation_key", "incident_askers", ["conversation_key"])


def downgrade() -> None:
    op.drop_index("ix_incident_askers_conversation_key", table_name="incident_askers")
    op.drop_table("incident_askers")
    op.drop_index("ix_incidents_closed_at", table_name="incidents")
    op.drop_table("incidents")
