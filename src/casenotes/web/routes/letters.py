"""The plain-language letter to the person or family, made from a signed note."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import PlainTextResponse, Response

from casenotes.services import letters
from casenotes.web.deps import CtxDep, CurrentUser, RendererDep

router = APIRouter(include_in_schema=False)


@router.get("/notes/{note_id}/letter")
def letter_page(
    request: Request, note_id: int, ctx: CtxDep, user: CurrentUser, renderer: RendererDep
) -> Response:
    letter = letters.letter_for_note(ctx, user, note_id)
    return renderer.page(request, "letters/letter.html", user=user, letter=letter)


@router.get("/notes/{note_id}/letter.txt")
def letter_text(note_id: int, ctx: CtxDep, user: CurrentUser) -> Response:
    letter = letters.letter_for_note(ctx, user, note_id)
    return PlainTextResponse(
        letter.text + "\n",
        headers={"Content-Disposition": f'attachment; filename="letter-{note_id}.txt"'},
    )
