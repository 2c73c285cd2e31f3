"""Right of reply: the person's own response, attached to a note and shown with it."""

from __future__ import annotations

from casenotes.domain.errors import InvalidInput
from casenotes.services.access import case_session
from casenotes.services.audit_log import record
from casenotes.services.context import AppContext
from casenotes.services.note_access import username, visible_note
from casenotes.services.views import ReplyView, UserView, shown_time
from casenotes.store.models import NoteReplyRow
from casenotes.store.repositories import governance as gov_repo

MAX_REPLY = 50_000
UPLOAD_TYPES = (".txt", ".md")


def reply_text_from_upload(filename: str, content: bytes) -> str:
    """The text of an uploaded reply (plain text); a clear error for anything else."""
    name = filename.lower()
    if not name.endswith(UPLOAD_TYPES):
        raise InvalidInput("A reply can be uploaded as a plain text file (.txt or .md).",
                           hint="Save the reply as text, or type it into the box instead.")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("The reply file is not UTF-8 text.",
                           hint="Save it as UTF-8 text, or type the reply instead.") from None


def add_reply(
    ctx: AppContext, actor: UserView, note_id: int, *, text: str, filename: str = "",
) -> ReplyView:
    """Attach the person's reply (typed by the practitioner, or uploaded when ``filename``)."""
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise InvalidInput("The reply is empty.", hint="Type or upload the person's response.")
    if len(text) > MAX_REPLY:
        raise InvalidInput(f"The reply is longer than {MAX_REPLY} characters.",
                           hint="Attach a shorter reply, or split it into parts.")
    with case_session(ctx, actor) as session:
        note = visible_note(session, actor, note_id)
        row = gov_repo.add_reply(session, note_id=note.id, text=text,
                                 source="uploaded" if filename else "typed",
                                 filename=filename[:255], added_by=actor.id)
        record(session, actor, "note.reply", "note", note.id,
               f"reply={row.id} chars={len(text)}")
        return reply_view(row, actor.username)


def reply_view(row: NoteReplyRow, added_by: str) -> ReplyView:
    return ReplyView(id=row.id, text=row.text, source=row.source, filename=row.filename,
                     added_by=added_by, added_at=shown_time(row.added_at))


def list_replies(ctx: AppContext, actor: UserView, note_id: int) -> list[ReplyView]:
    with case_session(ctx, actor) as session:
        note = visible_note(session, actor, note_id)
        names: dict[int, str] = {}
        found = [reply_view(r, username(session, r.added_by, names))
                 for r in gov_repo.replies(session, note_id=note.id)]
        record(session, actor, "note.replies", "note", note.id, f"replies={len(found)}")
        return found
