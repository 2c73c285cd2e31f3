"""The detail check: names and numbers in a sentence must be in the turns it is linked to."""

from __future__ import annotations

import pytest

from casenotes.domain.draft import Draft, Evidence, Section, Sentence, SentenceKind
from casenotes.domain.flags import Flag, FlagKind, Severity
from casenotes.domain.template import Template, TemplateSection
from casenotes.domain.transcript import Segment, Transcript
from casenotes.engines.checks import DetailChecker
from casenotes.engines.checks.detail_checker import names, numbers
from casenotes.pipeline.check import CheckContext

CONTEXT = CheckContext(template=Template("t", "T", "1", (TemplateSection("Discussion"),)))


def flags_for(text: str, said: str, *, speaker: str = "[PERSON_2]",
              kind: SentenceKind = SentenceKind.SUMMARY) -> list[Flag]:
    transcript = Transcript((Segment(4, speaker, said),))
    sentence = Sentence("s3", text, kind, (Evidence(4, 0, len(said)),))
    draft = Draft("t", (Section("Discussion", sentences=(sentence,)),))
    return DetailChecker().check(draft, transcript, CONTEXT)


def items(flags: list[Flag]) -> list[str]:
    return [f.explanation.split('"')[1] for f in flags]


def test_sentence_with_number_not_in_evidence_is_flagged() -> None:
    flags = flags_for("She is £500 behind on the meter.",
                      "I'm about four hundred pound behind on the meter.")
    assert [(f.kind, f.severity, f.sentence_id, f.segment_ids) for f in flags] == [
        (FlagKind.UNSUPPORTED_DETAIL, Severity.HIGH, "s3", (4,))
    ]
    assert flags[0].explanation.startswith('The number "£500" is not in what was said in turn 4')
    assert flags[0].checker == "detail"


def test_spelled_number_not_in_evidence_is_flagged() -> None:
    flags = flags_for("She has three children.", "My husband, me, and the two children.")
    assert items(flags) == ["three"]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Attendance is 78%.", "His attendance is about seventy-eight percent this term."),
        ("She has £2 left.", "I've got like, erm, two pound odd left on it."),
        ("Next visit Thursday at 10am.", "I'll come back Thursday at ten."),
        ("About £400 behind.", "I'm about four hundred pound behind on the meter."),
        ("Hours cut from 25 to 12.", "I was doing twenty-five hours, they cut us down to twelve."),
        ("Born in 2016.", "Twelfth of September, twenty sixteen."),
        ("Report due on the 21st.", "The report is due to the court on the twenty-first."),
        ("Her number is 07700 900481.", "Me number's changed, it's 07700 900481."),
        ("No gas for three days.", "Since Sunday. So three days with no gas?"),
        ("She takes the blue one.", "Yes, the blue inhaler and the brown inhaler."),
    ],
)
def test_numbers_said_in_other_words_are_supported(text: str, said: str) -> None:
    assert flags_for(text, said) == []


def test_placeholder_not_in_evidence_is_flagged() -> None:
    flags = flags_for("[PERSON_3] has been staying over.", "[PERSON_4] has been stopping over.")
    assert items(flags) == ["[PERSON_3]"]
    assert flags[0].severity is Severity.HIGH
    assert flags[0].explanation.startswith('The name "[PERSON_3]"')


def test_speaker_of_the_evidence_supports_the_attribution() -> None:
    assert flags_for("[PERSON_2] said: The gas is off.", "The gas is off.") == []
    assert flags_for("Kayleigh Robson said: The gas is off.", "The gas is off.",
                     speaker="Kayleigh Robson") == []


def test_proper_noun_not_in_evidence_is_flagged_as_a_warning() -> None:
    flags = flags_for("The supplier is BrightSpark and she uses Hylton Foodbank.",
                      "The supplier is on the letter, and she uses the food bank.")
    assert items(flags) == ["BrightSpark", "Hylton", "Foodbank"]
    assert {f.severity for f in flags} == {Severity.WARNING}


def test_names_in_the_evidence_are_supported_whatever_their_form() -> None:
    assert flags_for("She rang Mrs Dunn's office.", "Mrs Dunn has been on at us.") == []


def test_capitalised_words_that_start_a_sentence_or_quote_are_not_taken_for_names() -> None:
    assert flags_for("[PERSON_2] said: “Honestly, it is cold.” Yes.", "honestly it is cold") == []
    assert flags_for("I think so. Anyway it is cold.", "it is cold, i think so, anyway") == []


def test_each_unsupported_item_is_flagged_once() -> None:
    flags = flags_for("Paid £50, then £50 again, and [PERSON_9] and [PERSON_9] knew.", "paid")
    assert items(flags) == ["[PERSON_9]", "£50"]


def test_practitioner_written_sentences_are_not_checked() -> None:
    assert flags_for("I will visit on 3 May with Dr Rennie.", "Okay.",
                     kind=SentenceKind.HUMAN) == []


def test_sentence_without_evidence_is_left_to_the_evidence_check() -> None:
    draft = Draft("t", (Section("Discussion", sentences=(Sentence("s1", "Paid £50."),)),))
    assert DetailChecker().check(draft, Transcript(()), CONTEXT) == []


def test_names_finds_placeholders_and_proper_nouns_not_at_sentence_start() -> None:
    assert names("[PERSON_1] said: “We went to Leeds.” Then I saw Dr Rennie.") == [
        "[PERSON_1]", "Leeds", "Dr", "Rennie"
    ]


def test_numbers_reads_digits_money_percentages_and_words() -> None:
    assert numbers("£2.50, 78%, 10am, seventy-eight, four hundred and ten, the blue one") == [
        ("£2.50", 2.5), ("78%", 78.0), ("10am", 10.0), ("seventy-eight", 78.0),
        ("four hundred and ten", 410.0),
    ]


def test_when_a_time_was_said_as_half_nine_then_9_30am_is_not_flagged() -> None:
    said = "They'll collect her between nine and half nine, and I give his tablets at six-thirty."
    assert flags_for("The minibus collects her between 9am and 9.30am.", said) == []
    assert flags_for("He has his tablets at 6.30am.", said) == []
    assert items(flags_for("The minibus collects her at 10.30am.", said)) == ["10.30am"]


def test_when_a_number_was_said_digit_by_digit_or_as_pounds_and_pence_then_not_flagged() -> None:
    said = "I'll give you the NHS 24 number, one one one. It's twenty-three pound fifty a week."
    assert flags_for("I gave her NHS 24 (111) and said the charge is £23.50 a week.", said) == []
    assert items(flags_for("The charge is £25.50 a week.", said)) == ["£25.50"]


def test_when_a_job_title_is_on_the_case_record_then_it_is_not_taken_for_an_invented_name(
        ) -> None:
    transcript = Transcript((Segment(1, "[PERSON_1]", "Hello, I'm [PERSON_1] from the team."),))
    sentence = Sentence("s1", "Best wishes, [PERSON_1], Social Worker.", SentenceKind.SUMMARY,
                        (Evidence(1),))
    draft = Draft("t", (Section("Discussion", sentences=(sentence,)),))
    without = DetailChecker().check(draft, transcript, CONTEXT)
    assert "Social" in items(without)
    with_record = CheckContext(CONTEXT.template, record=("social_worker",))
    assert DetailChecker().check(draft, transcript, with_record) == []


def check_turns(text: str, turns: list[tuple[str, str]], linked: int,
                known: tuple[str, ...] = ()) -> list[Flag]:
    """``text`` linked to turn ``linked`` of ``turns`` (speaker, text), numbered from 1."""
    transcript = Transcript(tuple(Segment(i, who, said) for i, (who, said)
                                  in enumerate(turns, 1)))
    sentence = Sentence("s1", text, SentenceKind.SUMMARY, (Evidence(linked),))
    draft = Draft("t", (Section("Discussion", sentences=(sentence,)),))
    context = CheckContext(CONTEXT.template, known_names=known)
    return DetailChecker().check(draft, transcript, context)


FAR_APART = [("[PERSON_1]", "Before we start, the interpreter will speak Romanian for you."),
             *[("[PERSON_1]", "Okay.")] * 6,
             ("[PERSON_2]", "[PERSON_9] was meant to move out in February."),
             *[("[PERSON_1]", "Okay.")] * 6,
             ("[PERSON_1]", "Thank you, everyone, for coming today.")]


def test_an_age_after_a_name_is_left_to_the_consistency_check() -> None:
    from casenotes.engines.checks import ConsistencyChecker

    text = "[PERSON_3] (8) and [PERSON_4] (2) were at home."
    transcript = Transcript((Segment(4, "[PERSON_1]", "Hello [PERSON_3], hello [PERSON_4]."),))
    sentence = Sentence("s3", text, SentenceKind.SUMMARY, (Evidence(4),))
    draft = Draft("t", (Section("Discussion", sentences=(sentence,)),))
    assert DetailChecker().check(draft, transcript, CONTEXT) == []
    ages = ConsistencyChecker().check(draft, transcript, CONTEXT)
    assert [f.explanation.split(";")[0] for f in ages] == [
        "The age 8 is not said anywhere in the conversation",
        "The age 2 is not said anywhere in the conversation"]


def test_a_word_of_a_title_is_not_a_name() -> None:
    assert flags_for("Care Act assessment after the fire service visit.",
                     "The fire service came to do a home safety check last week.") == []
    assert items(flags_for("Care Act assessment after the Brantwood visit.",
                           "The fire service came to do a home safety check.")) == ["Brantwood"]


def test_a_word_that_names_no_one_may_have_been_said_elsewhere_in_the_conversation() -> None:
    assert check_turns("Elena Popa (Romanian interpreter) was present.", FAR_APART, 15,
                       known=("Elena Popa",)) == []


def test_a_person_found_by_pseudonymisation_and_said_only_elsewhere_is_still_flagged() -> None:
    flags = check_turns("Everyone thanked [PERSON_9] for coming.", FAR_APART, 15)
    assert items(flags) == ["[PERSON_9]"]


def test_a_month_is_left_to_the_consistency_check() -> None:
    assert check_turns("Check for news since February.", FAR_APART, 15) == []


def test_a_name_with_accented_letters_said_in_the_conversation_is_not_flagged_as_invented(
) -> None:
    said = "I'm Rasa Petrauskaitė, the interpreter, here with Dalia Kazlauskienė."
    assert flags_for("Dalia Kazlauskienė attended with Rasa Petrauskaitė.", said) == []
    assert items(flags_for("Dalia Kazlauskienė attended with Rasa Jankauskaitė.", said)) == [
        "Jankauskaitė"]


def test_hours_then_days_said_in_words_are_two_numbers_not_one() -> None:
    said = "The bakery, mornings, four days. Six till twelve."
    assert flags_for("She works from six till twelve four mornings a week.", said) == []
    assert items(flags_for("She works from six till twelve five mornings a week.", said)) == [
        "five"]


def test_two_weeks_ago_is_supported_by_a_couple_of_weeks_ago() -> None:
    said = "A couple of weeks ago I found her at the front door at three in the morning."
    assert flags_for("About two weeks ago she was found at the front door at three in the "
                     "morning.", said) == []
