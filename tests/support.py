"""Helpers the tests share (plain functions; fixtures live in conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path

from casenotes.domain.training import correct_answers
from casenotes.services import accounts, training
from casenotes.services.context import AppContext
from casenotes.services.views import UserView

PASSWORD = "correct-horse-battery"


def shared_data_dir() -> Path:
    """``../shared/data`` beside the repository, or ``$CASENOTES_SHARED_DATA``."""
    override = os.environ.get("CASENOTES_SHARED_DATA")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[1].parent / "shared" / "data"


def make_user(ctx: AppContext, username: str, role: str = "practitioner",
              team: str | None = "Children East", *, trained: bool = True) -> UserView:
    """A user; practitioners and supervisors have completed the guidance unless ``trained``
    is False (AI drafting is then refused for them)."""
    user = accounts.add_user(ctx, username=username, password=PASSWORD, role=role, team=team)
    if trained and role in ("practitioner", "supervisor"):
        complete_training(ctx, user)
    return user


def complete_training(ctx: AppContext, user: UserView) -> None:
    """Answer the guidance module's questions correctly, through the real service."""
    training.complete(ctx, user, correct_answers())


def empty_postgres(url: str) -> None:
    """Drop everything in the test PostgreSQL database (a migration will not drop a database
    that holds its wrapped data key, by design)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
