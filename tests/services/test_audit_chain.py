"""The audit trail is hash-chained: any altered, deleted or truncated event is found."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from casenotes.domain.errors import PermissionDenied
from casenotes.services import audit_log, cases
from casenotes.services.context import AppContext
from casenotes.services.views import UserView


def _activity(ctx: AppContext, actor: UserView) -> int:
    case_id = cases.create_case(ctx, actor, reference="C-7", title="Visit", team=None,
                                people=[("Tyler Nash", "child", ["Tyler"])])
    for _ in range(3):
        cases.get_case(ctx, actor, case_id)
    return case_id


def _tamper(ctx: AppContext, statement: str) -> None:
    """What someone with raw database access could do (the triggers are dropped first)."""
    with ctx.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER IF EXISTS audit_events_no_update"))
        conn.execute(text("DROP TRIGGER IF EXISTS audit_events_no_delete"))
        conn.execute(text(statement))


def test_untouched_chain_verifies(ctx: AppContext, practitioner: UserView) -> None:
    _activity(ctx, practitioner)
    result = audit_log.verify_chain(ctx)
    assert result.ok and result.events >= 5


def test_altered_event_is_reported_as_the_first_broken_link(
    ctx: AppContext, practitioner: UserView
) -> None:
    _activity(ctx, practitioner)
    _tamper(ctx, "UPDATE audit_events SET actor = 'someone-else' WHERE seq = 3")
    result = audit_log.verify_chain(ctx)
    assert not result.ok and result.broken_at == 3
    assert "changed" in result.reason


def test_deleted_event_is_reported(ctx: AppContext, practitioner: UserView) -> None:
    _activity(ctx, practitioner)
    _tamper(ctx, "DELETE FROM audit_events WHERE seq = 4")
    result = audit_log.verify_chain(ctx)
    assert not result.ok and result.broken_at == 4
    assert "missing" in result.reason


def test_removing_the_newest_events_is_reported(ctx: AppContext, practitioner: UserView) -> None:
    _activity(ctx, practitioner)
    total = audit_log.verify_chain(ctx).events
    _tamper(ctx, f"DELETE FROM audit_events WHERE seq = {total}")
    result = audit_log.verify_chain(ctx)
    assert not result.ok and result.broken_at == total


def test_database_refuses_to_change_an_audit_event(
    ctx: AppContext, practitioner: UserView
) -> None:
    _activity(ctx, practitioner)
    with pytest.raises(Exception, match="append-only"), ctx.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET actor = 'x' WHERE seq = 1"))


def test_every_case_view_is_audited_without_personal_data(
    ctx: AppContext, practitioner: UserView
) -> None:
    case_id = _activity(ctx, practitioner)
    with ctx.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT action, object_id, detail FROM audit_events")).all()
    views = [r for r in rows if r.action == "case.view" and r.object_id == str(case_id)]
    assert len(views) == 3
    assert not any("Tyler" in f"{r.object_id} {r.detail}" for r in rows)


def test_only_auditors_and_admins_read_the_audit_log(
    ctx: AppContext, practitioner: UserView
) -> None:
    with pytest.raises(PermissionDenied):
        audit_log.list_events(ctx, practitioner)
