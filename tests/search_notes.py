"""Signed notes made quickly for search tests: rows written as sign-off writes them."""

from __future__ import annotations

from casenotes.domain.transcript import Segment, Transcript
from casenotes.services.context import AppContext
from casenotes.services.views import UserView
from casenotes.store.models import DraftRow
from casenotes.store.repositories import cases as cases_repo
from casenotes.store.repositories import notes as notes_repo
from casenotes.store.repositories import recordings as recordings_repo


def make_case(ctx: AppContext, reference: str, *, allocate_to: list[UserView],
              people: list[tuple[str, str, list[str]]] | None = None,
              team: str | None = "Children East") -> int:
    with ctx.session() as session:
        case = cases_repo.create_case(session, reference=reference, title=f"Case {reference}",
                                      team=team, people=people or [])
        for user in allocate_to:
            cases_repo.allocate(session, case_id=case.id, user_id=user.id)
        return case.id


def signed_note(ctx: AppContext, author: UserView, case_id: int, sections: dict[str, str], *,
                turns: list[tuple[str, str]] | None = None, title: str = "Home visit",
                template: str = "home_visit_note") -> int:
    """A signed note with these sections (one sentence list each) and, if given, a transcript."""
    transcript = Transcript(segments=tuple(
        Segment(id=i, speaker=speaker, text=words)
        for i, (speaker, words) in enumerate(turns or [], start=1)))
    with ctx.session() as session:
        recording = recordings_repo.create_recording(
            session, case_id=case_id, title=title, source="transcript", filename="visit.txt",
            template=template, created_by=author.id, transcript=transcript)
        draft = DraftRow(recording_id=recording.id, template=template, engine="test",
                         engine_version="1")
        session.add(draft)
        session.flush()
        stored = [{"name": name, "reserved": False, "text": body, "human_text": "",
                   "sentences": [{"text": body, "kind": "human", "segments": [1]}]}
                  for name, body in sections.items()]
        note = notes_repo.create_note(
            session, case_id=case_id, recording_id=recording.id, draft_id=draft.id,
            title=title, text="\n\n".join(sections.values()), sections=stored,
            drafted_text="", signed_by=author.id, attestation="checked",
            transparency={}, changed_share=1.0)
        recordings_repo.set_stage(session, recording=recording, stage="signed")
        return note.id
