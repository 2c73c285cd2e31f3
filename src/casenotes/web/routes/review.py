"""The review page: the draft beside its transcript; edits, flags, reserved sections, sign-off.

Every change works as a plain form post (redirecting back to the page) and, with HTMX, swaps just
the section that changed plus the sign-off panel.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from casenotes.domain.errors import SignOffRefused
from casenotes.services import review
from casenotes.services.views import ReviewView, SectionView, UserView
from casenotes.web.deps import CtxDep, CurrentUser, RendererDep
from casenotes.web.rendering import Renderer, is_htmx, slug

router = APIRouter(include_in_schema=False)

MAX_TEXT = 20_000


def review_url(recording_id: int, section: str | None = None) -> str:
    url = f"/recordings/{recording_id}/review"
    return f"{url}#section-{slug(section)}" if section else url


def section_with_sentence(view: ReviewView, sentence_id: str) -> SectionView | None:
    return next(
        (sec for sec in view.sections if any(s.id == sentence_id for s in sec.sentences)), None
    )


def section_with_flag(view: ReviewView, flag_id: int) -> SectionView | None:
    for sec in view.sections:
        if any(f.id == flag_id for f in sec.flags):
            return sec
        if any(f.id == flag_id for s in sec.sentences for f in s.flags):
            return sec
    return None


def section_named(view: ReviewView, name: str) -> SectionView | None:
    return next((sec for sec in view.sections if sec.name == name), None)


def after_change(
    request: Request, renderer: Renderer, view: ReviewView, user: UserView,
    section: SectionView | None, notice: str,
) -> Response:
    """HTMX: the changed section and the sign-off panel; otherwise back to the page."""
    if not is_htmx(request):
        return RedirectResponse(
            review_url(view.recording.id, section.name if section else None), status_code=303
        )
    if section is None:  # nothing to swap in place: reload the whole page
        return Response(headers={"HX-Refresh": "true"})
    return renderer.page(
        request, "partials/section_update.html", user=user, review=view, section=section,
        notice=notice,
    )


@router.get("/recordings/{recording_id}/review")
def review_page(
    request: Request, recording_id: int, ctx: CtxDep, user: CurrentUser, renderer: RendererDep
) -> Response:
    view = review.get_review(ctx, user, recording_id)
    return renderer.page(request, "review.html", user=user, review=view)


@router.post("/recordings/{recording_id}/sentences/{sentence_id}")
def edit_sentence(
    request: Request,
    recording_id: int,
    sentence_id: str,
    ctx: CtxDep,
    user: CurrentUser,
    renderer: RendererDep,
    text: Annotated[str, Form(max_length=MAX_TEXT)] = "",  # empty removes the sentence
) -> Response:
    review.edit_sentence(ctx, user, recording_id, sentence_id, text)
    view = review.get_review(ctx, user, recording_id)
    return after_change(request, renderer, view, user, section_with_sentence(view, sentence_id),
                        "Sentence saved.")


@router.post("/recordings/{recording_id}/flags/{flag_id}/resolve")
def resolve_flag(
    request: Request,
    recording_id: int,
    flag_id: int,
    ctx: CtxDep,
    user: CurrentUser,
    renderer: RendererDep,
) -> Response:
    review.resolve_flag(ctx, user, flag_id)
    view = review.get_review(ctx, user, recording_id)
    return after_change(request, renderer, view, user, section_with_flag(view, flag_id),
                        "Flag marked as resolved.")


@router.post("/recordings/{recording_id}/flags/{flag_id}/dismiss")
def dismiss_flag(
    request: Request,
    recording_id: int,
    flag_id: int,
    ctx: CtxDep,
    user: CurrentUser,
    renderer: RendererDep,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    review.dismiss_flag(ctx, user, flag_id, reason)
    view = review.get_review(ctx, user, recording_id)
    return after_change(request, renderer, view, user, section_with_flag(view, flag_id),
                        "Flag dismissed; your reason was recorded.")


@router.post("/recordings/{recording_id}/sections")
def write_section(
    request: Request,
    recording_id: int,
    ctx: CtxDep,
    user: CurrentUser,
    renderer: RendererDep,
    section: Annotated[str, Form(max_length=200)],
    text: Annotated[str, Form(max_length=MAX_TEXT)] = "",
) -> Response:
    review.write_section(ctx, user, recording_id, section, text)
    view = review.get_review(ctx, user, recording_id)
    return after_change(request, renderer, view, user, section_named(view, section),
                        f"{section} saved.")


@router.post("/recordings/{recording_id}/sign-off")
def sign_off(
    request: Request,
    recording_id: int,
    ctx: CtxDep,
    user: CurrentUser,
    renderer: RendererDep,
    attested: Annotated[bool, Form()] = False,
) -> Response:
    try:
        note = review.sign_off(ctx, user, recording_id, attested=attested)
    except SignOffRefused as refused:
        # Back to the page with the reasons beside the button, so nothing typed is lost.
        view = review.get_review(ctx, user, recording_id)
        return renderer.page(request, "review.html", user=user, review=view, status_code=409,
                             error=refused.message, error_hint=refused.hint)
    return RedirectResponse(f"/notes/{note.id}", status_code=303)
