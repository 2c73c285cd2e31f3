"""The training gate: AI drafting is enabled for a user only while their guidance is current.

A user reads the guidance module (``domain/training.py``) and answers its questions; every
answer must be right. The completion (user, module version, time) is recorded and stays current
for ``settings.training_valid_days`` (default a year), then must be renewed. Drafting starts in
``processing.process_recording`` and ``regenerate.regenerate_section``: both call
``ensure_may_draft`` first, so the web app, the API and the CLI are refused alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from casenotes.domain import training as module
from casenotes.domain.errors import InvalidInput, PermissionDenied
from casenotes.services import permitted_uses
from casenotes.services.access import case_session, visible_recording
from casenotes.services.audit_log import record, record_now
from casenotes.services.context import AppContext
from casenotes.services.views import TrainingStatusView, UserView, shown_time
from casenotes.store.repositories import training as training_repo

RENEW_WARNING_DAYS = 30
NOT_YET = "AI drafting is not enabled for you yet."
EXPIRED = "Your casenotes guidance has expired, so AI drafting is paused for you."
TRAINING_HINT = ("Complete the casenotes guidance (Training page) before AI drafting is "
                 "enabled for you.")


class TrainingRequired(PermissionDenied):
    """The user's guidance module is missing or has expired."""


class TrainingNotPassed(InvalidInput):
    """Some answers were wrong: nothing is recorded as completed."""

    def __init__(self, message: str, *, hint: str, wrong: list[str]) -> None:
        super().__init__(message, hint=hint)
        self.wrong = wrong


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _status(
    session: Session, user_id: int, valid_days: int, now: datetime
) -> TrainingStatusView:
    row = training_repo.latest_completion(session, user_id=user_id,
                                          module_version=module.MODULE_VERSION)
    if row is None:
        return TrainingStatusView(current=False, module_version=module.MODULE_VERSION,
                                  completed_at=None, expires_at=None, expired=False,
                                  renew_soon=False)
    completed = _aware(row.completed_at)
    expires = module.expires_at(completed, valid_days)
    current = module.is_current(completed, row.module_version, valid_days, now)
    return TrainingStatusView(
        current=current, module_version=row.module_version, completed_at=shown_time(completed),
        expires_at=shown_time(expires), expired=not current,
        renew_soon=current and expires - now < timedelta(days=RENEW_WARNING_DAYS),
    )


def status(ctx: AppContext, user: UserView, now: datetime | None = None) -> TrainingStatusView:
    with ctx.session() as session:
        return _status(session, user.id, ctx.settings.training_valid_days, _now(now))


def complete(
    ctx: AppContext, actor: UserView, answers: Mapping[str, str], now: datetime | None = None
) -> TrainingStatusView:
    """Record a completion if every answer is right; otherwise say which to look at again.

    ``now`` is when the module was completed (defaults to the current time).
    """
    wrong = module.wrong_answers(answers)
    total = len(module.QUESTIONS)
    if wrong:
        record_now(ctx, actor, "training.failed", "training", module.MODULE_VERSION,
                   f"correct={total - len(wrong)} questions={total}")
        raise TrainingNotPassed(
            f"{len(wrong)} of {total} answers were not right, so the guidance is not yet "
            "complete.",
            hint="Read the guidance pages again and answer the marked questions.", wrong=wrong)
    moment = _now(now)
    with ctx.session() as session:
        row = training_repo.add_completion(
            session, user_id=actor.id, module_version=module.MODULE_VERSION, score=total,
            questions=total, completed_at=moment)
        record(session, actor, "training.complete", "training", row.id,
               f"version={module.MODULE_VERSION} questions={total}")
    return status(ctx, actor)


def drafting_block(session: Session, user: UserView, valid_days: int) -> str:
    """Why AI drafting is not enabled for ``user`` ("" when it is), templates aside."""
    if not permitted_uses.is_permitted(session, role=user.role, kind="feature",
                                       name="ai_drafting"):
        return permitted_uses.refusal(
            user, "feature", "ai_drafting", permitted_uses.FEATURES["ai_drafting"]).message
    status = _status(session, user.id, valid_days, _now(None))
    if status.expired:
        return EXPIRED
    return "" if status.current else NOT_YET


def ensure_may_draft(ctx: AppContext, actor: UserView, recording_id: int) -> None:
    """Refuse (and audit) an AI draft the actor may not start: training, feature, template."""
    with case_session(ctx, actor) as session:
        template = visible_recording(session, actor, recording_id).template
        trained = _status(session, actor.id, ctx.settings.training_valid_days,
                          _now(None))
        feature_ok = permitted_uses.is_permitted(session, role=actor.role, kind="feature",
                                                 name="ai_drafting")
        template_ok = permitted_uses.is_permitted(session, role=actor.role, kind="template",
                                                  name=template)
    if not feature_ok:
        record_now(ctx, actor, "draft.refused", "recording", recording_id, "reason=feature")
        raise permitted_uses.refusal(actor, "feature", "ai_drafting",
                                     permitted_uses.FEATURES["ai_drafting"])
    if not template_ok:
        record_now(ctx, actor, "draft.refused", "recording", recording_id, "reason=template")
        raise permitted_uses.refusal(actor, "template", template, template)
    if not trained.current:
        reason = "expired" if trained.expired else "training"
        record_now(ctx, actor, "draft.refused", "recording", recording_id, f"reason={reason}")
        raise TrainingRequired(EXPIRED if trained.expired else NOT_YET, hint=TRAINING_HINT)
