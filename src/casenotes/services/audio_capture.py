"""Audio capture: a consented audio recording, its file (uploaded whole or in parts)."""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from pathlib import Path, PurePath

from sqlalchemy.orm import Session

from casenotes.domain.consent import ConsentDecision, ensure_consent
from casenotes.domain.errors import ConsentRefused, InvalidInput, NotFound
from casenotes.domain.transcript import Transcript
from casenotes.pipeline import audio
from casenotes.services.access import case_session, visible_case, visible_recording
from casenotes.services.audit_log import record, record_now
from casenotes.services.cases import summaries
from casenotes.services.context import AppContext
from casenotes.services.permitted_uses import ensure_permitted
from casenotes.services.recordings import DEFAULT_SCOPE
from casenotes.services.views import RecordingSummary, UserView
from casenotes.store.models import AudioUploadRow, Recording
from casenotes.store.repositories import audio as audio_repo
from casenotes.store.repositories import recordings as recordings_repo

AWAITING_AUDIO = "audio"  # the stage of an audio recording until its transcript is stored
MAX_PARTS = 100_000


def start_audio_recording(
    ctx: AppContext, actor: UserView, case_id: int, *, parties: dict[str, str],
    title: str = "", template: str = "home_visit_note", method: str = "verbal",
) -> RecordingSummary:
    """Create an audio recording once every party present has granted consent.

    ``parties`` maps each person present to their decision. Recording is only offered after
    consent: if anyone has not granted it, nothing is created.
    """
    ensure_permitted(ctx, actor, "audio_recording")
    if not parties:
        raise InvalidInput("Say who is present before recording.",
                           hint="Choose each person present and record their consent decision.")
    decisions: dict[str, ConsentDecision] = {}
    for party, decision in parties.items():
        try:
            decisions[party.strip()] = ConsentDecision(decision)
        except ValueError:
            raise InvalidInput(f"{decision!r} is not a consent decision.",
                               hint="Use granted, declined or withdrawn.") from None
    try:
        ensure_consent(list(decisions), decisions)
    except ConsentRefused:
        record_now(ctx, actor, "audio.refused", "case", case_id, "reason=consent")
        raise
    with case_session(ctx, actor) as session:
        case = visible_case(session, actor, case_id)
        recording = recordings_repo.create_recording(
            session, case_id=case.id, title=title.strip() or "Audio recording", source="audio",
            filename="", template=template, created_by=actor.id,
            transcript=Transcript(segments=()),
        )
        recordings_repo.set_stage(session, recording=recording, stage=AWAITING_AUDIO)
        for party, decision in decisions.items():
            recordings_repo.add_consent(
                session, recording_id=recording.id, party=party, decision=decision.value,
                scope=DEFAULT_SCOPE, method=method, recorded_by=actor.id,
            )
        record(session, actor, "audio.start", "recording", recording.id,
               f"case={case.id} parties={len(decisions)}")
        return summaries(session, [recording])[0]


def require_audio_consent(ctx: AppContext, actor: UserView, recording: Recording) -> None:
    """Every party recorded for this recording must still have consent ``granted``."""
    with ctx.session() as session:
        current = recordings_repo.current_consents(session, recording_id=recording.id)
    try:
        if not current:
            raise ConsentRefused("No consent has been recorded for this recording.",
                                 hint="Record each party's consent before recording audio.")
        ensure_consent(list(current), {p: ConsentDecision(r.decision) for p, r in current.items()})
    except ConsentRefused:
        record_now(ctx, actor, "audio.refused", "recording", recording.id, "reason=consent")
        raise


def _audio_recording(ctx: AppContext, actor: UserView, recording_id: int) -> Recording:
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        if recording.source != "audio":
            raise InvalidInput("This recording was imported as a transcript; it has no audio.",
                               hint="Start an audio recording from the case page.")
        has_audio = audio_repo.audio_file(session, recording_id=recording.id) is not None
        session.expunge(recording)
    if has_audio:
        raise InvalidInput("This recording already has its audio.",
                           hint="Start a new audio recording for another file.")
    require_audio_consent(ctx, actor, recording)
    return recording


def attach_audio_file(ctx: AppContext, actor: UserView, recording_id: int, *, filename: str,
                      path: Path) -> float:
    """Validate an audio file and store it with the recording; returns its length in seconds.

    A file that is empty, too big, too long, not audio or damaged is refused with the reason,
    and nothing is stored.
    """
    recording = _audio_recording(ctx, actor, recording_id)
    size = path.stat().st_size
    audio.check_upload(filename, size, max_bytes=ctx.settings.max_audio_bytes)
    info = audio.probe(path, max_seconds=ctx.settings.max_audio_seconds)
    data = path.read_bytes()
    suffix = PurePath(filename).suffix.lower()
    key = f"audio/{recording.case_id}/{recording.id}-{secrets.token_hex(8)}{suffix}"
    ctx.blobs.put(key, data)
    try:
        with case_session(ctx, actor) as session:
            row = visible_recording(session, actor, recording_id)
            audio_repo.add_audio_file(
                session, recording_id=row.id, blob_key=key, filename=PurePath(filename).name,
                size_bytes=size, duration_s=round(info.duration, 3),
                sha256=hashlib.sha256(data).hexdigest(),
            )
            row.filename = PurePath(filename).name[:255]
            record(session, actor, "audio.store", "recording", row.id,
                   f"bytes={size} seconds={info.duration:.0f}")
    except BaseException:
        ctx.blobs.delete(key)  # the database refused: leave no orphan file behind
        raise
    return info.duration


def attach_audio(ctx: AppContext, actor: UserView, recording_id: int, *, filename: str,
                 content: bytes) -> float:
    """:func:`attach_audio_file` for an upload held in memory."""
    audio.check_upload(filename, len(content), max_bytes=ctx.settings.max_audio_bytes)
    fd, tmp = tempfile.mkstemp(suffix=PurePath(filename).suffix.lower(), prefix="casenotes-up-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        return attach_audio_file(ctx, actor, recording_id, filename=filename, path=Path(tmp))
    finally:
        Path(tmp).unlink(missing_ok=True)


# --- uploads in parts (browser recording): a dropped connection loses nothing -----------------


def begin_upload(ctx: AppContext, actor: UserView, recording_id: int, *, filename: str) -> str:
    """Open an upload in parts; returns its token."""
    recording = _audio_recording(ctx, actor, recording_id)
    suffix = PurePath(filename).suffix.lower()
    if suffix not in audio.AUDIO_EXTENSIONS:
        audio.check_upload(filename, 1, max_bytes=ctx.settings.max_audio_bytes)
    token = secrets.token_hex(16)
    with case_session(ctx, actor) as session:
        visible_recording(session, actor, recording.id)
        audio_repo.add_upload(session, recording_id=recording.id, token=token,
                              filename=PurePath(filename).name[:255], created_by=actor.id)
        record(session, actor, "audio.upload.begin", "recording", recording.id)
    return token


def _part_key(token: str, index: int) -> str:
    return f"uploads/{token}/{index:06d}"


def upload_part(ctx: AppContext, actor: UserView, recording_id: int, token: str, *, index: int,
                data: bytes) -> int:
    """Store part ``index`` (0-based); a part already received is accepted again harmlessly.

    Returns how many consecutive parts the server now holds, so a client that lost its
    connection knows where to carry on.
    """
    with case_session(ctx, actor) as session:
        upload = _open_upload(session, actor, recording_id, token)
        if index < 0 or index > upload.parts or index >= MAX_PARTS:
            raise InvalidInput(f"Part {index} is out of order: the next part expected is "
                               f"{upload.parts}.", hint="Send the parts in order.")
        if upload.received_bytes + len(data) > ctx.settings.max_audio_bytes:
            raise InvalidInput("The recording is larger than the upload limit.",
                               hint="Stop the recording and start a new one.")
        if index == upload.parts:
            ctx.blobs.put(_part_key(token, index), data)
            upload.parts += 1
            upload.received_bytes += len(data)
        return upload.parts


def _open_upload(session: Session, actor: UserView, recording_id: int,
                 token: str) -> AudioUploadRow:
    """The recording's unfinished upload with this token; 404 otherwise."""
    visible_recording(session, actor, recording_id)
    upload = audio_repo.upload(session, token=token)
    if upload is None or upload.recording_id != recording_id or upload.complete:
        raise NotFound("There is no open upload with that token.",
                       hint="Start the upload again.")
    return upload


def upload_progress(ctx: AppContext, actor: UserView, recording_id: int, token: str) -> int:
    with case_session(ctx, actor) as session:
        visible_recording(session, actor, recording_id)
        upload = audio_repo.upload(session, token=token)
        if upload is None or upload.recording_id != recording_id:
            raise NotFound("There is no upload with that token.", hint="Start the upload again.")
        return upload.parts


def finish_upload(ctx: AppContext, actor: UserView, recording_id: int, token: str) -> float:
    """Join the parts into the recording's audio file; returns its length in seconds."""
    with case_session(ctx, actor) as session:
        upload = _open_upload(session, actor, recording_id, token)
        parts, filename = upload.parts, upload.filename
    if parts == 0:
        raise InvalidInput("No audio was received.", hint="Record again, then upload.")
    fd, tmp = tempfile.mkstemp(suffix=PurePath(filename).suffix.lower(), prefix="casenotes-up-")
    try:
        with os.fdopen(fd, "wb") as handle:
            for index in range(parts):
                handle.write(ctx.blobs.get(_part_key(token, index)))
        seconds = attach_audio_file(ctx, actor, recording_id, filename=filename, path=Path(tmp))
    finally:
        Path(tmp).unlink(missing_ok=True)
    with case_session(ctx, actor) as session:
        finished = audio_repo.upload(session, token=token)
        if finished is not None:
            finished.complete = True
    for index in range(parts):
        ctx.blobs.delete(_part_key(token, index))
    return seconds
