"""Rules from reading blind round 7 as dev cases. Unsupported claims: a stammer as the
transcript writes it ("c-c-can't") read as the words meant, and shown (so a note may say it);
"I can't." answering a proposal turns it down; a word describing a place or thing that was
denied is denied with it ("not going to the level crossing"); a passive denial says what an
active one said ("should not be contacted"); what "should have" happened did not; "three
hundred an' forty" is 340; thanks for someone's time is courtesy; a child placed in care or
moved, someone "complicit", and no fall in a "family trip". Omissions: going missing again,
care calls cut, washing aids, not allowed to drive, an operation, tickets booked one way, a
child's contact stopped. And the stigmatising word families the list lacked (a criminally
exploited child called a dealer, "confused" as a label, someone said to "speak for" a person
with aphasia, "an abusive son", "committed suicide", tablets "hoarded", "arranged marriage"
for a marriage someone does not want, harm put down to culture, a family called
"controlling", "restrained" for a hold). The wording is invented for the tests, not taken
from the cases."""

from __future__ import annotations

import pytest
from checksupport import (
    CONTEXT,
    draft,
    omitted_turns,
    sentence,
    topic_keys,
    transcript,
)
from checksupport import (
    claim_explanations as _explanations,
)
from checksupport import (
    language_suggestions as _language,
)

from casenotes.engines.checks import (
    DetailChecker,
)
from casenotes.engines.checks.wording import opposite
from casenotes.engines.embed import MiniLMEmbedder

# --- how a stammer is written -------------------------------------------------------------

def test_a_subject_said_with_a_stammer_is_read_as_the_word_meant() -> None:
    assert "debt" in topic_keys("high_stakes_terms.yaml", "Then there's the c-c-credit card.")


def test_a_debt_said_with_a_stammer_is_not_flagged_as_unspoken_or_only_asked(
        embedder: MiniLMEmbedder) -> None:
    said = (("[PERSON_1]", "How are things with money at the moment?"),
            ("[PERSON_2]", "N-not good. There's the c-c-credit card. It's n-nearly a thousand."))
    why = _explanations(embedder, "He has a credit card debt of nearly a thousand pounds.",
                        *said, linked=(1, 2))
    assert "nobody spoke about" not in why and "only asked about" not in why


_STAMMERED = (("[PERSON_1]", "How was the bus this morning?"),
              ("[PERSON_2]", "F-f-fine. I g-got the early one. The d-driver knows me."))
_FLUENT = (("[PERSON_1]", "How was the bus this morning?"),
           ("[PERSON_2]", "Fine. I got the early one. The driver knows me."))


def test_a_stammer_the_transcript_shows_may_be_recorded(embedder: MiniLMEmbedder) -> None:
    note = "She spoke with a stammer."
    assert not _explanations(embedder, note, *_STAMMERED, linked=(2,))
    assert "'stammer'" in _explanations(embedder, note, *_FLUENT, linked=(2,))


# --- negation: what was turned down, described, passive or only should have been -------

def test_a_cant_that_answers_a_proposal_turns_it_down(embedder: MiniLMEmbedder) -> None:
    said = (("[PERSON_1]", "The plan says go to the walk-in centre if the pain comes back. "
                           "Would that work for you?"),
            ("[PERSON_2]", "I c-can't. The buses don't run out there after six."))
    why = _explanations(embedder, "She said she cannot get to the walk-in centre because "
                                  "the buses stop at six.", *said, linked=(1, 2))
    assert "says the opposite" not in why


def test_a_word_describing_what_was_denied_is_denied_with_it(
        embedder: MiniLMEmbedder) -> None:
    said = (("[PERSON_1]", "Are you still going down to the quarry at night?"),
            ("[PERSON_2]", "I'm not going to the quarry now. I stay in."),
            ("[PERSON_1]", "The old quarry past the farm?"),
            ("[PERSON_2]", "Yeah."))
    why = _explanations(embedder, "He said he is not going to the old quarry now and stays "
                                  "in.", *said, linked=(2, 3))
    assert "says the opposite" not in why


def test_a_passive_denial_says_what_the_active_one_said(embedder: MiniLMEmbedder) -> None:
    said = (("[PERSON_1]", "Please don't phone the grandparents before we've seen the boy "
                           "on his own; it can make things worse."),
            ("[PERSON_2]", "Understood."))
    why = _explanations(embedder, "The advice was that the grandparents should not be phoned "
                                  "before the boy is seen on his own.", *said, linked=(1, 2))
    assert "says the opposite" not in why


def test_what_should_have_happened_is_not_said_to_have_happened(
        embedder: MiniLMEmbedder) -> None:
    said = (("[PERSON_1]", "Did you write it in the diary that evening?"),
            ("[PERSON_2]", "We should have written it up that evening. We didn't, we did it "
                           "the next day."))
    why = _explanations(embedder, "They did not write it in the diary that evening; they "
                                  "wrote it the next day.", *said, linked=(1, 2))
    assert "says the opposite" not in why
    # What the same sentence says as fact after the "should have" still counts.
    assert opposite("He did not hit her.", "I should have told you, he hit me last week.")


# --- numbers, courtesy, high-stakes subjects -----------------------------------------------

def test_a_number_said_with_an_dialect_and_is_the_same_number() -> None:
    said = transcript(("[PERSON_1]", "How much did they give you?"),
                      ("[PERSON_2]", "Two hundred an' sixty. In an envelope."))
    note = draft(sentence("s1", "He was given £260 in an envelope.", [1, 2]))
    assert not DetailChecker().check(note, said, CONTEXT)


def test_thanks_for_someones_time_needs_no_support(embedder: MiniLMEmbedder) -> None:
    said = (("[PERSON_1]", "Right, I'll let you get on."),
            ("[PERSON_2]", "Cheers, love. See you Tuesday."))
    why = _explanations(embedder, "Thank you all again for your time.", *said, linked=(2,))
    assert not why


@pytest.mark.parametrize(("text", "topic"), [
    ("The twins will be placed in foster care.", "residential_move"),
    ("She was accommodated with emergency foster carers.", "residential_move"),
    ("He was moved.", "residential_move"),
    ("His father is complicit.", "characterisation"),
    ("The aunt turned a blind eye.", "characterisation"),
])
def test_round7_high_stakes_subjects_are_recognised(text: str, topic: str) -> None:
    assert topic in topic_keys("high_stakes_terms.yaml", text)


@pytest.mark.parametrize("text", ["They are going on a family trip in May.",
                                  "The review was moved to Friday."])
def test_a_journey_and_a_meeting_moved_are_not_high_stakes(text: str) -> None:
    assert not topic_keys("high_stakes_terms.yaml", text) & {"fall", "residential_move"}


def test_a_child_said_to_be_placed_in_care_is_flagged_when_nobody_spoke_of_it(
        embedder: MiniLMEmbedder) -> None:
    said = (("[PERSON_1]", "We'll see her at school tomorrow and talk about a safety plan."),
            ("[PERSON_2]", "I can bring her to my office at break."))
    why = _explanations(embedder, "She will be placed in foster care.", *said, linked=(1, 2))
    assert "residential move, which nobody spoke about" in why


# --- risk said in everyday words (omissions) --------------------------------------------

@pytest.mark.parametrize(("text", "topic"), [
    ("It's the fourth time she's gone off this term, back the next day each time.",
     "going_missing"),
    ("I only ran because nobody was listening.", "going_missing"),
    ("He'd like the teatime calls cut back.", "care_at_home"),
    ("With the bath seat she can manage it herself.", "daily_living"),
    ("She isn't allowed to drive now, the consultant said.", "health"),
    ("His hip's not great. He's down for the operation in spring.", "health"),
    ("Her aunt says the tickets are bought. Hers is one-way.", "travel_abroad"),
    ("The phone call with his dad didn't go well.", "child_distress"),
    ("His mum said she's not coming to contact any more.", "child_distress"),
])
def test_round7_risk_in_everyday_words_is_recognised(text: str, topic: str) -> None:
    assert topic in topic_keys("safeguarding_topics.yaml", text)


@pytest.mark.parametrize("text", ["I ran out of milk.", "She ran the bath for him.",
                                  "It's a one-way street."])
def test_everyday_running_and_one_way_streets_are_not_risk(text: str) -> None:
    assert not topic_keys("safeguarding_topics.yaml", text) & {"going_missing",
                                                                 "travel_abroad"}


def test_a_deleted_account_of_going_missing_again_is_pointed_at(
        embedder: MiniLMEmbedder) -> None:
    said = transcript(
        ("[PERSON_1]", "How has the week been at the unit?"),
        ("[PERSON_2]", "That's the second time she's gone this week. Both times back the "
                       "next morning, no idea where she'd been."),
        ("[PERSON_1]", "And college?"),
        ("[PERSON_2]", "She's been in every day."),
    )
    note = draft(sentence("s1", "She has been at college every day.", [3, 4]))
    pointed = omitted_turns(embedder, note, said)
    assert 2 in pointed


# --- stigmatising language ----------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Police believe the boy is a drug runner for an older group.",
    "She has been selling weed at the bus station.",
    "He seemed confused when asked about his week.",
    "Confused and tired on arrival.",
    "Her husband has to answer for her on the phone.",
    "He cannot speak for himself since the stroke.",
    "The concern is her emotionally abusive daughter.",
    "His uncle committed suicide in 2019.",
    "It was a failed suicide attempt.",
    "She was hoarding pills in the bathroom cabinet.",
    "A stash of painkillers was found under the bed.",
    "The family are planning an arranged marriage for him.",
    "Staff put the bruising down to a cultural practice.",
    "It's their culture, according to the neighbour.",
    "Her parents are very controlling.",
    "He lives with a controlling father.",
    "The boy was restrained by two staff in the corridor.",
])
def test_round7_stigmatising_wording_families_are_flagged_with_an_alternative(
        text: str) -> None:
    assert _language(text)


@pytest.mark.parametrize("text", [
    "If he is very confused or cannot get up, his wife will ring 999.",
    "She was confused by the letter from the council.",
    "He uses a tablet that speaks for him.",
    "She has a non-molestation order and a restraining order.",
    "Both carers are booked on restraint training in March.",
    "The assessment considered her cultural needs and her faith.",
    "Police are investigating controlling or coercive behaviour.",
    "For religious reasons she does not eat pork.",
    "She left her abusive partner last year.",
])
def test_round7_formal_terms_and_everyday_uses_are_left_alone(text: str) -> None:
    assert not _language(text)
