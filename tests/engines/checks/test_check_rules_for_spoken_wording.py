"""The checks read speech as it is said: dialect negations, lists, yes-answered questions,
dates and ages as notes write them, and claims about who someone is or who agreed."""

from __future__ import annotations

import pytest
from checksupport import TEMPLATE, draft, sentence, transcript

from casenotes.domain.flags import Flag, FlagKind
from casenotes.engines.checks import (
    DetailChecker,
    LanguageChecker,
    OmissionChecker,
    UnsupportedClaimChecker,
)
from casenotes.engines.checks.detail_checker import numbers
from casenotes.engines.checks.lexicon import topics
from casenotes.engines.checks.wording import opposite
from casenotes.engines.embed import MiniLMEmbedder
from casenotes.pipeline.check import CheckContext

CONTEXT = CheckContext(TEMPLATE)


@pytest.mark.parametrize(("text", "said"), [
    ("He has not had a wash for three days.", "I hent had a wash in three days."),
    ("He has not opened his post.", "I ent opened nothing since October."),
    ("She did not go to college.", "I dont go to college no more."),
])
def test_a_dialect_or_unapostrophised_negation_is_read_as_a_not(text: str, said: str) -> None:
    assert opposite(text, said) is None
    assert opposite(text.replace(" not", ""), said) is not None


def test_a_negation_before_a_list_covers_every_item_of_it() -> None:
    said = "Then it's six weeks no lifting, no driving, and no bending down."
    assert opposite("Six weeks with no lifting, driving or bending.", said) is None


def test_a_closing_neither_does_not_negate_the_statement_after_the_comma() -> None:
    assert opposite("He reads her texts.", "Don't text me neither, he reads me texts.") is None


def test_out_of_reach_is_read_as_cannot_reach() -> None:
    said = "In the tin on top of the cupboard, where she can't reach."
    assert opposite("Medicines are kept out of her reach.", said) is None


def test_a_question_answered_yes_counts_as_affirmed(embedder: MiniLMEmbedder) -> None:
    said = transcript(
        ("[PERSON_1]", "I don't want you paying him back by doing favours."),
        ("[PERSON_1]", "Can I email your tutor, and say you want to come back?"),
        ("[PERSON_2]", "Would you? Yeah. Please."),
    )
    note = draft(sentence("s1", "I will email your tutor to say you want to come back.", [2]))
    flags = UnsupportedClaimChecker(embedder).check(note, said, CONTEXT)
    assert not any("opposite" in f.explanation for f in flags)


def test_two_names_made_one_person_without_anyone_saying_so_is_flagged(
        embedder: MiniLMEmbedder) -> None:
    said = transcript(
        ("[PERSON_1]", "One of the men at the flat gave the name Jonathan Pell."),
        ("[PERSON_2]", "Mum said Liam's got a new mate, Jonno, stopping at his."),
        ("[PERSON_1]", "I'll do checks on Jonathan Pell, and I'll try and find out who Jonno is."),
    )
    checker = UnsupportedClaimChecker(embedder)
    flags = checker.check(draft(sentence("s1", "Jonno is Jonathan Pell.", [1, 2, 3])), said,
                          CONTEXT)
    assert any("nobody said the two names together" in f.explanation for f in flags)


def test_the_agreement_of_someone_who_did_not_speak_needs_someone_to_report_it(
        embedder: MiniLMEmbedder) -> None:
    said = transcript(
        ("[PERSON_1]", "The plan is that the children stay with Mum this weekend."),
        ("[PERSON_2]", "Agreed."),
        ("[PERSON_1]", "I'll ask Stacey to agree to that when we see her today."),
    )
    checker = UnsupportedClaimChecker(embedder)
    invented = checker.check(draft(sentence("s1", "Stacey has agreed to the plan.", [1, 2, 3])),
                             said, CONTEXT)
    assert any("Stacey did not speak" in f.explanation for f in invented)
    reported = transcript(*[(s.speaker, s.text) for s in said.segments],
                          ("[PERSON_2]", "Stacey agreed to it when I rang her this morning."))
    kept = checker.check(draft(sentence("s1", "Stacey has agreed to the plan.", [2, 3, 4])),
                         reported, CONTEXT)
    assert not any("did not speak" in f.explanation for f in kept)


@pytest.mark.parametrize(("text", "topic"), [
    ("He has threatened the neighbours.", "threats"),
    ("Archie has injuries.", "injury"),
    ("Corey has been excluded.", "school_exclusion"),
])
def test_threats_injuries_and_exclusions_are_high_stakes(
        embedder: MiniLMEmbedder, text: str, topic: str) -> None:
    said = transcript(("[PERSON_1]", "How has the week been?"),
                      ("[PERSON_2]", "Quiet. He had a detention for his phone, that's all."))
    flags = UnsupportedClaimChecker(embedder).check(draft(sentence("s1", text, [2])), said,
                                                    CONTEXT)
    label = topic.replace("_", " ")
    assert any(label in f.explanation and "nobody spoke about" in f.explanation for f in flags)


def test_a_hospital_stay_said_without_the_word_hospital_supports_one() -> None:
    admission = next(t for t in topics("high_stakes_terms.yaml") if t.key == "hospital_admission")
    assert admission.matches("They've said I'll be in two or three nights after the op.")


def test_a_dropped_g_does_not_hide_a_topic_word() -> None:
    missing = next(t for t in topics("safeguarding_topics.yaml") if t.key == "going_missing")
    assert missing.matches("She didn't come home till two in the mornin'.")


def detail(text: str, *turns: tuple[str, str]) -> list[Flag]:
    said = transcript(*turns)
    note = draft(sentence("s1", text, [len(turns)]))
    return [f for f in DetailChecker().check(note, said, CONTEXT)
            if f.kind is FlagKind.UNSUPPORTED_DETAIL]


@pytest.mark.parametrize(("text", "turns"), [
    ("Carer's assessment for Terry, 72, who cares for his son.",
     (("[PERSON_1]", "Terry, tell me about caring for your son."),)),
    ("A meeting about Archie (18 months).", (("[PERSON_1]", "A meeting about Archie."),)),
    ("We will meet on Tuesday 24 November.", (("[PERSON_1]", "I'll see you on Tuesday."),)),
    ("The visit was on Thursday 19 November 2026.",
     (("[PERSON_1]", "It's Thursday the nineteenth of November."),)),
    ("Police were called in July 2025.", (("[PERSON_1]", "Police came out in July last year."),)),
    ("All four agreed to the recording.",
     (("A", "Can I record?"), ("B", "Yes."), ("C", "Yes."), ("D", "Yes, fine."))),
    ("The conference closed at 10.52am.", (("[PERSON_1]", "We closed at ten fifty-two."),)),
])
def test_dates_ages_counts_and_clock_times_as_notes_write_them_are_not_inventions(
        text: str, turns: tuple[tuple[str, str], ...]) -> None:
    assert detail(text, *turns) == []


def test_a_date_nobody_said_is_still_flagged() -> None:
    assert detail("We will meet on 24 November.", ("[PERSON_1]", "See you soon.")) != []


def test_clock_minutes_said_in_words_have_their_value() -> None:
    assert 9.05 in {v for _, v in numbers("nine oh five", lone_words=True)}


def test_an_answer_to_a_question_that_points_back_keeps_the_subject(
        embedder: MiniLMEmbedder) -> None:
    said = transcript(
        ("[PERSON_1]", "Can I ask about your injection? The clinic rang to say you'd not been in."),
        ("[PERSON_2]", "No."),
        ("[PERSON_1]", "When did you last have it?"),
        ("[PERSON_2]", "End of September. I went in, I had it, come home and thought, no more."),
    )
    note = draft(sentence("s1", "The clinic said he had not been in.", [1, 2]))
    flags = OmissionChecker(embedder=embedder).check(note, said, CONTEXT)
    assert any(4 in f.segment_ids for f in flags)


@pytest.mark.parametrize("phrase", [
    "troubled teenager", "over-anxious grandmother", "not coping", "bad with money",
    "known offender", "mental age of six", "domestic dispute", "medical neglect", "chose to",
    "assaulted",
])
def test_stigmatising_wording_families_from_practice_guidance_get_an_alternative(
        phrase: str) -> None:
    text = f"It was noted: {phrase} here."
    flags = LanguageChecker().check(draft(sentence("s1", text)), transcript(), CONTEXT)
    assert any(f.suggestion and f.suggestion != text for f in flags)


def test_a_child_protection_category_of_neglect_is_not_flagged_as_a_label() -> None:
    text = "They remain subject to child protection plans under the category of neglect."
    assert LanguageChecker().check(draft(sentence("s1", text)), transcript(), CONTEXT) == []
