"""The append-only audit chain."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casenotes.domain.audit import AuditEvent, event_hash
from casenotes.store.models import AuditHead, AuditRow


def append_event(
    session: Session, *, actor: str, action: str, object_type: str, object_id: str,
    detail: str = "",
) -> AuditRow:
    """Append one event, linked to the previous one, inside the caller's transaction."""
    head = session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()).one()
    seq = head.seq + 1
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    digest = event_hash(
        seq=seq, at=at, actor=actor, action=action, object_type=object_type,
        object_id=object_id, detail=detail, prev_hash=head.hash,
    )
    row = AuditRow(
        seq=seq, at=at, actor=actor, action=action, object_type=object_type,
        object_id=object_id, detail=detail, prev_hash=head.hash, hash=digest,
    )
    session.add(row)
    head.seq, head.hash = seq, digest
    session.flush()
    return row


def all_events(session: Session) -> list[AuditEvent]:
    return [
        AuditEvent(
            seq=r.seq, at=r.at, actor=r.actor, action=r.action, object_type=r.object_type,
            object_id=r.object_id, detail=r.detail, prev_hash=r.prev_hash, hash=r.hash,
        )
        for r in session.scalars(select(AuditRow).order_by(AuditRow.seq))
    ]


def recent_events(session: Session, *, limit: int) -> list[AuditRow]:
    return list(session.scalars(select(AuditRow).order_by(AuditRow.seq.desc()).limit(limit)))


def head(session: Session) -> tuple[int, str]:
    row = session.get(AuditHead, 1)
    if row is None:
        raise LookupError("the audit chain head row is missing")
    return row.seq, row.hash
