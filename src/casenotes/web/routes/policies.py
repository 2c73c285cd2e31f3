"""The policy library pages: ask a question (everyone), add documents (administrators)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.responses import RedirectResponse, Response

from casenotes.domain.errors import InvalidInput
from casenotes.services import policies
from casenotes.web.deps import CtxDep, CurrentUser, RendererDep, SettingsDep
from casenotes.web.rendering import is_htmx
from casenotes.web.routes.cases import read_upload

router = APIRouter(include_in_schema=False)


@router.get("/policies")
def policies_page(
    request: Request, ctx: CtxDep, user: CurrentUser, renderer: RendererDep, q: str = "",
    added: str = "",
) -> Response:
    answer = None
    error = hint = None
    if q.strip():
        try:
            answer = policies.ask(ctx, user, q)
        except InvalidInput as problem:
            error, hint = problem.message, problem.hint
    template = "search/policy_answer.html" if is_htmx(request) else "search/policies.html"
    notice = f"Added {added}." if added else None
    return renderer.page(request, template, user=user, q=q, answer=answer, error=error,
                         error_hint=hint, notice=notice,
                         library=policies.list_policies(ctx, user))


@router.post("/policies")
def add_policy(
    ctx: CtxDep, settings: SettingsDep, user: CurrentUser,
    file: Annotated[UploadFile, File()], title: Annotated[str, Form()] = "",
) -> Response:
    content = read_upload(file, settings.max_upload_bytes)
    view = policies.add_policy(ctx, user, filename=file.filename or "", content=content,
                               title=title or None)
    return RedirectResponse(f"/policies?added={view.passages}+passages", status_code=303)
