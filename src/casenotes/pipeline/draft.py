"""Draft stage: place transcript content into a template's sections, with evidence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from casenotes.domain.draft import Draft, Section
from casenotes.domain.template import Template
from casenotes.domain.transcript import Transcript


@dataclass(frozen=True)
class DraftContext:
    """What the drafter may know besides the transcript.

    ``speaker_roles`` maps a (pseudonymised) speaker label to its role in the visit
    ("social_worker", "parent", "child", "professional"…). ``tags`` maps a transcript turn id
    to the observation tags the practitioner tapped while it was being said ("concern").
    """

    speaker_roles: Mapping[str, str] = field(default_factory=dict)
    tags: Mapping[int, tuple[str, ...]] = field(default_factory=dict)


class Drafter(Protocol):
    name: str
    version: str

    def draft(self, transcript: Transcript, template: Template, context: DraftContext) -> Draft: ...


def draft(
    transcript: Transcript, template: Template, drafter: Drafter, context: DraftContext
) -> Draft:
    """Run the drafter, then enforce the template's rules whatever the drafter did.

    Reserved sections are emptied (the system never fills them) and the draft's sections follow
    the template's order.
    """
    produced = drafter.draft(transcript, template, context)
    by_name = {s.name: s for s in produced.sections}
    sections = []
    for ts in template.sections:
        got = by_name.get(ts.name, Section(name=ts.name))
        if ts.reserved:
            got = Section(name=ts.name, reserved=True)
        sections.append(replace(got, reserved=ts.reserved))
    return replace(
        produced,
        template=template.name,
        sections=tuple(sections),
        engine=drafter.name,
        engine_version=drafter.version,
    )


def tags_by_turn(
    transcript: Transcript, tags: Sequence[tuple[str, float]]
) -> dict[int, tuple[str, ...]]:
    """Which turn each observation tag ``(kind, seconds into the audio)`` marks.

    A tag marks the turn being spoken when it was tapped, or, tapped in a pause, the turn
    just finished. Turns without times (an imported text transcript) take no tags.
    """
    timed = [seg for seg in transcript.segments if seg.start is not None]
    found: dict[int, list[str]] = {}
    for kind, at in tags:
        before = [seg for seg in timed if seg.start is not None and seg.start <= at]
        if not before:
            continue
        turn = before[-1].id
        kinds = found.setdefault(turn, [])
        if kind.lower() not in kinds:
            kinds.append(kind.lower())
    return {turn: tuple(kinds) for turn, kinds in found.items()}
