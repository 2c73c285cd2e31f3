"""Participant check: everyone heard must be someone the case record knows.

A voice that is not one of the case's people (a neighbour who joined, a transcript's
"Speaker 2") may be someone whose consent and role nobody confirmed: the practitioner says who
they are before the note is signed.
"""

from __future__ import annotations

from casenotes.domain.draft import Draft
from casenotes.domain.flags import Flag, FlagKind, Severity
from casenotes.domain.transcript import Transcript
from casenotes.pipeline.check import CheckContext


class ParticipantChecker:
    """Flags each attendee line whose speaker is not among the case's known people."""

    name = "participants"
    version = "1"

    def check(self, draft: Draft, transcript: Transcript, context: CheckContext) -> list[Flag]:
        known = set(context.known_names)
        attendee_sections = {s.name for s in context.template.sections if s.attendees}
        speakers = {seg.id: seg.speaker for seg in transcript.segments}
        flags: list[Flag] = []
        flagged: set[str] = set()
        for section, sentence in draft.sentences():
            if section.name not in attendee_sections:
                continue
            for seg_id in sentence.segment_ids:
                speaker = speakers.get(seg_id)
                if speaker is None or speaker in known or speaker in flagged:
                    continue
                flagged.add(speaker)
                flags.append(Flag(
                    kind=FlagKind.NAME_CONSISTENCY,
                    severity=Severity.WARNING,
                    explanation=(
                        "This speaker is not one of the people on the case record. Confirm "
                        "who they are, their role, and that they agreed to the recording; "
                        "add them to the case if they belong there."
                    ),
                    section=section.name,
                    sentence_id=sentence.id,
                    segment_ids=(seg_id,),
                    checker=self.name,
                ))
        return flags
