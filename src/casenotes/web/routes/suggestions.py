"""Accepting a check's suggested wording in one click (a plain form post, or HTMX)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from casenotes.services import review, review_suggestions
from casenotes.web.deps import CtxDep, CurrentUser, RendererDep
from casenotes.web.routes.review import after_change, section_named

router = APIRouter(include_in_schema=False)


@router.post("/recordings/{recording_id}/flags/{flag_id}/accept")
def accept_suggestion(
    request: Request,
    recording_id: int,
    flag_id: int,
    ctx: CtxDep,
    user: CurrentUser,
    renderer: RendererDep,
) -> Response:
    section = review_suggestions.accept_suggestion(ctx, user, flag_id)
    view = review.get_review(ctx, user, recording_id)
    return after_change(request, renderer, view, user, section_named(view, section),
                        "Suggested wording accepted; the flag is resolved.")
