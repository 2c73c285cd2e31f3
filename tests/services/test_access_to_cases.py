"""Who may see a case: allocated practitioners, and supervisors of the case's team."""

from __future__ import annotations

import pytest

from casenotes.domain.errors import NotFound
from casenotes.services import accounts, audit_log, cases
from casenotes.services.context import AppContext
from casenotes.services.views import UserView


def _case(ctx: AppContext, owner: UserView, team: str = "Children East") -> int:
    return cases.create_case(ctx, owner, reference="C-1", title="Home visit", team=team,
                             people=[("Kayleigh Robson", "parent", ["Kayleigh"])])


def test_practitioner_cannot_open_another_practitioners_case(
    ctx: AppContext, practitioner: UserView, other_practitioner: UserView
) -> None:
    case_id = _case(ctx, practitioner)
    with pytest.raises(NotFound) as refused:
        cases.get_case(ctx, other_practitioner, case_id)
    assert refused.value.status_code == 404
    assert "Kayleigh" not in str(refused.value)


def test_refused_access_is_audited(
    ctx: AppContext, practitioner: UserView, other_practitioner: UserView
) -> None:
    case_id = _case(ctx, practitioner)
    with pytest.raises(NotFound):
        cases.get_case(ctx, other_practitioner, case_id)
    auditor = ctx_user(ctx, "audrey", "auditor")
    denied = [e for e in audit_log.list_events(ctx, auditor)
              if e.action == "access.denied" and e.actor == other_practitioner.username]
    assert denied and denied[0].object_id == str(case_id)


def test_case_list_holds_only_allocated_cases(
    ctx: AppContext, practitioner: UserView, other_practitioner: UserView
) -> None:
    _case(ctx, practitioner)
    assert [c.reference for c in cases.list_cases(ctx, practitioner)] == ["C-1"]
    assert cases.list_cases(ctx, other_practitioner) == []


def test_supervisor_sees_their_teams_cases(
    ctx: AppContext, practitioner: UserView, supervisor: UserView
) -> None:
    case_id = _case(ctx, practitioner, team="Children East")
    assert cases.get_case(ctx, supervisor, case_id).reference == "C-1"


def test_supervisor_cannot_see_an_unallocated_case_of_another_team(
    ctx: AppContext, practitioner: UserView, supervisor: UserView
) -> None:
    case_id = _case(ctx, practitioner, team="Adults West")
    with pytest.raises(NotFound):
        cases.get_case(ctx, supervisor, case_id)
    assert cases.list_cases(ctx, supervisor) == []


def test_allocating_a_case_lets_that_practitioner_open_it(
    ctx: AppContext, practitioner: UserView, other_practitioner: UserView
) -> None:
    case_id = _case(ctx, practitioner)
    cases.allocate(ctx, practitioner, case_id, other_practitioner.username)
    assert cases.get_case(ctx, other_practitioner, case_id).id == case_id


def test_administrator_and_auditor_do_not_read_case_content(
    ctx: AppContext, practitioner: UserView
) -> None:
    case_id = _case(ctx, practitioner)
    for role in ("admin", "auditor"):
        with pytest.raises(NotFound):
            cases.get_case(ctx, ctx_user(ctx, f"{role}-user", role), case_id)


def ctx_user(ctx: AppContext, username: str, role: str) -> UserView:
    return accounts.add_user(ctx, username=username, password="long-enough-password", role=role)
