"""Family network links of a case: confirmed relationships and suggestions awaiting a decision."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casenotes.store.models import NetworkLink, NoteRow, Recording, SegmentRow


def links(session: Session, *, case_id: int) -> list[NetworkLink]:
    return list(session.scalars(select(NetworkLink).where(NetworkLink.case_id == case_id)
                                .order_by(NetworkLink.id)))


def find(session: Session, *, case_id: int, from_name: str, to_name: str,
         relation: str) -> NetworkLink | None:
    return session.scalars(select(NetworkLink).where(
        NetworkLink.case_id == case_id, NetworkLink.from_name == from_name,
        NetworkLink.to_name == to_name, NetworkLink.relation == relation)).first()


def add(session: Session, *, case_id: int, from_name: str, to_name: str, relation: str,
        status: str, source: str, note_id: int | None = None, evidence: str = "",
        decided_by: int | None = None) -> NetworkLink:
    link = NetworkLink(case_id=case_id, from_name=from_name, to_name=to_name, relation=relation,
                       status=status, source=source, note_id=note_id, evidence=evidence,
                       decided_by=decided_by,
                       decided_at=datetime.now(UTC) if decided_by is not None else None)
    session.add(link)
    session.flush()
    return link


def get(session: Session, *, case_id: int, link_id: int) -> NetworkLink | None:
    return session.scalars(select(NetworkLink).where(NetworkLink.id == link_id,
                                                     NetworkLink.case_id == case_id)).first()


def decide(session: Session, *, link: NetworkLink, status: str, user_id: int) -> None:
    link.status = status
    link.decided_by = user_id
    link.decided_at = datetime.now(UTC)
    session.flush()


def signed_notes(session: Session, *, case_id: int) -> list[NoteRow]:
    return list(session.scalars(select(NoteRow).where(NoteRow.case_id == case_id)
                                .order_by(NoteRow.id)))


def speakers_by_recording(session: Session, *, case_id: int
                          ) -> list[tuple[Recording, list[str]]]:
    out = []
    for recording in session.scalars(select(Recording).where(Recording.case_id == case_id)
                                     .order_by(Recording.id)):
        names = list(session.scalars(select(SegmentRow.speaker).distinct()
                                     .where(SegmentRow.recording_id == recording.id)))
        out.append((recording, sorted(names)))
    return out
