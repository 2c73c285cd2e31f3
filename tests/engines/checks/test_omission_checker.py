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
        ("[PERSON_2]", "My partner pushed me against the wall last night."),
    )
    assert OmissionChecker(risk_similarity=2.0).check(draft(), said, CONTEXT) == []
    flags = OmissionChecker().check(draft(), said, CONTEXT)
    assert [f.segment_ids for f in flags] == [(2,)]
