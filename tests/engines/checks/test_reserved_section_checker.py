"""The reserved-section check: sections of professional judgement hold no drafted sentence."""

from __future__ import annotations

from casenotes.domain.draft import Draft, Evidence, Section, Sentence, SentenceKind
from casenotes.domain.flags import FlagKind, Severity
from casenotes.domain.transcript import Segment, Transcript
from casenotes.engines.checks import ReservedSectionChecker
from casenotes.pipeline.check import CheckContext
from casenotes.pipeline.templates import load_template

TRANSCRIPT = Transcript((Segment(1, "[PERSON_1]", "The risk is high, in my view."),))
CONTEXT = CheckContext(template=load_template("home_visit_note"))
DRAFTED = Sentence("s7", "The risk is high, in my view.", evidence=(Evidence(1, 0, 29),))


def test_reserved_section_with_a_drafted_sentence_is_flagged() -> None:
    draft = Draft("home_visit_note", (Section("Analysis", reserved=True, sentences=(DRAFTED,)),))
    flags = ReservedSectionChecker().check(draft, TRANSCRIPT, CONTEXT)
    assert [(f.kind, f.severity, f.section, f.sentence_id) for f in flags] == [
        (FlagKind.RESERVED_SECTION, Severity.HIGH, "Analysis", "s7")
    ]
    assert flags[0].segment_ids == (1,)
    assert "1 drafted sentence" in flags[0].explanation


def test_section_reserved_by_the_template_is_flagged_even_if_the_draft_forgot() -> None:
    draft = Draft("home_visit_note", (Section("Analysis", sentences=(DRAFTED, DRAFTED)),))
    flags = ReservedSectionChecker().check(draft, TRANSCRIPT, CONTEXT)
    assert len(flags) == 1
    assert "2 drafted sentences" in flags[0].explanation


def test_what_the_practitioner_wrote_in_a_reserved_section_is_not_flagged() -> None:
    own = Sentence("s1", "My analysis.", kind=SentenceKind.HUMAN)
    draft = Draft(
        "home_visit_note",
        (Section("Analysis", reserved=True, sentences=(own,), human_text="My analysis."),),
    )
    assert ReservedSectionChecker().check(draft, TRANSCRIPT, CONTEXT) == []


def test_drafted_sentences_in_other_sections_are_not_flagged() -> None:
    draft = Draft(
        "home_visit_note",
        (Section("Discussion", sentences=(DRAFTED,)), Section("Analysis", reserved=True)),
    )
    assert ReservedSectionChecker().check(draft, TRANSCRIPT, CONTEXT) == []
