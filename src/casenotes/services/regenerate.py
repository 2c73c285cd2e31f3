"""Regenerate one section of a draft, keeping the practitioner's work everywhere else.

The section's drafted sentences (and any edits to them) are replaced by a fresh draft of that
section; its own added text, every other section, and flags elsewhere stay as they are. The new
sentences get new ids, are checked again, and the flags on the section are replaced.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from casenotes.domain.draft import Draft, Section
from casenotes.domain.errors import InvalidInput, NotFound, ReadOnly
from casenotes.domain.flags import Flag
from casenotes.pipeline import check as check_stage
from casenotes.pipeline import draft as draft_stage
from casenotes.pipeline.templates import load_template
from casenotes.services.access import case_session, visible_recording
from casenotes.services.audit_log import record
from casenotes.services.context import AppContext
from casenotes.services.energy import stage_meter
from casenotes.services.model_gateway import drafter_for_case
from casenotes.services.processing import case_people, check_context, draft_context
from casenotes.services.training import ensure_may_draft
from casenotes.services.views import RegeneratedSectionView, UserView
from casenotes.store.models import DraftRow
from casenotes.store.repositories import cases as cases_repo
from casenotes.store.repositories import draft_sections as sections_repo
from casenotes.store.repositories import drafts as drafts_repo
from casenotes.store.repositories import notes as notes_repo
from casenotes.store.repositories import pseudonyms as pseudonyms_repo
from casenotes.store.repositories import recordings as recordings_repo


def _unsigned_draft(session: Session, recording_id: int) -> DraftRow:
    if notes_repo.note_for_recording(session, recording_id=recording_id) is not None:
        raise ReadOnly("This note has been signed and can no longer be changed.",
                       hint="Signed notes are read-only.")
    row = drafts_repo.get_draft_row(session, recording_id=recording_id)
    if row is None:
        raise NotFound("This recording has not been drafted yet.",
                       hint="Choose 'Process' to draft the note first.")
    return row


def _renumber(section: Section, first: int) -> tuple[Section, dict[str, str]]:
    ids = {s.id: f"s{first + i}" for i, s in enumerate(section.sentences)}
    sentences = tuple(replace(s, id=ids[s.id]) for s in section.sentences)
    return replace(section, sentences=sentences), ids


def regenerate_section(
    ctx: AppContext, actor: UserView, recording_id: int, section: str
) -> RegeneratedSectionView:
    """Draft ``section`` again from the transcript; nothing outside it changes."""
    ensure_may_draft(ctx, actor, recording_id)
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        row = _unsigned_draft(session, recording.id)
        template = load_template(row.template, ctx.settings.template_dirs)
        if section not in {s.name for s in template.sections}:
            raise NotFound(f"The note has no section called {section[:200]!r}.",
                           hint="Reload the page and choose a section from the draft.")
        if template.section(section).reserved:
            raise InvalidInput(f"'{section}' is reserved for you: it is never drafted.",
                               hint="Write this section yourself.")
        transcript = recordings_repo.transcript(
            session, recording_id=recording.id, pseudonymised=True)
        people = case_people(cases_repo.people(session, case_id=recording.case_id))
        speakers = {
            r.seq: (r.speaker, r.pseudo_speaker or r.speaker)
            for r in recordings_repo.segment_rows(session, recording_id=recording.id)
        }
        mapping = pseudonyms_repo.load_map(session, case_id=recording.case_id)
        context = draft_context(session, recording.id, transcript, people, speakers)
        current = drafts_repo.to_domain(row)
        draft_id = row.id
        first = sections_repo.next_sentence_number(session, draft_id=draft_id)
    # The drafting and the checks run outside any transaction (they can be slow).
    drafter = drafter_for_case(ctx, people, mapping)
    with stage_meter(ctx, recording_id, "regenerate", drafter.name, drafter.version):
        fresh = draft_stage.draft(transcript, template, drafter, context)
    new_section, ids = _renumber(fresh.section(section), first)
    updated: Draft = current.with_section(new_section)
    checks_context = check_context(template, people, mapping, speakers)
    flags = [
        replace(f, sentence_id=ids.get(f.sentence_id, f.sentence_id) if f.sentence_id else None)
        for f in check_stage.check(updated, transcript, ctx.checkers(), checks_context)
        if f.section == section
    ]
    return _store(ctx, actor, recording_id, draft_id, first, section, new_section, flags)


def _store(
    ctx: AppContext, actor: UserView, recording_id: int, draft_id: int, first: int,
    section: str, new_section: Section, flags: list[Flag],
) -> RegeneratedSectionView:
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        row = _unsigned_draft(session, recording.id)
        if row.id != draft_id or sections_repo.next_sentence_number(
                session, draft_id=draft_id) != first:
            raise InvalidInput(
                "The draft changed while this section was being drafted again.",
                hint="Reload the page and regenerate the section again.")
        section_row = drafts_repo.section_row(session, draft_id=draft_id, name=section)
        if section_row is None:
            raise NotFound(f"The note has no section called {section[:200]!r}.",
                           hint="Reload the page and choose a section from the draft.")
        removed = sections_repo.replace_sentences(
            session, section=section_row, sentences=list(new_section.sentences))
        sections_repo.replace_flags(session, draft_id=draft_id, section=section, flags=flags)
        record(session, actor, "draft.regenerate_section", "draft", draft_id,
               f"section_position={section_row.position} removed={removed} "
               f"added={len(new_section.sentences)} flags={len(flags)}")
        return RegeneratedSectionView(section=section, removed=removed,
                                      added=len(new_section.sentences), flags=len(flags))
