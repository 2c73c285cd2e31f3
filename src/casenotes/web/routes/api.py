"""The JSON API under ``/api``: the same services as the pages, the same session and CSRF rules.

Sign in through ``/login`` (the session cookie), read the CSRF token from ``GET /api/me`` and send
it as ``X-CSRF-Token`` with every change.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile, status
from starlette.responses import Response

from casenotes.services import cases, processing, recordings, review
from casenotes.web.deps import CtxDep, CurrentUser, RendererDep, SessionDep, SettingsDep
from casenotes.web.routes.cases import read_upload
from casenotes.web.schemas import (
    CaseOut,
    CaseSummaryOut,
    ConsentIn,
    ConsentOut,
    DismissIn,
    ErrorOut,
    MeOut,
    NoteOut,
    RecordingOut,
    ReviewOut,
    SectionIn,
    SentenceIn,
    SignOffIn,
    case_out,
    case_summary_out,
    note_out,
    recording_out,
    review_out,
    user_out,
)

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": description}
    for code, description in {
        401: "Not signed in",
        403: "Missing CSRF token, or not allowed",
        404: "No such object that you may see",
        409: "Refused in the current state (consent, sign-off, signed note)",
        422: "Invalid input",
    }.items()
}

router = APIRouter(prefix="/api", responses=ERRORS)


@router.get("/me", tags=["session"])
def me(user: CurrentUser, session: SessionDep) -> MeOut:
    """The signed-in user, and the CSRF token to send with changes."""
    return MeOut(user=user_out(user), csrf_token=session.csrf)


@router.get("/cases", tags=["cases"])
def list_cases(ctx: CtxDep, user: CurrentUser) -> list[CaseSummaryOut]:
    """Cases allocated to you (or your team, for supervisors)."""
    return [case_summary_out(c) for c in cases.list_cases(ctx, user)]


@router.get("/cases/{case_id}", tags=["cases"])
def get_case(case_id: int, ctx: CtxDep, user: CurrentUser) -> CaseOut:
    return case_out(cases.get_case(ctx, user, case_id))


@router.post("/cases/{case_id}/transcripts", status_code=status.HTTP_201_CREATED,
             tags=["recordings"])
def import_transcript(
    case_id: int,
    ctx: CtxDep,
    settings: SettingsDep,
    user: CurrentUser,
    file: Annotated[UploadFile, File(description="Plain text, WebVTT or SRT transcript")],
    title: Annotated[str, Form(max_length=200)] = "",
) -> RecordingOut:
    """Import a transcript file as a new recording of the case."""
    content = read_upload(file, settings.max_upload_bytes)
    return recording_out(recordings.import_transcript(
        ctx, user, case_id, filename=file.filename or "transcript.txt", content=content,
        title=title,
    ))


@router.post("/recordings/{recording_id}/consents", tags=["recordings"])
def record_consent(
    recording_id: int, body: ConsentIn, ctx: CtxDep, user: CurrentUser
) -> list[ConsentOut]:
    """Record one party's consent decision; returns the decisions now in force."""
    recordings.record_consent(ctx, user, recording_id, party=body.party, decision=body.decision,
                              method=body.method)
    return [ConsentOut.model_validate(c) for c in recordings.consents(ctx, user, recording_id)]


@router.post("/recordings/{recording_id}/process", tags=["recordings"])
def process(recording_id: int, ctx: CtxDep, user: CurrentUser) -> RecordingOut:
    """Pseudonymise, draft and check; refused (409) unless every party has granted consent."""
    return recording_out(processing.process_recording(ctx, user, recording_id))


@router.get("/recordings/{recording_id}/review", tags=["review"])
def get_review(recording_id: int, ctx: CtxDep, user: CurrentUser) -> ReviewOut:
    """The draft with evidence links and flags, beside the transcript."""
    return review_out(review.get_review(ctx, user, recording_id))


@router.patch("/recordings/{recording_id}/sentences/{sentence_id}",
              status_code=status.HTTP_204_NO_CONTENT, tags=["review"])
def edit_sentence(
    recording_id: int, sentence_id: str, body: SentenceIn, ctx: CtxDep, user: CurrentUser
) -> Response:
    review.edit_sentence(ctx, user, recording_id, sentence_id, body.text)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/flags/{flag_id}/resolve", status_code=status.HTTP_204_NO_CONTENT,
             tags=["review"])
def resolve_flag(flag_id: int, ctx: CtxDep, user: CurrentUser) -> Response:
    review.resolve_flag(ctx, user, flag_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/flags/{flag_id}/dismiss", status_code=status.HTTP_204_NO_CONTENT,
             tags=["review"])
def dismiss_flag(flag_id: int, body: DismissIn, ctx: CtxDep, user: CurrentUser) -> Response:
    """Dismiss a flag; the reason is required and recorded."""
    review.dismiss_flag(ctx, user, flag_id, body.reason)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put("/recordings/{recording_id}/sections/{name:path}",
            status_code=status.HTTP_204_NO_CONTENT, tags=["review"])
def write_section(
    recording_id: int, name: str, body: SectionIn, ctx: CtxDep, user: CurrentUser
) -> Response:
    """Write a section in your own words (reserved sections can only be written this way)."""
    review.write_section(ctx, user, recording_id, name, body.text)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/recordings/{recording_id}/sign-off", status_code=status.HTTP_201_CREATED,
             tags=["review"])
def sign_off(recording_id: int, body: SignOffIn, ctx: CtxDep, user: CurrentUser) -> NoteOut:
    """Sign the note; refused (409) while flags are open, a reserved section is empty, or
    ``attested`` is false."""
    return note_out(review.sign_off(ctx, user, recording_id, attested=body.attested))


@router.get("/notes/{note_id}", tags=["notes"])
def get_note(note_id: int, ctx: CtxDep, user: CurrentUser) -> NoteOut:
    return note_out(review.get_note(ctx, user, note_id))


@router.get("/docs", include_in_schema=False)
def docs(request: Request, renderer: RendererDep) -> Response:
    """A plain reference built from the OpenAPI schema, with nothing loaded from elsewhere."""
    schema = request.app.openapi()
    operations = [
        {"method": method.upper(), "path": path, **operation}
        for path, item in schema.get("paths", {}).items()
        for method, operation in item.items()
    ]
    return renderer.page(request, "api_docs.html", user=None, schema=schema,
                         operations=operations)
