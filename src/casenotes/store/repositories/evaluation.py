"""Queries for the practice dashboard, the bias audit and the energy report (issue 10).

Every function takes ``case_ids``: the cases in the caller's scope, or ``None`` for all cases
(administrators and auditors see aggregates across the organisation).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from casenotes.store.models import (
    AudioFileRow,
    Case,
    DraftRow,
    DraftSentenceRow,
    FlagRow,
    NoteRow,
    PersonCharacteristicsRow,
    Recording,
    SegmentRow,
    StageRunRow,
    User,
)


@dataclass(frozen=True)
class DraftFact:
    """One drafted session, as the measures need it (no content)."""

    recording_id: int
    case_id: int
    team: str | None
    template: str
    author_id: int
    recorded_at: datetime
    draft_id: int
    drafted_at: datetime
    sentences: int
    signed_at: datetime | None
    changed_share: float | None
    voice_kept: bool | None  # a verbatim quote of the person is in the signed note


def _scoped(query: Select[Any], case_ids: list[int] | None) -> Select[Any]:
    return query if case_ids is None else query.where(Recording.case_id.in_(case_ids))


def draft_facts(session: Session, *, case_ids: list[int] | None) -> list[DraftFact]:
    sentence_counts = (
        select(DraftSentenceRow.draft_id, func.count(DraftSentenceRow.id).label("n"))
        .group_by(DraftSentenceRow.draft_id).subquery()
    )
    query = _scoped(
        select(Recording, Case.team, DraftRow.id, DraftRow.created_at,
               func.coalesce(sentence_counts.c.n, 0), NoteRow.signed_at, NoteRow.changed_share,
               NoteRow.sections, AudioFileRow.created_at)
        .join(Case, Case.id == Recording.case_id)
        .join(DraftRow, DraftRow.recording_id == Recording.id)
        .outerjoin(sentence_counts, sentence_counts.c.draft_id == DraftRow.id)
        .outerjoin(NoteRow, NoteRow.recording_id == Recording.id)
        .outerjoin(AudioFileRow, AudioFileRow.recording_id == Recording.id)
        .order_by(Recording.id),
        case_ids,
    )
    facts = []
    for rec, team, draft_id, drafted_at, n, signed_at, share, sections, audio_at in (
            session.execute(query)):
        voice = None if signed_at is None else any(
            s.get("kind") == "quote" for sec in (sections or []) if not sec.get("reserved")
            for s in sec.get("sentences", []))
        facts.append(DraftFact(
            recording_id=rec.id, case_id=rec.case_id, team=team, template=rec.template,
            author_id=rec.created_by, recorded_at=audio_at or rec.created_at, draft_id=draft_id,
            drafted_at=drafted_at, sentences=int(n), signed_at=signed_at,
            changed_share=share, voice_kept=voice))
    return facts


def flag_counts(session: Session, *, draft_ids: list[int]) -> list[tuple[int, str, str, int]]:
    """(draft id, kind, status, count) for the given drafts."""
    if not draft_ids:
        return []
    query = (select(FlagRow.draft_id, FlagRow.kind, FlagRow.status, func.count(FlagRow.id))
             .where(FlagRow.draft_id.in_(draft_ids))
             .group_by(FlagRow.draft_id, FlagRow.kind, FlagRow.status))
    return [(int(d), str(k), str(s), int(n)) for d, k, s, n in session.execute(query)]


def first_stage_finish(session: Session, *, recording_ids: list[int], stage: str
                       ) -> dict[int, datetime]:
    """When ``stage`` first finished for each recording (a later re-run does not count)."""
    if not recording_ids:
        return {}
    query = (select(StageRunRow.recording_id, func.min(StageRunRow.finished_at))
             .where(StageRunRow.recording_id.in_(recording_ids), StageRunRow.stage == stage)
             .group_by(StageRunRow.recording_id))
    return {int(r): at for r, at in session.execute(query)}


def stage_runs(session: Session, *, case_ids: list[int] | None) -> list[StageRunRow]:
    query = _scoped(select(StageRunRow).join(Recording, Recording.id == StageRunRow.recording_id)
                    .order_by(StageRunRow.finished_at), case_ids)
    return list(session.scalars(query))


def user_names(session: Session, *, user_ids: list[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = session.execute(select(User.id, User.display_name, User.username)
                           .where(User.id.in_(user_ids)))
    return {int(i): (d or u) for i, d, u in rows}


def characteristics(session: Session, *, case_ids: list[int] | None
                    ) -> dict[int, PersonCharacteristicsRow]:
    query = select(PersonCharacteristicsRow)
    if case_ids is not None:
        query = query.where(PersonCharacteristicsRow.case_id.in_(case_ids))
    return {row.case_id: row for row in session.scalars(query)}


def get_characteristics(session: Session, *, case_id: int) -> PersonCharacteristicsRow | None:
    return session.get(PersonCharacteristicsRow, case_id)


def save_characteristics(session: Session, *, case_id: int, values: dict[str, str | None],
                         updated_by: int) -> PersonCharacteristicsRow:
    row = session.get(PersonCharacteristicsRow, case_id)
    if row is None:
        row = PersonCharacteristicsRow(case_id=case_id)
        session.add(row)
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_by = updated_by
    row.updated_at = datetime.now(UTC)
    session.flush()
    return row


def mean_word_confidence(session: Session, *, recording_ids: list[int]) -> dict[int, float]:
    """Mean recogniser confidence of the words of each transcribed recording (imported text
    transcripts have none and are left out). Word lists are decrypted here, never returned."""
    if not recording_ids:
        return {}
    values: dict[int, list[float]] = {}
    query = (select(SegmentRow.recording_id, SegmentRow.words)
             .where(SegmentRow.recording_id.in_(recording_ids)))
    for recording_id, words in session.execute(query):
        for word in words or []:
            if len(word) > 3 and isinstance(word[3], int | float):
                values.setdefault(int(recording_id), []).append(float(word[3]))
    return {r: statistics.fmean(v) for r, v in values.items() if v}

