"""Rules from reading blind round 7 as dev cases. Omissions: going missing again, care calls
cut, washing aids, not allowed to drive, an operation, tickets booked one way, a child's
contact stopped. And the stigmatising word families the list lacked (a criminally exploited
child called a dealer, "confused" as a label, someone said to "speak for" a person with
aphasia, "an abusive son", "committed suicide", tablets "hoarded", "arranged marriage" for a
marriage someone does not want, harm put down to culture, a family called "controlling",
"restrained" for a hold). The wording is invented for the tests, not taken from the cases."""

from __future__ import annotations

import pytest
from checksupport import CONTEXT, draft, sentence, topic_keys, transcript

from casenotes.domain.flags import FlagKind
from casenotes.engines.checks import (
    LanguageChecker,
    OmissionChecker,
)
from casenotes.engines.embed import MiniLMEmbedder


def _language(text: str) -> list[str]:
    flags = LanguageChecker().check(draft(sentence("s1", text, [1])),
                                    transcript(("[PERSON_1]", "…")), CONTEXT)
    return [f.suggestion for f in flags if f.suggestion and f.suggestion != text]


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
    flags = OmissionChecker(embedder=embedder).check(note, said, CONTEXT)
    pointed = {i for f in flags if f.kind is FlagKind.OMISSION for i in f.segment_ids}
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
