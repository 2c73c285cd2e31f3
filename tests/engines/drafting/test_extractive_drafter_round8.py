"""Rules read from round 8 as dev cases, each on invented words: in supervision the worker's
report after a prompt ("Go on.") is carried like an answer; a check of the record's details is
drafted nowhere, unless the answer speaks of risk; "being a pain" is not pain; "she doesn't see
the point" and a panic attack told in everyday words are risk."""

from __future__ import annotations

from casenotes.engines.drafting.risk import risk_topics
from drafts import draft_text as _text
from drafts import draft_turns as _draft
from drafts import small_talk as _small_talk

SW, P, TM = "[PERSON_1]", "[PERSON_2]", "[PERSON_3]"




def test_the_workers_report_after_a_prompt_in_supervision_is_carried() -> None:
    turns = [
        (TM, "Right, this is your supervision. Which family first?"),
        (SW, "The Greens, I think. I've been worried about them all week, to be honest with "
             "you, Sam, and I've been going over it in the car and at home."),
        *[(TM if i % 2 == 0 else SW, f"The school said her attendance was {i + 80} per cent "
                                     "and the GP saw her about her weight again.")
          for i in range(10)],
        (TM, "Go on."),
        (SW, "So I saw her on Monday and it was the usual chat about the garden and the "
             "neighbours. Out of nowhere, in October, her son pushed her into the dresser. She "
             "laughed it off, and we talked about the cat and her sister in Leeds."),
        *[(TM if i % 2 == 0 else SW, f"The school said her attendance was {i + 60} per cent "
                                     "and the GP saw her about her weight again.")
          for i in range(10)],
    ]
    result = _draft(turns, {TM: "team manager (supervisor)", SW: "social worker"},
                    "meeting_minutes")
    assert "in October, her son pushed her into the dresser" in _text(result)


def _details_checked(answer: str) -> str:
    turns = [
        (SW, "Hiya, thanks for letting me in. Okay if I record this, like last time?"),
        (P, "Yeah, go on."),
        (SW, "Just to check the details first: the second of May 2001, and 14 Acacia Road?"),
        (P, answer),
        *_small_talk(16),
    ]
    return _text(_draft(turns, {SW: "personal adviser", P: "care leaver"},
                        "assessment_section"))


def test_a_check_of_the_records_details_is_drafted_nowhere() -> None:
    text = _details_checked("That's right. They always spell my name wrong on letters, mind.")
    assert "Acacia Road" not in text
    assert "They always spell my name wrong" not in text


def test_an_answer_to_a_details_check_that_speaks_of_risk_is_kept() -> None:
    text = _details_checked("No, I've moved back in with him. He's been hitting me again.")
    assert "He's been hitting me again." in text


def test_being_a_pain_is_not_pain() -> None:
    assert "injury_or_health" not in risk_topics("Sorry for being a pain.")
    assert "injury_or_health" not in risk_topics("You're not a pain, honestly.")
    assert "injury_or_health" in risk_topics("I've had a pain in my side since Friday.")


def test_not_seeing_the_point_and_a_panic_attack_in_everyday_words_are_risk() -> None:
    assert "self_harm" in risk_topics("She said she doesn't see the point some days.")
    assert "mental_health" in risk_topics("I couldn't breathe and my chest went all tight.")
    assert "mental_health" in risk_topics("My chest gets really tight on the bus.")
