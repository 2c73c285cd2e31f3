"""Jinja2 rendering with autoescape on, and what every page needs (user, CSRF token)."""

from __future__ import annotations

import re
from typing import Any

import jinja2
from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import HTMLResponse

from casenotes.services.review import ATTESTATION
from casenotes.services.views import UserView
from casenotes.web.security import CSRF_FIELD, CSRF_HEADER, session_of

HTMX_CONFIG = (
    # No inline <style> (the CSP forbids it), no eval, and swap error fragments into the page.
    '{"includeIndicatorStyles": false, "allowEval": false, "allowScriptTags": false,'
    ' "responseHandling": [{"code": "204", "swap": false}, {"code": "[2345]..", "swap": true}]}'
)

ATTESTATION_LABEL = ATTESTATION

FLAG_KINDS = {
    "no_evidence": "No evidence in the transcript",
    "unsupported_detail": "Detail not in the evidence",
    "unsupported_claim": "Claim not supported by the transcript",
    "omission": "Possibly missing from the note",
    "name_consistency": "Names do not match",
    "stigmatising_language": "Stigmatising language",
    "reserved_section": "Reserved section",
    "practice": "Practice point",
    "check_incomplete": "A check could not finish",
}


def slug(value: str) -> str:
    """An id-safe form of a section name: ``"Risk assessment"`` → ``"risk-assessment"``."""
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "section"


def percent(value: float) -> str:
    return f"{value:.0%}"


def build_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("casenotes.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["slug"] = slug
    env.filters["percent"] = percent
    env.globals["CSRF_FIELD"] = CSRF_FIELD
    env.globals["CSRF_HEADER"] = CSRF_HEADER
    env.globals["HTMX_CONFIG"] = HTMX_CONFIG
    env.globals["ATTESTATION_LABEL"] = ATTESTATION_LABEL
    env.globals["FLAG_KINDS"] = FLAG_KINDS
    return Jinja2Templates(env=env)


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


class Renderer:
    """Renders a template with the request, the signed-in user and the CSRF token."""

    def __init__(self, templates: Jinja2Templates) -> None:
        self.templates = templates

    def page(
        self,
        request: Request,
        name: str,
        *,
        user: UserView | None,
        status_code: int = 200,
        headers: dict[str, str] | None = None,
        **context: Any,
    ) -> HTMLResponse:
        context.setdefault("error", None)
        context.setdefault("error_hint", None)
        context.setdefault("notice", None)
        return self.templates.TemplateResponse(
            request,
            name,
            {"user": user, "csrf_token": session_of(request).csrf, **context},
            status_code=status_code,
            headers=headers,
        )
