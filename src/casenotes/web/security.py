"""Sessions, CSRF, login rate limiting and security headers for the web app.

The session is a signed cookie holding only the user id, a per-session CSRF token and when it was
issued; nothing about a case ever goes into a cookie.
"""

from __future__ import annotations

import hmac
import math
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from casenotes.domain.errors import CasenotesError, PermissionDenied

SESSION_COOKIE = "casenotes_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# Self only: no inline script or style, no framing, forms post only here.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    # The microphone is for this site only: the recorder page uses it (MediaRecorder).
    ("Permissions-Policy", "camera=(), microphone=(self), geolocation=(), interest-cohort=()"),
)


def size_in_words(n_bytes: int) -> str:
    """``52428800`` → ``"50 MB"``, ``2048`` → ``"2 KB"``."""
    for unit, size in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n_bytes >= size:
            return f"{n_bytes / size:.3g} {unit}"
    return f"{n_bytes} bytes"


class LoginRequired(CasenotesError):
    """The request needs a signed-in user; pages redirect to the login form, the API says 401."""

    status_code = 401


class TooManyAttempts(CasenotesError):
    status_code = 429


class TooLarge(CasenotesError):
    status_code = 413


@dataclass
class Session:
    """What the session cookie carries. ``dirty`` means the cookie must be (re)written."""

    csrf: str
    user_id: int | None = None
    dirty: bool = False

    @classmethod
    def new(cls) -> Session:
        return cls(csrf=secrets.token_urlsafe(32), dirty=True)

    def login(self, user_id: int) -> None:
        # A fresh token at sign-in: a token seen before sign-in is worth nothing after it.
        self.user_id = user_id
        self.csrf = secrets.token_urlsafe(32)
        self.dirty = True

    def logout(self) -> None:
        self.user_id = None
        self.csrf = secrets.token_urlsafe(32)
        self.dirty = True

    def csrf_matches(self, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf.encode(), str(token).encode())


class SessionCodec:
    """Signs and checks session cookies; a cookie older than ``session_hours`` is ignored."""

    def __init__(self, key: str, *, max_age_seconds: int) -> None:
        self._serializer = URLSafeTimedSerializer(key, salt="casenotes-session")
        self.max_age_seconds = max_age_seconds

    def dumps(self, session: Session) -> str:
        return self._serializer.dumps({"u": session.user_id, "c": session.csrf})

    def loads(self, cookie: str | None) -> Session:
        if not cookie:
            return Session.new()
        try:
            data = self._serializer.loads(cookie, max_age=self.max_age_seconds)
        except BadSignature:  # also SignatureExpired
            return Session.new()
        if not isinstance(data, dict):
            return Session.new()
        user_id, csrf = data.get("u"), data.get("c")
        if not isinstance(csrf, str) or not (user_id is None or isinstance(user_id, int)):
            return Session.new()
        return Session(csrf=csrf, user_id=user_id)


class SessionMiddleware:
    """Loads the session into ``request.state.session``; writes the cookie back when it changed.

    It also sets the security headers on every response, and forbids caching of everything but
    static files: case pages must not linger in a shared computer's browser cache.
    """

    def __init__(self, app: ASGIApp, *, codec: SessionCodec, secure: bool) -> None:
        self.app = app
        self.codec = codec
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        session = self.codec.loads(request.cookies.get(SESSION_COOKIE))
        scope.setdefault("state", {})["session"] = session
        is_static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    headers[name] = value
                if not is_static:
                    headers["Cache-Control"] = "no-store"
                    headers["Pragma"] = "no-cache"
                if session.dirty and not is_static:
                    headers.append("Set-Cookie", self._cookie(session))
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _cookie(self, session: Session) -> str:
        cookie: SimpleCookie = SimpleCookie()
        cookie[SESSION_COOKIE] = self.codec.dumps(session)
        morsel = cookie[SESSION_COOKIE]
        morsel["path"] = "/"
        morsel["httponly"] = True
        morsel["samesite"] = "Lax"
        morsel["max-age"] = str(self.codec.max_age_seconds)
        if self.secure:
            morsel["secure"] = True
        return morsel.OutputString()


class BodyLimitMiddleware:
    """Refuses request bodies larger than the upload limit before anything parses them."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, on_too_large: ASGIApp) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.on_too_large = on_too_large

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        length = Request(scope).headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await self.on_too_large(scope, receive, send)
            return
        received = 0
        exceeded = False
        answered = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise TooLarge("The upload is too large.")
            return message

        async def guarded_send(message: Message) -> None:
            # Whatever the app makes of a body cut short (FastAPI says 400), the answer is 413.
            nonlocal answered
            if not exceeded:
                await send(message)
            elif not answered:
                answered = True
                await self.on_too_large(scope, receive, send)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except TooLarge:
            if not answered:
                answered = True
                await self.on_too_large(scope, receive, send)


@dataclass
class LoginRateLimiter:
    """Counts failed sign-ins per key (username, client address) over a sliding minute.

    Kept in memory: a restart forgets, which costs an attacker a restart per minute of guesses.
    """

    limit: int
    window_seconds: float = 60.0
    clock: Callable[[], float] = time.monotonic
    max_keys: int = 100_000
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and now - times[0] >= self.window_seconds:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def retry_after(self, *keys: str) -> int:
        """Seconds until a blocked key may try again; 0 when none of ``keys`` is blocked."""
        with self._lock:
            now = self.clock()
            wait = 0.0
            for key in keys:
                times = self._recent(key, now)
                if len(times) >= self.limit:
                    wait = max(wait, self.window_seconds - (now - times[0]))
            return math.ceil(wait) if wait > 0 else 0

    def failed(self, *keys: str) -> None:
        with self._lock:
            now = self.clock()
            if len(self._failures) >= self.max_keys:  # many names tried: drop the stale ones
                for stale in list(self._failures):
                    self._recent(stale, now)
            for key in keys:
                self._recent(key, now)
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


def session_of(request: Request) -> Session:
    session: Any = request.state.session
    if not isinstance(session, Session):  # the middleware always sets it
        raise RuntimeError("SessionMiddleware is not installed")
    return session


async def require_csrf(request: Request) -> None:
    """Checks the CSRF token on every state-changing request.

    Forms send it as the hidden field ``csrf_token``; HTMX and the JSON API send the
    ``X-CSRF-Token`` header. FastAPI has parsed a form body before dependencies run, so reading
    the form here costs nothing.
    """
    if request.method not in UNSAFE_METHODS:
        return
    session = session_of(request)
    token = request.headers.get(CSRF_HEADER)
    if token is None and not request.url.path.startswith("/api"):
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            value = (await request.form()).get(CSRF_FIELD)
            token = value if isinstance(value, str) else None
    if not session.csrf_matches(token):
        raise PermissionDenied(
            "This form has expired or did not come from casenotes, so nothing was changed.",
            hint="Go back, reload the page and try again.",
        )
