"""Each user's reading settings: high contrast, and dyslexia-friendly reading.

They are applied as classes on the page's ``<body>`` (see ``web/static/app.css``).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from casenotes.services.audit_log import record
from casenotes.services.context import AppContext
from casenotes.services.views import ReadingView, UserView
from casenotes.store.repositories import training as training_repo

CLASSES = {"high_contrast": "reading-high-contrast",
           "dyslexia_friendly": "reading-dyslexia-friendly"}


def _view(session: Session, user_id: int) -> ReadingView:
    row = training_repo.reading_preference(session, user_id=user_id)
    if row is None:
        return ReadingView(high_contrast=False, dyslexia_friendly=False)
    return ReadingView(high_contrast=row.high_contrast, dyslexia_friendly=row.dyslexia_friendly)


def body_classes(session: Session, user_id: int) -> str:
    view = _view(session, user_id)
    return " ".join(css for field, css in CLASSES.items() if getattr(view, field))


def preferences(ctx: AppContext, actor: UserView) -> ReadingView:
    with ctx.session() as session:
        return _view(session, actor.id)


def set_preferences(
    ctx: AppContext, actor: UserView, *, high_contrast: bool, dyslexia_friendly: bool
) -> ReadingView:
    with ctx.session() as session:
        training_repo.set_reading_preference(
            session, user_id=actor.id, high_contrast=high_contrast,
            dyslexia_friendly=dyslexia_friendly)
        record(session, actor, "reading.set", "user", actor.id,
               f"high_contrast={int(high_contrast)} dyslexia_friendly={int(dyslexia_friendly)}")
        return _view(session, actor.id)
