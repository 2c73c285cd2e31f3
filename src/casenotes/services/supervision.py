"""Review and supervision: edit tracking, the approval queue, the quality-assurance sample, and
a gentle warning when drafts are signed almost unedited many times in a row."""

from __future__ import annotations

import difflib
import hashlib

from sqlalchemy.orm import Session

from casenotes.config import Settings
from casenotes.domain.errors import InvalidInput, PermissionDenied
from casenotes.services.access import case_session
from casenotes.services.audit_log import record, record_now
from casenotes.services.context import AppContext
from casenotes.services.note_access import username, visible_note
from casenotes.services.views import (
    EditDiffView,
    QueueItemView,
    SupervisionView,
    UserView,
    shown_time,
)
from casenotes.store.models import NoteRow
from casenotes.store.repositories import cases as cases_repo
from casenotes.store.repositories import governance as gov_repo
from casenotes.store.repositories import recordings as recordings_repo

QA_CHECKLIST = (
    ("accurate", "The note is accurate against the transcript"),
    ("voice", "The person's own voice is present"),
    ("analysis", "The analysis is written by the practitioner"),
    ("language", "No stigmatising language"),
)
MAX_COMMENT = 5_000


def edit_diff(note: NoteRow) -> EditDiffView:
    """Word-level difference between what the drafter wrote and what was signed."""
    drafted = note.drafted_text.split()
    final = " ".join(str(s["text"]) for s in note.sections if not s.get("reserved")).split()
    chunks: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=drafted, b=final, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            chunks.append(("same", " ".join(drafted[a1:a2])))
            continue
        if a2 > a1:
            chunks.append(("removed", " ".join(drafted[a1:a2])))
        if b2 > b1:
            chunks.append(("added", " ".join(final[b1:b2])))
    return EditDiffView(changed_share=note.changed_share, chunks=tuple(chunks))


def needs_approval(settings: Settings, template: str) -> bool:
    return template in settings.approval_templates


def approval_status(session: Session, settings: Settings, note: NoteRow) -> str:
    recording = recordings_repo.get_recording(session, recording_id=note.recording_id)
    if recording is None or not needs_approval(settings, recording.template):
        return "not needed"
    decisions = gov_repo.approvals(session, note_id=note.id)
    if not decisions:
        return "pending"
    latest = decisions[-1]
    amended = gov_repo.versions(session, note_id=note.id)
    if latest.decision == "returned" and amended and amended[-1].amended_at > latest.decided_at:
        return "pending"  # amended after it was returned: back to the supervisor
    return latest.decision


def in_qa_sample(note_id: int, percent: float) -> bool:
    """A stable pseudo-random sample: the same note is always in or out for a given share."""
    digest = hashlib.sha256(f"casenotes-qa:{note_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 10_000 < round(percent * 100)


def _require_supervisor(ctx: AppContext, actor: UserView, what: str) -> None:
    if actor.role != "supervisor":
        record_now(ctx, actor, "access.denied", "supervision", what)
        raise PermissionDenied("Only supervisors can do this.",
                               hint="Ask your team manager.")


def _item(session: Session, note: NoteRow, names: dict[int, str]) -> QueueItemView:
    return QueueItemView(note_id=note.id, case_id=note.case_id, title=note.title,
                         signed_by=username(session, note.signed_by, names),
                         signed_at=shown_time(note.signed_at), changed_share=note.changed_share)


def queues(ctx: AppContext, actor: UserView) -> SupervisionView:
    """Notes of the supervisor's team waiting for approval, and the unreviewed QA sample."""
    _require_supervisor(ctx, actor, "queue")
    percent = ctx.settings.qa_sample_percent
    with case_session(ctx, actor) as session:
        case_ids = [c.id for c, _ in cases_repo.list_visible_cases(session, user=actor)]
        names: dict[int, str] = {}
        approvals, sample = [], []
        for note in gov_repo.notes_in_cases(session, case_ids=case_ids):
            if approval_status(session, ctx.settings, note) == "pending":
                approvals.append(_item(session, note, names))
            if in_qa_sample(note.id, percent) and gov_repo.qa_review(
                    session, note_id=note.id) is None:
                sample.append(_item(session, note, names))
        record(session, actor, "supervision.view", "supervision", "queue",
               f"approvals={len(approvals)} qa={len(sample)}")
        return SupervisionView(approvals=tuple(approvals), qa_sample=tuple(sample),
                               qa_percent=percent)


def _comment(comment: str) -> str:
    comment = comment.replace("\r\n", "\n").strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(f"The comment is longer than {MAX_COMMENT} characters.",
                           hint="Shorten it and save again.")
    return comment


def decide_approval(ctx: AppContext, actor: UserView, note_id: int, *, approve: bool,
                    comment: str = "") -> str:
    """Approve a note, or return it to the practitioner with a comment saying what to change."""
    _require_supervisor(ctx, actor, "approval")
    comment = _comment(comment)
    if not approve and not comment:
        raise InvalidInput("Returning a note needs a comment.",
                           hint="Say what the practitioner should change.")
    with case_session(ctx, actor) as session:
        note = visible_note(session, actor, note_id)
        if note.signed_by == actor.id:
            raise PermissionDenied("You cannot approve a note you signed yourself.",
                                   hint="Ask another supervisor.")
        if approval_status(session, ctx.settings, note) != "pending":
            raise InvalidInput("This note is not waiting for approval.",
                               hint="Reload the supervision queue.")
        decision = "approved" if approve else "returned"
        gov_repo.add_approval(session, note_id=note.id, decision=decision, comment=comment,
                              decided_by=actor.id)
        record(session, actor, f"note.{'approve' if approve else 'return'}", "note", note.id)
        return decision


def record_qa(ctx: AppContext, actor: UserView, note_id: int, *, answers: dict[str, bool],
              comment: str = "") -> None:
    """Record a supervisor's quality-assurance checklist for a sampled note."""
    _require_supervisor(ctx, actor, "qa")
    comment = _comment(comment)
    keys = {k for k, _ in QA_CHECKLIST}
    if set(answers) - keys:
        raise InvalidInput("The checklist has an item casenotes does not know.",
                           hint="Reload the page and answer the checklist shown.")
    with case_session(ctx, actor) as session:
        note = visible_note(session, actor, note_id)
        if gov_repo.qa_review(session, note_id=note.id) is not None:
            raise InvalidInput("This note has already been reviewed for quality.",
                               hint="Open the note to see the recorded result.")
        checklist = {k: bool(answers.get(k, False)) for k, _ in QA_CHECKLIST}
        gov_repo.add_qa_review(session, note_id=note.id, checklist=checklist, comment=comment,
                               reviewed_by=actor.id)
        record(session, actor, "note.qa", "note", note.id,
               f"passed={sum(checklist.values())}/{len(checklist)}")


def unedited_warning(ctx: AppContext, actor: UserView) -> str:
    """A gentle reminder when the actor's last sign-offs changed almost nothing (else "")."""
    streak = ctx.settings.unedited_streak
    with ctx.session() as session:
        recent = gov_repo.notes_signed_by(session, user_id=actor.id, limit=streak)
    if len(recent) < streak or any(n.changed_share > ctx.settings.unedited_share
                                   for n in recent):
        return ""
    return (f"Your last {streak} notes were signed with almost no changes to the draft. "
            "The draft is only a starting point: check it against what was said, and make sure "
            "the person's voice and your own analysis are in the record.")
