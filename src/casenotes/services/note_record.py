"""A signed note with what governance adds to it: versions, replies, edits and supervision."""

from __future__ import annotations

from casenotes.services import review
from casenotes.services.access import case_session
from casenotes.services.context import AppContext
from casenotes.services.note_access import note_versions, username, visible_note
from casenotes.services.replies import reply_view
from casenotes.services.supervision import (
    QA_CHECKLIST,
    approval_status,
    edit_diff,
    in_qa_sample,
)
from casenotes.services.views import NoteRecordView, UserView
from casenotes.store.repositories import governance as gov_repo
from casenotes.store.repositories import recordings as recordings_repo


def note_record(ctx: AppContext, actor: UserView, note_id: int) -> NoteRecordView:
    note_view = review.get_note(ctx, actor, note_id)  # audited as note.view
    with case_session(ctx, actor) as session:
        note = visible_note(session, actor, note_id)
        recording = recordings_repo.get_recording(session, recording_id=note.recording_id)
        names: dict[int, str] = {}
        qa = gov_repo.qa_review(session, note_id=note.id)
        status = approval_status(session, ctx.settings, note)
        return NoteRecordView(
            note=note_view, template=recording.template if recording else "",
            versions=tuple(note_versions(session, note)),
            replies=tuple(reply_view(r, username(session, r.added_by, names))
                          for r in gov_repo.replies(session, note_id=note.id)),
            diff=edit_diff(note), approval_needed=status != "not needed", approval=status,
            qa_sampled=in_qa_sample(note.id, ctx.settings.qa_sample_percent) or qa is not None,
            qa_result=tuple((label, bool(qa.checklist.get(key))) for key, label in QA_CHECKLIST)
            if qa else (),
            can_amend=actor.role in ("practitioner", "supervisor"),
        )
