"""Amendments: a signed note is never overwritten; each amendment is a new, kept version."""

from __future__ import annotations

from collections.abc import Sequence

from casenotes.domain.errors import InvalidInput
from casenotes.services.access import case_session
from casenotes.services.audit_log import record
from casenotes.services.context import AppContext
from casenotes.services.note_access import note_versions, visible_note
from casenotes.services.views import NoteVersionView, UserView
from casenotes.store.repositories import governance as gov_repo

MAX_TEXT = 20_000
MAX_REASON = 2_000


def amend(
    ctx: AppContext, actor: UserView, note_id: int, *, sections: Sequence[tuple[str, str]],
    reason: str,
) -> NoteVersionView:
    """Make the next version of a note from new section texts and a reason for the change."""
    if actor.role not in ("practitioner", "supervisor"):
        raise InvalidInput("Only practitioners and supervisors can amend a note.",
                           hint="Ask the note's author or their supervisor.")
    reason = reason.replace("\r\n", "\n").strip()
    if not reason or len(reason) > MAX_REASON:
        raise InvalidInput("An amendment needs a reason (up to 2,000 characters).",
                           hint="Say briefly why the note is being amended.")
    with case_session(ctx, actor) as session:
        note = visible_note(session, actor, note_id)
        current = note_versions(session, note)[-1]
        names = [name for name, _ in current.sections]
        given = {name: text.replace("\r\n", "\n").strip() for name, text in sections}
        unknown = [name for name in given if name not in names]
        if unknown:
            raise InvalidInput(f"The note has no section called {unknown[0]!r}.",
                               hint="Reload the note and amend its own sections.")
        if any(len(text) > MAX_TEXT for text in given.values()):
            raise InvalidInput(f"A section is longer than {MAX_TEXT} characters.",
                               hint="Shorten it and save again.")
        new_sections = [(name, given.get(name, old)) for name, old in current.sections]
        if new_sections == list(current.sections):
            raise InvalidInput("The amendment changes nothing.",
                               hint="Edit at least one section, then save the amendment.")
        text = "\n\n".join(f"{name}\n{body}" for name, body in new_sections)
        row = gov_repo.add_version(
            session, note_id=note.id, version=current.version + 1, text=text,
            sections=[{"name": n, "text": t} for n, t in new_sections], reason=reason,
            amended_by=actor.id,
        )
        changed = sum(1 for new, old in zip(new_sections, current.sections, strict=True)
                      if new != old)
        record(session, actor, "note.amend", "note", note.id,
               f"version={row.version} sections_changed={changed}")
        return note_versions(session, note)[-1]


def versions(ctx: AppContext, actor: UserView, note_id: int) -> list[NoteVersionView]:
    with case_session(ctx, actor) as session:
        note = visible_note(session, actor, note_id)
        found = note_versions(session, note)
        record(session, actor, "note.versions", "note", note.id, f"versions={len(found)}")
        return found
