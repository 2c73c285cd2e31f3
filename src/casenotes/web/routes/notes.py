"""Signed notes: read-only, with the transparency label saying how each was made."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from casenotes.services import review
from casenotes.web.deps import CtxDep, CurrentUser, RendererDep

router = APIRouter(include_in_schema=False)


@router.get("/notes/{note_id}")
def note_page(
    request: Request, note_id: int, ctx: CtxDep, user: CurrentUser, renderer: RendererDep
) -> Response:
    note = review.get_note(ctx, user, note_id)
    return renderer.page(request, "note.html", user=user, note=note)
