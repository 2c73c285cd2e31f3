"""The omission check: safeguarding content said in the conversation must be in the note."""

from __future__ import annotations

from pathlib import Path

from checksupport import TEMPLATE, draft, sentence, transcript

from casenotes.domain.draft import Draft, Evidence, Section, Sentence
from casenotes.domain.flags import FlagKind, Severity
from casenotes.domain.transcript import Segment, Transcript
from casenotes.engines.checks import OmissionChecker
from casenotes.pipeline.check import CheckContext
from visits import load_case

CONTEXT = CheckContext(TEMPLATE)
SAID = transcript(
    ("[PERSON_1]", "How have things been since I last came?"),
    ("[PERSON_2]", "Alright. We went to the park on Saturday."),
    ("[PERSON_2]", "He grabbed me by the arm last week and left a bruise."),
    ("[PERSON_1]", "Thank you for telling me. I'll come back on Thursday."),
)


def test_harm_said_but_not_in_the_draft_is_flagged_at_its_turn() -> None:
    note = draft(sentence("s1", "They went to the park on Saturday.", [2]))
    flags = OmissionChecker().check(note, SAID, CONTEXT)
    assert [(f.kind, f.segment_ids, f.section, f.sentence_id) for f in flags] == [
        (FlagKind.OMISSION, (3,), "Discussion", None)]
    assert flags[0].severity is Severity.HIGH
    assert flags[0].explanation.startswith("Turn 3 of the conversation speaks of")


def test_harm_covered_by_a_linked_sentence_is_not_flagged() -> None:
    note = draft(sentence("s1", "She said he grabbed her arm last week, leaving a bruise.", [3]))
    assert OmissionChecker().check(note, SAID, CONTEXT) == []


def test_harm_covered_in_the_practitioners_own_words_is_not_flagged() -> None:
    note = draft(sentence("s1", "They went to the park.", [2]),
                 analysis="She told me he grabbed her arm and left a bruise.")
    assert OmissionChecker().check(note, SAID, CONTEXT) == []


def test_an_organisation_can_add_a_topic(tmp_path: Path) -> None:
    (tmp_path / "safeguarding_topics.yaml").write_text(
        'pets:\n  label: "a dangerous dog"\n  said: ["pit bull"]\n', encoding="utf-8")
    said = transcript(("[PERSON_2]", "The pit bull next door gets in the garden."))
    assert OmissionChecker().check(draft(), said, CONTEXT) == []
    flags = OmissionChecker([tmp_path]).check(draft(), said, CONTEXT)
    assert "a dangerous dog" in flags[0].explanation


def test_on_a_real_visit_deleting_the_food_bank_fact_is_caught() -> None:
    case = load_case("case_01")
    who = {p["id"]: p["name"] for p in case["participants"]}
    said = Transcript(tuple(Segment(t["turn"], who[t["speaker_id"]], t["text"])
                            for t in case["transcript"]))
    fact = next(f for f in case["facts"] if f["id"] == "F5")
    kept = tuple(
        Sentence(f"s{n}", link["sentence"],
                 evidence=tuple(Evidence(t) for t in link["evidence_turns"]))
        for n, link in enumerate(case["reference_note_links"])
        if not set(link["evidence_turns"]) & set(fact["evidence_turns"]))
    note = Draft("t", (Section("Discussion", sentences=kept),))
    flags = OmissionChecker().check(note, said, CONTEXT)
    assert {i for f in flags for i in f.segment_ids} & set(fact["evidence_turns"])


def test_when_the_answer_to_a_risk_question_is_left_out_then_the_answer_is_flagged() -> None:
    said = transcript(
        ("[PERSON_1]", "How is the new flat?"),
        ("[PERSON_2]", "It's nice, the bus is right outside."),
        ("[PERSON_1]", "Any thoughts of harming yourself?"),
        ("[PERSON_2]", "No. None. I'm alright, honest."),
    )
    note = draft(sentence("s1", "He likes the new flat; the bus stops outside.", [2]))
    flags = OmissionChecker().check(note, said, CONTEXT)
    assert [f.segment_ids for f in flags] == [(4,)]
    assert "self-harm" in flags[0].explanation


def test_a_question_is_not_flagged_when_the_note_records_its_answer() -> None:
    said = transcript(
        ("[PERSON_1]", "Has he had any falls since I last came?"),
        ("[PERSON_2]", "Yes, he fell in the bathroom last month and I couldn't lift him."),
    )
    note = draft(sentence("s1", "He fell in the bathroom last month; she could not lift him.",
                          [2]))
    assert OmissionChecker().check(note, said, CONTEXT) == []


def test_when_harm_is_told_in_words_not_on_the_topic_lists_then_it_is_still_flagged() -> None:
    said = transcript(
        ("[PERSON_1]", "How have things been?"),
        ("[PERSON_2]", "My partner held me against the wall by my neck last night."),
    )
    assert OmissionChecker(risk_similarity=2.0).check(draft(), said, CONTEXT) == []
    flags = OmissionChecker().check(draft(), said, CONTEXT)
    assert [f.segment_ids for f in flags] == [(2,)]


def test_what_a_worker_states_before_asking_is_flagged_when_the_note_leaves_it_out() -> None:
    said = transcript(
        ("[PERSON_1]", "So, the fire service came to do a safety check last week and they were "
                       "worried about the stove near the papers. How are you getting on?"),
        ("[PERSON_2]", "Fine, I manage."),
    )
    flags = OmissionChecker().check(draft(sentence("s1", "He said he manages.", [2])), said,
                                    CONTEXT)
    assert [f.segment_ids for f in flags] == [(1,)]
    assert "a fire risk" in flags[0].explanation


def test_a_plain_question_is_still_never_flagged_on_its_own() -> None:
    said = transcript(
        ("[PERSON_1]", "Thank you. Is the stove still by the papers?"),
        ("[PERSON_2]", "No, I moved it to the cooker top yesterday."),
    )
    note = draft(sentence("s1", "He has moved the stove to the cooker top.", [2]))
    assert OmissionChecker().check(note, said, CONTEXT) == []


def test_an_account_kept_up_through_a_follow_up_question_is_flagged_at_the_follow_up() -> None:
    said = transcript(
        ("[PERSON_1]", "Her ex-partner has a non-molestation order, but a neighbour saw his van "
                       "outside overnight."),
        ("[PERSON_2]", "What has she said?"),
        ("[PERSON_1]", "I rang her yesterday. She said he is not living there and only drops "
                       "off the boy's things, but she wanted to get off the phone."),
    )
    note = draft(sentence("s1", "A neighbour saw the ex-partner's van outside overnight despite "
                                "a non-molestation order.", [1]))
    flags = OmissionChecker().check(note, said, CONTEXT)
    assert [f.segment_ids for f in flags] == [(3,)]
    assert "domestic abuse" in flags[0].explanation


def test_a_childs_fear_or_wish_is_not_read_into_an_adults_words_when_roles_are_known() -> None:
    said = transcript(("[PERSON_1]", "So, I'd like to understand what matters most to you."))
    unknown = OmissionChecker().check(draft(), said, CONTEXT)
    assert "a child's fear or wish" in unknown[0].explanation
    known = CheckContext(TEMPLATE, speaker_roles={"[PERSON_1]": "social_worker"})
    assert OmissionChecker().check(draft(), said, known) == []


def test_words_in_another_language_are_left_to_the_interpreters_turn() -> None:
    said = transcript(
        ("[PERSON_1]", "Have you told the landlord about the mould?"),
        ("[PERSON_2]", "Da, de multe ori. El a zis că dacă ne plângem, ne dă afară."),
        ("[PERSON_3]", "Yes, many times. He said if we complain, he will put us out."),
    )
    flags = OmissionChecker().check(draft(), said, CONTEXT)
    assert [f.segment_ids for f in flags] == [(3,)]
    assert "unsafe or unsuitable housing" in flags[0].explanation


def test_a_note_that_leaves_out_how_low_the_person_feels_is_flagged() -> None:
    said = transcript(
        ("[PERSON_1]", "You said you get low in the evenings. How low?"),
        ("[PERSON_2]", "Just bored and a bit fed up. Not like, dark. I ring my nan."),
    )
    flags = OmissionChecker().check(draft(), said, CONTEXT)
    assert [f.segment_ids for f in flags] == [(2,)]
    assert "mood or mental health" in flags[0].explanation


def test_hoarded_belongings_left_out_of_the_note_are_flagged() -> None:
    said = transcript(
        ("[PERSON_1]", "Can I ask about the boxes in the hall?"),
        ("[PERSON_2]", "They're not rubbish. They're my late wife's things. I'll sort them."),
    )
    flags = OmissionChecker().check(draft(), said, CONTEXT)
    assert [f.segment_ids for f in flags] == [(2,)]
    assert "self-neglect or hoarding" in flags[0].explanation


def test_a_name_that_starts_like_a_listed_word_is_not_that_word() -> None:
    checker = OmissionChecker(risk_similarity=2.0)  # patterns only
    said = transcript(("[PERSON_1]", "I'll check with Owen and confirm by email."))
    assert checker.check(draft(), said, CONTEXT) == []
    owed = transcript(("[PERSON_2]", "We owe the landlord for two months now."))
    assert "money worries" in checker.check(draft(), owed, CONTEXT)[0].explanation


def test_how_long_someone_lay_on_the_floor_after_a_fall_is_flagged_when_left_out() -> None:
    said = transcript(
        ("[PERSON_1]", "How long was she on the floor?"),
        ("[PERSON_2]", "From about two in the morning until the neighbour came at nine."),
    )
    flags = OmissionChecker().check(draft(), said, CONTEXT)
    assert [f.segment_ids for f in flags] == [(2,)]


def test_taking_a_named_medicine_is_flagged_when_the_note_leaves_it_out() -> None:
    said = transcript(
        ("[PERSON_1]", "Are you still taking the lithium?"),
        ("[PERSON_2]", "Every night, with my tea. I set an alarm on my phone."),
    )
    flags = OmissionChecker(risk_similarity=2.0).check(draft(), said, CONTEXT)  # by its name
    assert [f.segment_ids for f in flags] == [(2,)]
    assert "medication" in flags[0].explanation


def test_agreeing_that_information_is_shared_is_flagged_when_the_note_leaves_it_out() -> None:
    said = transcript(
        ("[PERSON_1]", "Would it be okay if I let your GP know what you told me today?"),
        ("[PERSON_2]", "Aye. I suppose they need to know."),
    )
    flags = OmissionChecker().check(draft(), said, CONTEXT)
    assert [f.segment_ids for f in flags] == [(2,)]
    assert "consent to share information" in flags[0].explanation


def test_a_sentence_linked_to_a_plain_question_covers_its_answer() -> None:
    said = transcript(
        ("[PERSON_1]", "Any thoughts of harming yourself?"),
        ("[PERSON_2]", "No. None. I'm alright, honest."),
    )
    linked_to_question = draft(sentence("s1", "He said he has no thoughts of harming himself.",
                                        [1]))
    assert OmissionChecker().check(linked_to_question, said, CONTEXT) == []


def test_a_sentence_linked_to_what_a_question_turn_states_does_not_cover_the_answer() -> None:
    said = transcript(
        ("[PERSON_1]", "Thanks for making time for the review meeting today with everyone. "
                       "Any thoughts of harming yourself?"),
        ("[PERSON_2]", "No. None. I'm alright, honest."),
    )
    note = draft(sentence("s1", "The review took place with everyone present.", [1]))
    assert [f.segment_ids for f in OmissionChecker().check(note, said, CONTEXT)] == [(2,)]


def test_thoughts_of_not_being_alive_in_everyday_words_are_flagged_when_left_out() -> None:
    said = transcript(
        ("[PERSON_1]", "How has your sleep been since the baby came?"),
        ("[PERSON_2]", "Rubbish, to be honest. Some nights I lie there and think it would be "
                       "easier if I just wasn't around anymore."),
        ("[PERSON_1]", "Thank you for telling me. Shall we look at the health visitor's leaflet?"),
    )
    note = draft(sentence("s1", "They looked at the health visitor's leaflet together.", [3]))
    flags = OmissionChecker().check(note, said, CONTEXT)
    assert [f.segment_ids for f in flags] == [(2,)]
    assert "self-harm or suicidal thoughts" in flags[0].explanation


PATTERNS_ONLY = 2.0  # a risk similarity no description reaches: the word lists alone


def _flagged_topics(*turns: tuple[str, str]) -> list[tuple[tuple[int, ...], str]]:
    flags = OmissionChecker(risk_similarity=PATTERNS_ONLY).check(
        draft(), transcript(*turns), CONTEXT)
    return [(f.segment_ids, f.explanation) for f in flags]


def test_a_fist_through_the_door_left_out_of_the_note_is_flagged_as_harm() -> None:
    [(turns, why)] = _flagged_topics(
        ("[PERSON_2]", "He came in from the pub and put his fist through the bathroom door."))
    assert turns == (1,) and "harm to someone" in why and "substance use" in why


def test_a_smashed_phone_and_a_temper_after_a_few_drinks_are_flagged_when_left_out() -> None:
    [(_, why)] = _flagged_topics(
        ("[PERSON_2]", "He's smashed the telly before. He's got a temper when he's had a few."))
    assert "harm to someone" in why and "substance use" in why


def test_walking_on_eggshells_left_out_of_the_note_is_flagged_as_domestic_abuse() -> None:
    [(_, why)] = _flagged_topics(
        ("[PERSON_2]", "Most nights I'm walking on eggshells. He goes through my phone."))
    assert "domestic abuse" in why


def test_money_gone_from_the_account_left_out_of_the_note_is_flagged_as_money_taken() -> None:
    [(_, why)] = _flagged_topics(
        ("[PERSON_2]", "His statement came and there's six hundred pounds gone out of his "
                       "account. He never goes to the cash machine."))
    assert "money taken or misused" in why


def test_money_lent_to_a_relative_is_flagged_when_the_answer_is_left_out() -> None:
    flagged = _flagged_topics(
        ("[PERSON_1]", "Has anyone in the family asked to borrow money from you?"),
        ("[PERSON_2]", "My grandson had three thousand for a car. Not seen a penny back."))
    assert [turns for turns, _ in flagged] == [(2,)]
    assert "money taken or misused" in flagged[0][1]


def test_the_door_locked_at_night_left_out_of_the_note_is_flagged() -> None:
    [(_, why)] = _flagged_topics(
        ("[PERSON_2]", "Now I lock the back door at night and hide the key so he can't go out."))
    assert "going missing, wandering or being locked in" in why


def test_a_child_wetting_the_bed_again_left_out_of_the_note_is_flagged() -> None:
    [(_, why)] = _flagged_topics(
        ("[PERSON_2]", "He's wetting again since the contact. He'd been dry for months."))
    assert "a child's distress or a worrying change" in why


def test_not_sleeping_and_feeling_no_use_to_anyone_left_out_is_flagged_as_mood() -> None:
    [(_, why)] = _flagged_topics(
        ("[PERSON_2]", "I'm not sleeping. I lie there thinking I'm no use to anyone."))
    assert "mood or mental health" in why


def test_a_sentence_that_only_names_what_a_question_asked_about_does_not_cover_the_answer(
) -> None:
    said = transcript(
        ("[PERSON_1]", "And how are you getting on with the tablets?"),
        ("[PERSON_2]", "No, I stopped them a month ago. They were making me feel sick and I "
                       "never went back to the doctor."),
    )
    note = draft(sentence("s1", "We went through your sleep, your money and your tablets.", [1]))
    flags = OmissionChecker().check(note, said, CONTEXT)
    assert [f.segment_ids for f in flags] == [(2,)]
    assert "medication" in flags[0].explanation
