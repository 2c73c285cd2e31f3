"""The guidance module (training gate), reading settings, and the permitted-uses page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from casenotes.domain import training as module
from casenotes.services import permitted_uses, reading, training
from casenotes.services.training import TrainingNotPassed
from casenotes.web.deps import CtxDep, CurrentUser, RendererDep

router = APIRouter(include_in_schema=False)


@router.get("/training")
def training_page(request: Request, ctx: CtxDep, user: CurrentUser,
                  renderer: RendererDep) -> Response:
    return renderer.page(request, "training.html", user=user, status=training.status(ctx, user),
                         pages=module.PAGES, questions=module.QUESTIONS, answers={}, wrong=[])


@router.post("/training")
async def training_submit(request: Request, ctx: CtxDep, user: CurrentUser,
                          renderer: RendererDep) -> Response:
    form = await request.form()
    answers = {q.id: str(form.get(q.id, ""))[:40] for q in module.QUESTIONS}
    try:
        status = training.complete(ctx, user, answers)
    except TrainingNotPassed as failed:
        return renderer.page(
            request, "training.html", user=user, status=training.status(ctx, user),
            pages=module.PAGES, questions=module.QUESTIONS, answers=answers,
            wrong=failed.wrong, error=failed.message, error_hint=failed.hint, status_code=422)
    return renderer.page(
        request, "training.html", user=user, status=status, pages=module.PAGES,
        questions=module.QUESTIONS, answers=answers, wrong=[],
        notice=f"Guidance complete: AI drafting is enabled for you until {status.expires_at}.")


@router.get("/settings/reading")
def reading_page(request: Request, ctx: CtxDep, user: CurrentUser, renderer: RendererDep,
                 saved: int = 0) -> Response:
    return renderer.page(request, "reading.html", user=user,
                         prefs=reading.preferences(ctx, user),
                         notice="Reading settings saved." if saved else None)


@router.post("/settings/reading")
def reading_save(
    ctx: CtxDep, user: CurrentUser,
    high_contrast: Annotated[str, Form(max_length=5)] = "",
    dyslexia_friendly: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    reading.set_preferences(ctx, user, high_contrast=bool(high_contrast),
                            dyslexia_friendly=bool(dyslexia_friendly))
    return RedirectResponse("/settings/reading?saved=1", status_code=303)


@router.get("/admin/permitted-uses")
def uses_page(request: Request, ctx: CtxDep, user: CurrentUser, renderer: RendererDep,
              changed: int = -1) -> Response:
    cells = permitted_uses.uses(ctx, user)
    notice = f"Permitted uses saved: {changed} changed." if changed >= 0 else None
    return renderer.page(request, "permitted_uses.html", user=user, cells=cells,
                         roles=permitted_uses.CASE_ROLES, notice=notice)


@router.post("/admin/permitted-uses")
async def uses_save(request: Request, ctx: CtxDep, user: CurrentUser) -> Response:
    form = await request.form()
    chosen = []
    for value in form.getlist("permit")[:2000]:
        role, _, rest = str(value).partition(":")
        kind, _, name = rest.partition(":")
        chosen.append((role, kind, name))
    changed = permitted_uses.set_uses(ctx, user, chosen)
    return RedirectResponse(f"/admin/permitted-uses?changed={changed}", status_code=303)
