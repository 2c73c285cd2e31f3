"""The search index: chunks of signed notes and held transcripts, keyword and vector lookups.

Who may see what is decided inside every query (the visible-case rule of ``cases``), never by
filtering results afterwards. SQLite uses FTS5 and a sqlite-vec ``vec0`` table; PostgreSQL a
stored ``tsvector`` and an exact cosine scan over the visible rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import (
    ColumnElement,
    Select,
    column,
    delete,
    exists,
    func,
    insert,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session

from casenotes.store.models import Case, NoteRow, SearchChunk, SearchChunkPerson, SegmentRow
from casenotes.store.repositories.cases import Viewer, visible_cases_query
from casenotes.store.search_terms import index_terms, query_terms
from casenotes.store.vectors import ensure_sqlite_vec

_FTS = table("search_fts", column("rowid"), column("text"))
_VEC = table("search_vec", column("rowid"), column("embedding"), column("case_id"),
             column("distance"), column("k"))


@dataclass(frozen=True)
class NewChunk:
    case_id: int
    note_id: int | None
    recording_id: int | None
    source: str  # "note" or "transcript"
    section: str
    position: int
    segment_ids: list[int]
    text: str
    author_id: int | None
    note_type: str
    occurred_at: datetime
    person_ids: list[int]


@dataclass(frozen=True)
class Filters:
    case_id: int | None = None
    person_id: int | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    author_id: int | None = None
    note_type: str | None = None
    source: str | None = None

    @property
    def empty(self) -> bool:
        return all(v is None for v in vars(self).values())


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _vec_ready(session: Session) -> None:
    ensure_sqlite_vec(session.connection())


def visible_case_ids(user: Viewer) -> Select[tuple[int]]:
    return visible_cases_query(user).with_only_columns(Case.id)


def _still_held() -> ColumnElement[bool]:
    """Transcript chunks count only while the transcript itself is still held."""
    return or_(SearchChunk.source != "transcript",
               exists().where(SegmentRow.recording_id == SearchChunk.recording_id))


def _conditions(user: Viewer, filters: Filters) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [SearchChunk.case_id.in_(visible_case_ids(user)),
                                        _still_held()]
    if filters.case_id is not None:
        conds.append(SearchChunk.case_id == filters.case_id)
    if filters.person_id is not None:
        conds.append(SearchChunk.id.in_(select(SearchChunkPerson.chunk_id).where(
            SearchChunkPerson.person_id == filters.person_id)))
    if filters.date_from is not None:
        conds.append(SearchChunk.occurred_at >= filters.date_from)
    if filters.date_to is not None:
        conds.append(SearchChunk.occurred_at <= filters.date_to)
    if filters.author_id is not None:
        conds.append(SearchChunk.author_id == filters.author_id)
    if filters.note_type is not None:
        conds.append(SearchChunk.note_type == filters.note_type)
    if filters.source is not None:
        conds.append(SearchChunk.source == filters.source)
    return conds


# --- writing ---


def replace_chunks(session: Session, *, note_id: int | None, recording_id: int | None,
                   chunks: Sequence[NewChunk], vectors: NDArray[np.float32]) -> list[int]:
    """Drop what was indexed for this note/recording and index the new chunks in its place."""
    remove_chunks(session, note_id=note_id, recording_id=recording_id)
    return add_chunks(session, chunks=chunks, vectors=vectors)


def add_chunks(session: Session, *, chunks: Sequence[NewChunk],
               vectors: NDArray[np.float32]) -> list[int]:
    sqlite = _sqlite(session)
    if sqlite:
        _vec_ready(session)
    ids: list[int] = []
    dialect = session.get_bind().dialect
    for chunk, vector in zip(chunks, vectors, strict=True):
        blob = np.asarray(vector, dtype=np.float32).tobytes()
        terms = index_terms(dialect, chunk.text)
        row = SearchChunk(
            case_id=chunk.case_id, note_id=chunk.note_id, recording_id=chunk.recording_id,
            source=chunk.source, section=chunk.section, position=chunk.position,
            segment_ids=list(chunk.segment_ids), text=chunk.text, author_id=chunk.author_id,
            note_type=chunk.note_type, occurred_at=chunk.occurred_at,
            embedding=None if sqlite else blob, terms=None if sqlite else terms,
        )
        session.add(row)
        session.flush()
        ids.append(row.id)
        if chunk.person_ids:
            session.execute(insert(SearchChunkPerson),
                            [{"chunk_id": row.id, "person_id": p}
                             for p in sorted(set(chunk.person_ids))])
        if sqlite:
            session.execute(text("INSERT INTO search_fts(rowid, text) VALUES (:id, :text)"),
                            {"id": row.id, "text": terms})
            session.execute(text("INSERT INTO search_vec(rowid, embedding, case_id) "
                                 "VALUES (:id, :embedding, :case_id)"),
                            {"id": row.id, "embedding": blob, "case_id": chunk.case_id})
    return ids


def remove_chunks(session: Session, *, note_id: int | None, recording_id: int | None) -> int:
    owner: list[ColumnElement[bool]] = []
    if note_id is not None:
        owner.append(SearchChunk.note_id == note_id)
    if recording_id is not None:
        owner.append(SearchChunk.recording_id == recording_id)
    if not owner:
        return 0
    ids = list(session.scalars(select(SearchChunk.id).where(or_(*owner))))
    if not ids:
        return 0
    if _sqlite(session):
        _vec_ready(session)
        for chunk_id in ids:
            session.execute(text("DELETE FROM search_fts WHERE rowid = :id"), {"id": chunk_id})
            session.execute(text("DELETE FROM search_vec WHERE rowid = :id"), {"id": chunk_id})
    session.execute(delete(SearchChunkPerson).where(SearchChunkPerson.chunk_id.in_(ids)))
    session.execute(delete(SearchChunk).where(SearchChunk.id.in_(ids)))
    return len(ids)


def note_ids(session: Session, *, only_unindexed: bool) -> list[int]:
    query = select(NoteRow.id).order_by(NoteRow.id)
    if only_unindexed:
        query = query.where(~NoteRow.id.in_(
            select(SearchChunk.note_id).where(SearchChunk.note_id.is_not(None))))
    return list(session.scalars(query))


def chunk_count(session: Session) -> int:
    return int(session.scalar(select(func.count(SearchChunk.id))) or 0)


# --- reading ---


def keyword_ranking(session: Session, *, user: Viewer, terms: Sequence[str], filters: Filters,
                    limit: int) -> list[int]:
    """Chunk ids best first by BM25 (SQLite) or ts_rank (PostgreSQL); any term may match."""
    words = query_terms(session.get_bind().dialect, list(terms))
    if not words:
        return []
    conds = _conditions(user, filters)
    if _sqlite(session):
        fts: ColumnElement[Any] = literal_column("search_fts")
        match = " OR ".join(f'"{w}"' for w in words)
        stmt = (
            select(SearchChunk.id)
            .select_from(_FTS.join(SearchChunk, SearchChunk.id == _FTS.c.rowid))
            .where(fts.op("MATCH")(match), *conds)
            .order_by(func.bm25(fts))
            .limit(limit)
        )
    else:
        tsquery = func.to_tsquery("simple", " | ".join(words))
        tsv: ColumnElement[Any] = literal_column("search_chunks.tsv")
        stmt = (
            select(SearchChunk.id)
            .where(tsv.op("@@")(tsquery), *conds)
            .order_by(func.ts_rank_cd(tsv, tsquery).desc(), SearchChunk.id)
            .limit(limit)
        )
    return list(session.scalars(stmt))


def semantic_ranking(session: Session, *, user: Viewer, vector: NDArray[np.float32],
                     filters: Filters, limit: int) -> list[int]:
    """Chunk ids nearest the query vector (cosine), best first, visible chunks only."""
    blob = np.asarray(vector, dtype=np.float32).tobytes()
    if not _sqlite(session):
        return _exact_scan(session, user=user, vector=vector, filters=filters, limit=limit)
    _vec_ready(session)
    vec = _VEC.c.embedding
    if filters.empty:
        # k-nearest inside vec0, restricted to the visible cases by its case_id column.
        stmt: Select[Any] = (
            select(_VEC.c.rowid)
            .where(vec.op("MATCH")(blob), _VEC.c.k == limit,
                   _VEC.c.case_id.in_(visible_case_ids(user)))
            .order_by(_VEC.c.distance)
        )
    else:
        stmt = (
            select(SearchChunk.id)
            .select_from(_VEC.join(SearchChunk, SearchChunk.id == _VEC.c.rowid))
            .where(*_conditions(user, filters))
            .order_by(func.vec_distance_cosine(vec, blob))
            .limit(limit)
        )
    return [int(i) for i in session.scalars(stmt)]


def _exact_scan(session: Session, *, user: Viewer, vector: NDArray[np.float32],
                filters: Filters, limit: int) -> list[int]:
    rows = session.execute(
        select(SearchChunk.id, SearchChunk.embedding)
        .where(SearchChunk.embedding.is_not(None), *_conditions(user, filters))
    ).all()
    if not rows:
        return []
    ids = np.array([r[0] for r in rows])
    blobs = b"".join(r[1] or b"" for r in rows)
    matrix = np.frombuffer(blobs, dtype=np.float32).reshape(len(rows), -1)
    scores = matrix @ np.asarray(vector, dtype=np.float32)
    order = np.argsort(-scores, kind="stable")[:limit]
    return [int(i) for i in ids[order]]


def visible_chunks(session: Session, *, user: Viewer, chunk_ids: Sequence[int]
                   ) -> dict[int, SearchChunk]:
    """The chunks by id, again only those the user may see."""
    if not chunk_ids:
        return {}
    rows = session.scalars(select(SearchChunk).where(
        SearchChunk.id.in_(list(chunk_ids)),
        SearchChunk.case_id.in_(visible_case_ids(user)), _still_held()))
    return {row.id: row for row in rows}
