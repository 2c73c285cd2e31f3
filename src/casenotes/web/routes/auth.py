"""Signing in and out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from casenotes.services import accounts
from casenotes.web.deps import CtxDep, LoginLimiterDep, OptionalUser, RendererDep, SessionDep

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only a path on this site: an open redirect would make a convincing phishing link."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/cases"


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/cases", status_code=303)


@router.get("/login")
def login_form(
    request: Request, renderer: RendererDep, user: OptionalUser, next: str | None = None
) -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return renderer.page(request, "login.html", user=None, next=safe_next(next), username="")


@router.post("/login")
def login(
    request: Request,
    ctx: CtxDep,
    renderer: RendererDep,
    limiter: LoginLimiterDep,
    session: SessionDep,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form()] = "/cases",
) -> Response:
    username = username.strip()
    keys = (f"user:{username.lower()}", f"ip:{client_address(request)}")
    wait = limiter.retry_after(*keys)
    if wait:
        return renderer.page(
            request, "login.html", user=None, status_code=429,
            headers={"Retry-After": str(wait)}, next=safe_next(next), username=username,
            error="Too many failed sign-in attempts. Sign-in is paused for a minute.",
            error_hint=f"Try again in {wait} seconds, or ask an administrator to reset your "
            "password.",
        )
    user = accounts.authenticate(ctx, username=username, password=password)
    if user is None:
        limiter.failed(*keys)
        return renderer.page(
            request, "login.html", user=None, status_code=401, next=safe_next(next),
            username=username, error="The username or password is not right.",
            error_hint="Check both and try again. Passwords are case-sensitive.",
        )
    limiter.succeeded(keys[0])
    session.login(user.id)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(session: SessionDep) -> RedirectResponse:
    session.logout()
    return RedirectResponse("/login", status_code=303)
