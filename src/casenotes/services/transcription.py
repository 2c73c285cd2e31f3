"""Transcription as a resumable job: chunk by chunk, each chunk's result committed when done.

A killed process loses at most the chunk it was working on: running again skips the stored
chunks (decoding is cheap; recognition is not redone). Cancelling takes effect between chunks.
When every chunk is done, the voices are clustered into speakers and the transcript is stored;
the recording then moves to ``imported`` and the usual consent → pseudonymise → draft → check
path takes over.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from casenotes.domain.errors import InvalidInput
from casenotes.pipeline import audio
from casenotes.pipeline.transcribe import Diariser, HeardTurn, assemble, transcribe_chunk
from casenotes.services.access import case_session, visible_recording
from casenotes.services.audio_capture import AWAITING_AUDIO, require_audio_consent
from casenotes.services.audio_engines import engines_for
from casenotes.services.audio_views import TranscriptionStatus
from casenotes.services.audit_log import record
from casenotes.services.context import AppContext
from casenotes.services.energy import describe_engine, stage_meter
from casenotes.services.views import UserView
from casenotes.store.models import AudioFileRow, TranscriptionJobRow
from casenotes.store.repositories import audio as audio_repo
from casenotes.store.repositories import cases as cases_repo
from casenotes.store.repositories import recordings as recordings_repo

Progress = Callable[[TranscriptionStatus], None]
NO_SPEECH = ("No speech was found in this recording, so there is no transcript. "
             "Check the microphone was on and the right file was chosen.")
STALE_AFTER = timedelta(minutes=5)  # a "running" job not heard from for this long was killed

_live: set[int] = set()  # recordings being transcribed by this process
_live_lock = threading.Lock()


def status(ctx: AppContext, actor: UserView, recording_id: int) -> TranscriptionStatus:
    with case_session(ctx, actor) as session:
        visible_recording(session, actor, recording_id)
        return status_in(session, recording_id)


def status_in(session: Session, recording_id: int) -> TranscriptionStatus:
    """The job's status, read in the caller's transaction (access already checked)."""
    file = audio_repo.audio_file(session, recording_id=recording_id)
    job = audio_repo.job(session, recording_id=recording_id)
    duration = file.duration_s if file else 0.0
    if job is None:
        return TranscriptionStatus(recording_id, "none", 0, 0, has_audio=file is not None,
                                   duration_s=duration)
    state = job.status
    if state in ("queued", "running", "cancelling") and not _is_live(recording_id):
        updated = job.updated_at if job.updated_at.tzinfo else job.updated_at.replace(tzinfo=UTC)
        if datetime.now(UTC) - updated > STALE_AFTER:
            state = "interrupted"
    return TranscriptionStatus(recording_id, state, job.chunks_done, job.chunks_total,
                               message=job.message, has_audio=file is not None,
                               duration_s=duration)


def _is_live(recording_id: int) -> bool:
    with _live_lock:
        return recording_id in _live


def cancel(ctx: AppContext, actor: UserView, recording_id: int) -> TranscriptionStatus:
    """Ask a running job to stop after its current chunk (finished chunks are kept)."""
    with case_session(ctx, actor) as session:
        visible_recording(session, actor, recording_id)
        job = audio_repo.job(session, recording_id=recording_id)
        if job is not None and job.status in ("queued", "running"):
            audio_repo.set_job_status(session, job=job, status="cancelling")
            record(session, actor, "transcription.cancel", "recording", recording_id)
        return status_in(session, recording_id)


def prepare(ctx: AppContext, actor: UserView, recording_id: int, *, speakers: int | None = None,
            dictation: bool = False) -> TranscriptionStatus:
    """Check consent and audio, and create (or reopen) the job; returns its status."""
    if speakers is not None and not 1 <= speakers <= 20:
        raise InvalidInput("The number of speakers must be between 1 and 20.",
                           hint="Leave it empty if you do not know.")
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        _audio_file(session, recording.id)
        session.expunge(recording)
    require_audio_consent(ctx, actor, recording)
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        if recording.stage != AWAITING_AUDIO:
            raise InvalidInput("This recording has already been transcribed.",
                               hint="Open its transcript to review or correct it.")
        file = _audio_file(session, recording.id)
        job = audio_repo.job(session, recording_id=recording.id)
        chunk_seconds = ctx.settings.asr_chunk_seconds
        if job is None:
            job = audio_repo.create_job(
                session, recording_id=recording.id,
                engine=f"{ctx.settings.asr_engine}:{ctx.settings.asr_model}",
                chunk_seconds=chunk_seconds,
                chunks_total=max(1, math.ceil(file.duration_s / chunk_seconds)),
                speakers=speakers, dictation=dictation,
            )
        else:
            if speakers is not None:
                job.speakers = speakers
            job.dictation = job.dictation or dictation
        audio_repo.set_job_status(session, job=job, status="queued")
        record(session, actor, "transcription.queue", "recording", recording.id,
               f"job={job.id} done={job.chunks_done}")
        return status_in(session, recording.id)


def run(ctx: AppContext, actor: UserView, recording_id: int, *,
        progress: Progress | None = None) -> TranscriptionStatus:
    """Transcribe every chunk not yet done, then build the transcript. Blocks until finished,
    cancelled or failed; call :func:`prepare` first."""
    with _live_lock:
        if recording_id in _live:
            raise InvalidInput("This recording is already being transcribed.",
                               hint="Wait for it to finish, or cancel it.")
        _live.add(recording_id)
    try:
        return _run(ctx, actor, recording_id, progress)
    finally:
        with _live_lock:
            _live.discard(recording_id)


def _run(ctx: AppContext, actor: UserView, recording_id: int,
         progress: Progress | None) -> TranscriptionStatus:
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        job = _job(session, recording_id)
        file = _audio_file(session, recording_id)
        key, chunk_seconds, dictation = file.blob_key, job.chunk_seconds, job.dictation
        speakers = job.speakers
        done = set(audio_repo.done_chunks(session, job_id=job.id))
        people = cases_repo.people(session, case_id=recording.case_id)
        vocabulary = [p.name for p in people] + [a for p in people for a in p.aliases]
        total = max(job.chunks_total, 1)
        audio_repo.set_job_status(session, job=job, status="running")
        current = status_in(session, recording_id)
    if progress:
        progress(current)
    transcriber, diariser = engines_for(ctx)
    voices: Diariser | None = None if dictation else diariser
    try:
        with ctx.blobs.materialise(key, suffix=".audio") as path:
            for chunk in audio.chunks(path, chunk_seconds=chunk_seconds):
                if chunk.index in done:
                    continue
                if _cancel_requested(ctx, recording_id):
                    return _finish(ctx, actor, recording_id, "cancelled",
                                   "Cancelled. The finished part is kept: resume to carry on.")
                with stage_meter(ctx, recording_id, "transcribe", transcriber.name,
                                 describe_engine(transcriber), device=ctx.settings.asr_device):
                    turns = transcribe_chunk(chunk.samples, chunk.start, transcriber, voices,
                                             vocabulary=vocabulary)
                total = max(total, chunk.index + 1)
                with ctx.session() as session:
                    job = _job(session, recording_id)
                    audio_repo.add_chunk(session, job=job, idx=chunk.index, start=chunk.start,
                                         end=chunk.end, turns=[t.to_json() for t in turns],
                                         chunks_total=total)
                    current = status_in(session, recording_id)
                if progress:
                    progress(current)
    except InvalidInput as error:
        return _finish(ctx, actor, recording_id, "failed", error.message)
    return _complete(ctx, actor, recording_id, voices, speakers)


def _job(session: Session, recording_id: int) -> TranscriptionJobRow:
    job = audio_repo.job(session, recording_id=recording_id)
    if job is None:
        raise InvalidInput("This recording has no transcription job.",
                           hint="Start the transcription first.")
    return job


def _audio_file(session: Session, recording_id: int) -> AudioFileRow:
    file = audio_repo.audio_file(session, recording_id=recording_id)
    if file is None:
        raise InvalidInput("This recording has no audio yet.",
                           hint="Upload or record the audio first.")
    return file


def _cancel_requested(ctx: AppContext, recording_id: int) -> bool:
    with ctx.session() as session:
        job = audio_repo.job(session, recording_id=recording_id)
        return job is not None and job.status == "cancelling"


def _finish(ctx: AppContext, actor: UserView, recording_id: int, state: str,
            message: str) -> TranscriptionStatus:
    with case_session(ctx, actor) as session:
        job = _job(session, recording_id)
        audio_repo.set_job_status(session, job=job, status=state, message=message)
        record(session, actor, f"transcription.{state}", "recording", recording_id,
               f"job={job.id} done={job.chunks_done}")
        return status_in(session, recording_id)


def _complete(ctx: AppContext, actor: UserView, recording_id: int, diariser: Diariser | None,
              speakers: int | None) -> TranscriptionStatus:
    with case_session(ctx, actor) as session:
        job = _job(session, recording_id)
        rows = audio_repo.done_chunks(session, job_id=job.id)
        turns = [HeardTurn.from_json(t) for idx in sorted(rows) for t in rows[idx].turns]
    transcript = assemble(turns, diariser, speakers=speakers)
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        job = _job(session, recording_id)
        if not transcript.segments:
            audio_repo.set_job_status(session, job=job, status="no_speech", message=NO_SPEECH)
            record(session, actor, "transcription.no_speech", "recording", recording_id)
            return status_in(session, recording_id)
        audio_repo.add_segments(session, recording_id=recording_id, transcript=transcript)
        job.chunks_total = job.chunks_done = len(rows)
        audio_repo.set_job_status(session, job=job, status="done")
        recordings_repo.set_stage(session, recording=recording, stage="imported",
                                  engines=[{"stage": "transcribe", "name": job.engine,
                                            "version": ""},
                                           *recording.engines])
        record(session, actor, "transcription.done", "recording", recording_id,
               f"segments={len(transcript.segments)} speakers={len(transcript.speakers)}")
        return status_in(session, recording_id)


def start_in_background(ctx: AppContext, actor: UserView, recording_id: int, *,
                        speakers: int | None = None,
                        dictation: bool = False) -> TranscriptionStatus:
    """Queue the job and run it on a worker thread (the web page polls :func:`status`)."""
    current = prepare(ctx, actor, recording_id, speakers=speakers, dictation=dictation)
    if _is_live(recording_id):
        return current

    def work() -> None:
        try:
            run(ctx, actor, recording_id)
        except Exception:  # noqa: BLE001 - a worker thread must record its failure, not vanish
            _finish(ctx, actor, recording_id, "failed",
                    "Transcription stopped unexpectedly. Resume to carry on from the last "
                    "finished part.")

    ctx.start_background(f"transcribe-{recording_id}", work)
    return current
