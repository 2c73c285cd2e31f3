"""Draft stage: place transcript content into a template's sections, with evidence."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Protocol

from casenotes.domain.draft import Draft, Section
from casenotes.domain.template import Template
from casenotes.domain.transcript import Transcript


@dataclass(frozen=True)
class DraftContext:
    """What the drafter may know besides the transcript.

    ``speaker_roles`` maps a (pseudonymised) speaker label to its role in the visit
    ("social_worker", "parent", "child", "professional"…). ``tags`` are observation tag kinds.
    """

    speaker_roles: Mapping[str, str] = field(default_factory=dict)


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
