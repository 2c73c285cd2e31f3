"""Check stage: every checker looks at the draft against its transcript and raises flags."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from casenotes.domain.draft import Draft
from casenotes.domain.flags import Flag
from casenotes.domain.people import Person
from casenotes.domain.template import Template
from casenotes.domain.transcript import Transcript


@dataclass(frozen=True)
class CheckContext:
    """What the checks may know besides the draft and transcript.

    ``known_names`` are the case's people as they appear in the (pseudonymised) transcript;
    ``record`` is what the case record says about them (roles such as "foster carer"), which
    a sentence may state without anyone saying it in the conversation. ``speaker_roles`` maps a
    (pseudonymised) speaker label to that person's role in the case ("interpreter",
    "social_worker", as the drafter gets them). ``people`` are the case's people as recorded
    (real names): never shown to a model, only given to the model gateway so it can refuse text
    that still names them.
    """

    template: Template
    known_names: tuple[str, ...] = field(default=())
    record: tuple[str, ...] = field(default=())
    speaker_roles: Mapping[str, str] = field(default_factory=dict)
    people: tuple[Person, ...] = field(default=())


class Checker(Protocol):
    name: str
    version: str

    def check(self, draft: Draft, transcript: Transcript, context: CheckContext) -> list[Flag]: ...


def check(
    draft: Draft, transcript: Transcript, checkers: Sequence[Checker], context: CheckContext
) -> list[Flag]:
    """All flags from all checkers, in draft order (section order, then sentence order)."""
    order = {s.id: i for i, (_, s) in enumerate(draft.sentences())}
    sections = {s.name: i for i, s in enumerate(draft.sections)}
    flags = [flag for checker in checkers for flag in checker.check(draft, transcript, context)]
    return sorted(
        flags,
        key=lambda f: (sections.get(f.section, 99), order.get(f.sentence_id or "", -1)),
    )
