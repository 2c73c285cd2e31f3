"""Signed notes: written once, never updated."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casenotes.store.models import NoteRow


def create_note(
    session: Session, *, case_id: int, recording_id: int, draft_id: int, title: str, text: str,
    sections: list[Any], drafted_text: str, signed_by: int, attestation: str,
    transparency: dict[str, Any], changed_share: float,
) -> NoteRow:
    row = NoteRow(
        case_id=case_id, recording_id=recording_id, draft_id=draft_id, title=title, text=text,
        sections=sections, drafted_text=drafted_text, signed_by=signed_by,
        attestation=attestation, transparency=transparency, changed_share=changed_share,
    )
    session.add(row)
    session.flush()
    return row


def get_note(session: Session, *, note_id: int) -> NoteRow | None:
    return session.get(NoteRow, note_id)


def note_for_recording(session: Session, *, recording_id: int) -> NoteRow | None:
    return session.scalars(select(NoteRow).where(NoteRow.recording_id == recording_id)).first()
