"""The language check: stigmatising or blaming words, each with a respectful alternative."""

from __future__ import annotations

from pathlib import Path

import pytest
from checksupport import TEMPLATE, draft, sentence, transcript

from casenotes.domain.draft import SentenceKind
from casenotes.domain.errors import InvalidInput
from casenotes.domain.flags import FlagKind
from casenotes.engines.checks import LanguageChecker
from casenotes.pipeline.check import CheckContext
from visits import load_case

CONTEXT = CheckContext(TEMPLATE)
SAID = transcript(("[PERSON_1]", "Hello."))


@pytest.mark.parametrize(("text", "phrase", "suggested"), [
    ("[PERSON_2] refused to engage with the plan.", "refused to engage",
     "[PERSON_2] did not take up the offer of support with the plan."),
    ("She claims that the landlord never came.", "claims that",
     "She said the landlord never came."),
    ("He was non-compliant with his medication.", "non-compliant",
     "He was not following the agreed plan with his medication."),
    ("Mother failed to attend the meeting.", "failed to", "Mother did not attend the meeting."),
    ("He was aggressive on the phone.", "aggressive", "He was upset and angry on the phone."),
])
def test_stigmatising_phrase_is_flagged_with_the_sentence_reworded(
        text: str, phrase: str, suggested: str) -> None:
    flags = LanguageChecker().check(draft(sentence("s1", text, [1])), SAID, CONTEXT)
    assert [(f.kind, f.sentence_id) for f in flags] == [(FlagKind.STIGMATISING_LANGUAGE, "s1")]
    assert f'"{phrase}"' in flags[0].explanation
    assert flags[0].suggestion == suggested


def test_respectful_sentence_raises_no_flag() -> None:
    text = "[PERSON_2] said she has been skipping meals so the children can eat."
    assert LanguageChecker().check(draft(sentence("s1", text, [1])), SAID, CONTEXT) == []


def test_the_persons_own_words_in_a_quote_are_left_as_said() -> None:
    quote = sentence("s1", '"I\'m not a bad mam, they claim that I am."', [1], SentenceKind.QUOTE)
    assert LanguageChecker().check(draft(quote), SAID, CONTEXT) == []


def test_what_the_practitioner_wrote_is_checked_too() -> None:
    flags = LanguageChecker().check(draft(analysis="Mother is manipulative."), SAID, CONTEXT)
    assert [(f.section, f.sentence_id) for f in flags] == [("Analysis", None)]
    assert '"manipulative"' in flags[0].explanation


def test_an_organisation_can_add_its_own_phrases(tmp_path: Path) -> None:
    (tmp_path / "stigmatising_language.yaml").write_text(
        '- pattern: "frequent flyer"\n  replacement: "person who often asks for help"\n'
        '  why: "A label that mocks need."\n', encoding="utf-8")
    text = "He is a frequent flyer at the office."
    assert LanguageChecker().check(draft(sentence("s1", text)), SAID, CONTEXT) == []
    flags = LanguageChecker([tmp_path]).check(draft(sentence("s1", text)), SAID, CONTEXT)
    assert flags[0].suggestion == "He is a person who often asks for help at the office."


def test_a_broken_organisation_list_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    (tmp_path / "stigmatising_language.yaml").write_text("- pattern: \"(unclosed\"\n"
                                                         "  replacement: x\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as error:
        LanguageChecker([tmp_path])
    assert "not a valid regular expression" in error.value.message


def test_every_stigmatising_trap_in_a_visit_case_is_flagged_with_an_alternative() -> None:
    checker = LanguageChecker()
    for case_id in ("case_01", "case_03", "case_06", "case_11", "case_13"):
        for trap in load_case(case_id)["stigmatising_traps"]:
            text = trap["avoid"][:1].upper() + trap["avoid"][1:] + "."
            flags = checker.check(draft(sentence("s1", text)), SAID, CONTEXT)
            assert flags and all(f.suggestion and f.suggestion != text for f in flags), text
