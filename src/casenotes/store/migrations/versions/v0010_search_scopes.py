"""Search that narrows to the reader's cases before it ranks (issue 9).

Every passage keeps its embedding beside it on SQLite too (as on PostgreSQL) and gains a
one-bit signature (``store/vectors.py``); an index on ``(case_id, source, recording_id,
signature)`` lets a semantic search read only the signatures of the cases a reader may see.
SQLite's keyword index gains a ``scope`` column holding each passage's case (``c<case id>``),
so a reader with few cases is matched inside their cases only. The sqlite-vec ``vec0`` table
is no longer needed and is dropped (its vectors move to ``search_chunks.embedding``).

Transcript passages whose transcript was already erased are removed (retention used to leave
them behind, hidden from results).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import numpy as np
import sqlalchemy as sa
from alembic import op

from casenotes.store.vectors import ensure_sqlite_vec, signature

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

DIMENSIONS = 384
_BATCH = 2000


def _sign_all() -> None:
    """Signatures for every stored embedding, in batches (computed as the application does)."""
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(sa.text(
            "SELECT id, embedding FROM search_chunks WHERE id > :last AND embedding IS NOT NULL "
            "ORDER BY id LIMIT :n"), {"last": last, "n": _BATCH}).all()
        if not rows:
            return
        bind.execute(sa.text("UPDATE search_chunks SET signature = :s WHERE id = :id"),
                     [{"id": r[0], "s": signature(np.frombuffer(r[1], dtype=np.float32))}
                      for r in rows])
        last = rows[-1][0]


def _drop_erased_transcripts(sqlite: bool) -> None:
    orphans = ("SELECT id FROM search_chunks WHERE source = 'transcript' AND NOT EXISTS "
               "(SELECT 1 FROM segments WHERE segments.recording_id = search_chunks.recording_id)")
    if sqlite:
        op.execute(f"DELETE FROM search_fts WHERE rowid IN ({orphans})")  # noqa: S608
        op.execute(f"DELETE FROM search_vec WHERE rowid IN ({orphans})")  # noqa: S608
    op.execute(f"DELETE FROM search_chunk_people WHERE chunk_id IN ({orphans})")  # noqa: S608
    op.execute(f"DELETE FROM search_chunks WHERE id IN ({orphans})")  # noqa: S608


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        ensure_sqlite_vec(op.get_bind())
    _drop_erased_transcripts(sqlite)
    op.add_column("search_chunks", sa.Column("signature", sa.LargeBinary, nullable=True))
    if not sqlite:
        _sign_all()
        return
    op.execute("UPDATE search_chunks SET embedding = v.embedding "
               "FROM (SELECT rowid AS id, embedding FROM search_vec) AS v "
               "WHERE v.id = search_chunks.id")
    _sign_all()
    op.execute("CREATE INDEX ix_search_chunks_signature "
               "ON search_chunks (case_id, source, recording_id, signature)")
    op.execute("CREATE VIRTUAL TABLE search_fts_scoped USING fts5(text, scope, "
               "tokenize='unicode61')")
    op.execute("INSERT INTO search_fts_scoped(rowid, text, scope) "
               "SELECT f.rowid, f.text, 'c' || c.case_id FROM search_fts f "
               "JOIN search_chunks c ON c.id = f.rowid")
    op.execute("DROP TABLE search_fts")
    op.execute("ALTER TABLE search_fts_scoped RENAME TO search_fts")
    op.execute("DROP TABLE search_vec")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        ensure_sqlite_vec(op.get_bind())
        op.execute(f"CREATE VIRTUAL TABLE search_vec USING vec0(embedding float[{DIMENSIONS}] "
                   "distance_metric=cosine, case_id integer)")
        op.execute("INSERT INTO search_vec(rowid, embedding, case_id) "
                   "SELECT id, embedding, case_id FROM search_chunks WHERE embedding IS NOT NULL")
        op.execute("CREATE VIRTUAL TABLE search_fts_plain USING fts5(text, tokenize='unicode61')")
        op.execute("INSERT INTO search_fts_plain(rowid, text) SELECT rowid, text FROM search_fts")
        op.execute("DROP TABLE search_fts")
        op.execute("ALTER TABLE search_fts_plain RENAME TO search_fts")
        op.execute("DROP INDEX ix_search_chunks_signature")
        op.execute("UPDATE search_chunks SET embedding = NULL")
    with op.batch_alter_table("search_chunks") as batch:
        batch.drop_column("signature")
