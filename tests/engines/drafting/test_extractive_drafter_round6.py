"""Rules read from round 6 as dev cases, each on invented words: harmful practices (FGM) are
risk; the answer to "what is it that worries you?" is the worry, in full, and not an action; a
diagnosis and the end of life are risk; every person of the voice section's role is heard; "where
I can sleep" is a wish, not an offer; a direction with its condition ("If …, please …") is an
action; "can you get to it?" asks what someone can do; "Can I talk to Mum again?" is not a task."""

from __future__ import annotations

from casenotes.engines.drafting.actions import commitment, direction, request
from casenotes.engines.drafting.risk import risk_topics
from drafts import draft_text as _text
from drafts import draft_turns as _draft
from drafts import small_talk as _small_talk
from drafts import tight as _tight

SW, P, HUSB, NAN = "[PERSON_1]", "[PERSON_2]", "[PERSON_3]", "[PERSON_4]"



def _busy(line: str) -> list[tuple[str, str]]:
    """Twelve turns of everyday particulars (a time each) that compete for every section."""
    return [(SW if i % 2 == 0 else P, line.format(i + 8)) for i in range(12)]


def test_female_genital_mutilation_in_a_familys_words_is_risk() -> None:
    assert "harmful_practices" in risk_topics("My aunt said the girls must be cut like we were.")
    assert "harmful_practices" in risk_topics("She wanted the small one done, the sunna.")
    assert "harmful_practices" in risk_topics("I was cut as a girl, back home.")
    assert "harmful_practices" not in risk_topics("I cut the hedge on Sunday.")
    assert "harmful_practices" not in risk_topics("They cut off the electric.")


def test_the_answer_to_what_worries_you_is_drafted_in_full_and_not_as_an_action() -> None:
    turns = [
        *_small_talk(6),
        (SW, "You said you were uneasy about the trip. What is it that worries you?"),
        (P, "That her uncles will try something while I am at the hospital with my sister. "
            "Maybe they take her to see a woman in the village. A friend's girl went through "
            "it on a holiday and nobody at home knew."),
        *_small_talk(6),
    ]
    result = _draft(turns, {SW: "social worker", P: "mother"}, _tight("home_visit_note"))
    text = _text(result)
    assert "Maybe they take her to see a woman in the village." in text
    assert "A friend's girl went through it on a holiday and nobody at home knew." in text
    actions = next(s for s in result.sections if s.name.startswith("Actions"))
    assert not any("uncles will try" in s.text for s in actions.sentences)


def test_a_diagnosis_and_the_time_left_are_drafted_even_when_the_section_is_full() -> None:
    assert "injury_or_health" in risk_topics("The consultant says we're looking at weeks now.")
    turns = [
        *_small_talk(8),
        (SW, "Where are things at with his illness?"),
        (P, "He was diagnosed with the lung thing in the spring. The consultant says we're "
            "looking at weeks now."),
        *_small_talk(8),
    ]
    text = _text(_draft(turns, {SW: "social worker", P: "carer (wife)"},
                        _tight("assessment_section")))
    assert "The consultant says we're looking at weeks now." in text


def test_a_quieter_person_is_heard_in_the_voice_section_beside_a_talkative_one() -> None:
    turns = [(SW, "Thanks for letting me come round today, both of you.")]
    for i in range(10):
        turns += [(SW, f"How is that part of the week for you, number {i}?"),
                  (P, f"I'm tired, I won't lie, I feel I'm running on empty by day {i}. "
                      f"I love him, I just want {i + 2} proper nights of sleep.")]
    turns += [(SW, "And where would you want to be looked after, when the time comes?"),
              (HUSB, "Home. Not a ward. Home."),
              *_small_talk(4)]
    result = _draft(turns, {SW: "social worker", P: "carer (wife)", HUSB: "cared-for person"},
                    "assessment_section")
    voice = next(s for s in result.sections if "voice" in s.name)
    assert any("Home. Not a ward. Home." in s.text for s in voice.sentences)
    assert sum("running on empty" in s.text for s in voice.sentences) >= 2


def test_a_night_where_i_can_sleep_is_a_wish_not_an_offer() -> None:
    assert not commitment("Just one night a week where somebody's with him and I can sleep.")
    assert not commitment("I need a lift on Thursdays so I can get to the clinic.")
    assert commitment("If you like, I can ring the clinic for you.")
    assert commitment("I can do that.")


def test_a_direction_with_its_condition_first_is_an_action() -> None:
    assert direction("If he hits her again, please ring the police straight away.")
    assert direction("In the meantime, keep the tablets in the locked box.")
    assert not direction("If you want, take a seat.")
    assert not direction("When I came in, I saw the kitchen.")


def test_asking_whether_someone_can_get_to_a_door_is_not_a_request() -> None:
    assert not request("And the side door, can you get to it?")
    assert not request("Can you get upstairs these days?")
    assert request("Can you get the letter for me before Friday?")


def test_asking_to_talk_to_someone_again_is_who_speaks_next_not_a_task() -> None:
    assert not request("Can I talk to your nan again?")
    assert not request("Could I have a word with your dad now?")
    assert request("Can I speak to your GP about this?")


def test_the_answer_to_a_question_about_a_fall_is_drafted_though_it_plays_the_fall_down() -> None:
    busy = _busy("I go to the market on Tuesdays at {} with my neighbour, and the home care "
                 "comes in the mornings.")
    turns = [
        *busy,
        (SW, "Your carer said you'd had a fall. Can you tell me about that?"),
        (P, "Nothing much. Tripped on the rug by the sideboard, on the way to the kitchen."),
        *busy,
    ]
    text = _text(_draft(turns, {SW: "social worker", P: "person visited"},
                        _tight("home_visit_note")))
    assert "Tripped on the rug by the sideboard, on the way to the kitchen." in text


def test_a_long_lie_a_fire_escape_and_a_broken_boiler_are_risk() -> None:
    assert "injury_or_health" in risk_topics("She was on the floor for hours before I came.")
    assert "injury_or_health" in risk_topics("He couldn't reach the phone.")
    assert "neglect_or_home" in risk_topics("If there was a fire, which way would you go?")
    assert "neglect_or_home" in risk_topics("The heating's been off since the storm. The "
                                            "boiler is broken.")
    assert not risk_topics("We sat by the fire and had a cup of tea.")


def test_the_purpose_of_a_visit_keeps_the_concern_told_over_the_next_sentences() -> None:
    turns = [
        (SW, "Hello, thanks for having me. I'd like to record our conversation so I can write it "
             "up properly. Is that alright?"),
        (P, "Yes, fine."),
        (SW, "So, your health visitor got in touch with us. She said you told her the baby's "
             "dad hit you when you were pregnant. He pushed you against the fridge."),
        (P, "It's sorted now, he's gone."),
        *_small_talk(10),
    ]
    result = _draft(turns, {SW: "social worker", P: "mother"}, _tight("assessment_section"))
    purpose = next(s for s in result.sections if s.name == "Reason for assessment")
    said = " ".join(s.text for s in purpose.sentences)
    assert "She said you told her the baby's dad hit you when you were pregnant." in said
    assert "He pushed you against the fridge." in said
    assert "record our conversation" not in said


def test_where_cutting_was_spoken_of_a_summer_trip_to_family_is_carried() -> None:
    busy = _busy("I take the little one to nursery at {} with my neighbour, and the health "
                 "visitor comes on Mondays.")
    turns = [
        *busy,
        (SW, "What does your mother think about FGM?"),
        (P, "She thinks a girl must be cut. I told her never."),
        *busy,
        (SW, "Are you planning any travel this year?"),
        (P, "Maybe in August, for my cousin's wedding. We haven't decided."),
        *busy,
    ]
    text = _text(_draft(turns, {SW: "social worker", P: "mother"}, _tight("home_visit_note")))
    assert "Maybe in August, for my cousin's wedding." in text


def test_what_i_would_ask_of_the_family_is_an_agreed_action() -> None:
    assert request("What I'd ask is that, if you decide to go, you ring me before you book.")
    assert direction("What I'd ask is that, if you decide to go, you ring me before you book.")
    assert not request("What I'd ask you is how you felt about it.")
