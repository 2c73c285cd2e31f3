"""Access to cases: allocated users only (supervisors: their team's); refusals are audited."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from casenotes.domain.errors import NotFound
from casenotes.services.audit_log import record_now
from casenotes.services.context import AppContext
from casenotes.services.views import UserView
from casenotes.store.models import Case, Recording
from casenotes.store.repositories import cases as cases_repo
from casenotes.store.repositories import recordings as recordings_repo


class AccessRefused(NotFound):
    """Not visible to this user. Shown as a plain 404, so existence is not revealed."""

    def __init__(self, object_type: str, object_id: object) -> None:
        super().__init__(
            f"There is no {object_type.replace('_', ' ')} {object_id} that you can open.",
            hint="Check the link, or ask your team manager to allocate the case to you.",
        )
        self.object_type = object_type
        self.object_id = object_id


@contextmanager
def case_session(ctx: AppContext, actor: UserView) -> Iterator[Session]:
    """A transaction in which a refused access rolls back, then is audited on its own."""
    try:
        with ctx.session() as session:
            yield session
    except AccessRefused as refused:
        record_now(ctx, actor, "access.denied", refused.object_type, refused.object_id)
        raise


def visible_case(session: Session, actor: UserView, case_id: int) -> Case:
    case = cases_repo.visible_case(session, user=actor, case_id=case_id)
    if case is None:
        raise AccessRefused("case", case_id)
    return case


def visible_recording(session: Session, actor: UserView, recording_id: int) -> Recording:
    recording = recordings_repo.get_recording(session, recording_id=recording_id)
    if recording is None or cases_repo.visible_case(
        session, user=actor, case_id=recording.case_id
    ) is None:
        raise AccessRefused("recording", recording_id)
    return recording
