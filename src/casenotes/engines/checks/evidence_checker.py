"""Evidence check: every drafted sentence must point at words that exist in the transcript."""

from __future__ import annotations

from casenotes.domain.draft import Draft, Evidence, SentenceKind
from casenotes.domain.flags import Flag, FlagKind, Severity
from casenotes.domain.transcript import Transcript
from casenotes.pipeline.check import CheckContext

_HINT = "Link the sentence to the part of the conversation it came from, or remove it."


def _span_ok(evidence: Evidence, length: int) -> bool:
    return 0 <= evidence.start <= evidence.end <= length


class EvidenceChecker:
    """Flags drafted sentences with no evidence, or with evidence that is not in the transcript.

    Sentences the practitioner wrote (``SentenceKind.HUMAN``) need no evidence.
    """

    name = "evidence"
    version = "1.0"

    def check(self, draft: Draft, transcript: Transcript, context: CheckContext) -> list[Flag]:
        lengths = {seg.id: len(seg.text) for seg in transcript.segments}
        flags: list[Flag] = []
        for section, sentence in draft.sentences():
            if sentence.kind is SentenceKind.HUMAN:
                continue
            if not sentence.evidence:
                explanation = (
                    "This sentence is not linked to anything said in the conversation, so "
                    "nothing shows where it came from."
                )
            elif missing := sorted(
                {e.segment_id for e in sentence.evidence if e.segment_id not in lengths}
            ):
                turns = ", ".join(str(i) for i in missing)
                explanation = (
                    f"This sentence is linked to turn {turns}, which is not in the transcript, "
                    "so nothing shows where it came from."
                )
            elif any(not _span_ok(e, lengths[e.segment_id]) for e in sentence.evidence):
                explanation = (
                    "This sentence is linked to words outside the transcript turn it names, "
                    "so nothing shows where it came from."
                )
            else:
                continue
            flags.append(
                Flag(
                    kind=FlagKind.NO_EVIDENCE,
                    severity=Severity.HIGH,
                    explanation=explanation,
                    section=section.name,
                    sentence_id=sentence.id,
                    segment_ids=tuple(i for i in sentence.segment_ids if i in lengths),
                    suggestion=_HINT,
                    checker=self.name,
                )
            )
        return flags
