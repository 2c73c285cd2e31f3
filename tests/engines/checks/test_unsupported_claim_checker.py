"""The unsupported-claim check, with the real packaged MiniLM embeddings."""

from __future__ import annotations

import pytest
from checksupport import TEMPLATE, draft, sentence, transcript

from casenotes.domain.draft import Draft, Evidence, Section, Sentence, SentenceKind
from casenotes.domain.flags import Flag, FlagKind, Severity
from casenotes.domain.transcript import Segment, Transcript
from casenotes.engines.checks import UnsupportedClaimChecker
from casenotes.engines.embed import MiniLMEmbedder
from casenotes.pipeline.check import CheckContext
from visits import load_case

CONTEXT = CheckContext(TEMPLATE)
VISIT = transcript(
    ("[PERSON_1]", "Can I ask about drinking? Does anyone in the house drink?"),
    ("[PERSON_2]", "I don't drink, never have. My dad did and I saw what it did."),
    ("[PERSON_1]", "And the rent, how is that going?"),
    ("[PERSON_2]", "I'm two months behind on the rent since my hours were cut at the bakery."),
    ("[PERSON_2]", "I think he might have hit her once, but I wasn't there."),
    ("[PERSON_1]", "I'll ring the housing officer about the arrears on Friday."),
)


@pytest.fixture(scope="module")
def checker() -> UnsupportedClaimChecker:
    return UnsupportedClaimChecker(MiniLMEmbedder())


def flags_for(checker: UnsupportedClaimChecker, text: str, turns: list[int],
              kind: SentenceKind = SentenceKind.SUMMARY) -> list[Flag]:
    return checker.check(draft(sentence("s1", text, turns, kind)), VISIT, CONTEXT)


def test_faithful_summary_is_not_flagged(checker: UnsupportedClaimChecker) -> None:
    text = "[PERSON_2] said she is two months behind on the rent since her hours were cut."
    assert flags_for(checker, text, [4]) == []


def test_high_stakes_topic_nobody_spoke_about_is_flagged_high(
        checker: UnsupportedClaimChecker) -> None:
    flags = flags_for(checker, "[PERSON_2] said she has thoughts of suicide.", [4])
    assert [(f.kind, f.severity, f.sentence_id) for f in flags] == [
        (FlagKind.UNSUPPORTED_CLAIM, Severity.HIGH, "s1")]
    assert "it mentions suicide, which nobody spoke about" in flags[0].explanation
    assert flags[0].segment_ids == (4,)


def test_negation_turned_around_is_flagged(checker: UnsupportedClaimChecker) -> None:
    flags = flags_for(checker, "[PERSON_2] said she drinks.", [2])
    assert flags and "says the opposite of what was said" in flags[0].explanation
    assert flags_for(checker, "[PERSON_2] said she does not drink.", [2]) == []


def test_a_possibility_stated_as_fact_is_flagged(checker: UnsupportedClaimChecker) -> None:
    flags = flags_for(checker, "He hit her.", [5])
    assert flags and "spoken of as a possibility" in flags[0].explanation
    assert flags_for(checker, "[PERSON_2] thinks he might have hit her once.", [5]) == []


def test_words_put_in_the_wrong_persons_mouth_are_flagged(
        checker: UnsupportedClaimChecker) -> None:
    flags = flags_for(checker, "[PERSON_2] said she will ring the housing officer on Friday.",
                      [6])
    assert flags and "[PERSON_2] said this, but the turns it is linked to are someone else's" \
        in flags[0].explanation


def test_a_quote_found_word_for_word_in_its_turn_is_not_flagged(
        checker: UnsupportedClaimChecker) -> None:
    assert flags_for(checker, '"I don\'t drink, never have."', [2], SentenceKind.QUOTE) == []


def test_what_the_practitioner_wrote_is_not_judged(checker: UnsupportedClaimChecker) -> None:
    assert flags_for(checker, "Father is an alcoholic.", [], SentenceKind.HUMAN) == []


def _reference(case: dict) -> tuple[Draft, Transcript]:  # type: ignore[type-arg]
    who = {p["id"]: p["name"] for p in case["participants"]}
    said = Transcript(tuple(Segment(t["turn"], who[t["speaker_id"]], t["text"])
                            for t in case["transcript"]))
    sentences = tuple(
        Sentence(f"s{n}", link["sentence"], evidence=tuple(Evidence(t)
                                                           for t in link["evidence_turns"]))
        for n, link in enumerate(case["reference_note_links"]) if link["section"] != "Analysis")
    return Draft("t", (Section("Discussion", sentences=sentences),)), said


def test_on_a_real_visit_invented_risk_is_caught_and_the_reference_note_mostly_passes(
        checker: UnsupportedClaimChecker) -> None:
    reference, said = _reference(load_case("case_01"))
    clean = checker.check(reference, said, CONTEXT)
    assert len(clean) <= 0.15 * len(reference.sentences())
    first = reference.sections[0].sentences[5]
    for invented in ("Mother misuses alcohol.", "There were concerns about domestic abuse "
                     "by the father."):
        trap = Sentence("trap", invented, evidence=first.evidence)
        section = Section("Discussion", sentences=(*reference.sections[0].sentences, trap))
        flags = checker.check(Draft("t", (section,)), said, CONTEXT)
        assert "trap" in {f.sentence_id for f in flags}, invented


HOME = transcript(
    ("[PERSON_1]", "What makes the mornings hard?"),
    ("[PERSON_2]", "Honestly? It's freezing in here. The gas has been off since Sunday."),
    ("[PERSON_2]", "I'm not gonna lie, I've been skipping meals so the bairns eat."),
    ("[PERSON_3]", "We're fine. We've got the Welsh cakes out for you."),
)


def home_flags(checker: UnsupportedClaimChecker, text: str, turns: list[int],
               context: CheckContext = CONTEXT) -> list[Flag]:
    return checker.check(draft(sentence("s1", text, turns)), HOME, context)


def test_when_the_draft_says_in_other_words_what_was_said_then_not_flagged(
        checker: UnsupportedClaimChecker) -> None:
    assert home_flags(checker, "[PERSON_2] said the house is cold because the gas has been off "
                               "since Sunday.", [2]) == []


def test_when_the_draft_adds_something_nothing_said_matches_then_flagged_naming_the_word(
        checker: UnsupportedClaimChecker) -> None:
    flags = home_flags(checker, "The children were unkempt.", [2])
    assert flags and "'unkempt'" in flags[0].explanation


def test_when_a_negation_was_about_something_else_in_the_turn_then_not_called_the_opposite(
        checker: UnsupportedClaimChecker) -> None:
    text = "[PERSON_2] said she has been skipping meals so that the children can eat."
    assert home_flags(checker, text, [3]) == []
    flags = home_flags(checker, "[PERSON_2] said she has not been skipping meals.", [3])
    assert flags and "says the opposite" in flags[0].explanation


def test_when_two_people_are_named_as_saying_it_and_one_of_them_did_then_not_misattributed(
        checker: UnsupportedClaimChecker) -> None:
    said = transcript(("[PERSON_3]", "He's settled, sleeping well, eating well."),
                      ("[PERSON_4]", "He is."))
    note = draft(sentence("s1", "[PERSON_4] and [PERSON_3] said he is settled, sleeping well "
                                "and eating well.", [1]))
    assert [f for f in checker.check(note, said, CONTEXT)
            if "someone else's" in f.explanation] == []


def test_when_the_linked_turn_is_the_interpreters_then_the_person_interpreted_is_not_misattributed(
        checker: UnsupportedClaimChecker) -> None:
    said = transcript(("[PERSON_1]", "Have you told the landlord about the mould?"),
                      ("[PERSON_2]", "Da, de multe ori."),
                      ("[PERSON_3]", "\"Yes, many times. He said if we complain, he will put "
                                     "us out.\""))
    note = draft(sentence("s1", "[PERSON_2] said she has told the landlord about the mould "
                                "many times.", [3]))
    roles = {"[PERSON_1]": "social_worker", "[PERSON_2]": "parent",
             "[PERSON_3]": "interpreter"}

    def misattributed(context: CheckContext) -> list[Flag]:
        return [f for f in checker.check(note, said, context)
                if "someone else's" in f.explanation]

    assert misattributed(CONTEXT), "without roles the interpreter's turn is someone else's"
    assert misattributed(CheckContext(TEMPLATE, speaker_roles=roles)) == []
    # Roles excuse only the interpreter's turns: the worker's question is still not hers.
    asked = draft(sentence("s1", "[PERSON_2] said she has told the landlord about the mould.",
                           [1]))
    assert [f for f in checker.check(asked, said, CheckContext(TEMPLATE, speaker_roles=roles))
            if "someone else's" in f.explanation]


def one_flag(checker: UnsupportedClaimChecker, said: Transcript, text: str,
             turns: list[int], context: CheckContext = CONTEXT) -> str:
    """The explanations of the flags on one drafted sentence, joined ("" when none)."""
    flags = checker.check(draft(sentence("s1", text, turns)), said, context)
    return " | ".join(f.explanation for f in flags)


def test_harm_to_a_child_that_was_only_asked_about_and_denied_is_flagged(
        checker: UnsupportedClaimChecker) -> None:
    said = transcript(
        ("[PERSON_1]", "And have you had any thoughts about harming [PERSON_3] at all?"),
        ("[PERSON_2]", "God, no. Never. I'd never hurt him. He's my whole world."),
    )
    why = one_flag(checker, said, "There were concerns about thoughts of harming the baby.", [2])
    assert "harm to a child, which nobody spoke about" in why


def test_a_hospital_admission_nobody_spoke_of_is_flagged(
        checker: UnsupportedClaimChecker) -> None:
    said = transcript(("[PERSON_2]", "He fell in the bathroom last month. I called the "
                                     "ambulance and they came after four hours."))
    why = one_flag(checker, said, "[PERSON_3] was admitted to hospital after the fall.", [1])
    assert "hospital admission, which nobody spoke about" in why
    on_the_ward = transcript(("[PERSON_1]", "She came in three weeks ago after a fall at home "
                                            "and has been on the ward since."))
    why = one_flag(checker, on_the_ward, "She was admitted three weeks ago after a fall.", [1])
    assert "hospital admission" not in why


def test_a_judgement_of_a_person_nobody_made_is_flagged(
        checker: UnsupportedClaimChecker) -> None:
    said = transcript(("[PERSON_2]", "He works offshore, two weeks on and two off. It's the "
                                     "weeks he's away that are hardest."))
    why = one_flag(checker, said, "[PERSON_3] is unsupportive.", [1])
    assert "characterisation, which nobody spoke about" in why


def test_a_claim_denied_in_the_next_turn_is_flagged(checker: UnsupportedClaimChecker) -> None:
    said = transcript(
        ("[PERSON_2]", "They're texting me every day. It's like two hundred more now."),
        ("[PERSON_1]", "And the rent?"),
        ("[PERSON_2]", "I'm two months behind. Not an eviction thing, just a letter."),
    )
    why = one_flag(checker, said, "[PERSON_2] is facing eviction.", [1])
    assert "says the opposite of what was said about" in why


def test_no_contact_except_about_the_child_is_not_a_denial_of_contact(
        checker: UnsupportedClaimChecker) -> None:
    said = transcript(("[PERSON_2]", "It's not a breach, the order says no contact except "
                                     "about [PERSON_3]. But he was vile."))
    why = one_flag(checker, said, "She said this was not a breach of the order, which allows "
                                  "contact only about [PERSON_3].", [1])
    assert "opposite" not in why


def test_not_reported_until_the_morning_is_a_delay_not_a_denial(
        checker: UnsupportedClaimChecker) -> None:
    said = transcript(("[PERSON_2]", "I rang the police about the first time in the morning. "
                                     "The other two times I rang the police straight away."))
    why = one_flag(checker, said, "The first time was not reported to the police until the "
                                  "morning.", [1])
    assert "opposite" not in why


def test_an_action_to_look_into_a_worry_is_not_a_claim_of_fact(
        checker: UnsupportedClaimChecker) -> None:
    said = transcript(("[PERSON_1]", "I think she might be being exploited. We need the "
                                     "exploitation screening tool done today."))
    action = one_flag(checker, said, "Complete the exploitation screening tool today.", [1])
    assert "possibility" not in action
    claim = one_flag(checker, said, "She is being exploited.", [1])
    assert "spoken of as a possibility" in claim


def test_words_about_the_meeting_itself_do_not_count_against_a_sentence(
        checker: UnsupportedClaimChecker) -> None:
    said = transcript(("[PERSON_1]", "Nursery staff saw bruising on his arm this morning when "
                                     "they changed him."))
    why = one_flag(checker, said, "To share information and decide next steps after nursery "
                                  "staff saw bruising on his arm this morning.", [1])
    assert why == ""


def test_a_childs_words_passed_on_by_a_professional_are_not_put_in_the_wrong_mouth(
        checker: UnsupportedClaimChecker) -> None:
    said = transcript(
        ("Ms Hale", "Reece was found at the station at two in the morning."),
        ("Mr Reid", "Did he say why he was there?"),
        ("Ms Hale", "He said he'd gone to see a mate and fell asleep on the train."),
        ("Reece Mahoney", "Can I go now?"),
    )
    why = one_flag(checker, said, "Reece said he had gone to see a mate and fell asleep "
                                       "on the train.", [3])
    assert "someone else's" not in why
    # Words nobody passes on are still somebody else's.
    why = one_flag(checker, said, "Reece said he was found at the station at two in "
                                       "the morning.", [1])
    assert "it says Reece said this, but the turns it is linked to are someone else's" in why


def test_had_a_drink_for_had_a_few_is_not_alcohol_nobody_spoke_of(
        checker: UnsupportedClaimChecker) -> None:
    said = transcript(("[PERSON_2]", "He's smashed his phone before. He's got a temper on him "
                                     "when he's had a few, I'll be honest."))
    why = one_flag(checker, said, "She said he has a temper when he has had a drink and "
                                       "has smashed his phone before.", [1])
    assert "nobody spoke about" not in why


def test_theft_and_a_fall_nobody_spoke_of_are_flagged(
        checker: UnsupportedClaimChecker) -> None:
    said = transcript(
        ("[PERSON_2]", "There's four hundred pounds gone out in cash. I don't know who it is. "
                       "Her knees are bad, she's slow on the stairs."))
    assert "theft or financial abuse, which nobody spoke about" in one_flag(
        checker, said, "[PERSON_3] stole money from her account.", [1])
    assert "fall, which nobody spoke about" in one_flag(
        checker, said, "She has had falls.", [1])


def test_a_fall_told_in_everyday_words_supports_a_sentence_about_a_fall(
        checker: UnsupportedClaimChecker) -> None:
    said = transcript(("[PERSON_2]", "She said, he came off the climbing frame at the park "
                                     "yesterday, he's fine."))
    assert "nobody spoke about" not in one_flag(
        checker, said, "She said he had fallen off the climbing frame at the park yesterday.",
        [1])


def test_bailiffs_who_will_come_are_not_bailiffs_who_came(
        checker: UnsupportedClaimChecker) -> None:
    said = transcript(("[PERSON_2]", "The letter says they'll send the bailiffs round if I "
                                     "don't pay by Friday."))
    assert "only asked about, denied or spoken of as a possibility" in one_flag(
        checker, said, "The bailiffs came to the house.", [1])


def test_a_promise_to_pay_back_is_not_read_as_the_opposite_of_not_paid_back(
        checker: UnsupportedClaimChecker) -> None:
    said = transcript(
        ("[PERSON_1]", "Has he paid any of it back?"),
        ("[PERSON_2]", "He had two thousand for the van. He said he'd pay it back when the work "
                       "picked up. Not as yet."))
    assert "opposite" not in one_flag(
        checker, said, "She said he borrowed two thousand for a van and has not paid any of it "
                       "back.", [2])


def test_nothing_and_cannot_said_in_dialect_are_not_read_as_the_opposite(
        checker: UnsupportedClaimChecker) -> None:
    said = transcript(
        ("[PERSON_2]", "I've got a little electric heater but I cor afford to run it all night."),
        ("[PERSON_3]", "I ay got nothin' to say to social services, mate."))
    assert "opposite" not in one_flag(
        checker, said, "She cannot afford to run her electric heater all night.", [1])
    assert "opposite" not in one_flag(
        checker, said, "He said he had nothing to say to social services.", [2])


def test_rang_in_the_note_is_ring_in_the_conversation(checker: UnsupportedClaimChecker) -> None:
    said = transcript(("[PERSON_1]", "Did you or anyone ring the police on Saturday?"),
                      ("[PERSON_2]", "No. What for? It was a door."))
    assert one_flag(checker, said, "Nobody rang the police on Saturday.", [1, 2]) == ""


def test_a_sentence_that_is_mostly_a_quote_said_word_for_word_is_not_flagged(
        checker: UnsupportedClaimChecker) -> None:
    said = transcript(("[PERSON_2]", "Yes. Thank you. Nobody asked me before about me."))
    assert one_flag(checker, said, 'At the end she said, "Nobody asked me before about '
                                        'me."', [1]) == ""
