"""Regenerate one section of a draft from the review page (other sections keep their edits)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from casenotes.services import regenerate, review
from casenotes.web.deps import CtxDep, CurrentUser, RendererDep
from casenotes.web.routes.review import after_change, section_named

router = APIRouter(include_in_schema=False)


@router.post("/recordings/{recording_id}/sections/regenerate")
def regenerate_section(
    request: Request,
    recording_id: int,
    ctx: CtxDep,
    user: CurrentUser,
    renderer: RendererDep,
    section: Annotated[str, Form(max_length=200)],
) -> Response:
    result = regenerate.regenerate_section(ctx, user, recording_id, section)
    view = review.get_review(ctx, user, recording_id)
    notice = (f"{result.section} drafted again: {result.added} sentence(s), "
              f"{result.flags} flag(s) to check. Other sections were not changed.")
    return after_change(request, renderer, view, user, section_named(view, section), notice)
