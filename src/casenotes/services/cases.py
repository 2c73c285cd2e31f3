"""Cases: create, allocate, list and open (only what the user may see)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from casenotes.domain.errors import InvalidInput, NotFound
from casenotes.services.access import case_session, visible_case
from casenotes.services.audit_log import record
from casenotes.services.context import AppContext
from casenotes.services.views import (
    CaseDetail,
    CaseSummary,
    PersonView,
    RecordingSummary,
    UserView,
    shown_time,
)
from casenotes.store.models import Case, Recording
from casenotes.store.repositories import cases as cases_repo
from casenotes.store.repositories import recordings as recordings_repo
from casenotes.store.repositories import users as users_repo


def create_case(
    ctx: AppContext, actor: UserView | None, *, reference: str, title: str, team: str | None,
    people: Sequence[tuple[str, str, Sequence[str]]],
) -> int:
    """Create a case with its people; the creating practitioner is allocated to it."""
    if not reference.strip() or not title.strip():
        raise InvalidInput("A case needs a reference and a title.",
                           hint="Fill in both and try again.")
    with ctx.session() as session:
        if cases_repo.get_case_by_reference(session, reference=reference) is not None:
            raise InvalidInput(f"A case with reference {reference!r} already exists.",
                               hint="Use a different reference.")
        case = cases_repo.create_case(
            session, reference=reference, title=title, team=team,
            people=[(n, r, list(a)) for n, r, a in people],
        )
        if actor is not None and actor.role == "practitioner":
            cases_repo.allocate(session, case_id=case.id, user_id=actor.id)
        record(session, actor, "case.create", "case", case.id, f"people={len(people)}")
        return case.id


def allocate(ctx: AppContext, actor: UserView | None, case_id: int, username: str) -> None:
    with ctx.session() as session:
        user = users_repo.get_user_by_username(session, username=username)
        if user is None:
            raise InvalidInput(f"There is no user called {username!r}.",
                               hint="Add the user first (casenotes user add).")
        if cases_repo.get_case(session, case_id=case_id) is None:
            raise NotFound(f"There is no case {case_id}.", hint="Check the case number.")
        cases_repo.allocate(session, case_id=case_id, user_id=user.id)
        record(session, actor, "case.allocate", "case", case_id, f"user={user.id}")


def list_cases(ctx: AppContext, actor: UserView) -> list[CaseSummary]:
    with ctx.session() as session:
        rows = cases_repo.list_visible_cases(session, user=actor)
        record(session, actor, "case.list", "case", "*", f"count={len(rows)}")
        return [
            CaseSummary(id=c.id, reference=c.reference, title=c.title, team=c.team, recordings=n)
            for c, n in rows
        ]


def get_case(ctx: AppContext, actor: UserView, case_id: int) -> CaseDetail:
    with case_session(ctx, actor) as session:
        case = visible_case(session, actor, case_id)
        recordings = recordings_repo.list_recordings(session, case_id=case.id)
        record(session, actor, "case.view", "case", case.id)
        return CaseDetail(
            id=case.id, reference=case.reference, title=case.title, team=case.team,
            people=tuple(
                PersonView(id=p.id, name=p.name, role=p.role, aliases=tuple(p.aliases))
                for p in case.people
            ),
            allocated=tuple(cases_repo.allocated_usernames(session, case_id=case.id)),
            recordings=tuple(summaries(session, recordings)),
        )


def summary(case: Case, recordings: int) -> CaseSummary:
    return CaseSummary(id=case.id, reference=case.reference, title=case.title, team=case.team,
                       recordings=recordings)


def summaries(session: Session, recordings: list[Recording]) -> list[RecordingSummary]:
    ids = [r.id for r in recordings]
    flags = recordings_repo.open_flag_counts(session, recording_ids=ids)
    notes = recordings_repo.note_ids(session, recording_ids=ids)
    return [
        RecordingSummary(
            id=r.id, case_id=r.case_id, title=r.title, source=r.source, stage=r.stage,
            created_at=shown_time(r.created_at), open_flags=flags.get(r.id, 0),
            note_id=notes.get(r.id),
        )
        for r in recordings
    ]
