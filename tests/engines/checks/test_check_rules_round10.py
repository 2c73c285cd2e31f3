"""Rules from reading round 10 as dev cases. Unsupported claims: "fell asleep" is not a fall,
"hurt his knee" is an injury spoken of, "pinching off the accounts" is theft spoken of, "goes
in a home" is a move into care spoken of; "rather than put her somewhere" says she is not put
there; "at the end said" names a time, not a speaker; a worker putting back to someone what
they said ("you'd said something to her") is where "X told her" comes from; a proposal
answered yes after a condition ("If it stops them, yes.") is taken up; a verbatim quote in a
short frame ("X said of getting help: …") needs no support for its frame; "no safeguarding
concerns were raised" is read against the whole conversation. Details: "a fiver" is £5; an
age in words ("is four months old") is the consistency check's question. Stigmatising: anger
issues, unable to parent, fell for a scam, a danger to her baby, obsessive, crazy, vulnerable
adult, so-called friends, stroke victim, failing at college. The wording is invented for the
tests, not taken from the cases."""

from __future__ import annotations

import pytest
from checksupport import (
    CONTEXT,
    draft,
    sentence,
    topic_keys,
    transcript,
)
from checksupport import (
    claim_explanations as _explanations,
)
from checksupport import (
    detail_explanations as _details,
)
from checksupport import (
    language_suggestions as _language,
)

from casenotes.engines.checks import (
    ConsistencyChecker,
)
from casenotes.engines.embed import MiniLMEmbedder

# --- subjects in everyday words -----------------------------------------------------------

@pytest.mark.parametrize(("text", "topic"), [
    ("He said he twisted his ankle on the kerb.", "injury"),
    ("She hurt her wrist carrying the shopping.", "injury"),
    ("Somebody's been pinching off the pensioners' accounts.", "theft_or_financial_abuse"),
    ("What if Nan goes in a home, where do I live?", "residential_move"),
    ("They'll put her in a home, that's what I'm scared of.", "residential_move"),
    ("He fell on the ice outside the shop.", "fall"),
])
def test_round10_subjects_in_everyday_words_are_recognised(text: str, topic: str) -> None:
    assert topic in topic_keys("high_stakes_terms.yaml", text)


@pytest.mark.parametrize(("text", "topic"), [
    ("The baby fell asleep on her dad's chest.", "fall"),
    ("She fell out with her sister over Christmas.", "fall"),
    ("He pinched the last biscuit, cheeky.", "theft_or_financial_abuse"),
    ("I'm going into the home office to print it.", "residential_move"),
])
def test_round10_everyday_uses_are_not_these_subjects(text: str, topic: str) -> None:
    assert topic not in topic_keys("high_stakes_terms.yaml", text)


def test_a_baby_falling_asleep_is_not_flagged_as_a_fall(embedder: MiniLMEmbedder) -> None:
    said = (("Worker", "You've fed him and settled him so gently, and now he's asleep on you."),
            ("Amira", "He likes it here, on my chest."))
    why = _explanations(embedder, "Amira fed and settled the baby, who fell asleep on her.",
                        *said, linked=(1, 2))
    assert "fall" not in why


# --- negation, speakers and answers ---------------------------------------------------------

def test_rather_than_says_what_is_not_done(embedder: MiniLMEmbedder) -> None:
    said = (("Worker", "What does caring for her mean to you?"),
            ("Duc", "Where I come from you look after your grandad, you don't send him away."))
    kept = _explanations(embedder, "Duc said you look after your grandad rather than send "
                         "him away.", *said, linked=(2,))
    turned = _explanations(embedder, "Duc said you send your grandad away.", *said,
                           linked=(2,))
    assert "opposite" not in kept
    assert "opposite" in turned


def test_at_the_end_is_a_time_not_someone_who_reported(embedder: MiniLMEmbedder) -> None:
    said = (("Worker", "Is there anything else before I go?"),
            ("Nour", "Thank you for listening to me properly."))
    why = _explanations(embedder, "Nour was tired, and at the end said: \"Thank you for "
                        "listening to me properly.\"", *said, linked=(2,))
    assert "the end" not in why


def test_a_worker_putting_back_what_someone_said_supports_who_said_it(
        embedder: MiniLMEmbedder) -> None:
    said = (("Nour", "Hello, come in."),
            ("Worker", "Your GP got in touch with us because you'd said something to her at "
                       "your check-up about not sleeping."),
            ("Nour", "Yes. I told her I can't sleep since the baby."))
    why = _explanations(embedder, "Nour told her GP at her check-up that she was not "
                        "sleeping.", *said, linked=(2,))
    other = _explanations(embedder, "Nour said the visit was about sleep.",
                          ("Nour", "Hello, come in."),
                          ("Worker", "Your GP got in touch with us about sleep."),
                          ("Nour", "Right."), linked=(2,))
    assert "someone else's" not in why
    assert "someone else's" in other


def test_a_proposal_answered_yes_after_a_condition_is_taken_up(
        embedder: MiniLMEmbedder) -> None:
    said = (("Worker", "There's a key safe we could fit by your door, so the carers can get "
                       "in if you don't hear them. Would you like me to arrange that?"),
            ("Ivy", "If it means I don't have to get up for them, yes."))
    why = _explanations(embedder, "I will arrange a key safe by your door, which you said you "
                        "would like.", *said, linked=(1, 2))
    assert "only raised as a possibility" not in why


def test_a_proposal_left_unanswered_is_still_flagged_as_decided(
        embedder: MiniLMEmbedder) -> None:
    said = (("Worker", "There's a key safe we could fit by your door, so the carers can get "
                       "in if you don't hear them. Would you like me to arrange that?"),
            ("Ivy", "I'd have to ask my son. He doesn't like strangers with keys."))
    why = _explanations(embedder, "I will arrange a key safe by your door.", *said,
                        linked=(1, 2))
    assert "only raised as a possibility" in why


def test_a_verbatim_quote_in_a_short_frame_needs_no_support_for_its_frame(
        embedder: MiniLMEmbedder) -> None:
    said = (("Worker", "How are you managing with the nights?"),
            ("Dylan", "Badly. I've not slept properly in weeks. Who would I even ring, "
                      "honestly."))
    why = _explanations(embedder, "Dylan said of getting help: \"Who would I even ring, "
                        "honestly.\"", *said, linked=(2,))
    assert not why


def test_a_short_frame_around_a_quote_still_may_not_add_a_high_stakes_subject(
        embedder: MiniLMEmbedder) -> None:
    said = (("Worker", "How are you managing with the nights?"),
            ("Dylan", "Badly. Who would I even ring, honestly."))
    why = _explanations(embedder, "Dylan said of his drinking: \"Who would I even ring, "
                        "honestly.\"", *said, linked=(2,))
    assert "nobody spoke about" in why


# --- no safeguarding concerns ---------------------------------------------------------------

_CARING = (("Worker", "How are things with your mum since she came home?"),
           ("Kim", "Tiring. I do her tablets and the nights. I worry if I got hit by a car, "
                   "who'd know she's on her own?"),
           ("Worker", "We'll put an emergency card in place for that."))


def test_no_safeguarding_concerns_is_supported_when_nobody_spoke_of_harm(
        embedder: MiniLMEmbedder) -> None:
    why = _explanations(embedder, "No safeguarding concerns were raised.", *_CARING,
                        linked=(2, 3))
    assert not why


def test_no_safeguarding_concerns_is_flagged_when_harm_was_spoken_of(
        embedder: MiniLMEmbedder) -> None:
    said = (*_CARING[:2], ("Kim", "And her boyfriend pushed her last week, she had a bruise."))
    why = _explanations(embedder, "No safeguarding concerns were raised.", *said,
                        linked=(2, 3))
    assert "no safeguarding concern was raised, but the conversation spoke of" in why


# --- details ------------------------------------------------------------------------------

def test_a_fiver_is_five_pounds() -> None:
    said = (("Kerry", "Last week he asked me for a fiver for the gas."),)
    assert not _details("He asked Kerry for £5 for the gas.", *said)
    assert "£8" in _details("He asked Kerry for £8 for the gas.", *said)


def test_an_age_in_words_is_left_to_the_consistency_check() -> None:
    said = (("Nurse", "Her date of birth is the third of June twenty twenty-six."),)
    text = "Amara is five months old."
    assert not _details(text, *said)
    flags = ConsistencyChecker().check(draft(sentence("s1", text, [1])), transcript(*said),
                                       CONTEXT)
    assert any("age 5" in f.explanation or "age five" in f.explanation for f in flags)


# --- stigmatising language ----------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Dad has anger issues.",
    "The mother is unable to parent.",
    "Mr Oakes fell for a scam.",
    "She is a danger to her baby.",
    "She is an obsessive mother.",
    "Neighbours said she was crazy.",
    "Joe is a vulnerable adult.",
    "He spends his money on his so-called friends.",
    "Her mother is a stroke victim.",
    "He is failing at college.",
])
def test_round10_stigmatising_wording_families_are_flagged_with_an_alternative(
        text: str) -> None:
    assert _language(text)


@pytest.mark.parametrize("text", [
    "She has obsessive-compulsive disorder, diagnosed in 2019.",
    "He said: \"They think I'm crazy.\"",
    "He eats nuts and fruit at break.",
])
def test_round10_a_diagnosis_and_a_persons_own_quoted_words_are_left_alone(text: str) -> None:
    assert not _language(text)

