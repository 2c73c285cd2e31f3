"""Search and knowledge (issue 9): search index, policy library, family network links.

SQLite: an FTS5 table (porter stemming) and a sqlite-vec ``vec0`` table beside
``search_chunks``/``policy_passages``, keyed by their ids. PostgreSQL: a stored ``tsvector``
column with a GIN index; embeddings are kept as float32 bytes and compared exactly in Python
(the pgvector extension is not assumed to be installed).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from casenotes.store.vectors import ensure_sqlite_vec

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

DIMENSIONS = 384


def upgrade() -> None:
    op.create_table(
        "search_chunks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("note_id", sa.Integer, sa.ForeignKey("notes.id", ondelete="CASCADE"),
                  nullable=True, index=True),
        sa.Column("recording_id", sa.Integer,
                  sa.ForeignKey("recordings.id", ondelete="CASCADE"), nullable=True, index=True),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("section", sa.String(200), nullable=False, server_default=""),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.Column("segment_ids", sa.JSON, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("author_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("note_type", sa.String(100), nullable=False, server_default=""),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("embedding", sa.LargeBinary, nullable=True),
    )
    op.create_table(
        "search_chunk_people",
        sa.Column("chunk_id", sa.Integer, sa.ForeignKey("search_chunks.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("persons.id", ondelete="CASCADE"),
                  primary_key=True, index=True),
    )
    op.create_table(
        "policies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("media_type", sa.String(20), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("uploaded_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "policy_passages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("policy_id", sa.Integer, sa.ForeignKey("policies.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("heading", sa.String(500), nullable=False, server_default=""),
        sa.Column("page", sa.Integer, nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("embedding", sa.LargeBinary, nullable=True),
    )
    op.create_table(
        "network_links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("from_name", sa.String(200), nullable=False),
        sa.Column("to_name", sa.String(200), nullable=False),
        sa.Column("relation", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("note_id", sa.Integer, sa.ForeignKey("notes.id", ondelete="CASCADE"),
                  nullable=True),
        sa.Column("evidence", sa.Text, nullable=False, server_default=""),
        sa.Column("decided_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("case_id", "from_name", "to_name", "relation"),
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        ensure_sqlite_vec(bind)
        op.execute("CREATE VIRTUAL TABLE search_fts USING fts5(text, tokenize='porter unicode61')")
        op.execute("CREATE VIRTUAL TABLE policy_fts USING fts5(text, tokenize='porter unicode61')")
        op.execute(f"CREATE VIRTUAL TABLE search_vec USING vec0(embedding float[{DIMENSIONS}] "
                   "distance_metric=cosine, case_id integer)")
    else:
        for table, words in (("search_chunks", "text"),
                             ("policy_passages", "heading || ' ' || text")):
            op.execute(f"ALTER TABLE {table} ADD COLUMN tsv tsvector "
                       f"GENERATED ALWAYS AS (to_tsvector('english', {words})) STORED")
            op.execute(f"CREATE INDEX ix_{table}_tsv ON {table} USING gin (tsv)")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        ensure_sqlite_vec(bind)
        for table in ("search_vec", "policy_fts", "search_fts"):
            op.execute(f"DROP TABLE IF EXISTS {table}")
    op.drop_table("network_links")
    op.drop_table("policy_passages")
    op.drop_table("policies")
    op.drop_table("search_chunk_people")
    op.drop_table("search_chunks")
