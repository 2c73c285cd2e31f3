"""Records governance pages: the consent ledger, a note's record (versions, replies, edits,
exports), the supervision queues, subject access and the retention sweep."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.responses import RedirectResponse, Response

from casenotes.domain.errors import InvalidInput
from casenotes.services import (
    amendments,
    consent_ledger,
    exports,
    replies,
    retention,
    subject_access,
    supervision,
)
from casenotes.services.note_record import note_record
from casenotes.web.deps import CtxDep, CurrentUser, RendererDep
from casenotes.web.rendering import is_htmx

router = APIRouter(include_in_schema=False)

MAX_TEXT = 20_000
MEDIA = {"pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
_TIME = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")


def parse_time(value: str) -> float | None:
    """``"01:15"`` or ``"1:02:03"`` → seconds; empty → ``None``."""
    value = value.strip()
    if not value:
        return None
    match = _TIME.match(value)
    if match is None:
        raise InvalidInput(f"{value!r} is not a time in the recording.",
                           hint="Write it as minutes:seconds, e.g. 01:15.")
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    return float(hours * 3600 + minutes * 60 + seconds)


# --- consent ledger ---


@router.get("/recordings/{recording_id}/consent")
def consent_page(request: Request, recording_id: int, ctx: CtxDep, user: CurrentUser,
                 renderer: RendererDep, notice: str = "") -> Response:
    view = consent_ledger.ledger(ctx, user, recording_id)
    return renderer.page(request, "governance/consent.html", user=user, ledger=view,
                         uses=consent_ledger.USE_LABELS, methods=consent_ledger.METHODS,
                         notice=notice or None)


@router.post("/recordings/{recording_id}/consent")
def consent_record(
    recording_id: int, ctx: CtxDep, user: CurrentUser,
    party: Annotated[str, Form(max_length=200)],
    decision: Annotated[str, Form(max_length=20)],
    party_kind: Annotated[str, Form(max_length=20)] = "person",
    method: Annotated[str, Form(max_length=40)] = "verbal",
    uses: Annotated[list[str] | None, Form()] = None,
    transcript_time: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    consent_ledger.record_decision(
        ctx, user, recording_id, party=party, decision=decision, party_kind=party_kind,
        method=method, uses=uses or [], transcript_time=parse_time(transcript_time))
    return RedirectResponse(f"/recordings/{recording_id}/consent", status_code=303)


@router.post("/recordings/{recording_id}/consent/withdraw")
def consent_withdraw(
    request: Request, recording_id: int, ctx: CtxDep, user: CurrentUser,
    renderer: RendererDep,
    party: Annotated[str, Form(max_length=200)],
    method: Annotated[str, Form(max_length=40)] = "verbal",
    transcript_time: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    result = consent_ledger.withdraw(ctx, user, recording_id, party=party, method=method,
                                     transcript_time=parse_time(transcript_time))
    view = consent_ledger.ledger(ctx, user, recording_id)
    return renderer.page(request, "governance/consent.html", user=user, ledger=view,
                         uses=consent_ledger.USE_LABELS, methods=consent_ledger.METHODS,
                         notice=result.message)


# --- a note's record ---


def _record_page(request: Request, renderer: RendererDep, user: CurrentUser, ctx: CtxDep,
                 note_id: int, notice: str | None = None) -> Response:
    record = note_record(ctx, user, note_id)
    template = ("governance/_record_panel.html" if is_htmx(request)
                else "governance/note_record.html")
    return renderer.page(request, template, user=user, record=record, notice=notice,
                         warning=supervision.unedited_warning(ctx, user)
                         if record.note.signed_by == user.username else "")


@router.get("/notes/{note_id}/record")
def record_page(request: Request, note_id: int, ctx: CtxDep, user: CurrentUser,
                renderer: RendererDep) -> Response:
    return _record_page(request, renderer, user, ctx, note_id)


@router.post("/notes/{note_id}/amend")
def amend(
    note_id: int, ctx: CtxDep, user: CurrentUser,
    reason: Annotated[str, Form(max_length=2_000)],
    section_name: Annotated[list[str], Form()],
    section_text: Annotated[list[str], Form()],
) -> Response:
    if len(section_name) != len(section_text):
        raise InvalidInput("The amendment form was incomplete.",
                           hint="Reload the note and amend it again.")
    amendments.amend(ctx, user, note_id, sections=list(zip(section_name, section_text,
                                                           strict=True)), reason=reason)
    return RedirectResponse(f"/notes/{note_id}/record#versions", status_code=303)


@router.post("/notes/{note_id}/replies")
def add_reply(
    note_id: int, ctx: CtxDep, user: CurrentUser,
    text: Annotated[str, Form(max_length=50_000)] = "",
    upload: Annotated[UploadFile | None, File()] = None,
) -> Response:
    if upload is not None and upload.filename:
        data = upload.file.read(ctx.settings.max_upload_bytes + 1)
        if len(data) > ctx.settings.max_upload_bytes:
            raise InvalidInput("The reply file is too large.", hint="Attach a shorter reply.")
        replies.add_reply(ctx, user, note_id, filename=upload.filename,
                          text=replies.reply_text_from_upload(upload.filename, data))
    else:
        replies.add_reply(ctx, user, note_id, text=text)
    return RedirectResponse(f"/notes/{note_id}/record#replies", status_code=303)


@router.get("/notes/{note_id}/export.{fmt}")
def export(note_id: int, fmt: str, ctx: CtxDep, user: CurrentUser) -> Response:
    name, data = exports.export_note(ctx, user, note_id, fmt)
    return Response(data, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# --- supervision ---


@router.get("/supervision")
def supervision_page(request: Request, ctx: CtxDep, user: CurrentUser,
                     renderer: RendererDep) -> Response:
    view = supervision.queues(ctx, user)
    return renderer.page(request, "governance/supervision.html", user=user, queues=view,
                         checklist=supervision.QA_CHECKLIST)


@router.post("/notes/{note_id}/approval")
def approval(
    note_id: int, ctx: CtxDep, user: CurrentUser,
    decision: Annotated[str, Form(max_length=20)],
    comment: Annotated[str, Form(max_length=5_000)] = "",
) -> Response:
    if decision not in ("approve", "return"):
        raise InvalidInput("Choose approve or return.", hint="Use the buttons on the page.")
    supervision.decide_approval(ctx, user, note_id, approve=decision == "approve",
                                comment=comment)
    return RedirectResponse("/supervision", status_code=303)


@router.post("/notes/{note_id}/qa")
def quality_review(
    note_id: int, ctx: CtxDep, user: CurrentUser,
    checked: Annotated[list[str] | None, Form()] = None,
    comment: Annotated[str, Form(max_length=5_000)] = "",
) -> Response:
    supervision.record_qa(ctx, user, note_id, answers={k: True for k in checked or []},
                          comment=comment)
    return RedirectResponse("/supervision", status_code=303)


# --- subject access ---


@router.post("/subject-access")
def sar_export(
    ctx: CtxDep, user: CurrentUser,
    person: Annotated[str, Form(max_length=200)],
) -> Response:
    export_zip = subject_access.export_subject_access(ctx, user, person)
    return Response(export_zip.data, media_type="application/zip",
                    headers={"Content-Disposition":
                             f'attachment; filename="{export_zip.filename}"'})


# --- retention ---


@router.get("/retention")
def retention_page(request: Request, ctx: CtxDep, user: CurrentUser,
                   renderer: RendererDep) -> Response:
    report = retention.run_retention(ctx, user, dry_run=True)
    return renderer.page(request, "governance/retention.html", user=user, report=report)


@router.post("/retention")
def retention_run(request: Request, ctx: CtxDep, user: CurrentUser,
                  renderer: RendererDep) -> Response:
    report = retention.run_retention(ctx, user)
    return renderer.page(request, "governance/retention.html", user=user, report=report,
                         notice="Retention sweep done: what was due has been deleted.")
