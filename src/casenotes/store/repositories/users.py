"""Users and their roles."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casenotes.store.models import User


def create_user(
    session: Session, *, username: str, password_hash: str, role: str, display_name: str,
    team: str | None,
) -> User:
    user = User(
        username=username, password_hash=password_hash, role=role,
        display_name=display_name, team=team, active=True,
    )
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, *, user_id: int) -> User | None:
    return session.get(User, user_id)


def get_user_by_username(session: Session, *, username: str) -> User | None:
    return session.scalars(
        select(User).where(func.lower(User.username) == username.lower())
    ).first()


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def set_password_hash(session: Session, *, user: User, password_hash: str) -> None:
    user.password_hash = password_hash
    session.flush()
