"""Rules from reading blind rounds 5 and 6 as dev cases: someone said to have been told,
a service said to have reported, a referral nobody made, a claim about a person whose own
question was answered no, a plan stated as decided that was only kept open, court orders,
making oneself sick and the police in dialect words; time said as "not for six weeks";
accented names with an age; risk said in everyday words for the omission check (a home taken
over, sexual images, FGM, travel abroad, what services knew before, who stays at the home,
night care, how a child's account was given, dizziness and weight, an emergency plan, who a
child would tell); and the stigmatising word families the list lacked. The wording is
invented for the tests, not taken from the cases."""

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

from casenotes.engines.checks import (
    DetailChecker,
    LanguageChecker,
)
from casenotes.engines.checks.wording import opposite
from casenotes.engines.embed import MiniLMEmbedder

# --- who was told, who reported, who referred --------------------------------------------

def test_someone_said_to_have_been_told_is_flagged_when_they_were_only_asked_about(
        embedder: MiniLMEmbedder) -> None:
    said = (("[PERSON_1]", "Does your nan know about the lodger?"),
            ("[PERSON_2]", "No. And don't tell her, she worries."),
            ("[PERSON_1]", "I won't ring your nan without asking you first."))
    why = _explanations(embedder, "His grandmother has been informed about the lodger.", *said,
                        linked=(1, 2, 3))
    assert "has been told, but nobody said" in why


def test_someone_said_to_have_been_told_is_not_flagged_when_the_telling_was_said(
        embedder: MiniLMEmbedder) -> None:
    said = (("[PERSON_1]", "Have you spoken to your nan about the lodger?"),
            ("[PERSON_2]", "Yeah, I told my nan on Sunday and she knows all about it."))
    why = _explanations(embedder, "His grandmother has been told about the lodger.", *said,
                        linked=(1, 2))
    assert "has been told" not in why


def test_a_service_said_to_have_reported_is_flagged_when_nobody_passed_on_its_words(
        embedder: MiniLMEmbedder) -> None:
    said = (("[PERSON_1]", "The college counsellor is with us but asked not to be recorded."),
            ("[PERSON_2]", "Understood. So from the police side, nothing new since Monday."))
    why = _explanations(embedder, "The college counsellor reported worries about his mood.",
                        *said, linked=(1, 2))
    assert "did not speak and nobody passed on" in why


def test_a_service_whose_words_a_speaker_passed_on_may_be_said_to_have_reported(
        embedder: MiniLMEmbedder) -> None:
    said = (("[PERSON_1]", "The college counsellor rang me to say his mood has been low."),
            ("[PERSON_2]", "That fits with what we've seen."))
    why = _explanations(embedder, "The college counsellor reported that his mood has been low.",
                        *said, linked=(1, 2))
    assert "nobody passed on" not in why


def test_a_referral_to_somewhere_nobody_referred_to_is_flagged(
        embedder: MiniLMEmbedder) -> None:
    said = (("[PERSON_1]", "I'll refer you to the bereavement service, and you can think "
                           "about the counsellor later."),
            ("[PERSON_2]", "Thanks. I'm not ready for the counsellor yet."))
    why = _explanations(embedder, "She was referred to the counsellor.", *said, linked=(1, 2))
    assert "referral to counsellor was made" in why
    ok = _explanations(embedder, "She was referred to the bereavement service.", *said,
                       linked=(1, 2))
    assert "referral" not in ok


def test_a_referral_someone_else_made_is_supported_when_the_conversation_names_them(
        embedder: MiniLMEmbedder) -> None:
    said = (("[PERSON_1]", "Is this the letter from the falls clinic? It says Elm Road "
                           "Surgery referred you, and there's an appointment in March."),
            ("[PERSON_2]", "That's the one."))
    why = _explanations(embedder, "Elm Road Surgery has referred him to the falls clinic.",
                        *said, linked=(1, 2))
    assert "referral" not in why


# --- what was asked and answered no; what was only kept open --------------------------

def test_a_claim_about_a_person_whose_own_question_was_answered_no_is_flagged(
        embedder: MiniLMEmbedder) -> None:
    said = (("[PERSON_1]", "Her cousin was hit at school last year, that's why she's nervous."),
            ("[PERSON_2]", "I see. And Leo hasn't been hit?"),
            ("[PERSON_1]", "No. Never. Nobody's touched him."))
    why = _explanations(embedder, "Leo has been hit.", *said, linked=(1, 2, 3))
    assert "asked about Leo, was answered no" in why


def test_making_oneself_sick_said_only_as_a_question_is_flagged_when_stated_as_fact(
        embedder: MiniLMEmbedder) -> None:
    said = (("[PERSON_1]", "Has she been making herself sick after meals?"),
            ("[PERSON_2]", "I've not seen that. It's the skipping meals I worry about."))
    why = _explanations(embedder, "She is making herself sick after meals.", *said,
                        linked=(1, 2))
    assert "only asked about" in why


def test_a_plan_only_kept_open_is_flagged_when_written_as_decided(
        embedder: MiniLMEmbedder) -> None:
    said = (("[PERSON_1]", "There might be a grant from the housing association for the "
                           "boiler. I can't promise, but I'll find out."),
            ("[PERSON_2]", "That would be a help."))
    why = _explanations(embedder, "The housing association will pay for the new boiler.",
                        *said, linked=(1, 2))
    assert "states as decided" in why


def test_a_plan_agreed_with_a_polite_if_is_not_flagged_as_undecided(
        embedder: MiniLMEmbedder) -> None:
    said = (("[PERSON_1]", "I'd like to visit you on Monday with Priya from the family "
                           "support team, if you're happy."),
            ("[PERSON_2]", "Yeah, Monday's good."))
    why = _explanations(embedder, "I will visit you on Monday with Priya from the family "
                                  "support team.", *said, linked=(1, 2))
    assert "states as decided" not in why


def test_a_court_order_said_to_be_applied_for_is_flagged_when_nobody_spoke_of_one(
        embedder: MiniLMEmbedder) -> None:
    said = (("[PERSON_1]", "We talked about the plan for the summer and the school holidays."),
            ("[PERSON_2]", "Yes, she'll stay with her aunt for two weeks."))
    why = _explanations(embedder, "An emergency protection order will be applied for.", *said,
                        linked=(1, 2))
    assert "court order, which nobody spoke about" in why


def test_the_police_said_in_dialect_words_count_as_the_police_spoken_of(
        embedder: MiniLMEmbedder) -> None:
    said = (("[PERSON_1]", "Is there anyone you're scared of?"),
            ("[PERSON_2]", "The guards. I'm frightened of the guards coming to the site."))
    why = _explanations(embedder, "She said she is frightened of the police coming to the site.",
                        *said, linked=(1, 2))
    assert "nobody spoke about" not in why


def test_not_for_a_number_of_weeks_tells_when_and_is_not_a_denial() -> None:
    said = "Not for six weeks. She saw the dietitian in May."
    assert opposite("Her next dietitian appointment is in six weeks.", said) is None


def test_an_accented_name_with_an_age_is_left_to_the_consistency_check() -> None:
    said = transcript(("[PERSON_1]", "Zoë helps me with her little brother most mornings."))
    note = draft(sentence("s1", "Her daughter Zoë (11) helps with her little brother.", [1]))
    assert not DetailChecker().check(note, said, CONTEXT)


# --- risk said in everyday words (omissions) --------------------------------------------

@pytest.mark.parametrize(("text", "topic"), [
    ("He's got a key now. He asked for it and I couldn't say no.", "home_taken_over"),
    ("Folk keep coming round picking up from him at all hours.", "home_taken_over"),
    ("She sent him pictures with nothing on because he kept asking.", "online_sexual_harm"),
    ("He told her she was mature for her age and wanted her to meet him.",
     "online_sexual_harm"),
    ("My aunt says the girls should be cut when they're older.", "fgm"),
    ("We might go back home for my cousin's wedding. We haven't booked.", "travel_abroad"),
    ("There was a contact about him two years ago and it went to early help.",
     "previous_involvement"),
    ("Her uncle stays over most weekends, he's twenty.", "household"),
    ("The agency haven't got any night carers available.", "care_at_home"),
    ("The teacher asked a leading question, I know she shouldn't have.", "child_account"),
    ("She gets dizzy when she stands and says her heart goes all fluttery.", "health"),
    ("She's lost more weight, her jeans are hanging off her.", "health"),
    ("If anyone is badly hurt, ring 999 straight away.", "safety_plan"),
    ("What would happen to him if you were taken ill?", "safety_plan"),
    ("Who would you talk to if you were worried about anything?", "support_network"),
])
def test_risk_said_in_everyday_words_of_rounds_5_and_6_is_recognised(text: str,
                                                                      topic: str) -> None:
    assert topic in topic_keys("safeguarding_topics.yaml", text)


@pytest.mark.parametrize("text", [
    "I got my hair cut on Saturday.",
    "Her hours were cut from thirty to twelve.",
])
def test_everyday_cutting_is_not_read_as_fgm(text: str) -> None:
    assert "fgm" not in topic_keys("safeguarding_topics.yaml", text)


def test_a_deleted_account_of_someone_taking_over_the_home_is_pointed_at(
        embedder: MiniLMEmbedder) -> None:
    said = transcript(
        ("[PERSON_1]", "Who's staying with you at the moment?"),
        ("[PERSON_2]", "Just a lad from the bookies. He's got a key, I gave him it. "
                       "He sleeps here most nights."),
        ("[PERSON_1]", "Okay. And how's your sister?"),
        ("[PERSON_2]", "She's fine, she's up in Leeds."),
    )
    note = draft(sentence("s1", "His sister lives in Leeds and is well.", [3, 4]))
    pointed = omitted_turns(embedder, note, said)
    assert 2 in pointed


# --- stigmatising language --------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "He let drug dealers into his flat.",
    "The two of them were sexting.",
    "The boy is a sex offender.",
    "Perpetrator.",
    "She was abandoned by her father.",
    "The foreign carer was present.",
    "The family live on a gypsy camp.",
    "A confused old man was found in the street.",
    "She is an FGM victim.",
    "She was mutilated as a girl.",
    "Members of the practising community were spoken to.",
    "He spoke in slang throughout.",
    "She is ex-LAC.",
    "He is living in squalor.",
    "She has carer burnout.",
    "He is bed-bound.",
])
def test_the_word_families_of_rounds_5_and_6_are_flagged_with_an_alternative(text: str) -> None:
    flags = LanguageChecker().check(draft(sentence("s1", text, [1])),
                                    transcript(("[PERSON_1]", "…")), CONTEXT)
    assert flags and all(f.suggestion and f.suggestion != text for f in flags)


@pytest.mark.parametrize("text", [
    "The midwife explained female genital mutilation is against the law.",
    "He is on the register as a registered sex offender.",
    "He has started a perpetrator programme.",
    "Her LAC review is on Tuesday.",
    "She said she felt \"burnt out\" by the end of the week.",
])
def test_formal_terms_and_the_persons_own_words_are_left_alone(text: str) -> None:
    flags = LanguageChecker().check(draft(sentence("s1", text, [1])),
                                    transcript(("[PERSON_1]", "…")), CONTEXT)
    assert not flags
