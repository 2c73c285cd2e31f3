"""The plain-language letter to the person or family, made from a signed note."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from casenotes.services import letters, translations
from casenotes.web.deps import CtxDep, CurrentUser, RendererDep

router = APIRouter(include_in_schema=False)


@router.get("/notes/{note_id}/letter")
def letter_page(
    request: Request, note_id: int, ctx: CtxDep, user: CurrentUser, renderer: RendererDep
) -> Response:
    letter = letters.letter_for_note(ctx, user, note_id)
    return renderer.page(request, "letters/letter.html", user=user, letter=letter,
                         languages=translations.language_options(ctx),
                         translated=translations.translations_for_note(ctx, user, note_id))


@router.get("/notes/{note_id}/letter.txt")
def letter_text(note_id: int, ctx: CtxDep, user: CurrentUser) -> Response:
    letter = letters.letter_for_note(ctx, user, note_id)
    return PlainTextResponse(
        letter.text + "\n",
        headers={"Content-Disposition": f'attachment; filename="letter-{note_id}.txt"'},
    )


# --- translation (issue 11) ---


@router.post("/notes/{note_id}/letter/translations")
def translate_letter(
    note_id: int, ctx: CtxDep, user: CurrentUser,
    language: Annotated[str, Form(max_length=16)],
) -> Response:
    view = translations.translate_note_letter(ctx, user, note_id, language)
    return RedirectResponse(f"/letter-translations/{view.id}", status_code=303)


@router.get("/letter-translations/{translation_id}")
def translation_page(
    request: Request, translation_id: int, ctx: CtxDep, user: CurrentUser,
    renderer: RendererDep,
) -> Response:
    view = translations.get_translation(ctx, user, translation_id)
    return renderer.page(request, "letters/translation.html", user=user, t=view)


@router.post("/letter-translations/{translation_id}/lines/{index}")
def correct_line(
    translation_id: int, index: int, ctx: CtxDep, user: CurrentUser,
    text: Annotated[str, Form(max_length=4_000)],
) -> Response:
    translations.correct_line(ctx, user, translation_id, index, text)
    return RedirectResponse(f"/letter-translations/{translation_id}#line-{index}",
                            status_code=303)


@router.post("/letter-translations/{translation_id}/confirm")
def confirm_translation(
    translation_id: int, ctx: CtxDep, user: CurrentUser,
    checked: Annotated[str, Form(max_length=10)] = "",
    interpreter_name: Annotated[str, Form(max_length=200)] = "",
    interpreter_confirmed: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    translations.confirm(ctx, user, translation_id, checked=bool(checked),
                         interpreter_name=interpreter_name,
                         interpreter_confirmed=bool(interpreter_confirmed))
    return RedirectResponse(f"/letter-translations/{translation_id}#export", status_code=303)


@router.get("/letter-translations/{translation_id}/export.{fmt}")
def export_translation(translation_id: int, fmt: str, ctx: CtxDep,
                       user: CurrentUser) -> Response:
    name, data = translations.export_translation(ctx, user, translation_id, fmt)
    media = ("application/pdf" if fmt == "pdf" else
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    return Response(data, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
