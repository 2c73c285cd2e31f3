"""What was agreed lands in the actions section: commitments, proposals, directions, plans,
recaps, and the answers that agree to them, each linked to the words it came from."""

from __future__ import annotations

import pytest

from casenotes.domain.draft import Draft
from casenotes.domain.transcript import Segment, Transcript
from casenotes.engines.drafting import ExtractiveDrafter
from casenotes.engines.drafting.actions import commitment, direction, recap_start, request
from casenotes.pipeline.draft import DraftContext, draft
from casenotes.pipeline.templates import load_template

SW, MUM, CHAIR, DAD = "[PERSON_1]", "[PERSON_2]", "[PERSON_3]", "[PERSON_4]"
ROLES = {SW: "social_worker", MUM: "parent", CHAIR: "child_protection_chair", DAD: "parent"}
ACTIONS = "Actions agreed (who, what, by when)"
VISIT = [
    (SW, "Hello, I'm [PERSON_1] from adult services. Thanks for having me."),
    (MUM, "Come in. Mind the boxes."),
    (SW, "Is it okay if I record our conversation? You can say no."),
    (MUM, "Yes, that's fine."),
    (SW, "The hospital got in touch because you fell at home last month and lay on the floor "
         "overnight."),
    (MUM, "I went to the toilet in the night and my legs went. I couldn't get up till the "
          "morning."),
    (SW, "I noticed the stairs are steep and the bathroom is upstairs."),
    (MUM, "I manage. My daughter rings every day and does my shopping on Saturdays."),
    (SW, "How are you sleeping?"),
    (MUM, "Not well. I worry about falling again, at night mostly."),
]


def run(turns: list[tuple[str, str]], template: str = "home_visit_note") -> Draft:
    transcript = Transcript(tuple(Segment(i, who, text) for i, (who, text) in enumerate(turns, 1)))
    return draft(transcript, load_template(template), ExtractiveDrafter(), DraftContext(ROLES))


def actions(result: Draft) -> list[str]:
    return [s.text for s in result.section(ACTIONS).sentences]


def test_a_workers_proposal_of_an_alarm_is_drafted_as_an_action_whole() -> None:
    proposal = ("We can put in a pendant alarm that you wear, linked to a response service, so "
                "someone comes quickly if you fall. And a key safe outside, so they can get in.")
    result = run([*VISIT, (SW, proposal), (MUM, "Thank you, love.")])
    drafted = [s for s in result.section(ACTIONS).sentences if "pendant alarm" in s.text]
    assert [s.text for s in drafted] == [proposal]
    assert [(e.segment_id, e.start, e.end) for e in drafted[0].evidence] == [
        (11, 0, len(proposal))]
    assert not [t for t in actions(result) if t.startswith("And a key safe")]


def test_a_condition_given_in_answer_to_a_proposal_is_drafted_with_it() -> None:
    result = run([*VISIT,
                  (SW, "I can look into a grant for the boiler. Would you let an engineer in?"),
                  (MUM, "If they don't touch my papers."),
                  (SW, "I'll ring you on Friday.")])
    assert (f"“I can look into a grant for the boiler. Would you let an engineer "
            f"in?” {MUM} said: If they don't touch my papers.") in actions(result)


def test_a_bare_agreement_is_drafted_with_the_request_it_answers() -> None:
    result = run([*VISIT, (SW, "And can I contact your GP about your weight?"),
                  (MUM, "Aye, you can."), (SW, "I'll ring you on Friday.")])
    agreed = [s for s in result.section(ACTIONS).sentences if "Aye, you can." in s.text]
    assert [s.text for s in agreed] == [
        f"“And can I contact your GP about your weight?” {MUM} said: Aye, you can."]
    assert [e.segment_id for e in agreed[0].evidence] == [11, 12]


def test_a_chairs_directions_and_the_consent_given_to_one_are_actions() -> None:
    meeting = [
        (CHAIR, "This is the review child protection conference for [PERSON_5] and [PERSON_6]."),
        (SW, "The home conditions have really improved and both children have their own beds."),
        (DAD, "I've been going to the recovery hub every week, and I told them about the lapse."),
        (SW, "School say attendance is up from eighty-two to ninety-four percent this term."),
        (CHAIR, "Thank you. My decision as chair is that the children remain subject to child "
                "protection plans under the category of neglect."),
        (CHAIR, "[PERSON_4], continue weekly at the recovery hub, and agree that [PERSON_1] can "
                "speak to your worker monthly."),
        (DAD, "Yeah, he can."),
        (CHAIR, "[PERSON_1], continue visits at least fortnightly and do direct work with "
                "[PERSON_5]. The first core group will be within ten working days."),
    ]
    drafted = actions(run(meeting, "meeting_minutes"))
    assert ("“[PERSON_4], continue weekly at the recovery hub, and agree that "
            f"[PERSON_1] can speak to your worker monthly.” {DAD} said: Yeah, he can.") in drafted
    assert ("[PERSON_1], continue visits at least fortnightly and do direct work with "
            "[PERSON_5].") in drafted
    assert "The first core group will be within ten working days." in drafted


def test_the_items_of_a_recap_are_actions_though_they_have_no_verb() -> None:
    recap = ("So, actions. You: the screening tool and a strategy meeting by Thursday. "
             "Me: move two cases to [PERSON_7] today.")
    drafted = actions(run([*VISIT, (SW, recap), (MUM, "Got it.")]))
    assert "You: the screening tool and a strategy meeting by Thursday." in drafted
    assert "Me: move two cases to [PERSON_7] today." in drafted
    assert "So, actions." not in drafted


def test_small_talk_information_questions_and_the_recording_are_not_actions() -> None:
    turns = [*VISIT,
             (SW, "I can see how much you love this house."),
             (SW, "Can you tell me what happened at the weekend?"),
             (MUM, "My son came round and we had a takeaway, it was nice."),
             (SW, "I'll need your date of birth for my records."),
             (SW, "I'm going to pause the recording now."),
             (SW, "I'll refer you to the falls team this week.")]
    assert actions(run(turns)) == ["I'll refer you to the falls team this week."]


@pytest.mark.parametrize("text", [
    "I'll ring her this afternoon.",
    "We can put in a pendant alarm that she wears.",
    "Police will confirm separately whether this will be a joint investigation.",
    "The first core group will be within ten working days.",
    "They can see him at three this afternoon.",
    "Next visit in four weeks.",
    "Your annual review is booked for the ninth of September.",
    "I'd also like to refer you to a befriending service.",
    "You'll think about the Thursday group.",
    "I'll be letting the police know, and Trading Standards.",
    "I have to pass this on to my manager today.",
    "We must tell the school by Friday.",
    "And I'd like to see you again next week.",
])
def test_commitments_and_plans_are_recognised_by_their_grammar(text: str) -> None:
    assert commitment(text)


@pytest.mark.parametrize("text", [
    "I can see you're not.",
    "I'll be careful.",
    "I'll need your date of birth for my records.",
    "I want to go home.",
    "But I am not going to a home. Never.",
    "He said if we complain, he will put us out.",
    "There are a few things we can do.",
    "Because otherwise I'll forget half of this.",
    "Let's look at the risks that remain.",
    "What will happen to the flat?",
    "You'll be feeling better by the spring.",
    "I have to ask everyone these questions.",
    "I'd like to see you happy.",
])
def test_feelings_reports_and_questions_are_not_commitments(text: str) -> None:
    assert not commitment(text)


def test_a_time_proposed_after_a_visit_is_drafted_with_it_and_the_agreement() -> None:
    turns = [*VISIT,
             (SW, "Thank you for today. I'd like to come back and see you again soon. Thursday "
                  "the ninth, at ten?"),
             (MUM, "Thursday's fine.")]
    agreed = [t for t in actions(run(turns)) if "Thursday's fine." in t]
    assert agreed and "see you again soon. Thursday the ninth, at ten?" in agreed[0], agreed


def test_requests_are_told_from_questions_that_ask_to_be_told() -> None:
    assert request("Could you ring the surgery to rebook your check?")
    assert request("Would you let an engineer in?")
    assert request("And can I contact Dr Smith about your weight?")
    assert request("Would it be okay if I let your nurse know?")
    assert not request("Can you tell me what happened?")
    assert not request("Can I ask, how's your health?")
    assert not request("And if you felt unsafe, who would you call?")
    assert not request("Gail, can you give us an update?")
    assert not request("Is it okay if I record our conversation?")


def test_a_direction_names_someone_or_opens_with_a_verb_of_doing() -> None:
    assert direction("[PERSON_4], continue weekly at the Hub.")
    assert direction("Also, block out Wednesday mornings for recording, no visits.")
    assert not direction("Take your time.")
    assert not direction("Email, [PERSON_2] does email, someone@example.com.")
    assert not direction("[PERSON_2], how would you feel about that?")


def test_a_recap_starts_after_its_opening_or_at_its_marked_sentence() -> None:
    text = "So, actions. You: call the school."
    assert text[recap_start(text) or 0:].strip() == "You: call the school."
    long = "Right. So to recap: I'll ring the school and you'll book the GP."
    assert long[recap_start(long) or 0:].startswith("So to recap: I'll ring the school")
    assert recap_start("What actions have you taken so far with the landlord about it?") is None
