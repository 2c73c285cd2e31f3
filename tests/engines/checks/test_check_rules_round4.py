"""Rules from reading blind round 4 as dev cases: instructions and denied questions in the
negation rule, numbers as people say them, threats and bank details stated as fact, risk said
in everyday words (money handed over, gifts, "don't tell", a child left alone, a bridge, the
next visit), a worker's summing-up and a bare "yeah", and three stigmatising word families.
The wording is invented for the tests, not taken from the cases."""

from __future__ import annotations

import pytest
from checksupport import CONTEXT, TEMPLATE, draft, omitted_turns, sentence, topic_keys, transcript

from casenotes.engines.checks import (
    DetailChecker,
    LanguageChecker,
    OmissionChecker,
    UnsupportedClaimChecker,
)
from casenotes.engines.checks.detail_checker import numbers
from casenotes.engines.checks.wording import opposite
from casenotes.engines.embed import MiniLMEmbedder
from casenotes.pipeline.check import CheckContext

# --- negation ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The foster carer asked Jade not to visit the flat on Rowan Street.",
    "He was warned never to contact the youth club again.",
])
def test_an_instruction_not_to_do_something_is_not_read_as_a_denial(text: str) -> None:
    said = "She keeps going to the flat on Rowan Street, and the youth club rang about him."
    assert opposite(text, said) is None
    assert opposite("Jade did not go to the flat on Rowan Street.", said) is not None


def test_a_sentence_saying_something_has_not_happened_matches_a_question_answered_no(
        embedder: MiniLMEmbedder) -> None:
    said = transcript(
        ("[PERSON_1]", "Policy says the school should hold a review meeting with the family. "
                       "Has that been done?"),
        ("[PERSON_2]", "No. Nobody has got round to it."),
    )
    note = draft(sentence("s1", "No review meeting with the family has been held.", [2]))
    flags = UnsupportedClaimChecker(embedder).check(note, said, CONTEXT)
    assert not any("opposite" in f.explanation for f in flags)


# --- numbers as people say them ---------------------------------------------------------

@pytest.mark.parametrize(("said", "value"), [
    ("She rang at twenty past nine that night.", 9.2),
    ("The call came in at ten to four.", 3.5),
    ("He owes about seven grand on the cards.", 7000.0),
    ("It came to two and a half grand.", 2500.0),
    ("Her weight is on the fortieth centile.", 40.0),
])
def test_a_time_sum_or_ordinal_said_in_words_supports_the_figure_a_note_writes(
        said: str, value: float) -> None:
    assert value in {v for _, v in numbers(said, lone_words=True)}


def test_a_number_said_earlier_with_the_thing_it_counts_supports_it_in_the_actions() -> None:
    said = transcript(
        ("[PERSON_1]", "He's overdue his twelve-month jabs at the surgery."),
        ("[PERSON_2]", "I know, I'll ring them."),
        ("[PERSON_1]", "Okay."),
        ("[PERSON_2]", "Anything else?"),
        ("[PERSON_1]", "No."),
        ("[PERSON_2]", "Right, actions. Mum to book the jabs by Friday."),
    )
    note = draft(sentence("s1", "Mum to book the 12-month jabs by Friday.", [6]))
    assert not DetailChecker().check(note, said, CONTEXT)
    other = draft(sentence("s1", "Mum to book the 18-month jabs by Friday.", [6]))
    assert DetailChecker().check(other, said, CONTEXT)


# --- high-stakes claims -----------------------------------------------------------------

def test_a_threat_said_only_as_a_question_is_flagged_when_stated_as_fact(
        embedder: MiniLMEmbedder) -> None:
    said = transcript(
        ("[PERSON_1]", "Has your cousin ever threatened you about the money?"),
        ("[PERSON_2]", "He goes quiet on me. He just stops answering."),
    )
    note = draft(sentence("s1", "Her cousin threatened her about the money.", [1, 2]))
    flags = UnsupportedClaimChecker(embedder).check(note, said, CONTEXT)
    assert any("only asked about" in f.explanation for f in flags)


def test_giving_away_a_pin_said_only_as_a_question_is_flagged_when_stated_as_fact(
        embedder: MiniLMEmbedder) -> None:
    said = transcript(
        ("[PERSON_1]", "Did the caller ever get your card details?"),
        ("[PERSON_2]", "I read him the long number off the front. That's all."),
    )
    note = draft(sentence("s1", "She gave the caller her card details.", [1, 2]))
    flags = UnsupportedClaimChecker(embedder).check(note, said, CONTEXT)
    assert any("only asked about" in f.explanation for f in flags)
    assert "bank_details" not in topic_keys("high_stakes_terms.yaml",
                                             "She entered her PIN at the machine.")


# --- risk said in everyday words (omissions) --------------------------------------------

@pytest.mark.parametrize(("text", "topic"), [
    ("I handed them the cash from the drawer, eight hundred it was.", "financial_abuse"),
    ("Now she's after another three hundred for the gutters.", "financial_abuse"),
    ("He bought her a phone and some clothes, said it was a present.", "police_and_missing"),
    ("She said to me, don't tell your teacher or you'll get in trouble.", "secrecy"),
    ("I only left the baby with him for ten minutes.", "supervision"),
    ("He's not to be alone with the children.", "supervision"),
    ("Some nights I drive out to the railway bridge and just sit in the car.", "self_harm"),
    ("Can I see you again on Tuesday, to see how it's gone?", "follow_up"),
])
def test_risk_said_in_everyday_words_is_recognised(text: str, topic: str) -> None:
    assert topic in topic_keys("safeguarding_topics.yaml", text)


def test_a_child_left_alone_is_recognised_but_not_an_errand_or_someone_on_their_own() -> None:
    assert "supervision" in topic_keys("safeguarding_topics.yaml",
                                        "She left them home alone while she went out.")
    for text in ("I'm going to the shop later for milk.",
                 "She was alone with her thoughts all weekend."):
        assert "supervision" not in topic_keys("safeguarding_topics.yaml", text)


def test_a_deleted_account_is_pointed_at_when_only_the_workers_summing_up_is_flagged(
        embedder: MiniLMEmbedder) -> None:
    said = transcript(
        ("[PERSON_1]", "How did you pay them?"),
        ("[PERSON_2]", "Nine hundred, cash, from the envelope under the mattress. My pension."),
        ("[PERSON_1]", "So nine hundred pounds in cash, from your pension envelope."),
        ("[PERSON_2]", "That's it."),
    )
    pointed = omitted_turns(embedder, draft(), said)
    assert 2 in pointed


def test_a_bare_yes_to_a_recorded_question_is_not_flagged(embedder: MiniLMEmbedder) -> None:
    said = transcript(
        ("[PERSON_1]", "I'm worried about having all those tablets in the house tonight. Shall "
                       "I hold on to them for you?"),
        ("[PERSON_2]", "Yeah. Go on then."),
    )
    note = draft(sentence("s1", "He agreed his tablets would be held by the worker tonight.",
                          [1]))
    flags = OmissionChecker(embedder=embedder).check(note, said, CONTEXT)
    assert not [f for f in flags if 2 in f.segment_ids]


# --- stigmatising wording families -------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Mr Okafor is hearing impaired.",
    "Lily is non-verbal.",
    "He is deaf and dumb.",
    "Mrs Hale was easily duped by the callers.",
    "She was gullible and fell for their story.",
    "Dad is fabricating the symptoms.",
    "Mum has been exaggerating his pain.",
])
def test_deficit_victim_blaming_and_honesty_judgements_are_flagged_with_an_alternative(
        text: str) -> None:
    note = draft(sentence("s1", text, [1]))
    flags = LanguageChecker().check(note, transcript(("[PERSON_1]", "…")), CONTEXT)
    assert flags and all(f.suggestion and f.suggestion != text for f in flags)


def test_the_formal_term_and_plain_facts_are_left_while_the_judgement_is_flagged() -> None:
    said = transcript(("[PERSON_1]", "…"))
    judged = draft(sentence("s1", "Mum is making his symptoms up.", [1]))
    assert LanguageChecker().check(judged, said, CONTEXT)
    for text in ("The paediatrician referred to fabricated or induced illness guidance.",
                 "He cannot talk about the accident yet.",
                 "She was conned out of £400 by a caller.",
                 "He made it up to his sister with a card."):
        assert not LanguageChecker().check(draft(sentence("s1", text, [1])), said, CONTEXT)


def test_tea_coffee_and_the_idiom_not_going_mad_are_not_read_as_drinking_or_refusal() -> None:
    assert "substance_use" in topic_keys("safeguarding_topics.yaml", "He's drinking again.")
    for text in ("We sit and drink coffee after the service.",
                 "She made me a drink of water."):
        assert "substance_use" not in topic_keys("safeguarding_topics.yaml", text)
    assert "own_wishes" not in topic_keys("safeguarding_topics.yaml",
                                           "Talking it through, I feel like I'm not going mad.")


def test_an_interpreters_words_are_not_a_childs_when_no_child_took_part(
        embedder: MiniLMEmbedder) -> None:
    said = transcript(
        ("Ana", "How have the last few months been for you?"),
        ("Ben", "She says: I was worried I would lose my allowance, I want to keep it."),
    )
    adults = CheckContext(TEMPLATE, speaker_roles={"Ana": "social_worker",
                                                   "Ben": "interpreter",
                                                   "Cara": "adult_receiving_support"})
    flags = OmissionChecker(embedder=embedder).check(draft(), said, adults)
    assert not any("a child's fear or wish" in f.explanation for f in flags)
    family = CheckContext(TEMPLATE, speaker_roles={"Ana": "social_worker",
                                                   "Ben": "interpreter", "Cara": "child"})
    flags = OmissionChecker(embedder=embedder).check(draft(), said, family)
    assert any("a child's fear or wish" in f.explanation for f in flags)
