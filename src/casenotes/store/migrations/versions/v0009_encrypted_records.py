"""Signed notes, their versions and replies, case and people names, titles and the search index
encrypted at rest; the keyword index holds keyed terms instead of words.

The columns keep their types on SQLite. On PostgreSQL the short name and title columns become
TEXT (ciphertext is longer than the plain value). Rows written before this revision are still
read as they are; ``casenotes keys init`` encrypts them (signed notes and note versions are
read-only by trigger and stay as they were signed).

The search index is derived data: it is emptied here because it held note text in plain words,
and rebuilt with keyed terms by ``casenotes search reindex`` (signing a note indexes it anew).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from casenotes.store.vectors import ensure_sqlite_vec

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_LONGER = (("cases", "title", 200), ("persons", "name", 200), ("recordings", "title", 200),
           ("notes", "title", 200))


def _empty_search_index(sqlite: bool) -> None:
    if sqlite:
        ensure_sqlite_vec(op.get_bind())
        op.execute("DELETE FROM search_vec")
        op.execute("DROP TABLE search_fts")
    op.execute("DELETE FROM search_chunk_people")
    op.execute("DELETE FROM search_chunks")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    _empty_search_index(sqlite)
    with op.batch_alter_table("search_chunks") as batch:
        batch.add_column(sa.Column("terms", sa.Text, nullable=True))
    if sqlite:
        # Terms are opaque: no stemming by the index (words are stemmed before keying).
        op.execute("CREATE VIRTUAL TABLE search_fts USING fts5(text, tokenize='unicode61')")
        return
    for table, column, _ in _LONGER:
        op.alter_column(table, column, type_=sa.Text)
    op.execute("DROP INDEX IF EXISTS ix_search_chunks_tsv")
    op.execute("ALTER TABLE search_chunks DROP COLUMN tsv")
    op.execute("ALTER TABLE search_chunks ADD COLUMN tsv tsvector "
               "GENERATED ALWAYS AS (to_tsvector('simple', coalesce(terms, ''))) STORED")
    op.execute("CREATE INDEX ix_search_chunks_tsv ON search_chunks USING gin (tsv)")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    _empty_search_index(sqlite)
    if sqlite:
        op.execute("CREATE VIRTUAL TABLE search_fts USING fts5(text, tokenize='porter unicode61')")
    else:
        op.execute("DROP INDEX IF EXISTS ix_search_chunks_tsv")
        op.execute("ALTER TABLE search_chunks DROP COLUMN tsv")
    with op.batch_alter_table("search_chunks") as batch:
        batch.drop_column("terms")
    if not sqlite:
        op.execute("ALTER TABLE search_chunks ADD COLUMN tsv tsvector "
                   "GENERATED ALWAYS AS (to_tsvector('english', text)) STORED")
        op.execute("CREATE INDEX ix_search_chunks_tsv ON search_chunks USING gin (tsv)")
        # Encrypted values are longer than the old limit: going back needs an empty database.
        for table, column, length in _LONGER:
            op.alter_column(table, column, type_=sa.String(length))
