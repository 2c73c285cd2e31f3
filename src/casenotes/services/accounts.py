"""Local accounts with argon2 password hashes."""

from __future__ import annotations

import re
from dataclasses import replace

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from casenotes.domain.errors import InvalidInput
from casenotes.domain.people import Role
from casenotes.services import permitted_uses, reading, training
from casenotes.services.audit_log import record
from casenotes.services.context import AppContext
from casenotes.services.views import UserView
from casenotes.store.models import User
from casenotes.store.repositories import users as users_repo

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both paths take the same time.
_DUMMY_HASH = _hasher.hash("casenotes-timing-equaliser")
USERNAME = re.compile(r"^[a-zA-Z0-9._-]{2,64}$")
MIN_PASSWORD = 10


def to_view(user: User) -> UserView:
    return UserView(id=user.id, username=user.username, display_name=user.display_name,
                    role=user.role, team=user.team)


def add_user(
    ctx: AppContext, *, username: str, password: str, role: str, display_name: str = "",
    team: str | None = None, actor: UserView | None = None,
) -> UserView:
    if not USERNAME.match(username):
        raise InvalidInput(
            "That username is not allowed.",
            hint="Use 2–64 letters, digits, dots, dashes or underscores.",
        )
    if role not in {r.value for r in Role}:
        raise InvalidInput(
            f"Unknown role {role!r}.", hint=f"Choose one of: {', '.join(r.value for r in Role)}."
        )
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            "That password is too short.", hint=f"Use at least {MIN_PASSWORD} characters."
        )
    with ctx.session() as session:
        if users_repo.get_user_by_username(session, username=username) is not None:
            raise InvalidInput(f"A user called {username!r} already exists.",
                               hint="Choose another username.")
        user = users_repo.create_user(
            session, username=username, password_hash=_hasher.hash(password), role=role,
            display_name=display_name or username, team=team,
        )
        record(session, actor, "user.add", "user", user.id, f"role={role}")
        return to_view(user)


def authenticate(ctx: AppContext, *, username: str, password: str) -> UserView | None:
    """The user if the password is right, else ``None`` (the reason is not revealed)."""
    with ctx.session() as session:
        user = users_repo.get_user_by_username(session, username=username)
        if user is None or not user.active:
            _verify(_DUMMY_HASH, password)
            record(session, None, "login.failed", "user", "-")
            return None
        if not _verify(user.password_hash, password):
            record(session, None, "login.failed", "user", user.id)
            return None
        if _hasher.check_needs_rehash(user.password_hash):
            users_repo.set_password_hash(session, user=user, password_hash=_hasher.hash(password))
        record(session, to_view(user), "login", "user", user.id)
        return to_view(user)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return bool(_hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def get_user(ctx: AppContext, user_id: int) -> UserView | None:
    """An active user, with their reading settings and whether AI drafting is enabled."""
    with ctx.session() as session:
        user = users_repo.get_user(session, user_id=user_id)
        if user is None or not user.active:
            return None
        view = to_view(user)
        return replace(
            view, reading_classes=reading.body_classes(session, user.id),
            drafting_blocked=training.drafting_block(
                session, view, ctx.settings.training_valid_days),
            search_allowed=permitted_uses.is_permitted(session, role=view.role,
                                                       kind="feature", name="search"))


def get_user_by_username(ctx: AppContext, username: str) -> UserView | None:
    with ctx.session() as session:
        user = users_repo.get_user_by_username(session, username=username)
        return to_view(user) if user is not None else None


def list_users(ctx: AppContext) -> list[UserView]:
    with ctx.session() as session:
        return [to_view(u) for u in users_repo.list_users(session)]
