"""Reserved-section check: sections of professional judgement hold no drafted sentence."""

from __future__ import annotations

from casenotes.domain.draft import Draft, SentenceKind
from casenotes.domain.flags import Flag, FlagKind, Severity
from casenotes.domain.transcript import Transcript
from casenotes.pipeline.check import CheckContext


class ReservedSectionChecker:
    """Flags a reserved section (analysis, risk, recommendations) that has drafted sentences.

    What the practitioner wrote there themself (``SentenceKind.HUMAN``, ``human_text``) is the
    point of the section and is never flagged.
    """

    name = "reserved_section"
    version = "1.0"

    def check(self, draft: Draft, transcript: Transcript, context: CheckContext) -> list[Flag]:
        reserved = set(context.template.reserved_sections)
        flags: list[Flag] = []
        for section in draft.sections:
            if not (section.reserved or section.name in reserved):
                continue
            drafted = [s for s in section.sentences if s.kind is not SentenceKind.HUMAN]
            if not drafted:
                continue
            count = f"{len(drafted)} drafted sentence{'' if len(drafted) == 1 else 's'}"
            flags.append(
                Flag(
                    kind=FlagKind.RESERVED_SECTION,
                    severity=Severity.HIGH,
                    explanation=(
                        f"The section \"{section.name}\" is for the social worker's own "
                        f"professional judgement, but it contains {count}. The system must not "
                        "write this section."
                    ),
                    section=section.name,
                    sentence_id=drafted[0].id,
                    segment_ids=tuple(sorted({i for s in drafted for i in s.segment_ids})),
                    suggestion="Remove the drafted sentences and write this section yourself.",
                    checker=self.name,
                )
            )
        return flags
