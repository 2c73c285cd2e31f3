"""Audio files, uploads in parts, transcription jobs and chunks, tags, speaker maps, edits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from casenotes.domain.transcript import Transcript
from casenotes.store.models import (
    AudioFileRow,
    AudioUploadRow,
    ObservationTagRow,
    SegmentEditRow,
    SegmentRow,
    SpeakerMappingRow,
    TranscriptionChunkRow,
    TranscriptionJobRow,
    utcnow,
)


def add_audio_file(
    session: Session, *, recording_id: int, blob_key: str, filename: str, size_bytes: int,
    duration_s: float, sha256: str,
) -> AudioFileRow:
    row = AudioFileRow(recording_id=recording_id, blob_key=blob_key, filename=filename,
                       size_bytes=size_bytes, duration_s=duration_s, sha256=sha256)
    session.add(row)
    session.flush()
    return row


def audio_file(session: Session, *, recording_id: int) -> AudioFileRow | None:
    return session.scalar(select(AudioFileRow).where(AudioFileRow.recording_id == recording_id))


def add_upload(session: Session, *, recording_id: int, token: str, filename: str,
               created_by: int) -> AudioUploadRow:
    row = AudioUploadRow(recording_id=recording_id, token=token, filename=filename, parts=0,
                         received_bytes=0, complete=False, created_by=created_by)
    session.add(row)
    session.flush()
    return row


def upload(session: Session, *, token: str) -> AudioUploadRow | None:
    return session.scalar(select(AudioUploadRow).where(AudioUploadRow.token == token))


def job(session: Session, *, recording_id: int) -> TranscriptionJobRow | None:
    return session.scalar(
        select(TranscriptionJobRow).where(TranscriptionJobRow.recording_id == recording_id)
    )


def create_job(
    session: Session, *, recording_id: int, engine: str, chunk_seconds: float, chunks_total: int,
    speakers: int | None, dictation: bool,
) -> TranscriptionJobRow:
    row = TranscriptionJobRow(
        recording_id=recording_id, status="queued", engine=engine, chunk_seconds=chunk_seconds,
        chunks_total=chunks_total, chunks_done=0, speakers=speakers, dictation=dictation,
        message="",
    )
    session.add(row)
    session.flush()
    return row


def set_job_status(session: Session, *, job: TranscriptionJobRow, status: str,
                   message: str = "") -> None:
    job.status, job.message, job.updated_at = status, message, utcnow()
    session.flush()


def done_chunks(session: Session, *, job_id: int) -> dict[int, TranscriptionChunkRow]:
    rows = session.scalars(
        select(TranscriptionChunkRow).where(TranscriptionChunkRow.job_id == job_id)
        .order_by(TranscriptionChunkRow.idx)
    )
    return {row.idx: row for row in rows}


def add_chunk(session: Session, *, job: TranscriptionJobRow, idx: int, start: float, end: float,
              turns: list[Any], chunks_total: int) -> None:
    session.add(TranscriptionChunkRow(job_id=job.id, idx=idx, start=start, end=end, turns=turns))
    job.chunks_done = idx + 1
    job.chunks_total = max(chunks_total, idx + 1)
    job.updated_at = utcnow()
    session.flush()


def add_segments(session: Session, *, recording_id: int, transcript: Transcript) -> None:
    session.execute(delete(SegmentRow).where(SegmentRow.recording_id == recording_id))
    session.add_all(
        SegmentRow(
            recording_id=recording_id, seq=s.id, speaker=s.speaker, text=s.text,
            start=s.start, end=s.end,
            words=[[w.text, w.start, w.end, w.confidence] for w in s.words], replacements=[],
        )
        for s in transcript.segments
    )
    session.flush()


def segment(session: Session, *, recording_id: int, seq: int) -> SegmentRow | None:
    return session.scalar(
        select(SegmentRow).where(SegmentRow.recording_id == recording_id, SegmentRow.seq == seq)
    )


def add_edit(session: Session, *, segment_id: int, field: str, old: str, new: str,
             edited_by: int) -> None:
    session.add(SegmentEditRow(segment_id=segment_id, field=field, old=old, new=new,
                               edited_by=edited_by))
    session.flush()


def edit_counts(session: Session, *, recording_id: int) -> dict[int, int]:
    """Segment seq → how many tracked edits it has had."""
    rows = session.execute(
        select(SegmentRow.seq, SegmentEditRow.id)
        .join(SegmentEditRow, SegmentEditRow.segment_id == SegmentRow.id)
        .where(SegmentRow.recording_id == recording_id)
    )
    counts: dict[int, int] = {}
    for seq, _ in rows:
        counts[int(seq)] = counts.get(int(seq), 0) + 1
    return counts


def set_speaker_mapping(session: Session, *, recording_id: int, label: str,
                        person_id: int | None, name: str, mapped_by: int) -> None:
    row = session.scalar(select(SpeakerMappingRow).where(
        SpeakerMappingRow.recording_id == recording_id, SpeakerMappingRow.label == label))
    if row is None:
        row = SpeakerMappingRow(recording_id=recording_id, label=label, person_id=person_id,
                                name=name, mapped_by=mapped_by)
        session.add(row)
    else:
        row.person_id, row.name, row.mapped_by, row.mapped_at = person_id, name, mapped_by, utcnow()
    session.flush()


def speaker_mappings(session: Session, *, recording_id: int) -> list[SpeakerMappingRow]:
    return list(session.scalars(
        select(SpeakerMappingRow).where(SpeakerMappingRow.recording_id == recording_id)
        .order_by(SpeakerMappingRow.id)
    ))


def add_tag(session: Session, *, recording_id: int, kind: str, time: float, words: str,
            created_by: int) -> ObservationTagRow:
    row = ObservationTagRow(recording_id=recording_id, kind=kind, time=time, words=words,
                            created_by=created_by)
    session.add(row)
    session.flush()
    return row


def tags(session: Session, *, recording_id: int) -> list[ObservationTagRow]:
    return list(session.scalars(
        select(ObservationTagRow).where(ObservationTagRow.recording_id == recording_id)
        .order_by(ObservationTagRow.time, ObservationTagRow.id)
    ))
