"""Rules from reading round 9 as dev cases. Unsupported claims: that someone is afraid of a
person, and a suspension or dismissal, are high-stakes subjects; a decision stated as made
("has been approved") when it was only asked for or left open; an agreement to a step nobody
spoke of ("agreed to leave him"); someone called a partner or boyfriend whom nobody called so;
a short answer that picks up the question ("She knows it.") affirms it; a hurt body part in
everyday words is an injury spoken of. Details: a time on the 24-hour clock is the same time
said on the 12-hour one; signing written in the transcript lets a note name the sign system.
Omissions: a child leaving school in the day, found outside a home, a chain or bolt on a door,
a partner keeping the other's phone, a child out on their own, "don't tell him I said", a
medicine pot found empty, not wanting someone to get into trouble, speaking to someone alone,
"I'll ring you on Monday", having no settled place to stay. Stigmatising: truanting, a
burden, lying, a child "in a relationship with" an adult. The wording is invented for the
tests, not taken from the cases."""

from __future__ import annotations

import pytest
from checksupport import (
    claim_explanations as _explanations,
)
from checksupport import (
    detail_explanations as _details,
)
from checksupport import (
    draft,
    omitted_turns,
    sentence,
    topic_keys,
    transcript,
)
from checksupport import (
    language_suggestions as _language,
)

from casenotes.engines.embed import MiniLMEmbedder

# --- high-stakes subjects -----------------------------------------------------------------

def test_fear_of_a_person_nobody_spoke_of_is_flagged(embedder: MiniLMEmbedder) -> None:
    said = (("Worker", "Is there anything else you want to tell me?"),
            ("Mia", "Can you not tell my uncle I showed you the shed? He keeps his tools there."))
    why = _explanations(embedder, "Mia is frightened of her uncle.", *said, linked=(2,))
    assert "nobody spoke about" in why


def test_fear_of_a_person_that_was_said_is_not_flagged_as_unspoken(
        embedder: MiniLMEmbedder) -> None:
    said = (("Worker", "How is it at home with your uncle?"),
            ("Mia", "I'm scared of him when he shouts at the dog."))
    why = _explanations(embedder, "Mia said she is scared of her uncle when he shouts.", *said,
                        linked=(2,))
    assert "nobody spoke about" not in why


@pytest.mark.parametrize("text", [
    "Her mum thinks she is frightened of being in trouble.",
    "She said she is afraid that the flat will be taken back.",
    "He said he had been low since losing his job.",
])
def test_fear_of_what_may_happen_and_losing_a_job_are_not_these_subjects(text: str) -> None:
    found = topic_keys("high_stakes_terms.yaml", text)
    assert "fear_of_a_person" not in found and "disciplinary_action" not in found


def test_a_suspension_nobody_spoke_of_is_flagged(embedder: MiniLMEmbedder) -> None:
    said = (("Worker", "How are the morning calls going?"),
            ("Alan", "The girl comes late most days. Half ten some days. But she's kind."))
    why = _explanations(embedder, "The morning carer has been suspended.", *said, linked=(2,))
    assert "nobody spoke about" in why


def test_a_hurt_body_part_in_everyday_words_is_an_injury_spoken_of(
        embedder: MiniLMEmbedder) -> None:
    said = (("Worker", "Anything else worrying you?"),
            ("Ollie", "Nan's got a bad arm. She said she banged it on the cupboard."))
    why = _explanations(embedder, "Ollie said his nan has an arm injury from the cupboard.",
                        *said, linked=(2,))
    assert "nobody spoke about" not in why


# --- decisions and agreements ---------------------------------------------------------------

_ASKED_FOR = (("Worker", "So you'd like a second day at the day centre?"),
              ("Rose", "Tuesdays and Fridays, if I could."),
              ("Worker", "I'll put in a request for the second day. I can't promise anything, "
                         "the manager decides."))


def test_a_decision_stated_as_made_when_it_was_only_asked_for_is_flagged(
        embedder: MiniLMEmbedder) -> None:
    why = _explanations(embedder, "A second day at the day centre has been approved.",
                        *_ASKED_FOR, linked=(1, 2, 3))
    assert "only asked for" in why


def test_a_decision_said_as_made_is_not_flagged(embedder: MiniLMEmbedder) -> None:
    said = (*_ASKED_FOR[:2],
            ("Worker", "Good news, the manager rang: the second day at the day centre is "
                       "approved from May."))
    why = _explanations(embedder, "A second day at the day centre has been approved.", *said,
                        linked=(1, 2, 3))
    assert "only asked for" not in why


def test_how_a_meeting_came_about_states_no_standing_decision(
        embedder: MiniLMEmbedder) -> None:
    said = (("Worker", "Thanks for letting me come at short notice."),
            ("Rose", "That's alright, you rang first thing."))
    why = _explanations(embedder, "The visit was agreed by phone that morning.", *said,
                        linked=(1, 2))
    assert "only asked for" not in why


def test_a_reference_to_what_was_agreed_states_no_decision(embedder: MiniLMEmbedder) -> None:
    why = _explanations(embedder, "The worker will write to Rose with what was agreed.",
                        *_ASKED_FOR, linked=(3,))
    assert "only asked for" not in why


def test_an_agreement_to_a_step_nobody_mentioned_is_flagged(embedder: MiniLMEmbedder) -> None:
    said = (("Marta", "I don't know what I'll do about Pavel. I love him, that's the trouble."),
            ("Worker", "I'll leave you the number for the helpline, no pressure."))
    why = _explanations(embedder, "Marta agreed to leave Pavel.", *said, linked=(1, 2))
    assert "agreed to leave" in why


def test_an_agreement_to_a_step_that_was_put_and_answered_yes_is_not_flagged(
        embedder: MiniLMEmbedder) -> None:
    said = (("Worker", "Would you ring the helpline this week?"),
            ("Marta", "Yes. I'll ring them on Wednesday."))
    why = _explanations(embedder, "Marta agreed to ring the helpline this week.", *said,
                        linked=(1, 2))
    assert "agreed to ring" not in why


def test_a_partner_nobody_called_so_is_flagged(embedder: MiniLMEmbedder) -> None:
    said = (("Nika", "I'm stopping at Leon's place for now. He's a mate of my cousin."),
            ("Nika", "His friends say I'm his girlfriend. I'm not his girlfriend."))
    why = _explanations(embedder, "Leon is her boyfriend.", *said, linked=(1, 2))
    assert "nobody said that of Leon" in why


def test_a_partner_named_as_such_is_not_flagged(embedder: MiniLMEmbedder) -> None:
    said = (("Nika", "I'm stopping at Leon's place for now."),
            ("Nika", "Leon's my boyfriend, we've been together a year."))
    why = _explanations(embedder, "Leon is her boyfriend.", *said, linked=(1, 2))
    assert "nobody said that of Leon" not in why


def test_a_short_answer_that_picks_the_question_up_affirms_it(
        embedder: MiniLMEmbedder) -> None:
    said = (("Worker", "Do you know your PIN, or does your neighbour?"),
            ("Frank", "My neighbour knows it. I forget numbers now."))
    why = _explanations(embedder, "Frank said his neighbour knows his PIN.", *said,
                        linked=(1, 2))
    assert "only asked about" not in why


def test_an_answer_that_does_not_know_leaves_the_question_asked(
        embedder: MiniLMEmbedder) -> None:
    said = (("Worker", "Do you know your PIN, or does your neighbour?"),
            ("Frank", "I don't know. Ask my daughter."))
    why = _explanations(embedder, "Frank said his neighbour knows his PIN.", *said,
                        linked=(1, 2))
    assert "only asked about" in why


def test_an_answer_about_the_speaker_does_not_pick_the_question_up(
        embedder: MiniLMEmbedder) -> None:
    said = (("Worker", "Does your son know your PIN?"),
            ("Frank", "I asked him that. He went quiet."))
    why = _explanations(embedder, "Frank said his son knows his PIN.", *said, linked=(1, 2))
    assert "only asked about" in why


# --- details ----------------------------------------------------------------------------------

def test_a_time_on_the_24_hour_clock_matches_it_said_on_the_12_hour_clock() -> None:
    said = (("Worker", "The school rang at twenty past two to say he'd gone."),)
    assert not _details("The school rang at 14:20.", *said)
    assert "15:20" in _details("The school rang at 15:20.", *said)


def test_signing_the_transcript_shows_may_be_named() -> None:
    signed = (("[PERSON_2]", "Swimming. [signs GOOD] Friday."),)
    spoken = (("[PERSON_2]", "Swimming. Good. Friday."),)
    text = "[PERSON_2] answered in short words and Makaton signs."
    assert not _details(text, *signed)
    assert "Makaton" in _details(text, *spoken)


# --- omissions: risk in everyday words ----------------------------------------------------------

@pytest.mark.parametrize(("text", "topic"), [
    ("He walked out of school at break again.", "missing_school"),
    ("The teacher found him outside their front door.", "going_missing"),
    ("She puts the chain on at night so I can't get out.", "going_missing"),
    ("He keeps my phone in his pocket when he's in a mood.", "domestic_abuse"),
    ("She crosses the dual carriageway on her own.", "supervision"),
    ("Please don't tell my stepdad I said anything.", "secrecy"),
    ("The blister pack was empty on Sunday.", "medication"),
    ("I don't want her to get into trouble.", "own_wishes"),
    ("Can we talk on your own, somewhere he isn't around?", "safety_plan"),
    ("I'll ring you on Monday after the panel.", "follow_up"),
    ("I've been sofa surfing since the summer.", "unsafe_housing"),
    ("I slept two nights in the bus station.", "unsafe_housing"),
])
def test_round9_risk_in_everyday_words_is_recognised(text: str, topic: str) -> None:
    assert topic in topic_keys("safeguarding_topics.yaml", text)


@pytest.mark.parametrize(("text", "topic"), [
    ("She left school at sixteen and trained as a nurse.", "missing_school"),
    ("She wears a gold chain her nan gave her.", "going_missing"),
    ("I walk the dog on my own most mornings.", "supervision"),
])
def test_round9_everyday_uses_are_not_risk(text: str, topic: str) -> None:
    assert topic not in topic_keys("safeguarding_topics.yaml", text)


def test_a_deleted_account_of_a_door_bolted_is_pointed_at(embedder: MiniLMEmbedder) -> None:
    said = transcript(
        ("Worker", "What's it like at home when he's cross?"),
        ("Kai", "He puts the top bolt on and hides Mum's phone."),
        ("Worker", "Thank you for telling me. Shall we get a drink?"),
        ("Kai", "Orange please."))
    note = draft(sentence("s1", "Kai asked for an orange drink.", [4]))
    assert 2 in omitted_turns(embedder, note, said)


# --- stigmatising language ----------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "He has been truanting since Easter.",
    "Her son is a burden on the family.",
    "Jo lies.",
    "He lied to the school about his age.",
    "She is in a relationship with a 24-year-old man.",
])
def test_round9_stigmatising_wording_families_are_flagged_with_an_alternative(text: str) -> None:
    assert _language(text)


@pytest.mark.parametrize("text", [
    "He lies down after lunch.",
    "The difficulty lies with the rota.",
    "She said it feels like being a burden to her daughter.",
])
def test_round9_everyday_lies_and_a_persons_own_feeling_are_left_alone(text: str) -> None:
    assert not _language(text)
