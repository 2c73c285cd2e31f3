"""``casenotes transcribe``: an audio file → a speaker-labelled transcript, on this machine."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from casenotes.cli_support import acting_user, err, out
from casenotes.config import Settings
from casenotes.domain.errors import CasenotesError, InvalidInput
from casenotes.services import audio_capture, transcription
from casenotes.services.audio_views import TranscriptionStatus
from casenotes.services.context import AppContext, build_context
from casenotes.services.views import UserView


def transcribe(
    file: Annotated[Path | None, typer.Argument(
        help="Audio: WAV, FLAC, MP3, M4A/AAC, OGG/Opus or WebM")] = None,
    case: Annotated[int | None, typer.Option("--case", help="The case number")] = None,
    user: Annotated[str, typer.Option("--user", "-u", envvar="CASENOTES_USER",
                                      help="Act as this user (audited under that name).")] = "",
    consent: Annotated[list[str] | None, typer.Option(
        help="Each person present and their decision, as 'Name=granted' (repeat)")] = None,
    title: Annotated[str, typer.Option(help="A title for this visit")] = "",
    template: Annotated[str, typer.Option(help="Note template")] = "home_visit_note",
    speakers: Annotated[int | None, typer.Option(
        help="How many people spoke, if you know (improves speaker turns)")] = None,
    dictation: Annotated[bool, typer.Option(
        help="One speaker dictating: no speaker separation")] = False,
    resume: Annotated[int | None, typer.Option(
        help="Carry on transcribing this recording (after a cancel or a crash)")] = None,
) -> None:
    """Transcribe a recording on this machine (resumable), ready for drafting."""
    ctx: AppContext | None = None
    try:
        ctx = build_context(Settings())
        if not user:
            raise InvalidInput("Say who you are.", hint="Pass --user USERNAME.")
        actor = acting_user(ctx, user)
        recording_id = resume if resume is not None else _new_recording(
            ctx, actor, file, case, consent or [], title, template)
        transcription.prepare(ctx, actor, recording_id, speakers=speakers, dictation=dictation)
        final = _run_with_progress(ctx, actor, recording_id)
    except CasenotesError as error:
        err.print(f"[bold red]Error:[/] {error.message}")
        if error.hint:
            err.print(f"[yellow]What to do:[/] {error.hint}")
        raise typer.Exit(code=2) from None
    except KeyboardInterrupt:
        err.print("[yellow]Stopped.[/] Finished parts are kept: carry on with "
                  f"'casenotes transcribe --resume {recording_id} --user {user}'.")
        raise typer.Exit(code=130) from None
    finally:
        if ctx is not None:
            ctx.close()
    if final.status == "done":
        out.print(f"Transcribed recording {recording_id}: name the speakers in the web app, "
                  f"then run 'casenotes draft {recording_id}'.")
    elif final.status == "no_speech":
        err.print(f"[yellow]{final.message}[/]")
        raise typer.Exit(code=1)
    else:
        err.print(f"[yellow]{final.status}:[/] {final.message}")
        raise typer.Exit(code=1)


def _new_recording(ctx: AppContext, actor: UserView, file: Path | None, case: int | None,
                   consent: list[str], title: str, template: str) -> int:
    if file is None or case is None:
        raise InvalidInput("Give an audio file and --case, or --resume RECORDING.",
                           hint="For example: casenotes transcribe visit.m4a --case 3 "
                           "--consent 'Kelly Smith=granted' --user jo")
    if not file.is_file():
        raise InvalidInput(f"There is no file at {file}.", hint="Check the path and try again.")
    parties = {}
    for spec in consent:
        party, sep, decision = spec.rpartition("=")
        if not sep or not party.strip():
            raise InvalidInput(f"{spec!r} is not 'Name=decision'.",
                               hint="Write each as --consent 'Kelly Smith=granted'.")
        parties[party.strip()] = decision.strip()
    # Check the file before creating anything, so a bad file leaves nothing behind.
    from casenotes.pipeline import audio

    audio.check_upload(file.name, file.stat().st_size, max_bytes=ctx.settings.max_audio_bytes)
    audio.probe(file, max_seconds=ctx.settings.max_audio_seconds)
    rec = audio_capture.start_audio_recording(ctx, actor, case, parties=parties, title=title,
                                              template=template)
    audio_capture.attach_audio_file(ctx, actor, rec.id, filename=file.name, path=file)
    out.print(f"Stored the audio as recording {rec.id}.")
    return rec.id


def _run_with_progress(ctx: AppContext, actor: UserView,
                       recording_id: int) -> TranscriptionStatus:
    with Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                  TimeElapsedColumn(), console=err) as bar:
        task = bar.add_task("Transcribing on this machine", total=None)

        def show(state: TranscriptionStatus) -> None:
            part = min(state.chunks_done + 1, state.chunks_total)
            bar.update(task, total=state.chunks_total, completed=state.chunks_done,
                       description=f"Transcribing part {part} of {state.chunks_total}")

        final = transcription.run(ctx, actor, recording_id, progress=show)
        bar.update(task, completed=final.chunks_total or 1, total=final.chunks_total or 1)
    return final
