"""Review and sign-off: the practitioner checks, edits, decides flags, writes, and signs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from casenotes.domain.draft import SentenceKind
from casenotes.domain.errors import InvalidInput, NotFound, ReadOnly, SignOffRefused
from casenotes.domain.note import EngineInfo, TransparencyLabel, changed_share
from casenotes.domain.transcript import format_time
from casenotes.pipeline.pseudonymise import PseudonymisedTranscript, PseudonymMap, Replacement
from casenotes.pipeline.templates import load_template
from casenotes.services.access import AccessRefused, case_session, visible_case, visible_recording
from casenotes.services.audit_log import record
from casenotes.services.cases import summaries, summary
from casenotes.services.context import AppContext
from casenotes.services.note_access import visible_note
from casenotes.services.recordings import consents
from casenotes.services.search import enqueue_note_indexing
from casenotes.services.views import (
    FlagView,
    NoteView,
    ReviewView,
    SectionView,
    SegmentView,
    SentenceView,
    UserView,
    shown_time,
)
from casenotes.store.models import DraftRow, DraftSentenceRow, FlagRow, NoteRow, Recording
from casenotes.store.repositories import drafts as drafts_repo
from casenotes.store.repositories import notes as notes_repo
from casenotes.store.repositories import pseudonyms as pseudonyms_repo
from casenotes.store.repositories import recordings as recordings_repo
from casenotes.store.repositories import users as users_repo

ATTESTATION = (
    "I have checked this note against the recording and transcript; it is accurate, and the "
    "sections reserved for professional judgement are my own work."
)
MAX_TEXT = 20_000


@dataclass(frozen=True)
class Reidentifier:
    """Turns drafted (pseudonymised) sentences back into the words that were said."""

    pseudo: PseudonymisedTranscript
    mapping: PseudonymMap

    def sentence(self, row: DraftSentenceRow) -> str:
        return self.text(row.text, row.evidence)

    def text(self, text: str, evidence: Sequence[Sequence[Any]]) -> str:
        """``text`` (pseudonymised) with the words that were said: ``evidence`` holds
        ``(segment id, start, end, …)`` spans of the pseudonymised transcript."""
        # Extractive sentences quote their evidence spans (an answer and the question it
        # answers): restore each span word for word (so "Kayleigh" stays "Kayleigh", not the
        # canonical "Kayleigh Robson"), and only the words around them through the map.
        out: list[str] = []
        done = 0
        for seg_id, start, end, *_ in evidence:
            try:
                span = self.pseudo.transcript.segment(int(seg_id)).text[int(start):int(end)]
            except KeyError:
                continue
            at = text.find(span, done) if span else -1
            if at < 0:
                continue
            out.append(self.mapping.reidentify(text[done:at]))
            out.append(self.pseudo.restore(int(seg_id), int(start), int(end)))
            done = at + len(span)
        out.append(self.mapping.reidentify(text[done:]))
        return "".join(out)


def _reidentifier(session: Session, recording: Recording) -> Reidentifier:
    rows = recordings_repo.segment_rows(session, recording_id=recording.id)
    transcript = recordings_repo.transcript(
        session, recording_id=recording.id, pseudonymised=True)
    return Reidentifier(
        pseudo=PseudonymisedTranscript(
            transcript=transcript,
            replacements={
                row.seq: tuple(Replacement(int(a), int(b), str(o), str(p))
                               for a, b, o, p in row.replacements)
                for row in rows
            },
            detector="", detector_version="",
        ),
        mapping=pseudonyms_repo.load_map(session, case_id=recording.case_id),
    )


def _draft_for(session: Session, recording: Recording) -> DraftRow:
    row = drafts_repo.get_draft_row(session, recording_id=recording.id)
    if row is None:
        raise NotFound(
            "This recording has not been drafted yet.",
            hint="Record everyone's consent, then choose 'Process' to draft the note.",
        )
    return row


def _flag_view(
    session: Session, flag: FlagRow, names: dict[int, str], mapping: PseudonymMap
) -> FlagView:
    """The flag as the practitioner reads it: real names back in its words and suggestion."""
    decided = None
    if flag.decided_by is not None:
        if flag.decided_by not in names:
            user = users_repo.get_user(session, user_id=flag.decided_by)
            names[flag.decided_by] = user.username if user else ""
        decided = names[flag.decided_by]
    return FlagView(
        id=flag.id, kind=flag.kind, severity=flag.severity,
        explanation=mapping.reidentify(flag.explanation),
        section=flag.section, sentence_id=flag.sentence_sid,
        segment_ids=tuple(int(i) for i in flag.segment_ids),
        suggestion=mapping.reidentify(flag.suggestion) if flag.suggestion else None,
        status=flag.status, resolution=flag.resolution, decided_by=decided,
    )


def _blockers(draft: DraftRow, flags: list[FlagRow]) -> list[str]:
    reasons = []
    open_flags = sum(1 for f in flags if f.status == "open")
    if open_flags:
        reasons.append(f"{open_flags} flag(s) still open: resolve or dismiss each one.")
    for sec in draft.sections:
        if sec.reserved and not sec.human_text.strip():
            reasons.append(f"'{sec.name}' is reserved for you and is still empty.")
    return reasons


def get_review(ctx: AppContext, actor: UserView, recording_id: int) -> ReviewView:
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        case = visible_case(session, actor, recording.case_id)
        draft = _draft_for(session, recording)
        template = load_template(draft.template, ctx.settings.template_dirs)
        guidance = {s.name: s.guidance for s in template.sections}
        reid = _reidentifier(session, recording)
        flags = drafts_repo.list_flags(session, draft_id=draft.id)
        names: dict[int, str] = {}
        flag_views = [_flag_view(session, f, names, reid.mapping) for f in flags]
        sections = []
        for sec in draft.sections:
            sentences = []
            for s in sec.sentences:
                drafted = reid.sentence(s)
                sentences.append(SentenceView(
                    id=s.sid,
                    text=s.edited_text if s.edited_text is not None else drafted,
                    drafted_text=drafted,
                    kind=SentenceKind.HUMAN.value if s.edited_text is not None else s.kind,
                    segment_ids=tuple(sorted({int(e[0]) for e in s.evidence})),
                    edited=s.edited_text is not None,
                    flags=tuple(f for f in flag_views if f.sentence_id == s.sid),
                ))
            sections.append(SectionView(
                name=sec.name, guidance=guidance.get(sec.name, ""), reserved=sec.reserved,
                sentences=tuple(sentences), human_text=sec.human_text,
                flags=tuple(f for f in flag_views
                            if f.section == sec.name and f.sentence_id is None),
            ))
        segments = tuple(
            SegmentView(id=row.seq, speaker=row.speaker, text=row.text, start=row.start,
                        end=row.end, times=_times(row.start, row.end))
            for row in recordings_repo.segment_rows(session, recording_id=recording.id)
        )
        blockers = _blockers(draft, flags)
        note = notes_repo.note_for_recording(session, recording_id=recording.id)
        record(session, actor, "draft.view", "draft", draft.id, f"recording={recording.id}")
        view_recording = summaries(session, [recording])[0]
        view_case = summary(case, 0)
    return ReviewView(
        recording=view_recording, case=view_case, template_title=template.title,
        sections=tuple(sections), segments=segments,
        consents=tuple(consents(ctx, actor, recording_id)),
        open_flags=sum(1 for f in flags if f.status == "open"),
        can_sign=not blockers and note is None, sign_blockers=tuple(blockers),
        signed_note_id=note.id if note else None,
    )


def _times(start: float | None, end: float | None) -> str:
    if start is None:
        return ""
    return f"{format_time(start)}–{format_time(end)}" if end is not None else format_time(start)


def _editable_draft(session: Session, actor: UserView, recording_id: int) -> DraftRow:
    recording = visible_recording(session, actor, recording_id)
    if notes_repo.note_for_recording(session, recording_id=recording.id) is not None:
        raise ReadOnly("This note has been signed and can no longer be changed.",
                       hint="Signed notes are read-only.")
    return _draft_for(session, recording)


def _clean(text: str, what: str) -> str:
    text = text.replace("\r\n", "\n").strip()
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"The {what} is longer than {MAX_TEXT} characters.",
                           hint="Shorten it and save again.")
    return text


def edit_sentence(
    ctx: AppContext, actor: UserView, recording_id: int, sentence_id: str, text: str
) -> None:
    """Replace a drafted sentence with the practitioner's words (empty text removes it)."""
    text = _clean(text, "sentence")
    with case_session(ctx, actor) as session:
        draft = _editable_draft(session, actor, recording_id)
        row = drafts_repo.sentence_row(session, draft_id=draft.id, sid=sentence_id)
        if row is None:
            raise NotFound(f"The draft has no sentence {sentence_id!r}.",
                           hint="Reload the page; the draft may have changed.")
        drafts_repo.set_sentence_edit(session, sentence=row, text=text)
        record(session, actor, "draft.edit", "draft", draft.id, f"sentence={sentence_id}")


def write_section(
    ctx: AppContext, actor: UserView, recording_id: int, section: str, text: str
) -> None:
    """The practitioner's own text for a section (reserved sections are written only so)."""
    text = _clean(text, "section text")
    with case_session(ctx, actor) as session:
        draft = _editable_draft(session, actor, recording_id)
        row = drafts_repo.section_row(session, draft_id=draft.id, name=section)
        if row is None:
            raise NotFound(f"The note has no section called {section!r}.",
                           hint="Reload the page and choose a section from the draft.")
        drafts_repo.set_section_text(session, section=row, text=text)
        record(session, actor, "draft.write_section", "draft", draft.id,
               f"section_position={row.position}")


def flag_in_scope(session: Session, actor: UserView, flag_id: int) -> tuple[FlagRow, DraftRow]:
    flag = drafts_repo.get_flag(session, flag_id=flag_id)
    if flag is None:
        raise AccessRefused("flag", flag_id)
    draft = drafts_repo.get_draft(session, draft_id=flag.draft_id)
    if draft is None:
        raise AccessRefused("flag", flag_id)
    try:
        return flag, _editable_draft(session, actor, draft.recording_id)
    except AccessRefused:
        raise AccessRefused("flag", flag_id) from None


def resolve_flag(ctx: AppContext, actor: UserView, flag_id: int) -> None:
    with case_session(ctx, actor) as session:
        flag, draft = flag_in_scope(session, actor, flag_id)
        drafts_repo.decide_flag(session, flag=flag, status="resolved", decided_by=actor.id,
                                resolution=None)
        record(session, actor, "flag.resolve", "flag", flag.id, f"draft={draft.id}")


def dismiss_flag(ctx: AppContext, actor: UserView, flag_id: int, reason: str) -> None:
    reason = _clean(reason, "reason")
    if not reason:
        raise InvalidInput("Dismissing a flag needs a reason.",
                           hint="Say briefly why the flag does not apply, then dismiss it.")
    with case_session(ctx, actor) as session:
        flag, draft = flag_in_scope(session, actor, flag_id)
        drafts_repo.decide_flag(session, flag=flag, status="dismissed", decided_by=actor.id,
                                resolution=reason)
        record(session, actor, "flag.dismiss", "flag", flag.id, f"draft={draft.id}")


def _final_sections(draft: DraftRow, reid: Reidentifier) -> tuple[list[Any], str, str]:
    """(sections as stored, final text, drafted text of the AI-filled sections)."""
    sections: list[Any] = []
    drafted_parts: list[str] = []
    for sec in draft.sections:
        sentences: list[dict[str, Any]] = []
        for s in sec.sentences:
            drafted = reid.sentence(s)
            drafted_parts.append(drafted)
            current = s.edited_text if s.edited_text is not None else drafted
            if current:
                kind = SentenceKind.HUMAN.value if s.edited_text is not None else s.kind
                sentences.append({"text": current, "kind": kind,
                                  "segments": sorted({int(e[0]) for e in s.evidence})})
        body = " ".join(str(s["text"]) for s in sentences)
        text = "\n\n".join(t for t in (body, sec.human_text.strip()) if t)
        sections.append({"name": sec.name, "reserved": sec.reserved, "text": text,
                         "sentences": sentences, "human_text": sec.human_text})
    rendered = "\n\n".join(f"{s['name']}\n{s['text']}" for s in sections)
    return sections, rendered, " ".join(drafted_parts)


def sign_off(ctx: AppContext, actor: UserView, recording_id: int, *, attested: bool) -> NoteView:
    """Make the signed, read-only note; refused while anything still needs the person."""
    with case_session(ctx, actor) as session:
        draft = _editable_draft(session, actor, recording_id)
        recording = visible_recording(session, actor, recording_id)
        blockers = _blockers(draft, drafts_repo.list_flags(session, draft_id=draft.id))
        if not attested:
            blockers.append("Tick the statement that you have checked the note.")
        if blockers:
            raise SignOffRefused("The note cannot be signed yet: " + " ".join(blockers),
                                 hint="Deal with each point above, then sign again.")
        reid = _reidentifier(session, recording)
        sections, text, drafted = _final_sections(draft, reid)
        ai_final = " ".join(str(s["text"]) for s in sections if not s["reserved"])
        label = TransparencyLabel(
            # Recordings transcribed before 0.1 stored the recogniser as "engine".
            engines=tuple(EngineInfo(str(e.get("stage", "")), str(e.get("name", e.get("engine"))),
                                     str(e.get("version", "")))
                          for e in recording.engines),
            changed_share=changed_share(drafted, ai_final),
            human_written_sections=tuple(s.name for s in draft.sections if s.human_text.strip()),
        )
        note = notes_repo.create_note(
            session, case_id=recording.case_id, recording_id=recording.id, draft_id=draft.id,
            title=recording.title, text=text, sections=sections, drafted_text=drafted,
            signed_by=actor.id, attestation=ATTESTATION,
            transparency={
                "engines": [[e.stage, e.name, e.version] for e in label.engines],
                "changed_share": label.changed_share,
                "human_written_sections": list(label.human_written_sections),
                "text": label.describe(),
            },
            changed_share=label.changed_share,
        )
        recordings_repo.set_stage(session, recording=recording, stage="signed")
        enqueue_note_indexing(ctx, session, note.id)  # search index, after the commit
        record(session, actor, "note.sign", "note", note.id,
               f"recording={recording.id} changed={label.changed_share:.2f}")
        return _note_view(note, actor.username)


def _note_view(note: NoteRow, signed_by: str) -> NoteView:
    t = note.transparency
    return NoteView(
        id=note.id, case_id=note.case_id, recording_id=note.recording_id, title=note.title,
        sections=tuple((s["name"], s["text"]) for s in note.sections), text=note.text,
        signed_by=signed_by, signed_at=shown_time(note.signed_at),
        attestation=note.attestation, transparency=str(t.get("text", "")),
        changed_share=note.changed_share,
        engines=tuple((str(a), str(b), str(c)) for a, b, c in t.get("engines", [])),
    )


def get_note(ctx: AppContext, actor: UserView, note_id: int) -> NoteView:
    with case_session(ctx, actor) as session:
        note = visible_note(session, actor, note_id)
        signer = users_repo.get_user(session, user_id=note.signed_by)
        record(session, actor, "note.view", "note", note.id)
        return _note_view(note, signer.username if signer else "")
