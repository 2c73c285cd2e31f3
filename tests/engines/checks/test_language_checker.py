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
        '- pattern: "tier (?:four|4) family"\n'
        '  replacement: "family with a child protection plan"\n'
        '  why: "Local jargon that others will not read the same way."\n', encoding="utf-8")
    text = "They are a tier four family in the east locality."
    assert LanguageChecker().check(draft(sentence("s1", text)), SAID, CONTEXT) == []
    flags = LanguageChecker([tmp_path]).check(draft(sentence("s1", text)), SAID, CONTEXT)
    assert flags[0].suggestion == ("They are a family with a child protection plan in the east "
                                   "locality.")


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


@pytest.mark.parametrize(("text", "phrase", "suggested"), [
    ("She is putting herself at risk by going out at night.", "putting herself at risk",
     "She is at risk of harm from others by going out at night."),
    ("He places himself in danger.", "places himself in danger",
     "He is at risk of harm from others."),
    ("Reece is choosing this lifestyle.", "choosing this lifestyle",
     "Reece is at risk of being exploited."),
    ("Jade is sexually active.", "is sexually active", "Jade has talked about having sex."),
    ("Her older boyfriend collects her from school.", "Her older boyfriend",
     "The adult she has been seeing collects her from school."),
    ("Tyler absconded from the home on Friday.", "absconded",
     "Tyler went missing from the home on Friday."),
    ("The placement broke down in June.", "The placement broke down",
     "The placement ended in June."),
    ("Staff reported challenging behaviour at bedtime.", "challenging behaviour",
     "Staff reported behaviour that shows distress at bedtime."),
    ("Kai kicked off when contact ended.", "kicked off",
     "Kai became very upset when contact ended."),
    ("Mum is in denial.", "is in denial", "Mum does not agree with the concerns."),
    ("Mum is in denial about the risk.", "is in denial about",
     "Mum does not agree with the concerns about the risk."),
    ("They have a volatile relationship.", "a volatile relationship",
     "They have a relationship in which there are concerns about domestic abuse."),
    ("Mr Ashworth was uncooperative with the safeguarding enquiry.",
     "was uncooperative with", "Mr Ashworth has not agreed with the safeguarding enquiry."),
    ("Mrs Shah refused a care package.", "refused", "Mrs Shah declined a care package."),
    ("The family are hard to reach.", "are hard to reach",
     "The family have not yet been reached by the services offered."),
    ("Mason did not attend his dental appointment.", "did not attend",
     "Mason was not brought to his dental appointment."),
    ("Irene wanders at night.", "wanders", "Irene walks about at night."),
    ("He is an elderly man.", "elderly", "He is an older man."),
    ("Mason is low-functioning.", "is low-functioning",
     "Mason needs a lot of support with some things."),
    ("Greta is parentified.", "is parentified", "Greta has taken on caring for the family."),
    ("Dalia has poor English.", "has poor English",
     "Dalia speaks English as an additional language."),
    ("There is a lot of drama at home.", "a lot of drama", "There is conflict at home."),
    ("He suffers from depression.", "suffers from", "He lives with depression."),
])
def test_well_known_stigmatising_phrasings_from_practice_guidance_get_a_respectful_wording(
        text: str, phrase: str, suggested: str) -> None:
    flags = LanguageChecker().check(draft(sentence("s1", text, [1])), SAID, CONTEXT)
    assert [f'"{phrase}"' in f.explanation for f in flags] == [True], text
    assert flags[0].suggestion == suggested


@pytest.mark.parametrize("text", [
    "Her mum's boyfriend, Craig, lives there most nights.",
    "Mason goes to drama club on Tuesdays.",
    "A DNA test was ordered by the court.",
    "It is difficult to get an appointment with the GP.",
])
def test_the_same_words_in_an_ordinary_sense_are_not_flagged(text: str) -> None:
    assert LanguageChecker().check(draft(sentence("s1", text, [1])), SAID, CONTEXT) == []


def test_the_persons_own_words_reported_after_said_are_left_as_they_said_them() -> None:
    text = "Mason said: Cos his girlfriend lives there now and I don't really know her."
    assert LanguageChecker().check(draft(sentence("s1", text, [1])), SAID, CONTEXT) == []
    quoted = 'Wayne said, "No point lying, is there," and that his girlfriend agreed.'
    flags = LanguageChecker().check(draft(sentence("s1", quoted, [1])), SAID, CONTEXT)
    assert ['"his girlfriend"' in f.explanation for f in flags] == [True]
