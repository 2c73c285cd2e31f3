"""Seeded databases for the evaluation tests (issue 10): sessions with known timings, flags,
edits and characteristics, written through the ORM so large sets stay fast."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from casenotes.services.context import AppContext
from casenotes.services.views import UserView
from casenotes.store.models import (
    Case,
    DraftRow,
    DraftSectionRow,
    DraftSentenceRow,
    FlagRow,
    NoteRow,
    Person,
    PersonCharacteristicsRow,
    Recording,
    SegmentRow,
)

PERSON_PREFIX = "Seeded Person"  # every seeded case supports someone called this + a number


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@dataclass
class SessionSpec:
    author: UserView
    team: str | None
    recorded: str
    drafted: str
    signed: str | None = None
    template: str = "home_visit_note"
    sentences: int = 10
    flags: list[tuple[str, str]] = field(default_factory=list)  # (kind, status)
    changed_share: float = 0.0
    quote_kept: bool = False
    confidence: float | None = None  # every word of the transcript has this confidence
    characteristics: dict[str, str] = field(default_factory=dict)


def seed(ctx: AppContext, specs: list[SessionSpec]) -> list[int]:
    """One case (supporting one named person) per session; returns the recording ids."""
    ids = []
    with ctx.session() as session:
        start = session.query(Case).count()
        for i, spec in enumerate(specs, start=start + 1):
            case = Case(reference=f"EV-{i:04d}", title=f"Case {i}", team=spec.team)
            case.people.append(Person(name=f"{PERSON_PREFIX} {i}", role="person", aliases=[]))
            session.add(case)
            session.flush()
            if spec.characteristics:
                session.add(PersonCharacteristicsRow(case_id=case.id, **spec.characteristics))
            recording = Recording(case_id=case.id, title="Visit", source="import",
                                  template=spec.template, stage="signed" if spec.signed
                                  else "checked", created_by=spec.author.id,
                                  created_at=at(spec.recorded), engines=[])
            session.add(recording)
            session.flush()
            words = ([["word", 0.0, 0.5, spec.confidence]] * 4
                     if spec.confidence is not None else [])
            session.add(SegmentRow(recording_id=recording.id, seq=0,
                                   speaker=f"{PERSON_PREFIX} {i}",
                                   text=f"{PERSON_PREFIX} {i} said something.", words=words))
            draft = DraftRow(recording_id=recording.id, template=spec.template,
                             engine="extractive", engine_version="1",
                             created_at=at(spec.drafted))
            session.add(draft)
            session.flush()
            section = DraftSectionRow(draft_id=draft.id, position=0, name="Summary")
            session.add(section)
            session.flush()
            for n in range(spec.sentences):
                kind = "quote" if spec.quote_kept and n == 0 else "summary"
                session.add(DraftSentenceRow(draft_id=draft.id, section_id=section.id,
                                             sid=f"s{n + 1}", position=n, kind=kind,
                                             text=f"Sentence {n + 1}.", evidence=[]))
            for kind, status in spec.flags:
                session.add(FlagRow(draft_id=draft.id, kind=kind, severity="warning",
                                    explanation="seeded", section="Summary", status=status))
            if spec.signed:
                sentences = [{"text": f"Sentence {n + 1}.",
                              "kind": "quote" if spec.quote_kept and n == 0 else "summary",
                              "segments": []} for n in range(spec.sentences)]
                session.add(NoteRow(
                    case_id=case.id, recording_id=recording.id, draft_id=draft.id,
                    title="Visit", text="Summary", drafted_text="Summary",
                    sections=[{"name": "Summary", "reserved": False, "text": "Summary",
                               "sentences": sentences, "human_text": ""}],
                    signed_by=spec.author.id, signed_at=at(spec.signed), attestation="checked",
                    transparency={}, changed_share=spec.changed_share))
            session.flush()
            ids.append(recording.id)
    return ids


def bias_specs(author: UserView, team: str = "Children East") -> list[SessionSpec]:
    """44 people: White 20, Black 12, Asian 7, Mixed 5 (ethnicity only recorded).

    Flags ("practice" kind) per 100 sentences: White 10, Asian 10, Mixed 10, Black 20; overall
    48 flags / 360 sentences = 13.33, so Black is ×1.50 the overall rate and White ×0.75.
    Transcription confidence: Black 0.6, everyone else 0.9 (overall 0.8182). Edit share:
    Black 0.3, everyone else 0.1 (overall 0.1545).
    """
    specs = []

    def add(ethnicity: str, people: int, sentences: int, flags_each: list[int],
            confidence: float, share: float) -> None:
        for i in range(people):
            specs.append(SessionSpec(
                author=author, team=team, recorded="2026-11-02T09:00:00",
                drafted="2026-11-02T09:05:00", signed="2026-11-02T12:00:00",
                sentences=sentences, flags=[("practice", "resolved")] * flags_each[i],
                changed_share=share, confidence=confidence,
                characteristics={"ethnicity": ethnicity}))

    add("white", 20, 6, [1] * 12 + [0] * 8, 0.9, 0.1)
    add("black", 12, 10, [2] * 12, 0.6, 0.3)
    add("asian", 7, 10, [1] * 7, 0.9, 0.1)
    add("mixed", 5, 10, [1] * 5, 0.9, 0.1)
    return specs
