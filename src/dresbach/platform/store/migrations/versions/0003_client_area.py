"""Área do Cliente: the embedded client directory, second factors, one-time e-mail codes,
login attempts and locks, the audit log, and the sandbox mailbox.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "directory_clients",
        sa.Column("client_id", sa.String(40), primary_key=True),
        sa.Column("document_key", sa.String(64), nullable=False, unique=True),
        sa.Column("document_masked", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "directory_records",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(40), nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("record_id", sa.String(80), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.UniqueConstraint("client_id", "kind", "record_id", name="uq_directory_record"),
    )
    op.create_table(
        "second_factors",
        sa.Column("client_id", sa.String(40), primary_key=True),
        sa.Column("totp_secret", sa.Text, nullable=False),
        sa.Column("last_counter", sa.BigInteger, nullable=False),
        sa.Column("enrolled_at", TS, nullable=False),
    )
    op.create_table(
        "email_codes",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(40), nullable=False, index=True),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("salt", sa.String(32), nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("used_at", TS),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "login_attempts",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("success", sa.Integer, nullable=False),
        sa.Column("at", TS, nullable=False),
    )
    op.create_index("ix_login_attempts_subject_at", "login_attempts", ["subject", "at"])
    op.create_table(
        "login_locks",
        sa.Column("subject", sa.String(64), primary_key=True),
        sa.Column("locked_until", TS, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("at", TS, nullable=False, index=True),
        sa.Column("who", sa.String(80), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("document_masked", sa.String(40)),
        sa.Column("detail", sa.Text),
    )
    op.create_table(
        "sandbox_mail",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("to_address", sa.String(200), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "sandbox_mail",
        "audit_log",
        "login_locks",
        "login_attempts",
        "email_codes",
        "second_factors",
        "directory_records",
        "directory_clients",
    ):
        op.drop_table(table)
