"""Cases: the list, one case with its recordings, importing a transcript, consent, processing."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.responses import RedirectResponse, Response

from casenotes.services import cases, processing, recordings
from casenotes.services.views import ConsentView
from casenotes.web.deps import CtxDep, CurrentUser, RendererDep, SettingsDep
from casenotes.web.security import TooLarge, size_in_words

router = APIRouter(include_in_schema=False)

CONSENT_DECISIONS = ("granted", "declined", "withdrawn")
CONSENT_METHODS = ("verbal", "written")


def read_upload(upload: UploadFile, max_bytes: int) -> bytes:
    """The uploaded file's bytes, refusing more than ``max_bytes`` without reading them all."""
    content = upload.file.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise TooLarge(
            "The file is too large to import.",
            hint=f"Files up to {size_in_words(max_bytes)} can be imported.",
        )
    return content


@router.get("/cases")
def case_list(request: Request, ctx: CtxDep, user: CurrentUser, renderer: RendererDep) -> Response:
    return renderer.page(request, "cases.html", user=user, cases=cases.list_cases(ctx, user))


@router.get("/cases/{case_id}")
def case_detail(
    request: Request, case_id: int, ctx: CtxDep, user: CurrentUser, renderer: RendererDep
) -> Response:
    case = cases.get_case(ctx, user, case_id)
    # Consent is asked for recordings that have not been processed yet.
    consent: dict[int, list[ConsentView]] = {
        rec.id: recordings.consents(ctx, user, rec.id)
        for rec in case.recordings
        if rec.stage == "imported"
    }
    return renderer.page(
        request, "case.html", user=user, case=case, consent=consent,
        decisions=CONSENT_DECISIONS, methods=CONSENT_METHODS,
    )


@router.post("/cases/{case_id}/transcripts")
def import_transcript(
    case_id: int,
    ctx: CtxDep,
    settings: SettingsDep,
    user: CurrentUser,
    file: Annotated[UploadFile, File()],
    title: Annotated[str, Form(max_length=200)] = "",
) -> RedirectResponse:
    content = read_upload(file, settings.max_upload_bytes)
    recording = recordings.import_transcript(
        ctx, user, case_id, filename=file.filename or "transcript.txt", content=content,
        title=title,
    )
    return RedirectResponse(f"/cases/{case_id}#recording-{recording.id}", status_code=303)


@router.post("/cases/{case_id}/recordings/{recording_id}/consents")
def record_consent(
    case_id: int,
    recording_id: int,
    ctx: CtxDep,
    user: CurrentUser,
    party: Annotated[str, Form(max_length=200)],
    decision: Annotated[Literal["granted", "declined", "withdrawn"], Form()],
    method: Annotated[Literal["verbal", "written"], Form()] = "verbal",
) -> RedirectResponse:
    recordings.record_consent(ctx, user, recording_id, party=party, decision=decision,
                              method=method)
    return RedirectResponse(f"/cases/{case_id}#recording-{recording_id}", status_code=303)


@router.post("/cases/{case_id}/recordings/{recording_id}/process")
def process(case_id: int, recording_id: int, ctx: CtxDep, user: CurrentUser) -> RedirectResponse:
    processing.process_recording(ctx, user, recording_id)
    return RedirectResponse(f"/recordings/{recording_id}/review", status_code=303)
