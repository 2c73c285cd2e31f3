"""Drafts (as the drafter produced them, plus the practitioner's edits) and their flags."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from casenotes.domain.draft import Draft, Evidence, Section, Sentence, SentenceKind
from casenotes.domain.flags import Flag
from casenotes.store.models import DraftRow, DraftSectionRow, DraftSentenceRow, FlagRow


def save_draft(session: Session, *, recording_id: int, draft: Draft) -> DraftRow:
    """Store a new draft for the recording, replacing an unsigned earlier one."""
    session.execute(delete(DraftRow).where(DraftRow.recording_id == recording_id))
    row = DraftRow(
        recording_id=recording_id, template=draft.template, engine=draft.engine,
        engine_version=draft.engine_version,
    )
    session.add(row)
    session.flush()
    position = 0
    for index, section in enumerate(draft.sections):
        sec_row = DraftSectionRow(
            draft_id=row.id, position=index, name=section.name, reserved=section.reserved,
            human_text=section.human_text,
        )
        session.add(sec_row)
        session.flush()
        for sentence in section.sentences:
            position += 1
            session.add(DraftSentenceRow(
                draft_id=row.id, section_id=sec_row.id, sid=sentence.id, position=position,
                kind=sentence.kind.value, text=sentence.text,
                evidence=[[e.segment_id, e.start, e.end, e.support] for e in sentence.evidence],
            ))
    session.flush()
    return row


def get_draft_row(session: Session, *, recording_id: int) -> DraftRow | None:
    return session.scalars(select(DraftRow).where(DraftRow.recording_id == recording_id)).first()


def to_domain(row: DraftRow, *, edited: bool = False) -> Draft:
    """The draft as drafted, or (``edited``) with the practitioner's edits applied."""
    sections = []
    for sec in row.sections:
        sentences = []
        for s in sec.sentences:
            text = s.edited_text if edited and s.edited_text is not None else s.text
            kind = SentenceKind.HUMAN if edited and s.edited_text is not None else SentenceKind(
                s.kind)
            sentences.append(Sentence(
                id=s.sid, text=text, kind=kind,
                evidence=tuple(Evidence(int(e[0]), int(e[1]), int(e[2]), float(e[3]))
                               for e in s.evidence),
            ))
        sections.append(Section(
            name=sec.name, reserved=sec.reserved, sentences=tuple(sentences),
            human_text=sec.human_text if edited else "",
        ))
    return Draft(template=row.template, sections=tuple(sections), engine=row.engine,
                 engine_version=row.engine_version)


def sentence_row(session: Session, *, draft_id: int, sid: str) -> DraftSentenceRow | None:
    return session.scalars(
        select(DraftSentenceRow).where(DraftSentenceRow.draft_id == draft_id,
                                       DraftSentenceRow.sid == sid)
    ).first()


def section_row(session: Session, *, draft_id: int, name: str) -> DraftSectionRow | None:
    return session.scalars(
        select(DraftSectionRow).where(DraftSectionRow.draft_id == draft_id,
                                      DraftSectionRow.name == name)
    ).first()


def save_flags(session: Session, *, draft_id: int, flags: list[Flag]) -> None:
    session.add_all(
        FlagRow(
            draft_id=draft_id, kind=f.kind.value, severity=f.severity.value,
            explanation=f.explanation, section=f.section, sentence_sid=f.sentence_id,
            segment_ids=list(f.segment_ids), suggestion=f.suggestion, checker=f.checker,
            status="open",
        )
        for f in flags
    )
    session.flush()


def list_flags(session: Session, *, draft_id: int) -> list[FlagRow]:
    return list(session.scalars(
        select(FlagRow).where(FlagRow.draft_id == draft_id).order_by(FlagRow.id)
    ))


def get_flag(session: Session, *, flag_id: int) -> FlagRow | None:
    return session.get(FlagRow, flag_id)


def decide_flag(
    session: Session, *, flag: FlagRow, status: str, decided_by: int, resolution: str | None,
) -> None:
    flag.status = status
    flag.decided_by = decided_by
    flag.resolution = resolution
    flag.decided_at = datetime.now(UTC)
    session.flush()


def get_draft(session: Session, *, draft_id: int) -> DraftRow | None:
    return session.get(DraftRow, draft_id)


def set_sentence_edit(session: Session, *, sentence: DraftSentenceRow, text: str) -> None:
    sentence.edited_text = text
    session.flush()


def set_section_text(session: Session, *, section: DraftSectionRow, text: str) -> None:
    section.human_text = text
    session.flush()
