"""Move a recording through the stages: consent → pseudonymise → draft → check.

Each stage's output is stored (and committed) before the next starts, so a failure leaves
earlier outputs intact and running again resumes at the first unfinished stage. Heavy work
(NER, drafting) runs outside database transactions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from casenotes.domain.consent import ConsentDecision, ensure_consent
from casenotes.domain.errors import ConsentRefused
from casenotes.domain.people import Person
from casenotes.domain.template import Template
from casenotes.domain.transcript import Transcript
from casenotes.pipeline import check as check_stage
from casenotes.pipeline import draft as draft_stage
from casenotes.pipeline.pseudonymise import PseudonymMap, pseudonymise
from casenotes.pipeline.templates import load_template
from casenotes.services.access import case_session, visible_recording
from casenotes.services.audit_log import record, record_now
from casenotes.services.cases import summaries
from casenotes.services.context import AppContext
from casenotes.services.energy import stage_meter
from casenotes.services.model_gateway import drafter_for_case
from casenotes.services.training import ensure_may_draft
from casenotes.services.views import RecordingSummary, UserView
from casenotes.store.repositories import audio as audio_repo
from casenotes.store.repositories import cases as cases_repo
from casenotes.store.repositories import drafts as drafts_repo
from casenotes.store.repositories import pseudonyms as pseudonyms_repo
from casenotes.store.repositories import recordings as recordings_repo


def process_recording(ctx: AppContext, actor: UserView, recording_id: int) -> RecordingSummary:
    """Run every stage that has not run yet; refuse without everyone's consent."""
    _require_consent(ctx, actor, recording_id)
    stage = _stage(ctx, actor, recording_id)
    if stage in ("imported", "pseudonymised"):  # an AI draft would start: training gate
        ensure_may_draft(ctx, actor, recording_id)
    if stage == "imported":
        _pseudonymise(ctx, actor, recording_id)
        stage = "pseudonymised"
    if stage == "pseudonymised":
        _draft(ctx, actor, recording_id)
        stage = "drafted"
    if stage == "drafted":
        _check(ctx, actor, recording_id)
    with case_session(ctx, actor) as session:
        return summaries(session, [visible_recording(session, actor, recording_id)])[0]


def case_people(people: Sequence[Any]) -> list[Person]:
    return [Person(name=p.name, role=p.role, aliases=tuple(p.aliases)) for p in people]


def _stage(ctx: AppContext, actor: UserView, recording_id: int) -> str:
    with case_session(ctx, actor) as session:
        return visible_recording(session, actor, recording_id).stage


def _require_consent(ctx: AppContext, actor: UserView, recording_id: int) -> None:
    with case_session(ctx, actor) as session:
        visible_recording(session, actor, recording_id)
        parties = recordings_repo.transcript(session, recording_id=recording_id).speakers
        current = recordings_repo.current_consents(session, recording_id=recording_id)
    try:
        ensure_consent(parties, {p: ConsentDecision(r.decision) for p, r in current.items()})
    except ConsentRefused:
        record_now(ctx, actor, "process.refused", "recording", recording_id, "reason=consent")
        raise


def _pseudonymise(ctx: AppContext, actor: UserView, recording_id: int) -> None:
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        case_id = recording.case_id
        transcript = recordings_repo.transcript(session, recording_id=recording_id)
        people = case_people(cases_repo.people(session, case_id=case_id))
        mapping = pseudonyms_repo.load_map(session, case_id=case_id)
    detector = ctx.pii_detector()
    with stage_meter(ctx, recording_id, "pseudonymise", detector.name, detector.version):
        result = pseudonymise(transcript, detector, people, mapping)
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        recordings_repo.save_pseudonymised(session, recording_id=recording_id, segments={
            seg.id: (
                seg.speaker, seg.text,
                [[r.start, r.end, r.original, r.placeholder]
                 for r in result.replacements.get(seg.id, ())],
            )
            for seg in result.transcript.segments
        })
        pseudonyms_repo.save_map(session, case_id=case_id, mapping=mapping)
        # The recogniser that made the transcript stays on the record (the note's label).
        engines = [e for e in recording.engines if e.get("stage") == "transcribe"]
        engines.append({"stage": "pseudonymise", "name": detector.name,
                        "version": detector.version})
        recordings_repo.set_stage(session, recording=recording, stage="pseudonymised",
                                  engines=engines)
        replaced = sum(len(r) for r in result.replacements.values())
        record(session, actor, "recording.pseudonymise", "recording", recording_id,
               f"replacements={replaced}")


def speaker_roles(people: list[Person], segments: dict[int, tuple[str, str]]) -> dict[str, str]:
    """Pseudonymised speaker label → the person's role in the case, where known."""
    roles: dict[str, str] = {}
    for real, pseudo in segments.values():
        for person in people:
            names = [n.lower() for n in person.names] + person.name.lower().split()
            if real.lower() in names and person.role:
                roles[pseudo] = re.sub(r"[\s-]+", "_", person.role.strip().lower())
    return roles


def draft_context(
    session: Session, recording_id: int, transcript: Transcript, people: list[Person],
    speakers: dict[int, tuple[str, str]],
) -> draft_stage.DraftContext:
    """What the drafter may know besides the transcript: who is who, and the moments the
    practitioner tagged while recording."""
    tags = [(t.kind, t.time) for t in audio_repo.tags(session, recording_id=recording_id)]
    return draft_stage.DraftContext(speaker_roles=speaker_roles(people, speakers),
                                    tags=draft_stage.tags_by_turn(transcript, tags))


def _draft(ctx: AppContext, actor: UserView, recording_id: int) -> None:
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        template = load_template(recording.template, ctx.settings.template_dirs)
        transcript = recordings_repo.transcript(
            session, recording_id=recording_id, pseudonymised=True)
        people = case_people(cases_repo.people(session, case_id=recording.case_id))
        speakers = {
            row.seq: (row.speaker, row.pseudo_speaker or row.speaker)
            for row in recordings_repo.segment_rows(session, recording_id=recording_id)
        }
        mapping = pseudonyms_repo.load_map(session, case_id=recording.case_id)
        context = draft_context(session, recording_id, transcript, people, speakers)
    drafter = drafter_for_case(ctx, people, mapping)
    with stage_meter(ctx, recording_id, "draft", drafter.name, drafter.version):
        result = draft_stage.draft(transcript, template, drafter, context)
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        row = drafts_repo.save_draft(session, recording_id=recording_id, draft=result)
        engines = [e for e in recording.engines if e.get("stage") != "draft"]
        engines.append({"stage": "draft", "name": drafter.name, "version": drafter.version})
        recordings_repo.set_stage(session, recording=recording, stage="drafted", engines=engines)
        record(session, actor, "draft.create", "draft", row.id,
               f"recording={recording_id} sentences={len(result.sentences())}")


def known_labels(people: list[Person], mapping: PseudonymMap) -> tuple[str, ...]:
    """How the case's known people appear in a pseudonymised transcript."""
    names = {n for p in people for n in p.names}
    placeholders = {ph for ph, shown in mapping.display.items() if shown in names}
    return tuple(sorted(names | placeholders))


def case_record(people: list[Person]) -> tuple[str, ...]:
    """What the case record says about its people that a note may state unprompted: roles."""
    return tuple(sorted({p.role.replace("_", " ").strip() for p in people if p.role.strip()}))


def check_context(
    template: Template, people: list[Person], mapping: PseudonymMap,
    speakers: dict[int, tuple[str, str]],
) -> check_stage.CheckContext:
    """What the checks may know besides the draft and transcript: how the case's people appear
    in it, what the case record says about them, and each speaker's role (an interpreter's
    turns carry the others' words)."""
    return check_stage.CheckContext(
        template, known_names=known_labels(people, mapping), record=case_record(people),
        speaker_roles=speaker_roles(people, speakers), people=tuple(people))


def _check(ctx: AppContext, actor: UserView, recording_id: int) -> None:
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        template = load_template(recording.template, ctx.settings.template_dirs)
        transcript = recordings_repo.transcript(
            session, recording_id=recording_id, pseudonymised=True)
        draft_row = drafts_repo.get_draft_row(session, recording_id=recording_id)
        if draft_row is None:
            raise LookupError("the recording has no draft to check")
        draft = drafts_repo.to_domain(draft_row)
        draft_id = draft_row.id
        people = case_people(cases_repo.people(session, case_id=recording.case_id))
        mapping = pseudonyms_repo.load_map(session, case_id=recording.case_id)
        speakers = {
            row.seq: (row.speaker, row.pseudo_speaker or row.speaker)
            for row in recordings_repo.segment_rows(session, recording_id=recording_id)
        }
    checkers = ctx.checkers()
    context = check_context(template, people, mapping, speakers)
    with stage_meter(ctx, recording_id, "check", "checks",
                     ",".join(f"{c.name} {c.version}" for c in checkers)):
        flags = check_stage.check(draft, transcript, checkers, context)
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        drafts_repo.save_flags(session, draft_id=draft_id, flags=flags)
        engines = [e for e in recording.engines if e.get("stage") != "check"]
        engines += [{"stage": "check", "name": c.name, "version": c.version} for c in checkers]
        recordings_repo.set_stage(session, recording=recording, stage="checked", engines=engines)
        record(session, actor, "draft.check", "draft", draft_id, f"flags={len(flags)}")
