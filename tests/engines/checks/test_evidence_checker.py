"""The evidence check: drafted sentences must point at words in the transcript."""

from __future__ import annotations

from casenotes.domain.draft import Draft, Evidence, Section, Sentence, SentenceKind
from casenotes.domain.flags import FlagKind, Severity
from casenotes.domain.template import Template, TemplateSection
from casenotes.domain.transcript import Segment, Transcript
from casenotes.engines.checks import EvidenceChecker
from casenotes.pipeline.check import CheckContext

TRANSCRIPT = Transcript(
    (
        Segment(1, "[PERSON_1]", "I noticed the kitchen is very cold."),
        Segment(2, "[PERSON_2]", "The gas has been off since Sunday."),
    )
)
CONTEXT = CheckContext(
    template=Template("t", "T", "1", (TemplateSection("Observations"),))
)


def check(*sentences: Sentence) -> list[tuple[FlagKind, Severity, str | None]]:
    draft = Draft("t", (Section("Observations", sentences=sentences),))
    flags = EvidenceChecker().check(draft, TRANSCRIPT, CONTEXT)
    assert all(f.checker == "evidence" and f.section == "Observations" for f in flags)
    return [(f.kind, f.severity, f.sentence_id) for f in flags]


def test_sentence_with_evidence_in_the_transcript_is_not_flagged() -> None:
    assert check(
        Sentence("s1", "I noticed the kitchen is very cold.", evidence=(Evidence(1, 0, 35),)),
        Sentence("s2", "The gas has been off.", evidence=(Evidence(2),)),
    ) == []


def test_sentence_without_evidence_is_flagged_high() -> None:
    assert check(Sentence("s1", "The home was neglected.")) == [
        (FlagKind.NO_EVIDENCE, Severity.HIGH, "s1")
    ]


def test_sentence_whose_evidence_turn_does_not_exist_is_flagged() -> None:
    flags = EvidenceChecker().check(
        Draft("t", (Section("Observations", sentences=(
            Sentence("s1", "The gas is off.", evidence=(Evidence(2), Evidence(9, 0, 3))),
        )),)),
        TRANSCRIPT,
        CONTEXT,
    )
    assert [(f.kind, f.sentence_id, f.segment_ids) for f in flags] == [
        (FlagKind.NO_EVIDENCE, "s1", (2,))
    ]
    assert "turn 9" in flags[0].explanation
    assert flags[0].suggestion


def test_sentence_whose_span_is_outside_its_turn_is_flagged() -> None:
    assert check(Sentence("s1", "Cold.", evidence=(Evidence(1, 30, 400),))) == [
        (FlagKind.NO_EVIDENCE, Severity.HIGH, "s1")
    ]


def test_practitioner_written_sentences_need_no_evidence() -> None:
    assert check(Sentence("s1", "I will review in a week.", kind=SentenceKind.HUMAN)) == []


def test_quotes_without_evidence_are_flagged() -> None:
    assert check(Sentence("s1", "“I'm fine.”", kind=SentenceKind.QUOTE)) == [
        (FlagKind.NO_EVIDENCE, Severity.HIGH, "s1")
    ]
