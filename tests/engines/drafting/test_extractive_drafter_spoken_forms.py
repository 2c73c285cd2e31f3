"""How people really speak, and who the note is about: fragments ("No! No. He's never …"),
a child's words relayed in single quotes by a professional, free-text roles ("detective
constable"), the original words an interpreter then gives, a dropped g ("freezin'"), and an
answer to a question that points back ("When did you last have it?")."""

from __future__ import annotations

from casenotes.domain.draft import Draft
from casenotes.engines.drafting.risk import risk_topics
from drafts import draft_text as _text
from drafts import draft_turns as _draft
from drafts import tight as _tight

SW, YP = "[PERSON_1]", "[PERSON_2]"


def _voice(result: Draft) -> list[str]:
    return [s.text for sec, s in result.sentences() if "voice" in sec.name]


def test_an_answer_that_opens_with_a_fragment_is_drafted_with_what_follows_it() -> None:
    turns = [
        (SW, "Thanks for ringing back. I wanted to check in after last week."),
        (YP, "Yeah, it's fine, I've got a bit of time now."),
        (SW, "Has he ever hurt you?"),
        (YP, "No! No. He's never battered me or nothin'. Like. There was one time. But it was an "
             "accident, like. We were arguin' and he grabbed me by me hood and I went back and "
             "banged me head on the door frame. It was an accident. He was dead sorry after."),
        (SW, "I'll ring you on Friday at ten to talk about college."),
    ]
    drafted = [s.text for _, s in _draft(turns, {SW: "personal_adviser", YP: "care_leaver"},
                                         _tight("letter_to_family")).sentences()]
    answered = [t for t in drafted if "Has he ever hurt you?" in t]
    assert answered and "He's never battered me or nothin'" in answered[0], drafted
    assert any("banged me head on the door frame" in t for t in drafted)


def test_a_childs_words_relayed_in_single_quotes_at_a_meeting_of_professionals_are_her_voice(
) -> None:
    chair, police, dsl = "[PERSON_1]", "[PERSON_2]", "[PERSON_3]"
    turns = [
        (chair, "This is a strategy meeting about [PERSON_4], who is six. Everyone has agreed "
                "to the recording. Can school start with what happened?"),
        (dsl, "She came in with a mark on her cheek. I did a body map this morning."),
        (police, "Did she say anything about it?"),
        (dsl, "The teaching assistant asked her. She said, and it was written down straight "
              "after, 'Daddy's friend did it. I'm not allowed to say about it.' Then she went "
              "off to the book corner and read with her friend for the rest of the lesson."),
        (chair, "Thank you. We will hold a joint section 47 enquiry, decided today."),
        (police, "I will arrange the joint visit with the social worker by tomorrow."),
    ]
    roles = {chair: "social worker, assessment team (chair)",
             police: "detective constable, child abuse investigation unit",
             dsl: "deputy head and designated safeguarding lead"}
    voice = _voice(_draft(turns, roles, "meeting_minutes"))
    assert any("Daddy's friend did it. I'm not allowed to say about it." in v for v in voice)
    # a professional's own account is not put down as the child's voice
    assert not any("body map" in v for v in voice), voice


def test_a_child_in_placement_is_quoted_as_the_child_when_asked_how_living_here_is() -> None:
    carer, child = "[PERSON_2]", "[PERSON_3]"
    turns = [
        (SW, "Hello both, thanks for having me. I'm here for the usual visit."),
        (carer, "Come in, the kettle's on."),
        (SW, "I ask you this every time, but how is it living here?"),
        (child, "It's alright here. I don't wanna move, like, ever."),
        (SW, "I'll see you again in six weeks, on the twelfth."),
    ]
    result = _draft(turns, {SW: "supervising social worker", carer: "kinship foster carer",
                            child: "child in placement"})
    assert any("It's alright here. I don't wanna move, like, ever." in v
               for v in _voice(result))


def test_the_words_an_interpreter_then_gives_are_quoted_not_the_original() -> None:
    mum, interp = "[PERSON_2]", "[PERSON_3]"
    turns = [
        (SW, "Thank you for seeing me today. I'm visiting about the children's school."),
        (SW, "Do you want him to come back home?"),
        (mum, "Nahin. Abhi nahin. Main nahin chahti ke woh wapas aaye. Pehle bhi usne mujhe "
              "maara hai."),
        (interp, "No. Not now. I don't want him to come back. He has hit me before as well."),
        (SW, "I'll come back on Tuesday at two with the interpreter."),
    ]
    voice = _voice(_draft(turns, {SW: "social_worker", mum: "mother",
                                  interp: "urdu interpreter"}))
    assert any("I don't want him to come back." in v for v in voice), voice
    assert not any("Nahin" in v for v in voice), voice


def test_an_answer_to_a_question_that_points_back_to_a_risk_is_carried_into_the_draft() -> None:
    person = "[PERSON_2]"
    filler = [(SW, f"And the {thing}, how is that going?") if i % 2 == 0 else
              (person, f"I love the {thing}, I feel so happy and proud when I'm out there.")
              for i, thing in enumerate(["garden", "garden", "shed", "shed", "car", "car",
                                         "shopping", "shopping", "bus", "bus", "dog", "dog"])]
    turns = [
        (SW, "Thanks for letting me in. I'm here for our usual visit."),
        *filler,
        (SW, "Can I ask about your injection? The clinic rang me to say you'd not been in."),
        (person, "No."),
        (SW, "When did you last have it?"),
        (person, "End of September. I went in, I had it, I come home and I thought, no more."),
        (SW, "I'll ask the doctor to come and see you here this week, by Friday."),
    ]
    drafted = _text(_draft(turns, {SW: "care_coordinator", person: "service_user"},
                           _tight("home_visit_note")))
    assert "I come home and I thought, no more." in drafted


def test_a_dropped_g_and_gas_on_emergency_are_money_and_home_risk() -> None:
    assert "neglect_or_home" in risk_topics("It's freezin', I'm sat here in me coat.")
    assert "money_or_housing" in risk_topics("The gas is on emergency.")
    assert "process" in risk_topics("The case was referred on the second of November.")
    assert not risk_topics("I was goin' to the shop anyway.")
