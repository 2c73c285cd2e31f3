"""FastAPI dependencies as ``Annotated`` aliases: what a route needs, named once."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from casenotes.config import Settings
from casenotes.services import accounts
from casenotes.services.context import AppContext
from casenotes.services.views import UserView
from casenotes.web.rendering import Renderer
from casenotes.web.security import LoginRateLimiter, LoginRequired, Session, session_of


def get_ctx(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


def get_settings(request: Request) -> Settings:
    return get_ctx(request).settings


def get_renderer(request: Request) -> Renderer:
    renderer: Renderer = request.app.state.renderer
    return renderer


def get_login_limiter(request: Request) -> LoginRateLimiter:
    limiter: LoginRateLimiter = request.app.state.login_limiter
    return limiter


def get_session(request: Request) -> Session:
    return session_of(request)


CtxDep = Annotated[AppContext, Depends(get_ctx)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
RendererDep = Annotated[Renderer, Depends(get_renderer)]
LoginLimiterDep = Annotated[LoginRateLimiter, Depends(get_login_limiter)]
SessionDep = Annotated[Session, Depends(get_session)]


def get_optional_user(ctx: CtxDep, session: SessionDep) -> UserView | None:
    """The signed-in user, or ``None``; a session for a removed or disabled user is ended."""
    if session.user_id is None:
        return None
    user = accounts.get_user(ctx, session.user_id)
    if user is None:
        session.logout()
    return user


OptionalUser = Annotated[UserView | None, Depends(get_optional_user)]


def get_current_user(user: OptionalUser) -> UserView:
    if user is None:
        raise LoginRequired("Please sign in to continue.", hint="Your session may have expired.")
    return user


CurrentUser = Annotated[UserView, Depends(get_current_user)]
