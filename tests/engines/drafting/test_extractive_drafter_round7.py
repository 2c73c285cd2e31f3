"""Rules read from round 7 as dev cases, each on invented words: forced marriage is a harmful
practice; what the worker tells the person happened, at the start, is the purpose of the visit;
going missing counted ("the fourth time she's gone"), a wound, a hold and "we should have phoned"
are risk (the last keeps all of its turn); "Not of you. Of them." keeps its last words; a
commitment to "that" keeps what it takes up; a proposal put to two people keeps both answers;
the minutes are the social worker's when a teacher says most; a child's words repeated by others
are their voice when the child is not there; a professional saying who she is is not discussion."""

from __future__ import annotations

from casenotes.engines.drafting.risk import risk_topics
from drafts import draft_text as _text
from drafts import draft_turns as _draft
from drafts import section_text as _section
from drafts import small_talk as _small_talk
from drafts import tight as _tight

SW, P, P2, DSL = "[PERSON_1]", "[PERSON_2]", "[PERSON_3]", "[PERSON_4]"




def test_forced_marriage_in_a_young_persons_words_is_a_harmful_practice() -> None:
    for said in ("Dad says I'm to get married to my cousin when we go over.",
                 "He's got my passport in his drawer.",
                 "Mum said I'd bring shame on everyone.",
                 "Her ticket was one way, theirs were return. One way for her.",
                 "They want her married off before she's seventeen."):
        assert "harmful_practices" in risk_topics(said), said
    for said in ("My cousin got married in the summer.", "It's a one way street by the shop.",
                 "I've got my passport for the school trip."):
        assert "harmful_practices" not in risk_topics(said), said


def test_what_the_worker_says_happened_at_the_start_is_the_purpose_of_the_visit() -> None:
    turns = [
        (SW, "Hiya. Okay if I record this, like last time?"),
        (P, "Yeah, go on."),
        (SW, "So, you know why I've come round. You went missing on Saturday night and the "
             "police found you at the bus station on Sunday. How are you doing?"),
        (P, "Alright. Tired."),
        *_small_talk(16),
    ]
    purpose = _section(_draft(turns, {SW: "social worker", P: "young person"}), "Purpose")
    assert "You went missing on Saturday night and the police found you" in purpose


def test_going_missing_counted_and_running_out_of_the_door_are_risk() -> None:
    assert "missing" in risk_topics("That's the fourth time she's gone since June.")
    assert "missing" in risk_topics("He went for the back door and was off down the lane.")
    assert "missing" not in risk_topics("It's the fourth time she's asked me.")


def test_a_wound_and_how_deep_it_is_are_injury() -> None:
    assert "injury_or_health" in risk_topics("He's got a gash on his knee, I've cleaned it.")
    assert "injury_or_health" in risk_topics("Can I look? It looks quite deep.")
    assert "injury_or_health" in risk_topics("My hip's not great, I'm on the list for surgery.")
    assert "injury_or_health" not in risk_topics("We cut the grass on the Sunday.")


def test_a_hold_told_by_a_carer_is_harm() -> None:
    assert "harm" in risk_topics("I caught him by the wrist at the gate.")
    assert "harm" in risk_topics("Like that. Hand round her arm. Firm.")


def test_we_should_have_phoned_keeps_the_whole_turn_it_is_said_in() -> None:
    turns = [
        *_small_talk(8),
        (SW, "Did you write it in the log that evening?"),
        (P, "No. We did it the day after, first thing, before the school run. I know we "
            "should have phoned the duty line too. We didn't. I thought it was all over by "
            "then, to be honest, she was calm by midnight and asleep by one, and we were both "
            "shattered after the day we'd had with the school and the dentist."),
        *_small_talk(8),
    ]
    text = _text(_draft(turns, {SW: "supervising social worker", P: "foster carer"},
                        _tight("home_visit_note")))
    assert "I know we should have phoned the duty line too." in text
    assert "We did it the day after, first thing, before the school run." in text


def test_a_quote_keeps_the_few_words_that_say_who() -> None:
    turns = [
        *_small_talk(6),
        (SW, "You're not in any trouble with me for telling me."),
        (P, "I know. But I'm scared though. Not of you. Of them."),
        *_small_talk(6),
    ]
    result = _draft(turns, {SW: "social worker", P: "young person"})
    assert "But I'm scared though. Not of you. Of them." in _section(result, "What the")


def test_a_commitment_to_that_keeps_the_sentence_it_takes_up() -> None:
    turns = [
        *_small_talk(12),
        (SW, "We need to plan for the weeks you're in hospital. I'll put that in the review. "
             "Is that okay?"),
        (P, "Yes, that would be grand."),
        *_small_talk(4),
    ]
    result = _draft(turns, {SW: "social worker", P: "wife and carer"})
    actions = next(s for s in result.sections if s.name.startswith("Actions"))
    assert any("We need to plan for the weeks you're in hospital. I'll put that in the review."
               in s.text and "grand" in s.text for s in actions.sentences)


def test_a_proposal_put_to_two_people_keeps_both_answers() -> None:
    turns = [
        *_small_talk(12),
        (SW, "If we got a rail fitted by the bath, would you both be happy with two visits a "
             "day?"),
        (P, "Yes."),
        (P2, "Only once the rail's up."),
        *_small_talk(4),
    ]
    actions = _section(_draft(turns, {SW: "social worker", P: "person receiving care",
                                      P2: "wife and carer"}), "Actions")
    assert "Only once the rail's up." in actions


def test_the_minutes_are_the_social_workers_when_a_teacher_says_most() -> None:
    report = ("She told me at break that her stepdad has been hitting her with a belt, and she "
              "showed me a red mark on the back of her leg, about the size of my hand, and she "
              "said she didn't want to go home tonight because he'd be angry she told.")
    turns = [
        (SW, "Thanks for joining. This is a strategy discussion. Can you tell us what she said?"),
        (DSL, report),
        *[(SW if i % 2 == 0 else DSL, f"The minutes go out by Friday, point {i}, and we meet "
                                      "again in a fortnight to look at how it is going.")
          for i in range(12)],
    ]
    result = _draft(turns, {SW: "social worker, children's services",
                            DSL: "designated safeguarding lead, primary school"},
                    "meeting_minutes")
    assert f"{DSL} said: She told me at break" in _text(result)


def test_a_childs_words_repeated_by_others_are_heard_when_the_child_is_not_there() -> None:
    turns = [(SW, "Thanks both. This is your supervision, mostly about what happened on Friday.")]
    for i in range(9):
        turns += [(SW, f"How did you find that part of it, point {i}?"),
                  (P, f"I was worried sick, I won't lie, I felt I'd let her down by day {i}. "
                      f"I love having her, I just want {i + 2} quiet nights.")]
    turns += [(SW, "And she told her teacher, 'I only hid because I thought I'd be moved.'"),
              (P, "Oh, love."),
              *_small_talk(4)]
    result = _draft(turns, {SW: "supervising social worker", P: "foster carer"},
                    "meeting_minutes")
    assert "I only hid because I thought I'd be moved." in _section(result, "Views")


def test_a_professional_saying_who_she_is_is_not_drafted_as_discussion() -> None:
    turns = [
        (SW, "Morning all. This is a strategy meeting. Can you each say who you are?"),
        (DSL, f"{DSL}, designated safeguarding lead at the academy. Yes, fine."),
        *[(SW if i % 2 == 0 else DSL, f"She has been late {i + 2} times this term and seems "
                                      "tired in lessons, staff say.") for i in range(10)],
    ]
    result = _draft(turns, {SW: "social worker", DSL: "designated safeguarding lead"},
                    "meeting_minutes")
    assert "designated safeguarding lead at the academy" not in _section(result, "Summary")
