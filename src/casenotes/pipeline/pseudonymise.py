"""Pseudonymise stage: replace personal data with consistent per-case placeholders.

The mapping (placeholder → real text) is kept so that allocated users see real names; the text
that any model sees carries placeholders only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from casenotes.domain.people import Person
from casenotes.domain.transcript import Segment, Transcript


@dataclass(frozen=True)
class PiiSpan:
    """A detected piece of personal data in a text (``end`` exclusive).

    ``person`` is the ``name`` of the known case person the span refers to, when the detector
    knows it (a nickname, a mis-heard or spelled-out name); otherwise the stage matches the
    surface text against the known people itself.
    """

    start: int
    end: int
    entity_type: str  # PERSON, LOCATION, NHS_NUMBER, UK_POSTCODE, PHONE_NUMBER, EMAIL_ADDRESS…
    score: float = 1.0
    person: str | None = None


class PiiDetector(Protocol):
    """Finds personal data in text. ``known_people`` are the case's own participants."""

    name: str
    version: str

    def detect(self, text: str, known_people: Sequence[Person]) -> list[PiiSpan]: ...


PLACEHOLDER = re.compile(r"\[([A-Z_]+)_(\d+)\]")


@dataclass
class PseudonymMap:
    """Consistent, reversible placeholders for one case.

    ``surfaces`` maps a normalised surface text to its placeholder, so "Kayleigh" is the same
    placeholder every time in the case; ``display`` maps a placeholder back to the text shown to
    allowed users. Known case people share one placeholder across all their names.
    """

    surfaces: dict[str, str] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)

    def placeholder_for(self, surface: str, entity_type: str, person: Person | None) -> str:
        key = _norm(surface)
        if key in self.surfaces:
            return self.surfaces[key]
        if person is not None:
            for name in person.names:
                existing = self.surfaces.get(_norm(name))
                if existing:
                    self.surfaces[key] = existing
                    return existing
        kind = "PERSON" if person is not None else _placeholder_kind(entity_type)
        self.counters[kind] = self.counters.get(kind, 0) + 1
        placeholder = f"[{kind}_{self.counters[kind]}]"
        self.surfaces[key] = placeholder
        self.display[placeholder] = person.name if person is not None else surface
        if person is not None:
            for name in person.names:
                self.surfaces.setdefault(_norm(name), placeholder)
        return placeholder

    def reidentify(self, text: str) -> str:
        """Replace every known placeholder with its display text (unknown ones stay visible)."""
        return PLACEHOLDER.sub(lambda m: self.display.get(m.group(0), m.group(0)), text)


@dataclass(frozen=True)
class Replacement:
    """In a pseudonymised segment, ``[start, end)`` replaced ``original``."""

    start: int
    end: int
    original: str
    placeholder: str


@dataclass(frozen=True)
class PseudonymisedTranscript:
    transcript: Transcript
    replacements: dict[int, tuple[Replacement, ...]]  # segment id → replacements in order
    detector: str
    detector_version: str

    def restore(self, segment_id: int, start: int, end: int) -> str:
        """The original words behind ``[start, end)`` of a pseudonymised segment."""
        seg = self.transcript.segment(segment_id)
        out: list[str] = []
        pos = start
        for rep in self.replacements.get(segment_id, ()):
            if rep.end <= start or rep.start >= end:
                continue
            out.append(seg.text[pos:max(pos, rep.start)])
            out.append(rep.original)
            pos = max(pos, rep.end)
        out.append(seg.text[pos:end])
        return "".join(out)


def _norm(surface: str) -> str:
    return re.sub(r"\s+", " ", surface.strip().lower().removesuffix("'s").removesuffix("’s"))


def _placeholder_kind(entity_type: str) -> str:
    return {
        "PER": "PERSON",
        "PERSON": "PERSON",
        "NRP": "GROUP",
        "GPE": "LOCATION",
        "LOC": "LOCATION",
    }.get(entity_type, entity_type)


def _match_person(
    surface: str, people: Sequence[Person], linked: str | None = None
) -> Person | None:
    """The known person ``surface`` names, or None when it names nobody or is ambiguous.

    A detector's link (``linked``, a person's ``name``) wins. Otherwise a full name or alias
    matches outright, and a single name part ("Jayden", "Robson") only when exactly one known
    person has it: a surname shared by a family names no one in particular.
    """
    if linked is not None:
        for person in people:
            if person.name == linked:
                return person
    key = _norm(surface)
    if not key:
        return None
    for person in people:
        if any(key == _norm(name) for name in person.names):
            return person
    owners = [
        person
        for person in people
        if any(key in _norm(name).split() for name in person.names)
    ]
    return owners[0] if len(owners) == 1 else None


def merge_spans(spans: Sequence[PiiSpan]) -> list[PiiSpan]:
    """Resolve overlapping spans into one span covering all of them (nothing is left half-shown).

    The merged span takes the type and link of its most confident member (ties: the longer);
    a PERSON span keeps a person link from any linked PERSON member.
    """
    ordered = sorted(spans, key=lambda s: (s.start, -(s.end - s.start), -s.score))
    groups: list[list[PiiSpan]] = []
    end = -1
    for span in ordered:
        if span.end <= span.start:
            continue
        if groups and span.start < end:
            groups[-1].append(span)
            end = max(end, span.end)
        else:
            groups.append([span])
            end = span.end
    kept: list[PiiSpan] = []
    for group in groups:
        lead = max(group, key=lambda s: (s.score, s.end - s.start))
        person = lead.person
        if person is None and lead.entity_type == "PERSON":
            person = next(
                (s.person for s in group if s.entity_type == "PERSON" and s.person), None
            )
        kept.append(
            PiiSpan(
                start=min(s.start for s in group),
                end=max(s.end for s in group),
                entity_type=lead.entity_type,
                score=max(s.score for s in group),
                person=person,
            )
        )
    return kept


def _pseudonymise_speaker(
    speaker: str, detector: PiiDetector, known_people: Sequence[Person], mapping: PseudonymMap,
    labels: dict[str, str],
) -> str:
    """A speaker label that names someone becomes that person's placeholder.

    Known case people are matched by name; anyone else whose label the detector finds a
    person's name in (a neighbour who joined the visit) gets a placeholder of their own.
    Generic labels ("Speaker 2", "Interpreter") stay as they are.
    """
    if speaker in labels:
        return labels[speaker]
    person = _match_person(speaker, known_people)
    result = speaker
    if person is not None:
        result = mapping.placeholder_for(speaker, "PERSON", person)
    elif any(span.entity_type == "PERSON" for span in detector.detect(speaker, known_people)):
        result = mapping.placeholder_for(speaker, "PERSON", None)
    labels[speaker] = result
    return result


def pseudonymise(
    transcript: Transcript,
    detector: PiiDetector,
    known_people: Sequence[Person],
    mapping: PseudonymMap,
) -> PseudonymisedTranscript:
    """Replace detected personal data in every segment; ``mapping`` is updated in place.

    Speaker labels are pseudonymised too when they name a known person.
    """
    segments: list[Segment] = []
    replacements: dict[int, tuple[Replacement, ...]] = {}
    labels: dict[str, str] = {}
    for seg in transcript.segments:
        spans = merge_spans(detector.detect(seg.text, known_people))
        out: list[str] = []
        reps: list[Replacement] = []
        pos = 0
        length = 0
        for span in spans:
            surface = seg.text[span.start:span.end]
            person = (
                _match_person(surface, known_people, span.person)
                if span.entity_type == "PERSON"
                else None
            )
            placeholder = mapping.placeholder_for(surface, span.entity_type, person)
            before = seg.text[pos:span.start]
            out.append(before)
            length += len(before)
            reps.append(Replacement(length, length + len(placeholder), surface, placeholder))
            out.append(placeholder)
            length += len(placeholder)
            pos = span.end
        out.append(seg.text[pos:])
        speaker = _pseudonymise_speaker(seg.speaker, detector, known_people, mapping, labels)
        segments.append(replace(seg, text="".join(out), speaker=speaker, words=()))
        replacements[seg.id] = tuple(reps)
    return PseudonymisedTranscript(
        transcript=replace(transcript, segments=tuple(segments)),
        replacements=replacements,
        detector=detector.name,
        detector_version=detector.version,
    )
