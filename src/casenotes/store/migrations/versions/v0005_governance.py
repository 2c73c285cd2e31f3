"""Records governance: consent ledger details, session files, note versions, replies, approvals,
quality-assurance reviews.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("consents") as batch:
        batch.add_column(sa.Column("party_kind", sa.String(20), nullable=False,
                                   server_default="person"))
        batch.add_column(sa.Column("transcript_time", sa.Float, nullable=True))
    op.create_table(
        "session_files",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("recording_id", sa.Integer,
                  sa.ForeignKey("recordings.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("key", sa.String(255), nullable=False, unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "note_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("note_id", sa.Integer, sa.ForeignKey("notes.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("sections", sa.JSON, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("amended_by", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("amended_at", TS, nullable=False),
        sa.UniqueConstraint("note_id", "version"),
    )
    op.create_table(
        "note_replies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("note_id", sa.Integer, sa.ForeignKey("notes.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("added_by", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("added_at", TS, nullable=False),
    )
    op.create_table(
        "note_approvals",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("note_id", sa.Integer, sa.ForeignKey("notes.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("decided_by", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("decided_at", TS, nullable=False),
    )
    op.create_table(
        "qa_reviews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("note_id", sa.Integer, sa.ForeignKey("notes.id", ondelete="CASCADE"),
                  nullable=False, unique=True),
        sa.Column("checklist", sa.JSON, nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("reviewed_by", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("reviewed_at", TS, nullable=False),
    )
    _protect_versions()


def _protect_versions() -> None:
    """Amendments are versions: once written, a version is never changed."""
    dialect = op.get_bind().dialect.name
    message = "note versions are read-only; make a further amendment instead"
    if dialect == "sqlite":
        op.execute("CREATE TRIGGER note_versions_no_update BEFORE UPDATE ON note_versions "
                   f"BEGIN SELECT RAISE(ABORT, '{message}'); END")
    elif dialect == "postgresql":
        op.execute("CREATE FUNCTION note_versions_no_update() RETURNS trigger "
                   f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{message}'; END $$")
        op.execute("CREATE TRIGGER note_versions_no_update BEFORE UPDATE ON note_versions "
                   "FOR EACH ROW EXECUTE FUNCTION note_versions_no_update()")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS note_versions_no_update ON note_versions")
        op.execute("DROP FUNCTION IF EXISTS note_versions_no_update()")
    else:
        op.execute("DROP TRIGGER IF EXISTS note_versions_no_update")
    for table in ("qa_reviews", "note_approvals", "note_replies", "note_versions",
                  "session_files"):
        op.drop_table(table)
    with op.batch_alter_table("consents") as batch:
        batch.drop_column("transcript_time")
        batch.drop_column("party_kind")
