"""The consent ledger: each party's decision per use, how it was given, and withdrawal.

Every party present at a session (people heard in the transcript and partner agencies such as
police, health or school) has decisions per use: audio recording, transcription and AI drafting.
Rows are only appended; the newest decision covering a use is in force. Withdrawal after the fact
deletes the session's audio files and transcript, stops further processing and keeps signed
notes as they are (the practitioner is told).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from casenotes.domain.consent import ConsentDecision
from casenotes.domain.errors import ConsentRefused, InvalidInput
from casenotes.domain.transcript import format_time
from casenotes.services.access import case_session, visible_recording
from casenotes.services.audit_log import record, record_now
from casenotes.services.context import AppContext
from casenotes.services.views import (
    ConsentEntryView,
    ConsentLedgerView,
    PartyConsentView,
    UserView,
    WithdrawalView,
    shown_time,
)
from casenotes.store.models import Recording
from casenotes.store.repositories import governance as gov_repo
from casenotes.store.repositories import notes as notes_repo
from casenotes.store.repositories import recordings as recordings_repo
from casenotes.store.repositories import users as users_repo

USES = ("audio", "transcription", "drafting")
USE_LABELS = {"audio": "audio recording", "transcription": "transcription",
              "drafting": "AI drafting"}
_USE_WORDS = {
    "audio": "audio", "recording": "audio", "audio recording": "audio",
    "transcription": "transcription", "transcript": "transcription",
    "drafting": "drafting", "ai drafting": "drafting", "draft": "drafting",
}
PARTY_KINDS = ("person", "agency")
METHODS = ("verbal", "written", "signed form", "electronic")
WITHDRAWN_STAGE = "withdrawn"
MAX_PARTY = 200


def parse_uses(scope: str | Iterable[str]) -> tuple[str, ...]:
    """``"recording, transcription, AI drafting"`` → ``("audio", "transcription", "drafting")``."""
    words = scope.split(",") if isinstance(scope, str) else list(scope)
    uses: list[str] = []
    for word in words:
        key = " ".join(word.strip().lower().split())
        if not key:
            continue
        use = _USE_WORDS.get(key)
        if use is None:
            raise InvalidInput(f"{word.strip()!r} is not a use that consent can cover.",
                               hint="Choose from audio recording, transcription and AI drafting.")
        if use not in uses:
            uses.append(use)
    if not uses:
        raise InvalidInput("Say what the consent covers.",
                           hint="Tick audio recording, transcription or AI drafting.")
    return tuple(u for u in USES if u in uses)


def _decisions(session: Session, recording_id: int) -> dict[str, tuple[str, dict[str, str]]]:
    """party → (kind, use → decision in force) from the whole ledger, oldest row first."""
    state: dict[str, tuple[str, dict[str, str]]] = {}
    for row in gov_repo.consent_history(session, recording_id=recording_id):
        kind, uses = state.setdefault(row.party, (row.party_kind, {}))
        covered = USES if row.decision == ConsentDecision.WITHDRAWN.value else _safe_uses(row.scope)
        for use in covered:
            uses[use] = row.decision
        state[row.party] = (row.party_kind or kind, uses)
    return state


def _safe_uses(scope: str) -> tuple[str, ...]:
    try:
        return parse_uses(scope)
    except InvalidInput:
        return USES  # an unreadable old scope is read as covering everything


def _parties(session: Session, recording: Recording) -> dict[str, tuple[str, dict[str, str]]]:
    """Everyone present: the ledger's parties plus each speaker heard (with no decision yet)."""
    state = _decisions(session, recording.id)
    for speaker in recordings_repo.transcript(session, recording_id=recording.id).speakers:
        state.setdefault(speaker, ("person", {}))
    return state


def _refusals(state: dict[str, tuple[str, dict[str, str]]], use: str) -> list[str]:
    return [f"{party}: {uses.get(use, 'unknown')}" for party, (_, uses) in state.items()
            if uses.get(use) != ConsentDecision.GRANTED.value]


def _is_withdrawn(session: Session, recording: Recording) -> bool:
    return recording.stage == WITHDRAWN_STAGE or any(
        row.decision == ConsentDecision.WITHDRAWN.value
        for row in gov_repo.consent_history(session, recording_id=recording.id))


def record_decision(
    ctx: AppContext, actor: UserView, recording_id: int, *, party: str, decision: str,
    uses: str | Iterable[str] = USES, method: str = "verbal", party_kind: str = "person",
    transcript_time: float | None = None,
) -> ConsentEntryView:
    """Append one party's decision for the given uses (a withdrawal goes through ``withdraw``)."""
    party = " ".join(party.split())
    if not party or len(party) > MAX_PARTY:
        raise InvalidInput("Say whose decision this is (up to 200 characters).",
                           hint="Type the person's name or the agency, e.g. 'Police'.")
    if decision not in (ConsentDecision.GRANTED.value, ConsentDecision.DECLINED.value):
        raise InvalidInput(f"{decision!r} cannot be recorded here.",
                           hint="Record granted or declined; use 'Withdraw consent' to withdraw.")
    if party_kind not in PARTY_KINDS:
        raise InvalidInput(f"{party_kind!r} is not a kind of party.",
                           hint="Choose a person or a partner agency.")
    method = method.strip().lower()
    if method not in METHODS:
        raise InvalidInput(f"{method!r} is not a way of giving consent.",
                           hint=f"Choose one of: {', '.join(METHODS)}.")
    if transcript_time is not None and transcript_time < 0:
        raise InvalidInput("The transcript time cannot be negative.",
                           hint="Give the time in the recording where consent was said.")
    chosen = parse_uses(uses)
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        if _is_withdrawn(session, recording) and decision == ConsentDecision.GRANTED.value:
            raise ConsentRefused(
                "Consent for this session was withdrawn and its recording deleted.",
                hint="Start a new session if the person now agrees to be recorded.")
        row = gov_repo.add_consent(
            session, recording_id=recording.id, party=party, party_kind=party_kind,
            decision=decision, scope=",".join(chosen), method=method,
            transcript_time=transcript_time, recorded_by=actor.id,
        )
        record(session, actor, "consent.record", "recording", recording.id,
               f"consent={row.id} decision={decision} uses={'+'.join(chosen)} kind={party_kind}")
        return _entry(row.id, party, party_kind, decision, chosen, method, transcript_time,
                      actor.username, shown_time(row.recorded_at))


def _entry(ident: int, party: str, kind: str, decision: str, uses: tuple[str, ...],
           method: str, at_time: float | None, by: str, at: str) -> ConsentEntryView:
    return ConsentEntryView(
        id=ident, party=party, party_kind=kind, decision=decision, uses=uses, method=method,
        transcript_time=format_time(at_time) if at_time is not None else "",
        recorded_by=by, recorded_at=at)


def ledger(ctx: AppContext, actor: UserView, recording_id: int) -> ConsentLedgerView:
    """Every decision recorded for the session, what is in force, and whether audio may be
    recorded (otherwise the session is "notes only")."""
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        state = _parties(session, recording)
        names: dict[int, str] = {}
        entries = []
        for row in gov_repo.consent_history(session, recording_id=recording.id):
            if row.recorded_by not in names:
                user = users_repo.get_user(session, user_id=row.recorded_by)
                names[row.recorded_by] = user.username if user else ""
            uses = USES if row.decision == ConsentDecision.WITHDRAWN.value \
                else _safe_uses(row.scope)
            entries.append(_entry(row.id, row.party, row.party_kind, row.decision, uses,
                                  row.method, row.transcript_time, names[row.recorded_by],
                                  shown_time(row.recorded_at)))
        withdrawn = _is_withdrawn(session, recording)
        refusals = _refusals(state, "audio")
        if withdrawn:
            reason = "Consent was withdrawn for this session: it cannot be recorded."
        elif not state:
            reason = "No party has been recorded yet: add each person and agency present."
        elif refusals:
            reason = ("Not every party present has agreed to audio recording ("
                      + "; ".join(refusals) + "). Take notes only.")
        else:
            reason = ""
        audio = len(gov_repo.held_files(session, recording_id=recording.id))
        record(session, actor, "consent.view", "recording", recording.id,
               f"entries={len(entries)}")
        return ConsentLedgerView(
            recording_id=recording.id, case_id=recording.case_id, stage=recording.stage,
            parties=tuple(
                PartyConsentView(party=p, party_kind=kind,
                                 decisions=tuple((u, uses.get(u, "unknown")) for u in USES))
                for p, (kind, uses) in state.items()),
            entries=tuple(entries), recording_allowed=not reason, notes_only_reason=reason,
            withdrawn=withdrawn, audio_files=audio,
        )


def ensure_allowed(ctx: AppContext, actor: UserView, recording_id: int, use: str) -> None:
    """Raise ``ConsentRefused`` unless every party present granted ``use`` for this session."""
    if use not in USES:
        raise InvalidInput(f"{use!r} is not a use that consent can cover.",
                           hint="Use audio, transcription or drafting.")
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        state = _parties(session, recording)
        withdrawn = _is_withdrawn(session, recording)
    refusals = _refusals(state, use) if state else ["nobody recorded: unknown"]
    if withdrawn or refusals:
        record_now(ctx, actor, "process.refused", "recording", recording_id,
                   f"reason=consent use={use}")
        raise ConsentRefused(
            f"{USE_LABELS[use].capitalize()} is not allowed for this session"
            + (" (consent was withdrawn)." if withdrawn else f" ({'; '.join(refusals)})."),
            hint="Record a 'granted' decision for each party present, or take notes only.")


def attach_audio(ctx: AppContext, actor: UserView, recording_id: int, data: bytes,
                 *, suffix: str = ".wav") -> str:
    """Store the session's audio (only when every party present agreed); returns its key."""
    if not data:
        raise InvalidInput("The audio file is empty.", hint="Choose the recording again.")
    if suffix not in (".wav", ".mp3", ".m4a", ".flac", ".ogg", ".webm"):
        raise InvalidInput(f"{suffix!r} is not an audio file type casenotes keeps.",
                           hint="Use WAV, MP3, M4A, FLAC, OGG or WebM.")
    ensure_allowed(ctx, actor, recording_id, "audio")
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        count = len(gov_repo.held_files(session, recording_id=recording.id))
        key = f"sessions/{recording.id}/audio-{count + 1}{suffix}"
        row = gov_repo.add_session_file(session, recording_id=recording.id, key=key,
                                        kind="audio")
        ctx.blobs.put(key, data)  # written before commit: a failed write stores no row
        record(session, actor, "audio.store", "recording", recording.id,
               f"file={row.id} bytes={len(data)}")
        return key


def withdraw(
    ctx: AppContext, actor: UserView, recording_id: int, *, party: str,
    method: str = "verbal", transcript_time: float | None = None,
) -> WithdrawalView:
    """Record a withdrawal and delete the session's audio and transcript.

    Signed notes are part of the legal record and stay as they are; the practitioner is told, so
    they can add an amendment saying consent was withdrawn.
    """
    party = " ".join(party.split())
    if not party:
        raise InvalidInput("Say who withdrew consent.", hint="Choose the party.")
    method = method.strip().lower()
    if method not in METHODS:
        raise InvalidInput(f"{method!r} is not a way of giving consent.",
                           hint=f"Choose one of: {', '.join(METHODS)}.")
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        kinds = {p: k for p, (k, _) in _parties(session, recording).items()}
        row = gov_repo.add_consent(
            session, recording_id=recording.id, party=party,
            party_kind=kinds.get(party, "person"), decision=ConsentDecision.WITHDRAWN.value,
            scope=",".join(USES), method=method, transcript_time=transcript_time,
            recorded_by=actor.id,
        )
        files = gov_repo.held_files(session, recording_id=recording.id)
        segments = gov_repo.erase_transcript(session, recording_id=recording.id)
        note = notes_repo.note_for_recording(session, recording_id=recording.id)
        sentences = gov_repo.erase_draft_content(session, recording_id=recording.id)
        if note is None:
            gov_repo.set_stage(session, recording_id=recording.id, stage=WITHDRAWN_STAGE)
        gov_repo.forget_files(session, recording_id=recording.id)
        # Deleted before the commit: should the commit fail, the files are gone all the same
        # and running the withdrawal again completes it.
        deleted = sum(1 for key in files if ctx.blobs.delete(key))
        record(session, actor, "consent.withdraw", "recording", recording.id,
               f"consent={row.id} files={deleted} segments={segments} sentences={sentences} "
               f"note_kept={note.id if note else 'none'}")
        message = (f"Consent withdrawn. Deleted: {deleted} audio file(s), the transcript "
                   f"({segments} turn(s)) and {sentences} drafted sentence(s); "
                   "nothing further will be processed for this session.")
        if note is not None:
            message += (" The signed note is part of the record and has been kept as it is: "
                        "add an amendment if it should say that consent was withdrawn.")
        return WithdrawalView(recording_id=recording.id, audio_files_deleted=deleted,
                              segments_deleted=segments, draft_sentences_deleted=sentences,
                              signed_note_id=note.id if note else None, message=message)
