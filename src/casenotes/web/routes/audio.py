"""Audio: consent then record or upload, live transcription status, the transcript to check."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.responses import JSONResponse, RedirectResponse, Response

from casenotes.domain.errors import InvalidInput
from casenotes.services import audio_capture, audio_transcript, cases, transcription
from casenotes.web.deps import CtxDep, CurrentUser, RendererDep, SettingsDep
from casenotes.web.security import TooLarge, size_in_words

router = APIRouter(include_in_schema=False)
_MEDIA_TYPES = {".wav": "audio/wav", ".flac": "audio/flac", ".mp3": "audio/mpeg",
                ".m4a": "audio/mp4", ".aac": "audio/aac", ".ogg": "audio/ogg",
                ".opus": "audio/ogg", ".webm": "audio/webm"}


@router.get("/cases/{case_id}/audio/new")
def new_audio(request: Request, case_id: int, ctx: CtxDep, user: CurrentUser,
              renderer: RendererDep) -> Response:
    case = cases.get_case(ctx, user, case_id)
    return renderer.page(request, "audio_new.html", user=user, case=case)


@router.post("/cases/{case_id}/audio")
async def start_audio(request: Request, case_id: int, ctx: CtxDep, user: CurrentUser,
                      title: Annotated[str, Form(max_length=200)] = "") -> RedirectResponse:
    form = await request.form()
    present = [str(v) for v in form.getlist("present")]
    parties = {name: str(form.get(f"consent:{name}", "unknown")) for name in present}
    rec = audio_capture.start_audio_recording(ctx, user, case_id, parties=parties, title=title)
    return RedirectResponse(f"/recordings/{rec.id}/audio", status_code=303)


@router.get("/recordings/{recording_id}/audio")
def audio_page(request: Request, recording_id: int, ctx: CtxDep, user: CurrentUser,
               renderer: RendererDep) -> Response:
    view = audio_transcript.transcript_view(ctx, user, recording_id)
    return renderer.page(request, "audio.html", user=user, view=view, status=view.status)


@router.post("/recordings/{recording_id}/audio/file")
def upload_audio(recording_id: int, ctx: CtxDep, settings: SettingsDep, user: CurrentUser,
                 file: Annotated[UploadFile, File()]) -> RedirectResponse:
    content = file.file.read(settings.max_audio_bytes + 1)
    if len(content) > settings.max_audio_bytes:
        raise TooLarge("The audio file is too large.",
                       hint=f"Files up to {size_in_words(settings.max_audio_bytes)} can be "
                       "uploaded.")
    audio_capture.attach_audio(ctx, user, recording_id, filename=file.filename or "audio.wav",
                               content=content)
    return RedirectResponse(f"/recordings/{recording_id}/audio", status_code=303)


@router.post("/recordings/{recording_id}/audio/uploads")
def begin_upload(recording_id: int, ctx: CtxDep, user: CurrentUser,
                 filename: Annotated[str, Form(max_length=255)]) -> JSONResponse:
    token = audio_capture.begin_upload(ctx, user, recording_id, filename=filename)
    return JSONResponse({"token": token, "parts": 0})


@router.get("/recordings/{recording_id}/audio/uploads/{token}")
def upload_state(recording_id: int, token: str, ctx: CtxDep, user: CurrentUser) -> JSONResponse:
    return JSONResponse(
        {"parts": audio_capture.upload_progress(ctx, user, recording_id, token)})


@router.post("/recordings/{recording_id}/audio/uploads/{token}/parts/{index}")
async def upload_part(request: Request, recording_id: int, token: str, index: int,
                      ctx: CtxDep, user: CurrentUser) -> JSONResponse:
    data = await request.body()
    parts = audio_capture.upload_part(ctx, user, recording_id, token, index=index, data=data)
    return JSONResponse({"parts": parts})


@router.post("/recordings/{recording_id}/audio/uploads/{token}/finish")
def finish_upload(recording_id: int, token: str, ctx: CtxDep, user: CurrentUser) -> JSONResponse:
    seconds = audio_capture.finish_upload(ctx, user, recording_id, token)
    return JSONResponse({"seconds": round(seconds, 1),
                         "next": f"/recordings/{recording_id}/audio"})


@router.get("/recordings/{recording_id}/audio/file")
def audio_file(recording_id: int, ctx: CtxDep, user: CurrentUser) -> Response:
    data, name = audio_transcript.audio_for_playback(ctx, user, recording_id)
    suffix = name[name.rfind("."):].lower() if "." in name else ""
    return Response(data, media_type=_MEDIA_TYPES.get(suffix, "application/octet-stream"),
                    headers={"Cache-Control": "no-store"})


@router.post("/recordings/{recording_id}/transcription")
def start_transcription(
    recording_id: int, ctx: CtxDep, user: CurrentUser,
    speakers: Annotated[str, Form(max_length=3)] = "",
    dictation: Annotated[bool, Form()] = False,
) -> RedirectResponse:
    count: int | None = None
    if speakers.strip():
        if not speakers.strip().isdigit():
            raise InvalidInput("The number of speakers must be a whole number.",
                               hint="Leave it empty if you do not know.")
        count = int(speakers)
    transcription.start_in_background(ctx, user, recording_id, speakers=count,
                                      dictation=dictation)
    return RedirectResponse(f"/recordings/{recording_id}/audio", status_code=303)


@router.post("/recordings/{recording_id}/transcription/cancel")
def cancel_transcription(recording_id: int, ctx: CtxDep,
                         user: CurrentUser) -> RedirectResponse:
    transcription.cancel(ctx, user, recording_id)
    return RedirectResponse(f"/recordings/{recording_id}/audio", status_code=303)


@router.get("/recordings/{recording_id}/transcription/status")
def transcription_status(request: Request, recording_id: int, ctx: CtxDep, user: CurrentUser,
                         renderer: RendererDep) -> Response:
    state = transcription.status(ctx, user, recording_id)
    headers = {"HX-Refresh": "true"} if state.finished and request.query_params.get(
        "was") == "active" else None
    return renderer.page(request, "audio_status.html", user=user, status=state,
                         headers=headers)


@router.post("/recordings/{recording_id}/speakers")
async def map_speakers(request: Request, recording_id: int, ctx: CtxDep,
                       user: CurrentUser) -> RedirectResponse:
    form = await request.form()
    mapping: dict[str, int] = {}
    for key, value in form.multi_items():
        if key.startswith("speaker:") and str(value).strip():
            if not str(value).isdigit():
                raise InvalidInput("Choose a participant for each speaker.",
                                   hint="Pick a name from the list.")
            mapping[key.removeprefix("speaker:")] = int(str(value))
    if mapping:
        audio_transcript.map_speakers(ctx, user, recording_id, mapping)
    return RedirectResponse(f"/recordings/{recording_id}/audio#transcript", status_code=303)


@router.post("/recordings/{recording_id}/segments/{seq}")
def edit_segment(
    recording_id: int, seq: int, ctx: CtxDep, user: CurrentUser,
    text: Annotated[str, Form(max_length=20_000)] = "",
    speaker: Annotated[str, Form(max_length=200)] = "",
) -> RedirectResponse:
    audio_transcript.edit_segment(ctx, user, recording_id, seq, text=text or None,
                                  speaker=speaker or None)
    return RedirectResponse(f"/recordings/{recording_id}/audio#segment-{seq}", status_code=303)


@router.post("/recordings/{recording_id}/tags")
def add_tag(
    request: Request, recording_id: int, ctx: CtxDep, user: CurrentUser,
    kind: Annotated[str, Form(max_length=100)],
    time: Annotated[float, Form(ge=0)],
    words: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    tag = audio_transcript.add_tag(ctx, user, recording_id, kind=kind, time=time, words=words)
    if request.headers.get("accept", "").startswith("application/json"):
        return JSONResponse({"id": tag.id, "kind": tag.kind, "time": tag.shown_time})
    return RedirectResponse(f"/recordings/{recording_id}/audio#tags", status_code=303)
