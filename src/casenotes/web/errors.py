"""Turning errors into pages (or JSON under ``/api``): what went wrong and what to do, no traces.

Logs name the route and the error's class only: messages can quote what a person typed or a
participant's name, so they never reach a log file.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from casenotes.domain.errors import CasenotesError
from casenotes.web.rendering import Renderer, is_htmx
from casenotes.web.security import LoginRequired

logger = logging.getLogger("casenotes.web")

INTERNAL_ERROR = "Something went wrong on our side, sorry. Nothing you entered was shared."
INTERNAL_HINT = (
    "Your last change may not have been saved: go back, reload the page and check it. "
    "If it happens again, tell your IT team the time it happened."
)
INTERNAL_ERROR_PAGE = f"""<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Something went wrong — casenotes</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/app.css"></head>
<body><main id="main" class="page-narrow"><h1>Something went wrong</h1>
<p>{INTERNAL_ERROR}</p><p>{INTERNAL_HINT}</p><p><a href="/cases">Back to your cases</a></p>
</main></body></html>"""


def is_api(request_or_scope: Request | Scope) -> bool:
    path = (
        request_or_scope.url.path
        if isinstance(request_or_scope, Request)
        else str(request_or_scope.get("path", ""))
    )
    return path == "/api" or path.startswith("/api/")


def route_of(scope: Scope) -> str:
    """The route's template (``/cases/{case_id}``), never the concrete URL or query."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "(no route)"


def error_response(
    request: Request, status_code: int, message: str, hint: str = "",
    headers: dict[str, str] | None = None,
) -> Response:
    """The same error as JSON for the API, a fragment for HTMX, or a full page."""
    if is_api(request):
        return JSONResponse({"error": message, "hint": hint}, status_code, headers=headers)
    renderer: Renderer = request.app.state.renderer
    title = HTTPStatus(status_code).phrase if status_code in HTTPStatus._value2member_map_ else ""
    if is_htmx(request):
        # Shown in the page's message area instead of replacing the part the user clicked.
        headers = {**(headers or {}), "HX-Retarget": "#messages", "HX-Reswap": "innerHTML"}
        return renderer.page(request, "partials/alert.html", user=None, status_code=status_code,
                             headers=headers, message=message, hint=hint)
    return renderer.page(request, "error.html", user=None, status_code=status_code,
                         headers=headers, title=title, message=message, hint=hint)


async def casenotes_error(request: Request, exc: CasenotesError) -> Response:
    logger.info("%s %s refused: %s (%d)", request.method, route_of(request.scope),
                type(exc).__name__, exc.status_code)
    if isinstance(exc, LoginRequired) and not is_api(request):
        target = "/login"
        if request.method == "GET" and not is_htmx(request):
            target += "?next=" + quote(request.url.path, safe="/")
        if is_htmx(request):
            return Response(status_code=401, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)
    return error_response(request, exc.status_code, exc.message, exc.hint)


async def validation_error(request: Request, exc: RequestValidationError) -> Response:
    fields = sorted({".".join(str(p) for p in err.get("loc", ())[1:]) for err in exc.errors()})
    message = "Some of what was sent is missing or not valid"
    message += f": {', '.join(f for f in fields if f)}." if any(fields) else "."
    return error_response(request, 422, message, "Check the form and try again.")


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    messages = {
        404: ("There is nothing at this address.", "Check the link, or go back to your cases."),
        405: ("That action is not possible here.", "Use the buttons on the page."),
    }
    message, hint = messages.get(exc.status_code, (HTTPStatus(exc.status_code).phrase, ""))
    return error_response(request, exc.status_code, message, hint,
                          headers=dict(exc.headers) if exc.headers else None)


def install_error_handlers(app: FastAPI) -> None:
    app.exception_handler(CasenotesError)(casenotes_error)
    app.exception_handler(RequestValidationError)(validation_error)
    app.exception_handler(StarletteHTTPException)(http_error)


def log_unhandled(scope: Scope, exc: BaseException) -> None:
    """Where it broke (file and line), without the message or locals, which may hold names."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    where = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb is not None else "?"
    logger.error("Unhandled %s on %s %s at %s", type(exc).__name__, scope.get("method"),
                 route_of(scope), where)


class ErrorShieldMiddleware:
    """The last line: any unexpected error becomes a plain apology, never a stack trace.

    The error is handled here rather than re-raised, so the server's own logger does not write
    the exception message (which may contain personal data) to its log.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            log_unhandled(scope, exc)
            if started:  # too late for a new response; the connection just ends
                return
            response: Response
            if is_api(scope):
                response = JSONResponse({"error": INTERNAL_ERROR, "hint": INTERNAL_HINT}, 500)
            else:
                response = HTMLResponse(INTERNAL_ERROR_PAGE, 500)
            await response(scope, receive, send)
