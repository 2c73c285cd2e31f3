"""Recording and verifying the audit trail."""

from __future__ import annotations

from sqlalchemy.orm import Session

from casenotes.domain.audit import first_broken_link
from casenotes.domain.errors import PermissionDenied
from casenotes.services.context import AppContext
from casenotes.services.views import AuditView, UserView, VerifyResult
from casenotes.store.repositories import audit as audit_repo


def record(
    session: Session, actor: UserView | None, action: str, object_type: str, object_id: object,
    detail: str = "",
) -> None:
    """Append an event in the caller's transaction. ``detail``: ids and counts only."""
    audit_repo.append_event(
        session, actor=actor.username if actor else "system", action=action,
        object_type=object_type, object_id=str(object_id), detail=detail,
    )


def record_now(
    ctx: AppContext, actor: UserView | None, action: str, object_type: str, object_id: object,
    detail: str = "",
) -> None:
    """Append an event in its own transaction (used when the caller's work is refused)."""
    with ctx.session() as session:
        record(session, actor, action, object_type, object_id, detail)


def list_events(ctx: AppContext, actor: UserView, limit: int = 200) -> list[AuditView]:
    if actor.role not in ("auditor", "admin"):
        record_now(ctx, actor, "access.denied", "audit", "log")
        raise PermissionDenied(
            "Only auditors and administrators can read the audit log.",
            hint="Ask your information governance team.",
        )
    with ctx.session() as session:
        rows = audit_repo.recent_events(session, limit=limit)
        record(session, actor, "audit.view", "audit", "log", f"events={len(rows)}")
        return [
            AuditView(seq=r.seq, at=r.at, actor=r.actor, action=r.action,
                      object_type=r.object_type, object_id=r.object_id, detail=r.detail)
            for r in rows
        ]


def verify_chain(ctx: AppContext) -> VerifyResult:
    """Check every link; report the first broken one (altered, deleted or truncated rows)."""
    with ctx.session() as session:
        events = audit_repo.all_events(session)
        head_seq, head_hash = audit_repo.head(session)
    broken = first_broken_link(events)
    if broken is not None:
        seq, reason = broken
        return VerifyResult(ok=False, events=len(events), broken_at=seq, reason=reason)
    last_seq = events[-1].seq if events else 0
    last_hash = events[-1].hash if events else head_hash
    if last_seq != head_seq or last_hash != head_hash:
        return VerifyResult(
            ok=False, events=len(events), broken_at=last_seq + 1,
            reason=f"the chain ends at event {last_seq} but {head_seq} events were written "
            "(the newest events were removed)",
        )
    return VerifyResult(ok=True, events=len(events))
