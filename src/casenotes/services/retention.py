"""Retention: delete what is due under the policy, and nothing else.

The policy sets, per kind of data, how long after sign-off it is kept: audio (default 7 days),
transcript and draft (90 days), the signed note with its versions and replies (75 years). When a
note is due, everything else of that session is due with it. Deletion is real: files are removed,
rows deleted, and SQLite is vacuumed so freed pages no longer hold the content.

The audit log is kept. It holds no content (ids, counts and staff usernames only), it is the
evidence that retention ran and what it deleted, and it is hash-chained and append-only by
database trigger: removing old events would need the chain re-anchored, which is exactly what a
tamper-evident log must make impossible for the application. An organisation that must purge it
archives the database and starts a new chain through an administrator's migration, not here.

Each session is swept in its own transaction, so an interrupted sweep loses nothing and the next
run simply continues with what is still due.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from casenotes.config import Settings
from casenotes.domain.errors import PermissionDenied
from casenotes.services.audit_log import record, record_now
from casenotes.services.context import AppContext
from casenotes.services.views import RetentionItemView, RetentionReport, UserView, shown_time
from casenotes.store.models import NoteRow
from casenotes.store.repositories import governance as gov_repo

KINDS = ("audio", "transcript", "draft", "note")
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class _Due:
    recording_id: int
    note_id: int
    kind: str
    since: datetime


def policy(settings: Settings) -> tuple[tuple[str, str], ...]:
    return (
        ("audio", f"deleted {settings.retention_audio_days} days after sign-off"),
        ("transcript", f"deleted {settings.retention_transcript_days} days after sign-off"),
        ("draft", f"deleted {settings.retention_draft_days} days after sign-off"),
        ("note", f"deleted {settings.retention_note_days} days after sign-off, with its "
                 "versions and replies"),
        ("audit", "kept: it holds no content and is the evidence of what was deleted"),
    )


def _days(settings: Settings) -> dict[str, int]:
    return {"audio": settings.retention_audio_days,
            "transcript": settings.retention_transcript_days,
            "draft": settings.retention_draft_days, "note": settings.retention_note_days}


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _due(settings: Settings, notes: list[NoteRow], now: datetime) -> list[_Due]:
    days = _days(settings)
    found = []
    for note in notes:
        signed = _aware(note.signed_at)
        note_due = signed + timedelta(days=days["note"])
        for kind in KINDS:
            since = min(signed + timedelta(days=days[kind]), note_due)
            if since <= now:
                found.append(_Due(note.recording_id, note.id, kind, since))
    return found


def run_retention(
    ctx: AppContext, actor: UserView | None = None, *, dry_run: bool = False,
    now: datetime | None = None, progress: Progress | None = None,
) -> RetentionReport:
    """Sweep (or, with ``dry_run``, only list) everything due under the policy.

    ``actor`` is ``None`` for the scheduled job; a person must be an administrator.
    """
    if actor is not None and actor.role != "admin":
        record_now(ctx, actor, "access.denied", "retention", "sweep")
        raise PermissionDenied("Only administrators can run the retention sweep.",
                               hint="Ask your information governance team.")
    now = _aware(now or datetime.now(UTC))
    with ctx.session() as session:
        notes = gov_repo.notes_signed_before(session, moment=now)
        due = _due(ctx.settings, notes, now)
    by_recording: dict[int, list[_Due]] = {}
    for item in due:
        by_recording.setdefault(item.recording_id, []).append(item)
    items: list[RetentionItemView] = []
    for done, (recording_id, kinds) in enumerate(sorted(by_recording.items()), start=1):
        items += _sweep_session(ctx, actor, recording_id, kinds, dry_run=dry_run)
        if progress is not None:
            progress(done, len(by_recording))
    counts = tuple((kind, sum(1 for i in items if i.kind == kind)) for kind in KINDS)
    vacuumed = False
    if not dry_run:
        vacuumed = gov_repo.vacuum(ctx.engine) if items else False
    with ctx.session() as session:
        record(session, actor, "retention.preview" if dry_run else "retention.run", "retention",
               "sweep", " ".join(f"{k}={n}" for k, n in counts) + f" vacuum={vacuumed}")
    return RetentionReport(dry_run=dry_run, items=tuple(items), counts=counts,
                           vacuumed=vacuumed, policy=policy(ctx.settings))


def _sweep_session(ctx: AppContext, actor: UserView | None, recording_id: int,
                   due: list[_Due], *, dry_run: bool) -> list[RetentionItemView]:
    """Delete one session's due data in one transaction; returns what was (or would be) gone."""
    kinds = {d.kind: d for d in due}
    items: list[RetentionItemView] = []
    with ctx.session() as session:
        files = gov_repo.held_files(session, recording_id=recording_id)
        amounts = {
            "audio": len(files),
            "transcript": gov_repo.segment_count(session, recording_id=recording_id),
            "draft": gov_repo.draft_sentence_count(session, recording_id=recording_id),
            "note": 1,
        }
        for kind, item in kinds.items():
            if amounts[kind]:
                items.append(RetentionItemView(
                    kind=kind, recording_id=recording_id,
                    note_id=item.note_id, amount=amounts[kind], due_since=shown_time(item.since)))
        if dry_run or not items:
            return items
        if "note" in kinds:
            gov_repo.delete_note(session, note_id=kinds["note"].note_id)
        if "draft" in kinds:
            gov_repo.erase_draft_content(session, recording_id=recording_id)
        if "transcript" in kinds:
            gov_repo.erase_transcript(session, recording_id=recording_id)
        deleted_files = 0
        if "audio" in kinds:
            gov_repo.forget_files(session, recording_id=recording_id)
            deleted_files = sum(1 for key in files if ctx.blobs.delete(key))
        record(session, actor, "retention.delete", "recording", recording_id,
               " ".join(f"{i.kind}={i.amount if i.kind != 'audio' else deleted_files}"
                        for i in items))
    return items
