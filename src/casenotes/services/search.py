"""Hybrid search over signed notes and held transcripts, and keeping its index up to date.

Signing a note queues it for indexing in the background (after the signature commits);
``reindex`` rebuilds or completes the index with progress, one note per transaction, so an
interrupted run resumes where it stopped.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from casenotes.domain.errors import InvalidInput, PermissionDenied
from casenotes.engines.search import (
    best_snippet,
    embedder_for,
    grouped_rank_fusion,
    query_terms,
    reciprocal_rank_fusion,
)
from casenotes.engines.search.concepts import (
    NO_EXPANSION,
    Expansion,
    Thesaurus,
    blend,
    thesaurus_for,
)
from casenotes.services.access import case_session, visible_case
from casenotes.services.audit_log import record
from casenotes.services.context import AppContext
from casenotes.services.permitted_uses import ensure_permitted
from casenotes.services.views import (
    IndexReport,
    SearchHitView,
    SearchResultsView,
    UserView,
    shown_time,
)
from casenotes.store import crypto
from casenotes.store.db import make_engine
from casenotes.store.encrypted_types import bind_cipher
from casenotes.store.models import Case, NoteRow, Recording, SearchChunk
from casenotes.store.repositories import cases as cases_repo
from casenotes.store.repositories import notes as notes_repo
from casenotes.store.repositories import recordings as recordings_repo
from casenotes.store.repositories import search as search_repo
from casenotes.store.repositories import users as users_repo
from casenotes.store.repositories.search import Filters, NewChunk, Ranked

log = logging.getLogger(__name__)

MODES = ("hybrid", "keyword", "semantic")
FUSIONS = ("notes", "passages")
MAX_QUERY_CHARS = 500
TRANSCRIPT_WINDOW = 4  # segments per transcript passage
CANDIDATES = 50  # taken from each ranking before fusion
PER_NOTE = 3  # passages shown from one note; the note itself is a click away


@dataclass(frozen=True)
class SearchFilters:
    """What a person may narrow a search by (all optional)."""

    case_id: int | None = None
    person_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    author: str | None = None
    note_type: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Tuning:
    """How the rankings are combined. The defaults are what ships; the search benchmark
    measures the alternatives beside them in the same run.

    ``fusion``: "notes" ranks notes by reciprocal rank fusion of each note's best passage in
    every ranking, then shows each note's best passages (``PER_NOTE``); "passages" fuses the
    passages themselves. ``concepts``: a hybrid search also looks for the other names and the
    signs of the concepts the query names (``engines/search/data/concepts.yaml``): a keyword
    ranking of those phrases, and the query's vector moved towards the concepts'. None: as the
    ``search_concepts`` setting says, for hybrid searches only; True or False: in any mode (a
    keyword search then gains the phrase ranking, a semantic one the moved vector).
    """

    fusion: str = "notes"
    concepts: bool | None = None


# --- searching ---


def search(ctx: AppContext, actor: UserView, query: str, *, filters: SearchFilters | None = None,
           mode: str = "hybrid", limit: int = 20, tuning: Tuning | None = None
           ) -> SearchResultsView:
    """The best passages for ``query`` among the cases ``actor`` may see, best first."""
    ensure_permitted(ctx, actor, "search")
    filters = filters or SearchFilters()
    tuning = tuning or Tuning()
    query = _checked_query(query)
    if mode not in MODES:
        raise InvalidInput(f"Unknown search mode {mode!r}.",
                           hint="Use one of: " + ", ".join(MODES) + ".")
    if tuning.fusion not in FUSIONS:
        raise InvalidInput(f"Unknown fusion {tuning.fusion!r}.",
                           hint="Use one of: " + ", ".join(FUSIONS) + ".")
    if not 1 <= limit <= 100:
        raise InvalidInput("The number of results must be between 1 and 100.",
                           hint="Ask for fewer results.")
    use_concepts = (ctx.settings.search_concepts and mode == "hybrid" if tuning.concepts is None
                    else tuning.concepts)
    expansion = _thesaurus(ctx).expand(query) if use_concepts else NO_EXPANSION
    # The model runs outside the transaction (it can take a moment on first use). Running it
    # on a thread beside the keyword rankings was measured and gained nothing on two busy cores.
    vector = None if mode == "keyword" else _query_vector(ctx, query, expansion)
    with case_session(ctx, actor) as session:
        repo_filters = _repo_filters(session, actor, filters)
        found: dict[str, tuple[list[Ranked], float]] = {}
        if mode in ("hybrid", "keyword"):
            found["keyword"] = (search_repo.keyword_ranking(
                session, user=actor, terms=query_terms(query), filters=repo_filters,
                limit=CANDIDATES), 1.0)
        if not expansion.empty and mode != "semantic":
            # Weighed by the share of the query that names a concept: all of "neglect",
            # a third of a sentence that mentions school in passing.
            found["concepts"] = (search_repo.keyword_ranking(
                session, user=actor, terms=list(expansion.phrases), filters=repo_filters,
                limit=CANDIDATES), expansion.share)
        if vector is not None:
            found["semantic"] = (search_repo.semantic_ranking(
                session, user=actor, vector=vector, filters=repo_filters,
                limit=CANDIDATES), 1.0)
        rankings: list[tuple[str, list[Ranked], float]] = [
            (name, *found[name]) for name in ("keyword", "semantic", "concepts")
            if name in found and found[name][0]]
        fused = _fuse(rankings, tuning.fusion)[:limit]
        chunks = search_repo.visible_chunks(session, user=actor, chunk_ids=[c for c, _ in fused])
        by = {c: tuple(name for name, ranking, _ in rankings
                       if any(r.chunk_id == c for r in ranking)) for c, _ in fused}
        also = [t for phrase in expansion.phrases for t in query_terms(phrase)]
        hits = tuple(_hit(session, chunks[c], query, score, by[c], also)
                     for c, score in fused if c in chunks)
        record(session, actor, "search.query", "search", mode,
               f"results={len(hits)} cases={len({h.case_id for h in hits})} "
               f"concepts={len(expansion.concepts)}")
        thesaurus = _thesaurus(ctx)
        return SearchResultsView(query=query, mode=mode, hits=hits, concepts=tuple(
            thesaurus.label(k) for k in expansion.concepts))


def _fuse(rankings: list[tuple[str, list[Ranked], float]], fusion: str
          ) -> list[tuple[int, float]]:
    by_name = {name: ([r.chunk_id for r in ranking], weight)
               for name, ranking, weight in rankings}
    if "concepts" in by_name:
        # The concept phrases extend the keyword query: its ranking and theirs become one
        # word-based ranking, which is then fused with the semantic one like any keyword list.
        words = [by_name.pop(n) for n in ("keyword", "concepts") if n in by_name]
        merged = reciprocal_rank_fusion([w for w, _ in words], weights=[w for _, w in words])
        by_name["keyword"] = ([c for c, _ in merged], 1.0)
    lists = [ids for ids, _ in by_name.values()]
    weights = [w for _, w in by_name.values()]
    if fusion == "passages":
        return reciprocal_rank_fusion(lists, weights=weights)
    note_of = {r.chunk_id: r.note_id for _, ranking, _ in rankings for r in ranking}

    def note(chunk_id: int) -> int:
        found = note_of[chunk_id]
        return found if found is not None else -chunk_id  # a passage of no note stands alone

    return grouped_rank_fusion(lists, note, weights=weights, per_group=PER_NOTE)


def _thesaurus(ctx: AppContext) -> Thesaurus:
    return thesaurus_for(ctx.settings.search_concept_dirs)


def _query_vector(ctx: AppContext, query: str, expansion: Expansion) -> NDArray[np.float32]:
    vector: NDArray[np.float32] = _embed(ctx, [query])[0]
    if expansion.empty:
        return vector
    centroid = _thesaurus(ctx).centroid(expansion.concepts, lambda texts: _embed(ctx, texts),
                                        model=ctx.settings.embedding_model or "")
    return blend(vector, centroid, expansion.share)


def _checked_query(query: str) -> str:
    query = " ".join(query.split())
    if not query:
        raise InvalidInput("The search is empty.", hint="Type some words to search for.")
    if len(query) > MAX_QUERY_CHARS:
        raise InvalidInput(f"The search is longer than {MAX_QUERY_CHARS} characters.",
                           hint="Use a few key words or a short question.")
    if not re.search(r"\w", query):
        raise InvalidInput("The search has no words in it.", hint="Type some words to search for.")
    return query


def _repo_filters(session: Session, actor: UserView, filters: SearchFilters) -> Filters:
    if filters.case_id is not None:
        visible_case(session, actor, filters.case_id)  # 404 + audited refusal
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise InvalidInput("The start date is after the end date.",
                           hint="Swap the dates, or leave one empty.")
    author_id = None
    if filters.author:
        author = users_repo.get_user_by_username(session, username=filters.author)
        if author is None:
            raise InvalidInput("There is no user with that username to filter by.",
                               hint="Check the author's username.")
        author_id = author.id
    if filters.source not in (None, "note", "transcript"):
        raise InvalidInput("Results can come from 'note' or 'transcript' only.",
                           hint="Leave the source empty to search both.")
    return Filters(
        case_id=filters.case_id, person_id=filters.person_id,
        date_from=datetime.combine(filters.date_from, time.min) if filters.date_from else None,
        date_to=datetime.combine(filters.date_to, time.max) if filters.date_to else None,
        author_id=author_id, note_type=filters.note_type or None, source=filters.source,
    )


def _hit(session: Session, chunk: SearchChunk, query: str, score: float,
         found_by: tuple[str, ...], also: list[str]) -> SearchHitView:
    case = session.get(Case, chunk.case_id)
    snippet = best_snippet(chunk.text, query, also=also)
    evidence: tuple[int, ...] = tuple(chunk.segment_ids)
    title = ""
    if chunk.note_id is not None:
        note = notes_repo.get_note(session, note_id=chunk.note_id)
        if note is not None:
            title = note.title
            if chunk.source == "note":
                evidence = _sentence_evidence(note, chunk.position, snippet.text)
    if chunk.source == "note":
        link = f"/notes/{chunk.note_id}#section-{chunk.position}"
    else:
        first = chunk.segment_ids[0] if chunk.segment_ids else 0
        link = f"/recordings/{chunk.recording_id}/review#segment-{first}"
    return SearchHitView(
        chunk_id=chunk.id, case_id=chunk.case_id,
        case_reference=case.reference if case else "", note_id=chunk.note_id,
        recording_id=chunk.recording_id, source=chunk.source, title=title,
        section=chunk.section, snippet=snippet.parts, link=link, evidence_segments=evidence,
        occurred_at=shown_time(chunk.occurred_at), score=round(score, 5), found_by=found_by,
    )


def _sentence_evidence(note: NoteRow, position: int, sentence: str) -> tuple[int, ...]:
    """The transcript segments behind the note sentence the snippet comes from."""
    if not 0 <= position < len(note.sections):
        return ()
    probe = sentence.rstrip("…").strip()
    for stored in note.sections[position].get("sentences", []):
        text = str(stored.get("text", ""))
        if probe and (probe in text or text in probe):
            return tuple(int(s) for s in stored.get("segments", []))
    return ()


# --- indexing ---


def _embed(ctx: AppContext, texts: list[str]) -> NDArray[np.float32]:
    return embedder_for(ctx.settings.embedding_model).embed(texts)


def _people_in(text: str, people: list[tuple[int, list[str]]]) -> list[int]:
    lowered = text.lower()
    found = []
    for person_id, names in people:
        for name in names:
            if name and re.search(r"\b" + re.escape(name.lower()) + r"\b", lowered):
                found.append(person_id)
                break
    return found


def _note_chunks(session: Session, note: NoteRow
                 ) -> tuple[list[NewChunk], list[str], int | None]:
    """The note's passages, the text whose meaning each is embedded from, and its recording.

    A transcript passage is shown as "Name: words" but embedded from the words alone: the
    speakers' names say nothing about what was discussed, and would pull every passage of a
    speaker together (a search for "police" finding each turn of "Police Constable Reid").
    """
    recording = session.get(Recording, note.recording_id)
    people = [(p.id, [p.name, *[str(a) for a in p.aliases]])
              for p in cases_repo.people(session, case_id=note.case_id)]
    note_type = recording.template if recording else ""
    chunks: list[NewChunk] = []
    meanings: list[str] = []
    for position, section in enumerate(note.sections):
        body = str(section.get("text", "")).strip()
        if not body:
            continue
        segments = sorted({int(s) for sentence in section.get("sentences", [])
                           for s in sentence.get("segments", [])})
        chunks.append(NewChunk(
            case_id=note.case_id, note_id=note.id, recording_id=note.recording_id,
            source="note", section=str(section.get("name", "")), position=position,
            segment_ids=segments, text=body, author_id=note.signed_by, note_type=note_type,
            occurred_at=note.signed_at, person_ids=_people_in(body, people),
        ))
        meanings.append(body)
    rows = recordings_repo.segment_rows(session, recording_id=note.recording_id)
    for start in range(0, len(rows), TRANSCRIPT_WINDOW):
        window = rows[start:start + TRANSCRIPT_WINDOW]
        body = "\n".join(f"{r.speaker}: {r.text}" for r in window)
        chunks.append(NewChunk(
            case_id=note.case_id, note_id=note.id, recording_id=note.recording_id,
            source="transcript", section="Transcript", position=start // TRANSCRIPT_WINDOW,
            segment_ids=[r.seq for r in window], text=body, author_id=note.signed_by,
            note_type=note_type, occurred_at=note.signed_at, person_ids=_people_in(body, people),
        ))
        meanings.append("\n".join(r.text for r in window))
    return chunks, meanings, note.recording_id


@contextmanager
def _transaction(ctx: AppContext, engine: Engine | None) -> Iterator[Session]:
    if engine is None:
        with ctx.session() as session:
            yield session
    else:
        with Session(engine) as session, session.begin():
            yield session


def index_note(ctx: AppContext, note_id: int, actor: UserView | None = None, *,
               engine: Engine | None = None) -> int:
    """(Re)index one signed note and its held transcript; returns the number of passages.

    ``engine``: a database engine of the caller's own (background jobs use a private one, so
    that no connection is left in the application's pool when the job outlives it).
    """
    with _transaction(ctx, engine) as session:
        note = notes_repo.get_note(session, note_id=note_id)
        if note is None:
            return 0
        chunks, meanings, recording_id = _note_chunks(session, note)
    vectors = _embed(ctx, meanings)
    with _transaction(ctx, engine) as session:
        search_repo.replace_chunks(session, note_id=note_id, recording_id=recording_id,
                                   chunks=chunks, vectors=vectors)
        record(session, actor, "search.index", "note", note_id, f"passages={len(chunks)}")
    return len(chunks)


def enqueue_note_indexing(ctx: AppContext, session: Session, note_id: int) -> None:
    """Index the note in the background once ``session``'s transaction has committed."""
    if not ctx.settings.search_index_on_sign:
        return

    def _start(_session: Session) -> None:
        ctx.start_background(f"search-index-{note_id}",
                             lambda: _index_in_background(ctx, note_id))

    event.listen(session, "after_commit", _start, once=True)


def _index_in_background(ctx: AppContext, note_id: int) -> None:
    engine = make_engine(ctx.settings.sqlalchemy_url)
    try:
        # The job's own engine, with the database's key, is disposed when the job ends.
        bind_cipher(engine, crypto.open_cipher(ctx.settings, engine))
        index_note(ctx, note_id, engine=engine)
    except Exception as exc:  # a background job must not die silently, nor lose the note
        # The note itself is signed and safe; `casenotes search reindex` completes the index.
        log.warning("Search indexing of note %d did not finish (%s); run "
                    "`casenotes search reindex` to complete it.", note_id, type(exc).__name__)
    finally:
        engine.dispose()


def wait_for_indexing(ctx: AppContext, timeout: float = 120.0) -> None:
    """Block until background indexing started for this context has finished."""
    ctx.wait_background(timeout)


def reindex(ctx: AppContext, actor: UserView, *, everything: bool = False,
            progress: Callable[[int, int], None] | None = None) -> IndexReport:
    """Index the notes not yet indexed (or, with ``everything``, all of them again)."""
    if actor.role != "admin":
        raise PermissionDenied("Only administrators can rebuild the search index.",
                               hint="Ask your system administrator to run it.")
    with ctx.session() as session:
        ids = search_repo.note_ids(session, only_unindexed=not everything)
        record(session, actor, "search.reindex", "search", "index",
               f"notes={len(ids)} everything={everything}")
    total = 0
    for done, note_id in enumerate(ids, start=1):
        total += index_note(ctx, note_id, actor)
        if progress:
            progress(done, len(ids))
    return IndexReport(notes=len(ids), chunks=total)
