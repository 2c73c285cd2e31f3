"""Training completions, permitted uses per role, and each user's reading preferences."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casenotes.store.models import (
    PermittedUseRow,
    ReadingPreferenceRow,
    TrainingCompletionRow,
    utcnow,
)


def add_completion(
    session: Session, *, user_id: int, module_version: str, score: int, questions: int,
    completed_at: datetime,
) -> TrainingCompletionRow:
    row = TrainingCompletionRow(user_id=user_id, module_version=module_version, score=score,
                                questions=questions, completed_at=completed_at)
    session.add(row)
    session.flush()
    return row


def latest_completion(
    session: Session, *, user_id: int, module_version: str
) -> TrainingCompletionRow | None:
    return session.scalars(
        select(TrainingCompletionRow)
        .where(TrainingCompletionRow.user_id == user_id,
               TrainingCompletionRow.module_version == module_version)
        .order_by(TrainingCompletionRow.completed_at.desc(), TrainingCompletionRow.id.desc())
    ).first()


def permitted_uses(session: Session) -> list[PermittedUseRow]:
    return list(session.scalars(select(PermittedUseRow).order_by(
        PermittedUseRow.role, PermittedUseRow.kind, PermittedUseRow.name)))


def permitted_use(session: Session, *, role: str, kind: str, name: str) -> PermittedUseRow | None:
    return session.scalars(select(PermittedUseRow).where(
        PermittedUseRow.role == role, PermittedUseRow.kind == kind,
        PermittedUseRow.name == name)).first()


def set_permitted_use(
    session: Session, *, role: str, kind: str, name: str, permitted: bool, updated_by: int | None,
) -> PermittedUseRow:
    row = permitted_use(session, role=role, kind=kind, name=name)
    if row is None:
        row = PermittedUseRow(role=role, kind=kind, name=name)
        session.add(row)
    row.permitted = permitted
    row.updated_by = updated_by
    row.updated_at = utcnow()
    session.flush()
    return row


def reading_preference(session: Session, *, user_id: int) -> ReadingPreferenceRow | None:
    return session.get(ReadingPreferenceRow, user_id)


def set_reading_preference(
    session: Session, *, user_id: int, high_contrast: bool, dyslexia_friendly: bool
) -> ReadingPreferenceRow:
    row = session.get(ReadingPreferenceRow, user_id)
    if row is None:
        row = ReadingPreferenceRow(user_id=user_id)
        session.add(row)
    row.high_contrast = high_contrast
    row.dyslexia_friendly = dyslexia_friendly
    row.updated_at = utcnow()
    session.flush()
    return row
