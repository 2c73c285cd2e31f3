"""What an exchange carries: a risk asked about and then followed up over several turns ("Easier
for everyone?"), past a relative's "Oh, love."; an admission that marks the whole telling
("I know I shouldn't have"); a worker reporting to their supervisor; the person's answer to
"anything you want written down in your own words?"; a sum said without its unit."""

from __future__ import annotations

from dataclasses import replace

from casenotes.engines.drafting.risk import risk_topics
from drafts import draft_text as _text
from drafts import draft_turns as _draft
from drafts import tight as _tight

SW, P, MUM = "[PERSON_1]", "[PERSON_2]", "[PERSON_3]"


def _small_talk(n: int) -> list[tuple[str, str]]:
    return [(SW if i % 2 == 0 else P, f"The garden looks different from last time, number {i}.")
            for i in range(n)]


def test_thoughts_of_not_being_here_followed_up_over_several_turns_are_all_drafted() -> None:
    turns = [
        *_small_talk(6),
        (SW, "Have you had any thoughts of ending your life?"),
        (P, "I wouldn't do anything. But sometimes I think it'd be simpler. For all of them."),
        (SW, "Simpler for all of them?"),
        (P, "My brother. My nan. They'd be fine without the hassle of me. The car's insured "
            "through the firm, they'd get that."),
        (MUM, "Oh, son."),
        (SW, "Thank you for saying that. Have you done anything towards that, or got anything "
             "ready?"),
        (P, "I drive up to the reservoir car park at night. I just sit there in the car. Twice, "
            "maybe three times."),
        (SW, "When was the last time?"),
        (P, "Tuesday, after my shift."),
        *_small_talk(6),
    ]
    text = _text(_draft(turns, {SW: "social worker", P: "person", MUM: "mother"},
                        _tight("assessment_section")))
    assert "They'd be fine without the hassle of me." in text
    assert "I drive up to the reservoir car park at night." in text
    assert "Tuesday, after my shift." in text


def test_an_admission_carries_the_whole_disclosure_into_the_draft() -> None:
    turns = [
        *_small_talk(6),
        (SW, "Has there been any time since the plan when he was with the children without your "
             "sister there?"),
        (P, "It was a Sunday, about three weeks back, after dinner. He'd come to fix the shower, "
            "and the baby needed formula. I went to get milk and left them with him for ten "
            "minutes. Maybe fifteen. They were watching telly the whole time, the pair of them. "
            "I know I shouldn't have."),
        *_small_talk(6),
    ]
    text = _text(_draft(turns, {SW: "social worker", P: "mother"}, _tight("home_visit_note")))
    assert "I went to get milk and left them with him for ten minutes." in text


def test_what_a_worker_reports_to_their_supervisor_about_money_is_drafted() -> None:
    manager, worker = "[PERSON_1]", "[PERSON_2]"
    turns = [
        (manager, "Let's start. How are things?"),
        (worker, "Busy, but okay. I've had a good week with the duty rota and I got my "
                 "recordings up to date on the other cases, which I'm pleased about."),
        (manager, "Good. What's your worry about this family, in your own words?"),
        (worker, "My worry is she's twelve and she's hardly in school and she's been to the "
                 "walk-in centre again. There's a crowdfunding page too, her aunt shared it. "
                 "It's raised three thousand four hundred pound for a clinic in another country. "
                 "Nobody has told me what the clinic is for."),
        (manager, "Right. We'll come back to that."),
        (worker, "I've also been thinking about my training plan and the course in the spring, "
                 "which I'd like to book if there's budget for it this year."),
    ]
    text = _text(_draft(turns, {manager: "team manager", worker: "social worker"},
                        _tight("meeting_minutes")))
    assert "It's raised three thousand four hundred pound for a clinic in another country." in text


def test_the_persons_answer_to_what_they_want_written_down_is_kept_in_their_words() -> None:
    turns = [
        *_small_talk(4),
        (SW, "How have the last few weeks been for you?"),
        (P, "I've been so tired, I'm up with her all night and I feel like I'm doing it all on "
            "my own most days."),
        *_small_talk(4),
        (SW, "And the new flat?"),
        (P, "I like the new flat, I feel a lot better here than I did at my mum's."),
        *_small_talk(4),
        (SW, "Before we finish, is there anything you want written down in your own words?"),
        (P, "Only that it's not been as bad as it sounds. She's a good girl really."),
    ]
    template = _tight("home_visit_note")
    template = replace(template, sections=tuple(replace(s, max_sentences=2) if s.voice else s
                                                for s in template.sections))
    result = _draft(turns, {SW: "social worker", P: "mother"}, template)
    voice = [s.text for sec, s in result.sentences() if "voice" in sec.name]
    assert any("Only that it's not been as bad as it sounds." in v for v in voice), voice


def test_a_sum_asked_for_without_its_unit_is_money_at_risk() -> None:
    assert "money_or_housing" in risk_topics("They rang. They need another three thousand for "
                                             "the guttering.")
    assert "money_or_housing" not in risk_topics("She was born in two thousand and nine.")


def test_the_particulars_of_a_concern_raised_are_drafted_with_it() -> None:
    turns = [
        *_small_talk(6),
        (SW, "What are you most worried about at the moment?"),
        (P, "My main concern is the flat, to be honest with you. There are nine of us sleeping in "
            "two rooms now that my brother's family have come. The baby goes down in the pram in "
            "the hallway because there's nowhere else for the cot to go."),
        *_small_talk(6),
    ]
    text = _text(_draft(turns, {SW: "social worker", P: "mother"}, _tight("home_visit_note")))
    assert "There are nine of us sleeping in two rooms now that my brother's family have come." in (
        text)
    assert "The baby goes down in the pram in the hallway" in text


def test_a_childs_words_relayed_as_her_words_at_a_meeting_are_her_voice() -> None:
    chair, school = "[PERSON_1]", "[PERSON_2]"
    turns = [
        (chair, "This is a strategy meeting. Can school say what she told you?"),
        (school, "She said it started as chatting, and he kept on and on, and she, her words, "
                 "\"only sent one so he'd leave me alone.\" Then she asked to go back to class."),
        (chair, "Thank you. Police will lead the enquiry, decided today."),
    ]
    roles = {chair: "social worker (chair)", school: "designated safeguarding lead"}
    voice = [s.text for sec, s in _draft(turns, roles, "meeting_minutes").sentences()
             if "voice" in sec.name]
    assert any("only sent one so he'd leave me alone." in v for v in voice), voice


def test_a_direction_is_drafted_with_the_condition_said_before_it() -> None:
    turns = [
        *_small_talk(8),
        (SW, "And if he gets chest pain, or he can't get his breath, don't wait for me to ring. "
             "Call 999 straight away."),
        (P, "Okay. I'll ring them if it happens."),
        *_small_talk(4),
    ]
    actions = [s.text for sec, s in _draft(turns, {SW: "social worker", P: "wife"}).sentences()
               if sec.name.startswith("Actions")]
    assert any("if he gets chest pain" in a and "Call 999 straight away." in a
               and "I'll ring them if it happens." in a for a in actions), actions


def test_threats_fits_and_someone_who_has_taken_a_key_are_risk_in_everyday_words() -> None:
    assert "harm" in risk_topics("He said if I did that again I'd be going out the window.")
    assert "harm" in risk_topics("They kicked the door in.")
    assert "injury_or_health" in risk_topics("She had a fit on the stairs and banged her head.")
    assert "exploitation" in risk_topics("He's got a key now. I couldn't say no to him.")
    assert not risk_topics("He's got the kettle on. Come in, I'll find a chair.")
