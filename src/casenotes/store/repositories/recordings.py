"""Recordings, their transcript segments and the consent ledger."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casenotes.domain.transcript import Segment, Transcript, Word
from casenotes.store.models import ConsentRow, FlagRow, NoteRow, Recording, SegmentRow


def create_recording(
    session: Session, *, case_id: int, title: str, source: str, filename: str, template: str,
    created_by: int, transcript: Transcript,
) -> Recording:
    recording = Recording(
        case_id=case_id, title=title, source=source, filename=filename, template=template,
        stage="imported", created_by=created_by, engines=[],
    )
    session.add(recording)
    session.flush()
    session.add_all(
        SegmentRow(
            recording_id=recording.id, seq=s.id, speaker=s.speaker, text=s.text,
            start=s.start, end=s.end,
            words=[[w.text, w.start, w.end, w.confidence] for w in s.words],
            replacements=[],
        )
        for s in transcript.segments
    )
    session.flush()
    return recording


def get_recording(session: Session, *, recording_id: int) -> Recording | None:
    return session.get(Recording, recording_id)


def list_recordings(session: Session, *, case_id: int) -> list[Recording]:
    return list(
        session.scalars(
            select(Recording).where(Recording.case_id == case_id).order_by(Recording.id)
        )
    )


def open_flag_counts(session: Session, *, recording_ids: list[int]) -> dict[int, int]:
    from casenotes.store.models import DraftRow

    rows = session.execute(
        select(DraftRow.recording_id, func.count(FlagRow.id))
        .join(FlagRow, FlagRow.draft_id == DraftRow.id)
        .where(DraftRow.recording_id.in_(recording_ids), FlagRow.status == "open")
        .group_by(DraftRow.recording_id)
    )
    return {int(r): int(n) for r, n in rows}


def note_ids(session: Session, *, recording_ids: list[int]) -> dict[int, int]:
    rows = session.execute(
        select(NoteRow.recording_id, NoteRow.id).where(NoteRow.recording_id.in_(recording_ids))
    )
    return {int(r): int(n) for r, n in rows}


def segment_rows(session: Session, *, recording_id: int) -> list[SegmentRow]:
    return list(
        session.scalars(
            select(SegmentRow).where(SegmentRow.recording_id == recording_id)
            .order_by(SegmentRow.seq)
        )
    )


def transcript(session: Session, *, recording_id: int, pseudonymised: bool = False) -> Transcript:
    """The recording's transcript, as captured or as pseudonymised."""
    segments = []
    for row in segment_rows(session, recording_id=recording_id):
        if pseudonymised:
            if row.pseudo_text is None:
                raise LookupError("the transcript has not been pseudonymised yet")
            segments.append(Segment(
                id=row.seq, speaker=row.pseudo_speaker or row.speaker, text=row.pseudo_text,
                start=row.start, end=row.end,
            ))
        else:
            segments.append(Segment(
                id=row.seq, speaker=row.speaker, text=row.text, start=row.start, end=row.end,
                words=tuple(Word(*w) for w in row.words),
            ))
    return Transcript(segments=tuple(segments))


def save_pseudonymised(
    session: Session, *, recording_id: int,
    segments: dict[int, tuple[str, str, list[Any]]],
) -> None:
    """Store each segment's pseudonymised speaker, text and replacements (by seq)."""
    for row in segment_rows(session, recording_id=recording_id):
        speaker, text, replacements = segments[row.seq]
        row.pseudo_speaker, row.pseudo_text, row.replacements = speaker, text, replacements
    session.flush()


def set_stage(session: Session, *, recording: Recording, stage: str,
              engines: list[Any] | None = None) -> None:
    recording.stage = stage
    if engines is not None:
        recording.engines = engines
    session.flush()


def add_consent(
    session: Session, *, recording_id: int, party: str, decision: str, scope: str, method: str,
    recorded_by: int,
) -> ConsentRow:
    row = ConsentRow(
        recording_id=recording_id, party=party, decision=decision, scope=scope, method=method,
        recorded_by=recorded_by,
    )
    session.add(row)
    session.flush()
    return row


def current_consents(session: Session, *, recording_id: int) -> dict[str, ConsentRow]:
    """The decision in force for each party: the newest ledger row."""
    rows = session.scalars(
        select(ConsentRow).where(ConsentRow.recording_id == recording_id)
        .order_by(ConsentRow.id)
    )
    return {row.party: row for row in rows}
