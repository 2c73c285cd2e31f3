"""One-click accept of a check's suggested wording on the review page."""

from __future__ import annotations

from casenotes.domain.errors import InvalidInput
from casenotes.domain.flags import FlagKind
from casenotes.services.access import case_session
from casenotes.services.audit_log import record
from casenotes.services.context import AppContext
from casenotes.services.review import flag_in_scope
from casenotes.services.views import UserView
from casenotes.store.repositories import drafts as drafts_repo
from casenotes.store.repositories import pseudonyms as pseudonyms_repo
from casenotes.store.repositories import recordings as recordings_repo

# Flags whose suggestion is the whole sentence reworded (not advice to the practitioner).
ACCEPTABLE_KINDS = frozenset({FlagKind.STIGMATISING_LANGUAGE.value,
                              FlagKind.NAME_CONSISTENCY.value})


def can_accept(kind: str, suggestion: str | None, sentence_id: str | None) -> bool:
    """Whether a flag offers a wording that can replace its sentence in one click."""
    return kind in ACCEPTABLE_KINDS and bool(suggestion) and sentence_id is not None


def accept_suggestion(ctx: AppContext, actor: UserView, flag_id: int) -> str:
    """Replace the flag's sentence with its suggested wording, as the practitioner's edit, and
    resolve the flag, in one transaction. Returns the section name that changed."""
    with case_session(ctx, actor) as session:
        flag, draft = flag_in_scope(session, actor, flag_id)
        if flag.status != "open":
            raise InvalidInput("This flag has already been decided.",
                               hint="Reload the page to see the current draft.")
        if not can_accept(flag.kind, flag.suggestion, flag.sentence_sid):
            raise InvalidInput("This flag has no suggested wording to accept.",
                               hint="Edit the sentence yourself, then resolve the flag.")
        row = drafts_repo.sentence_row(session, draft_id=draft.id, sid=str(flag.sentence_sid))
        if row is None:
            raise InvalidInput("The sentence this flag is about is no longer in the draft.",
                               hint="Reload the page; the draft may have changed.")
        if row.edited_text is not None:
            raise InvalidInput(
                "You have already edited this sentence, so the suggestion would overwrite "
                "your words.",
                hint="Edit the sentence yourself using the suggestion, then resolve the flag.")
        recording = recordings_repo.get_recording(session, recording_id=draft.recording_id)
        case_id = recording.case_id if recording is not None else 0
        mapping = pseudonyms_repo.load_map(session, case_id=case_id)
        drafts_repo.set_sentence_edit(session, sentence=row,
                                      text=mapping.reidentify(str(flag.suggestion)))
        drafts_repo.decide_flag(session, flag=flag, status="resolved", decided_by=actor.id,
                                resolution="suggestion accepted")
        record(session, actor, "flag.accept_suggestion", "flag", flag.id,
               f"draft={draft.id} sentence={flag.sentence_sid}")
        return str(flag.section)
