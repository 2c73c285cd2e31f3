"""Cases, their people and allocations; access is decided inside the queries."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from casenotes.store.models import Allocation, Case, Person, Recording, User


class Viewer(Protocol):
    """Whoever asks: only their id, role and team decide what they may see."""

    @property
    def id(self) -> int: ...
    @property
    def role(self) -> str: ...
    @property
    def team(self) -> str | None: ...


def create_case(
    session: Session, *, reference: str, title: str, team: str | None,
    people: list[tuple[str, str, list[str]]],
) -> Case:
    case = Case(reference=reference, title=title, team=team)
    case.people = [Person(name=n, role=r, aliases=list(a)) for n, r, a in people]
    session.add(case)
    session.flush()
    return case


def get_case(session: Session, *, case_id: int) -> Case | None:
    return session.get(Case, case_id)


def get_case_by_reference(session: Session, *, reference: str) -> Case | None:
    return session.scalars(select(Case).where(Case.reference == reference)).first()


def allocate(session: Session, *, case_id: int, user_id: int) -> None:
    already = session.scalar(
        select(Allocation.id).where(Allocation.case_id == case_id, Allocation.user_id == user_id)
    )
    if already is None:
        session.add(Allocation(case_id=case_id, user_id=user_id))
        session.flush()


def visible_cases_query(user: Viewer) -> Select[Case]:
    """Cases the user may see: allocated ones; for supervisors also their team's."""
    allocated = exists().where(and_(Allocation.case_id == Case.id, Allocation.user_id == user.id))
    condition: ColumnElement[bool] = allocated
    if user.role == "supervisor" and user.team:
        condition = or_(allocated, Case.team == user.team)
    return select(Case).where(condition)


def visible_case(session: Session, *, user: Viewer, case_id: int) -> Case | None:
    return session.scalars(visible_cases_query(user).where(Case.id == case_id)).first()


def list_visible_cases(session: Session, *, user: Viewer) -> list[tuple[Case, int]]:
    counts = (
        select(Recording.case_id, func.count(Recording.id).label("n"))
        .group_by(Recording.case_id)
        .subquery()
    )
    query = (
        visible_cases_query(user)
        .add_columns(func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.case_id == Case.id)
        .order_by(Case.reference)
    )
    return [(case, int(n)) for case, n in session.execute(query)]


def allocated_usernames(session: Session, *, case_id: int) -> list[str]:
    return list(
        session.scalars(
            select(User.username)
            .join(Allocation, Allocation.user_id == User.id)
            .where(Allocation.case_id == case_id)
            .order_by(User.username)
        )
    )


def people(session: Session, *, case_id: int) -> list[Person]:
    return list(session.scalars(select(Person).where(Person.case_id == case_id)
                                .order_by(Person.id)))
