"""The search index: chunks of signed notes and held transcripts, keyword and vector lookups.

Who may see what is decided inside every query (the visible-case rule of ``cases``), never by
filtering results afterwards, and, where it pays, before anything is ranked:

- keyword (SQLite FTS5, BM25): a reader with few cases (``SCOPED_CASES``) is matched inside
  their cases only (each passage's case is a term of the index's ``scope`` column); a reader
  with many takes the best matches of the whole index, over-fetched by the share of the cases
  they may not see, joined to the visible-case rule, and falls back to ranking every visible
  match when too few of those are theirs. PostgreSQL: a stored ``tsvector``, ``ts_rank_cd``.
- semantic: the visible passages' one-bit signatures are scanned for the nearest
  ``SIGNATURE_POOL`` (every visible passage when there are fewer), and those are scored exactly
  on their embeddings (SQLite, through sqlite-vec's distance functions). PostgreSQL: an exact
  cosine scan over the visible rows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

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
from casenotes.store.search_terms import index_terms, query_phrases
from casenotes.store.vectors import embedding_bytes, ensure_sqlite_vec, signature

_FTS = table("search_fts", column("rowid"), column("text"), column("scope"))

#: Readers who may see at most this many cases are matched inside their cases (measured: 8 ms
#: for 30 cases at 100k passages, 10 ms for 100, 30 ms for 300, against 45–90 ms unscoped).
SCOPED_CASES = 100
#: Passages kept by signature before exact scoring (every visible one when fewer).
SIGNATURE_POOL = 1000
#: Most keyword matches taken from the whole index before the visible-case rule narrows them.
WIDE_POOL = 5000


class Ranked(NamedTuple):
    chunk_id: int
    note_id: int | None


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


def _scope_term(case_id: int) -> str:
    return f"c{case_id}"


# --- writing ---


def replace_chunks(session: Session, *, note_id: int | None, recording_id: int | None,
                   chunks: Sequence[NewChunk], vectors: NDArray[np.float32]) -> list[int]:
    """Drop what was indexed for this note/recording and index the new chunks in its place."""
    remove_chunks(session, note_id=note_id, recording_id=recording_id)
    return add_chunks(session, chunks=chunks, vectors=vectors)


def add_chunks(session: Session, *, chunks: Sequence[NewChunk],
               vectors: NDArray[np.float32]) -> list[int]:
    sqlite = _sqlite(session)
    ids: list[int] = []
    dialect = session.get_bind().dialect
    for chunk, vector in zip(chunks, vectors, strict=True):
        terms = index_terms(dialect, chunk.text)
        row = SearchChunk(
            case_id=chunk.case_id, note_id=chunk.note_id, recording_id=chunk.recording_id,
            source=chunk.source, section=chunk.section, position=chunk.position,
            segment_ids=list(chunk.segment_ids), text=chunk.text, author_id=chunk.author_id,
            note_type=chunk.note_type, occurred_at=chunk.occurred_at,
            embedding=embedding_bytes(vector), signature=signature(vector),
            terms=None if sqlite else terms,
        )
        session.add(row)
        session.flush()
        ids.append(row.id)
        if chunk.person_ids:
            session.execute(insert(SearchChunkPerson),
                            [{"chunk_id": row.id, "person_id": p}
                             for p in sorted(set(chunk.person_ids))])
        if sqlite:
            session.execute(text("INSERT INTO search_fts(rowid, text, scope) "
                                 "VALUES (:id, :text, :scope)"),
                            {"id": row.id, "text": terms, "scope": _scope_term(chunk.case_id)})
    return ids


def remove_chunks(session: Session, *, note_id: int | None, recording_id: int | None,
                  source: str | None = None) -> int:
    """Drop the chunks of a note and/or a recording (only of ``source`` when given)."""
    owner: list[ColumnElement[bool]] = []
    if note_id is not None:
        owner.append(SearchChunk.note_id == note_id)
    if recording_id is not None:
        owner.append(SearchChunk.recording_id == recording_id)
    if not owner:
        return 0
    query = select(SearchChunk.id).where(or_(*owner))
    if source is not None:
        query = query.where(SearchChunk.source == source)
    ids = list(session.scalars(query))
    if not ids:
        return 0
    if _sqlite(session):
        for chunk_id in ids:
            session.execute(text("DELETE FROM search_fts WHERE rowid = :id"), {"id": chunk_id})
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


def _visible_cases(session: Session, user: Viewer, most: int) -> list[int] | None:
    """The ids of the cases ``user`` may see, or None when there are more than ``most``."""
    query = visible_cases_query(user).with_only_columns(Case.id).order_by(Case.id)
    ids = list(session.scalars(query.limit(most + 1)))
    return None if len(ids) > most else ids


def _visible_share(session: Session, user: Viewer) -> float:
    """The share of all cases that ``user`` may see (0..1)."""
    seen = session.scalar(select(func.count()).select_from(visible_case_ids(user).subquery()))
    total = session.scalar(select(func.count(Case.id)))
    return (seen or 0) / total if total else 0.0


def keyword_ranking(session: Session, *, user: Viewer, terms: Sequence[str], filters: Filters,
                    limit: int) -> list[Ranked]:
    """Chunks best first by BM25 (SQLite) or ts_rank_cd (PostgreSQL); any term may match.

    A term of several words ("no food") matches as a phrase.
    """
    phrases = query_phrases(session.get_bind().dialect, list(terms))
    if not phrases:
        return []
    conds = _conditions(user, filters)
    if not _sqlite(session):
        tsquery = func.to_tsquery("simple", " | ".join(
            "(" + " <-> ".join(p) + ")" if len(p) > 1 else p[0] for p in phrases))
        tsv: ColumnElement[Any] = literal_column("search_chunks.tsv")
        stmt = (
            select(SearchChunk.id, SearchChunk.note_id)
            .where(tsv.op("@@")(tsquery), *conds)
            .order_by(func.ts_rank_cd(tsv, tsquery).desc(), SearchChunk.id)
            .limit(limit)
        )
        return [Ranked(int(i), n) for i, n in session.execute(stmt)]
    words = "text : (" + " OR ".join('"' + " ".join(p) + '"' for p in phrases) + ")"
    fts: ColumnElement[Any] = literal_column("search_fts")
    rank = func.bm25(fts, 1.0, 0.0)  # the scope column weighs nothing
    # One case asked for, or few visible: matched inside them (the rule still applies below).
    cases = ([filters.case_id] if filters.case_id is not None
             else _visible_cases(session, user, SCOPED_CASES))
    if cases is not None:
        if not cases:
            return []
        scope = " OR ".join(_scope_term(c) for c in cases)
        return _fts_join(session, f"{words} AND scope : ({scope})", rank, conds, limit)
    share = _visible_share(session, user)
    pool = math.ceil(2 * limit / share) if share else WIDE_POOL + 1
    if pool <= WIDE_POOL:
        best = (select(_FTS.c.rowid.label("id"), rank.label("rank"))
                .where(fts.op("MATCH")(words)).order_by(rank).limit(pool).subquery())
        stmt = (select(SearchChunk.id, SearchChunk.note_id)
                .join(best, best.c.id == SearchChunk.id)
                .where(*conds).order_by(best.c.rank, SearchChunk.id).limit(limit))
        found = [Ranked(int(i), n) for i, n in session.execute(stmt)]
        if len(found) == limit:
            return found
    return _fts_join(session, words, rank, conds, limit)


def _fts_join(session: Session, match: str, rank: ColumnElement[Any],
              conds: list[ColumnElement[bool]], limit: int) -> list[Ranked]:
    """Every visible passage matching ``match``, ranked, best ``limit``."""
    fts: ColumnElement[Any] = literal_column("search_fts")
    stmt = (
        select(SearchChunk.id, SearchChunk.note_id)
        .select_from(_FTS.join(SearchChunk, SearchChunk.id == _FTS.c.rowid))
        .where(fts.op("MATCH")(match), *conds)
        .order_by(rank, SearchChunk.id)
        .limit(limit)
    )
    return [Ranked(int(i), n) for i, n in session.execute(stmt)]


def semantic_ranking(session: Session, *, user: Viewer, vector: NDArray[np.float32],
                     filters: Filters, limit: int) -> list[Ranked]:
    """Chunks nearest the query vector (cosine), best first, visible chunks only."""
    if not _sqlite(session):
        return _exact_scan(session, user=user, vector=vector, filters=filters, limit=limit)
    _vec_ready(session)
    near = func.vec_distance_hamming(func.vec_bit(SearchChunk.signature),
                                     func.vec_bit(signature(vector)))
    pool = (select(SearchChunk.id).where(SearchChunk.signature.is_not(None),
                                         *_conditions(user, filters))
            .order_by(near, SearchChunk.id).limit(max(SIGNATURE_POOL, limit)))
    stmt = (select(SearchChunk.id, SearchChunk.note_id)
            .where(SearchChunk.id.in_(pool))
            .order_by(func.vec_distance_cosine(SearchChunk.embedding, embedding_bytes(vector)),
                      SearchChunk.id)
            .limit(limit))
    return [Ranked(int(i), n) for i, n in session.execute(stmt)]


def _exact_scan(session: Session, *, user: Viewer, vector: NDArray[np.float32],
                filters: Filters, limit: int) -> list[Ranked]:
    rows = session.execute(
        select(SearchChunk.id, SearchChunk.note_id, SearchChunk.embedding)
        .where(SearchChunk.embedding.is_not(None), *_conditions(user, filters))
    ).all()
    if not rows:
        return []
    blobs = b"".join(r[2] or b"" for r in rows)
    matrix = np.frombuffer(blobs, dtype=np.float32).reshape(len(rows), -1)
    scores = matrix @ np.asarray(vector, dtype=np.float32)
    order = np.argsort(-scores, kind="stable")[:limit]
    return [Ranked(int(rows[i][0]), rows[i][1]) for i in order]


def visible_chunks(session: Session, *, user: Viewer, chunk_ids: Sequence[int]
                   ) -> dict[int, SearchChunk]:
    """The chunks by id, again only those the user may see."""
    if not chunk_ids:
        return {}
    rows = session.scalars(select(SearchChunk).where(
        SearchChunk.id.in_(list(chunk_ids)),
        SearchChunk.case_id.in_(visible_case_ids(user)), _still_held()))
    return {row.id: row for row in rows}
