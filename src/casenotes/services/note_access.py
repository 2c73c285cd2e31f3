"""Finding a signed note the actor may see (refusals are audited by ``case_session``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from casenotes.services.access import AccessRefused, visible_case
from casenotes.services.views import NoteVersionView, UserView, shown_time
from casenotes.store.models import NoteRow
from casenotes.store.repositories import governance as gov_repo
from casenotes.store.repositories import notes as notes_repo
from casenotes.store.repositories import users as users_repo


def visible_note(session: Session, actor: UserView, note_id: int) -> NoteRow:
    note = notes_repo.get_note(session, note_id=note_id)
    if note is None:
        raise AccessRefused("note", note_id)
    try:
        visible_case(session, actor, note.case_id)
    except AccessRefused:
        raise AccessRefused("note", note_id) from None
    return note


def username(session: Session, user_id: int, cache: dict[int, str] | None = None) -> str:
    cache = {} if cache is None else cache
    if user_id not in cache:
        user = users_repo.get_user(session, user_id=user_id)
        cache[user_id] = user.username if user else ""
    return cache[user_id]


def note_versions(session: Session, note: NoteRow) -> list[NoteVersionView]:
    """Version 1 is the note as signed; each amendment adds the next version."""
    names: dict[int, str] = {}
    found = [NoteVersionView(
        version=1, text=note.text, sections=tuple((s["name"], s["text"]) for s in note.sections),
        reason="Signed", by=username(session, note.signed_by, names),
        at=shown_time(note.signed_at))]
    for row in gov_repo.versions(session, note_id=note.id):
        found.append(NoteVersionView(
            version=row.version, text=row.text,
            sections=tuple((s["name"], s["text"]) for s in row.sections), reason=row.reason,
            by=username(session, row.amended_by, names), at=shown_time(row.amended_at)))
    return found
