"""Encryption at rest: the table holding each wrapped data key.

Transcripts, drafts and the pseudonym vault stay in their columns (text and JSON hold the
ciphertext as they are); rows written before this revision are read as plaintext and encrypted
when next written, or all at once with ``casenotes keys init``.

Downgrading below this revision drops the wrapped data key: encrypted rows and files can then no
longer be read. It is meant for emptying a database, not for going back to plaintext.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "key_envelopes",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("wrapped", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rotated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    # Dropping a wrapped data key makes everything encrypted under it unreadable for good.
    keys = op.get_bind().execute(sa.text("SELECT COUNT(*) FROM key_envelopes")).scalar()
    if keys:
        raise RuntimeError(
            "Refusing to downgrade below revision 0002: the database holds its wrapped data key, "
            "and dropping it would make every encrypted record unreadable. Export what must be "
            "kept (casenotes sar / note exports) and start from an empty database instead."
        )
    op.drop_table("key_envelopes")
