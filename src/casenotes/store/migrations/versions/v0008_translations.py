"""Letter translations and interpreter records (issue 11).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "letter_translations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("note_id", sa.Integer, sa.ForeignKey("notes.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("target_lang", sa.String(16), nullable=False),
        sa.Column("engine", sa.String(64), nullable=False),
        sa.Column("engine_version", sa.String(120), nullable=False),
        sa.Column("rtl", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("lines", sa.JSON, nullable=False),  # encrypted at rest (EncryptedJSON)
        sa.Column("checks", sa.JSON, nullable=False),  # counts only
        sa.Column("interpreter_name", sa.Text, nullable=True),  # encrypted at rest
        sa.Column("created_by", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("confirmed_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("confirmed_at", TS, nullable=True),
        sa.Column("interpreter_confirmed", sa.Boolean, nullable=False,
                  server_default=sa.false()),
    )
    op.create_table(
        "interpreted_turns",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("recording_id", sa.Integer,
                  sa.ForeignKey("recordings.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("source", sa.String(20), nullable=False),  # role / practitioner
        sa.Column("marked_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("recording_id", "seq"),
    )


def downgrade() -> None:
    op.drop_table("interpreted_turns")
    op.drop_table("letter_translations")
