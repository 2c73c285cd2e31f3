"""Recordings: import a transcript, record each party's consent decision."""

from __future__ import annotations

from casenotes.domain.consent import ConsentDecision
from casenotes.domain.errors import InvalidInput
from casenotes.pipeline.capture import parse_transcript
from casenotes.services.access import case_session, visible_case, visible_recording
from casenotes.services.audit_log import record
from casenotes.services.cases import summaries
from casenotes.services.context import AppContext
from casenotes.services.views import ConsentView, RecordingSummary, UserView, shown_time
from casenotes.store.repositories import recordings as recordings_repo
from casenotes.store.repositories import users as users_repo

DEFAULT_SCOPE = "recording, transcription, AI drafting"


def import_transcript(
    ctx: AppContext, actor: UserView, case_id: int, *, filename: str, content: bytes,
    title: str = "", template: str = "home_visit_note",
) -> RecordingSummary:
    """Parse a transcript file (text, WebVTT or SRT) and store it as a new recording.

    A bad file is refused with the line that was wrong; nothing is stored.
    """
    if len(content) > ctx.settings.max_upload_bytes:
        raise InvalidInput(
            f"The file is larger than the limit of {ctx.settings.max_upload_bytes} bytes.",
            hint="Split the transcript, or ask your administrator to raise the limit.",
        )
    transcript = parse_transcript(content, filename)
    with case_session(ctx, actor) as session:
        case = visible_case(session, actor, case_id)
        recording = recordings_repo.create_recording(
            session, case_id=case.id, title=title.strip() or filename, source="import",
            filename=filename, template=template, created_by=actor.id, transcript=transcript,
        )
        record(session, actor, "recording.import", "recording", recording.id,
               f"case={case.id} segments={len(transcript.segments)}")
        return summaries(session, [recording])[0]


def get_recording(ctx: AppContext, actor: UserView, recording_id: int) -> RecordingSummary:
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        return summaries(session, [recording])[0]


def speakers(ctx: AppContext, actor: UserView, recording_id: int) -> list[str]:
    """The parties heard in the recording, in order of first appearance."""
    with case_session(ctx, actor) as session:
        visible_recording(session, actor, recording_id)
        return recordings_repo.transcript(session, recording_id=recording_id).speakers


def record_consent(
    ctx: AppContext, actor: UserView, recording_id: int, *, party: str, decision: str,
    method: str = "verbal", scope: str = DEFAULT_SCOPE,
) -> None:
    """Append a consent decision for one party to the ledger (the newest is in force)."""
    try:
        choice = ConsentDecision(decision)
    except ValueError:
        raise InvalidInput(
            f"{decision!r} is not a consent decision.",
            hint="Use granted, declined or withdrawn.",
        ) from None
    if not party.strip():
        raise InvalidInput("Say whose consent this is.", hint="Choose the party.")
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        row = recordings_repo.add_consent(
            session, recording_id=recording.id, party=party.strip(), decision=choice.value,
            scope=scope, method=method, recorded_by=actor.id,
        )
        record(session, actor, "consent.record", "recording", recording.id,
               f"consent={row.id} decision={choice.value}")


def consents(ctx: AppContext, actor: UserView, recording_id: int) -> list[ConsentView]:
    """The decision in force for every party heard (``unknown`` where none was recorded)."""
    with case_session(ctx, actor) as session:
        visible_recording(session, actor, recording_id)
        parties = recordings_repo.transcript(session, recording_id=recording_id).speakers
        current = recordings_repo.current_consents(session, recording_id=recording_id)
        views = []
        for party in [*parties, *(p for p in current if p not in parties)]:
            row = current.get(party)
            if row is None:
                views.append(ConsentView(party=party, decision="unknown", method="",
                                         recorded_by="", recorded_at=""))
                continue
            by = users_repo.get_user(session, user_id=row.recorded_by)
            views.append(ConsentView(
                party=party, decision=row.decision, method=row.method,
                recorded_by=by.username if by else "",
                recorded_at=shown_time(row.recorded_at),
            ))
        return views
