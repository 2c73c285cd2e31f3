"""Records governance: session files, consent history, note versions, replies, approvals, QA,
and the deletions that withdrawal and retention make."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session

from casenotes.store.models import (
    AudioFileRow,
    AuditRow,
    Case,
    ConsentRow,
    DraftRow,
    DraftSectionRow,
    DraftSentenceRow,
    FlagRow,
    NoteApprovalRow,
    NoteReplyRow,
    NoteRow,
    NoteVersionRow,
    Person,
    QaReviewRow,
    Recording,
    SegmentRow,
    SessionFile,
    TranscriptionChunkRow,
    TranscriptionJobRow,
)
from casenotes.store.repositories import search as search_repo

# --- session files ---


def add_session_file(session: Session, *, recording_id: int, key: str, kind: str) -> SessionFile:
    row = SessionFile(recording_id=recording_id, key=key, kind=kind)
    session.add(row)
    session.flush()
    return row


def session_files(session: Session, *, recording_id: int, kind: str | None = None
                  ) -> list[SessionFile]:
    query = select(SessionFile).where(SessionFile.recording_id == recording_id)
    if kind is not None:
        query = query.where(SessionFile.kind == kind)
    return list(session.scalars(query.order_by(SessionFile.id)))


def held_files(session: Session, *, recording_id: int) -> list[str]:
    """Blob keys of every file held for the session: its own files and the captured audio."""
    keys = [f.key for f in session_files(session, recording_id=recording_id)]
    keys += list(session.scalars(
        select(AudioFileRow.blob_key).where(AudioFileRow.recording_id == recording_id)))
    return keys


def forget_files(session: Session, *, recording_id: int) -> None:
    """Delete the rows that point at the session's files (the caller deletes the blobs)."""
    session.execute(delete(SessionFile).where(SessionFile.recording_id == recording_id))
    session.execute(delete(AudioFileRow).where(AudioFileRow.recording_id == recording_id))


# --- consent ---


def add_consent(
    session: Session, *, recording_id: int, party: str, party_kind: str, decision: str,
    scope: str, method: str, transcript_time: float | None, recorded_by: int,
) -> ConsentRow:
    row = ConsentRow(
        recording_id=recording_id, party=party, party_kind=party_kind, decision=decision,
        scope=scope, method=method, transcript_time=transcript_time, recorded_by=recorded_by,
    )
    session.add(row)
    session.flush()
    return row


def consent_history(session: Session, *, recording_id: int) -> list[ConsentRow]:
    return list(session.scalars(
        select(ConsentRow).where(ConsentRow.recording_id == recording_id).order_by(ConsentRow.id)
    ))


# --- transcript and draft content ---


def erase_transcript(session: Session, *, recording_id: int) -> int:
    """Delete the transcript everywhere it is held: segments (captured and pseudonymised text,
    tracked corrections by cascade), transcription work in progress, and its search index
    entries. Returns the number of segments deleted."""
    search_repo.remove_chunks(session, note_id=None, recording_id=recording_id,
                              source="transcript")  # the signed note stays searchable
    job = session.scalars(select(TranscriptionJobRow)
                          .where(TranscriptionJobRow.recording_id == recording_id)).first()
    if job is not None:
        session.execute(delete(TranscriptionChunkRow)
                        .where(TranscriptionChunkRow.job_id == job.id))
        if job.status in ("queued", "running"):
            job.status = "cancelling"  # a job in progress stops at its next chunk
        else:
            session.delete(job)
        session.flush()
    result = session.execute(delete(SegmentRow).where(SegmentRow.recording_id == recording_id))
    return int(result.rowcount)  # type: ignore[attr-defined]


def segment_count(session: Session, *, recording_id: int) -> int:
    return int(session.scalar(
        select(func.count(SegmentRow.id)).where(SegmentRow.recording_id == recording_id)) or 0)


def erase_draft_content(session: Session, *, recording_id: int) -> int:
    """Delete a draft's sentences, sections and flags (the header row stays if a note cites it).

    Returns the number of sentences deleted.
    """
    draft = session.scalars(select(DraftRow).where(DraftRow.recording_id == recording_id)).first()
    if draft is None:
        return 0
    session.execute(delete(FlagRow).where(FlagRow.draft_id == draft.id))
    result = session.execute(delete(DraftSentenceRow).where(DraftSentenceRow.draft_id == draft.id))
    session.execute(delete(DraftSectionRow).where(DraftSectionRow.draft_id == draft.id))
    noted = session.scalar(select(NoteRow.id).where(NoteRow.draft_id == draft.id))
    if noted is None:
        session.execute(delete(DraftRow).where(DraftRow.id == draft.id))
    session.expire_all()
    return int(result.rowcount)  # type: ignore[attr-defined]


def draft_sentence_count(session: Session, *, recording_id: int) -> int:
    return int(session.scalar(
        select(func.count(DraftSentenceRow.id))
        .join(DraftRow, DraftRow.id == DraftSentenceRow.draft_id)
        .where(DraftRow.recording_id == recording_id)) or 0)


def set_stage(session: Session, *, recording_id: int, stage: str) -> None:
    session.execute(update(Recording).where(Recording.id == recording_id).values(stage=stage))


# --- notes, versions, replies ---


def notes_signed_before(session: Session, *, moment: datetime) -> list[NoteRow]:
    return list(session.scalars(
        select(NoteRow).where(NoteRow.signed_at <= moment).order_by(NoteRow.id)))


def notes_for_case(session: Session, *, case_id: int) -> list[NoteRow]:
    return list(session.scalars(
        select(NoteRow).where(NoteRow.case_id == case_id).order_by(NoteRow.id)))


def notes_signed_by(session: Session, *, user_id: int, limit: int) -> list[NoteRow]:
    return list(session.scalars(
        select(NoteRow).where(NoteRow.signed_by == user_id)
        .order_by(NoteRow.signed_at.desc(), NoteRow.id.desc()).limit(limit)))


def notes_in_cases(session: Session, *, case_ids: list[int]) -> list[NoteRow]:
    if not case_ids:
        return []
    return list(session.scalars(
        select(NoteRow).where(NoteRow.case_id.in_(case_ids)).order_by(NoteRow.id)))


def delete_note(session: Session, *, note_id: int) -> None:
    """Remove a signed note and everything attached to it (retention only)."""
    search_repo.remove_chunks(session, note_id=note_id, recording_id=None)
    for model in (NoteVersionRow, NoteReplyRow, NoteApprovalRow, QaReviewRow):
        session.execute(delete(model).where(model.note_id == note_id))
    session.execute(delete(NoteRow).where(NoteRow.id == note_id))


def versions(session: Session, *, note_id: int) -> list[NoteVersionRow]:
    return list(session.scalars(
        select(NoteVersionRow).where(NoteVersionRow.note_id == note_id)
        .order_by(NoteVersionRow.version)))


def add_version(
    session: Session, *, note_id: int, version: int, text: str, sections: list[Any],
    reason: str, amended_by: int,
) -> NoteVersionRow:
    row = NoteVersionRow(note_id=note_id, version=version, text=text, sections=sections,
                         reason=reason, amended_by=amended_by)
    session.add(row)
    session.flush()
    return row


def replies(session: Session, *, note_id: int) -> list[NoteReplyRow]:
    return list(session.scalars(
        select(NoteReplyRow).where(NoteReplyRow.note_id == note_id).order_by(NoteReplyRow.id)))


def add_reply(session: Session, *, note_id: int, text: str, source: str, filename: str,
              added_by: int) -> NoteReplyRow:
    row = NoteReplyRow(note_id=note_id, text=text, source=source, filename=filename,
                       added_by=added_by)
    session.add(row)
    session.flush()
    return row


# --- supervision ---


def approvals(session: Session, *, note_id: int) -> list[NoteApprovalRow]:
    return list(session.scalars(
        select(NoteApprovalRow).where(NoteApprovalRow.note_id == note_id)
        .order_by(NoteApprovalRow.id)))


def add_approval(session: Session, *, note_id: int, decision: str, comment: str,
                 decided_by: int) -> NoteApprovalRow:
    row = NoteApprovalRow(note_id=note_id, decision=decision, comment=comment,
                          decided_by=decided_by)
    session.add(row)
    session.flush()
    return row


def qa_review(session: Session, *, note_id: int) -> QaReviewRow | None:
    return session.scalars(select(QaReviewRow).where(QaReviewRow.note_id == note_id)).first()


def add_qa_review(session: Session, *, note_id: int, checklist: dict[str, Any], comment: str,
                  reviewed_by: int) -> QaReviewRow:
    row = QaReviewRow(note_id=note_id, checklist=checklist, comment=comment,
                      reviewed_by=reviewed_by)
    session.add(row)
    session.flush()
    return row


# --- subject access ---


def people_named(session: Session, *, case_ids: list[int]) -> list[Person]:
    if not case_ids:
        return []
    return list(session.scalars(
        select(Person).where(Person.case_id.in_(case_ids)).order_by(Person.id)))


def recordings_in_cases(session: Session, *, case_ids: list[int]) -> list[Recording]:
    if not case_ids:
        return []
    return list(session.scalars(
        select(Recording).where(Recording.case_id.in_(case_ids)).order_by(Recording.id)))


def cases_by_id(session: Session, *, case_ids: list[int]) -> list[Case]:
    if not case_ids:
        return []
    return list(session.scalars(select(Case).where(Case.id.in_(case_ids)).order_by(Case.id)))


def access_events(session: Session, *, objects: list[tuple[str, str]]) -> list[AuditRow]:
    """Audit events about any of the given (object type, object id) pairs."""
    found: list[AuditRow] = []
    by_type: dict[str, list[str]] = {}
    for kind, ident in objects:
        by_type.setdefault(kind, []).append(ident)
    for kind, idents in by_type.items():
        found += session.scalars(
            select(AuditRow).where(AuditRow.object_type == kind, AuditRow.object_id.in_(idents)))
    return sorted(found, key=lambda r: r.seq)


def vacuum(engine: Engine) -> bool:
    """On SQLite, rebuild the file and empty the write-ahead log so freed pages holding deleted
    content are gone from disk too. Runs outside any transaction (VACUUM cannot run in one)."""
    if engine.dialect.name != "sqlite":
        return False
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        raw.close()
    return True
