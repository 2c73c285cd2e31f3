"""The app factory: settings, context, middleware and routes are put together here."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from casenotes import __version__
from casenotes.config import Settings
from casenotes.services.context import AppContext, build_context
from casenotes.web.errors import ErrorShieldMiddleware, error_response, install_error_handlers
from casenotes.web.rendering import Renderer, build_templates
from casenotes.web.routes import api, audit, auth, cases, notes, review
from casenotes.web.routes import audio as audio_routes
from casenotes.web.routes import evaluation as evaluation_routes
from casenotes.web.routes import governance as governance_routes
from casenotes.web.routes import letters as letters_routes
from casenotes.web.routes import network as network_routes
from casenotes.web.routes import policies as policy_routes
from casenotes.web.routes import regenerate as regenerate_routes
from casenotes.web.routes import search as search_routes
from casenotes.web.routes import search_api as search_api_routes
from casenotes.web.routes import suggestions as suggestion_routes
from casenotes.web.routes import training as training_routes
from casenotes.web.security import (
    BodyLimitMiddleware,
    LoginRateLimiter,
    SessionCodec,
    SessionMiddleware,
    require_csrf,
    size_in_words,
)

# Multipart framing and the other form fields travel with the file.
UPLOAD_OVERHEAD_BYTES = 64 * 1024


def create_app(settings: Settings | None = None, ctx: AppContext | None = None) -> FastAPI:
    """Build the web app.

    Args:
        settings: configuration; read from the environment when omitted. Not used when
            ``ctx`` is given: the context's own settings are.
        ctx: an existing application context (the CLI and tests pass one); built from
            ``settings`` when omitted, and then closed when the app shuts down.
    """
    owns_ctx = ctx is None
    if ctx is None:
        ctx = build_context(settings or Settings())
    settings = ctx.settings
    if not settings.secret_key:
        raise ValueError("settings.secret_key is not set: build the context with build_context()")

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        if owns_ctx:
            ctx.close()

    app = FastAPI(
        title="casenotes API",
        version=__version__,
        summary="Case recording with evidence for every drafted sentence; people decide.",
        openapi_url="/api/openapi.json",
        # The stock docs pages load their scripts from a CDN; /api/docs is served from here.
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(require_csrf)],
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    app.state.renderer = Renderer(build_templates())
    app.state.login_limiter = LoginRateLimiter(limit=settings.login_attempts_per_minute)

    static_dir = Path(str(files("casenotes.web") / "static"))
    app.mount("/static", StaticFiles(directory=static_dir), name="static")
    for module in (auth, cases, review, notes, audit, api):
        app.include_router(module.router)
    for module in (letters_routes, regenerate_routes):  # drafting (issue 6)
        app.include_router(module.router)
    app.include_router(governance_routes.router)  # records governance (issue 8)
    app.include_router(audio_routes.router)  # on-device transcription (issue 4)
    for module in (search_routes, policy_routes, search_api_routes):  # search (issue 9)
        app.include_router(module.router)
    app.include_router(network_routes.router)
    app.include_router(network_routes.api_router)
    app.include_router(suggestion_routes.router)  # one-click suggested wording (issue 7)
    app.include_router(training_routes.router)  # training gate, reading settings (issue 10)
    app.include_router(evaluation_routes.router)  # dashboard, bias audit, DPIA (issue 10)
    install_error_handlers(app)

    async def too_large(scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(
            Request(scope, receive), 413, "The upload is too large.",
            f"Files up to {size_in_words(settings.max_upload_bytes)} can be imported.",
        )
        await response(scope, receive, send)

    # The last added runs first: the session (and security headers) wrap everything else.
    app.add_middleware(ErrorShieldMiddleware)
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_upload_bytes + UPLOAD_OVERHEAD_BYTES,
        on_too_large=too_large,
    )
    app.add_middleware(
        SessionMiddleware,
        codec=SessionCodec(settings.secret_key, max_age_seconds=settings.session_hours * 3600),
        secure=settings.secure_cookies,
    )
    return app
