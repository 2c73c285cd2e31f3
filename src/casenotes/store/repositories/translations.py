"""Letter translations and interpreted transcript turns (issue 11)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from casenotes.store.models import InterpretedTurnRow, LetterTranslationRow


def add_translation(
    session: Session, *, note_id: int, target_lang: str, engine: str, engine_version: str,
    rtl: bool, lines: list[Any], checks: dict[str, Any], created_by: int,
    interpreter_name: str | None,
) -> LetterTranslationRow:
    row = LetterTranslationRow(
        note_id=note_id, target_lang=target_lang, engine=engine, engine_version=engine_version,
        rtl=rtl, lines=lines, checks=checks, created_by=created_by,
        interpreter_name=interpreter_name,
    )
    session.add(row)
    session.flush()
    return row


def get_translation(session: Session, *, translation_id: int) -> LetterTranslationRow | None:
    return session.get(LetterTranslationRow, translation_id)


def translations_for_note(session: Session, *, note_id: int) -> list[LetterTranslationRow]:
    return list(session.scalars(select(LetterTranslationRow)
                                .where(LetterTranslationRow.note_id == note_id)
                                .order_by(LetterTranslationRow.id.desc())))


def confirm_translation(
    session: Session, *, row: LetterTranslationRow, confirmed_by: int,
    interpreter_name: str | None, interpreter_confirmed: bool,
) -> None:
    row.confirmed_by = confirmed_by
    row.confirmed_at = datetime.now(UTC)
    row.interpreter_name = interpreter_name
    row.interpreter_confirmed = interpreter_confirmed
    session.flush()


def set_lines(session: Session, *, row: LetterTranslationRow, lines: list[Any],
              checks: dict[str, Any]) -> None:
    row.lines = lines
    row.checks = checks
    session.flush()


def interpreted_turns(session: Session, *, recording_id: int) -> list[InterpretedTurnRow]:
    return list(session.scalars(select(InterpretedTurnRow)
                                .where(InterpretedTurnRow.recording_id == recording_id)
                                .order_by(InterpretedTurnRow.seq)))


def mark_turns(session: Session, *, recording_id: int, seqs: list[int], source: str,
               marked_by: int | None) -> int:
    """Mark turns as interpreted (already marked ones are left as they are); returns added."""
    have = {row.seq for row in interpreted_turns(session, recording_id=recording_id)}
    added = 0
    for seq in sorted(set(seqs) - have):
        session.add(InterpretedTurnRow(recording_id=recording_id, seq=seq, source=source,
                                       marked_by=marked_by))
        added += 1
    session.flush()
    return added


def unmark_turn(session: Session, *, recording_id: int, seq: int) -> int:
    result = session.execute(delete(InterpretedTurnRow).where(
        InterpretedTurnRow.recording_id == recording_id, InterpretedTurnRow.seq == seq))
    return int(getattr(result, "rowcount", 0) or 0)
