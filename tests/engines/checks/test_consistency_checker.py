"""The consistency check: names, relationships, ages and days agree with record and talk."""

from __future__ import annotations

from checksupport import TEMPLATE, draft, sentence, transcript

from casenotes.domain.draft import Draft, Evidence, Section, Sentence
from casenotes.domain.flags import FlagKind
from casenotes.domain.transcript import Segment, Transcript, Word
from casenotes.engines.checks import ConsistencyChecker
from casenotes.pipeline.check import CheckContext

CONTEXT = CheckContext(TEMPLATE, known_names=("Kayleigh Robson", "Jayden Robson", "Pauline"))
SAID = transcript(
    ("Kayleigh Robson", "Jayden's eight now. My mam, Pauline, has them on Saturdays."),
    ("Jayden Robson", "I like going to nana's."),
)


def explanations(note: Draft, said: Transcript = SAID) -> list[str]:
    flags = ConsistencyChecker().check(note, said, CONTEXT)
    assert all(f.kind is FlagKind.NAME_CONSISTENCY for f in flags)
    return [f.explanation for f in flags]


def test_a_near_miss_of_a_recorded_name_is_flagged_with_the_recorded_spelling() -> None:
    flags = ConsistencyChecker().check(
        draft(sentence("s1", "Jo spoke with Kaylee about the heating.", [1])), SAID, CONTEXT)
    assert len(flags) == 1
    assert '"Kaylee" is close to, but not the same as, "Kayleigh"' in flags[0].explanation
    assert flags[0].suggestion == "Jo spoke with Kayleigh about the heating."


def test_a_recorded_name_with_a_possessive_is_not_taken_for_a_misspelling() -> None:
    assert explanations(draft(sentence("s1", "That's Jayden's mattress, and Pauline's.", [1]))) \
        == []


def test_a_misheard_name_with_a_possessive_is_flagged_and_the_suggestion_keeps_it() -> None:
    flags = ConsistencyChecker().check(
        draft(sentence("s1", "Jo asked about Kaylee's hours.", [1])), SAID, CONTEXT)
    assert [f.suggestion for f in flags] == ["Jo asked about Kayleigh's hours."]


def test_a_month_or_a_much_longer_word_is_not_taken_for_a_recorded_name() -> None:
    context = CheckContext(TEMPLATE, known_names=("Tiegan Marsh", "Mr Bell"))
    said = transcript(("Tiegan Marsh", "He moved out in March. Ring Bulwell Homes."))
    note = draft(sentence("s1", "He moved out in March and she will ring Bulwell Homes.", [1]))
    assert ConsistencyChecker().check(note, said, context) == []


def test_a_relationship_that_differs_from_the_conversation_is_flagged() -> None:
    found = explanations(draft(sentence("s1", "Pauline (sister) has the children.", [1])))
    assert found == ["The draft calls Pauline the sister, but in the conversation Pauline was "
                     "called the mother."]
    assert explanations(draft(sentence("s1", "Pauline (mother) has the children.", [1]))) == []


def test_an_age_nobody_said_is_flagged_and_one_that_was_said_is_not() -> None:
    assert explanations(draft(sentence("s1", "Jayden (8) was at home.", [1]))) == []
    assert explanations(draft(sentence("s1", "Jayden (9) was at home.", [1]))) == [
        "The age 9 is not said anywhere in the conversation; check it against the case record."]


def test_a_day_nobody_said_is_flagged() -> None:
    assert explanations(draft(sentence("s1", "Pauline has them on Saturdays.", [1]))) == []
    assert explanations(draft(sentence("s1", "Pauline has them on Sundays.", [1]))) == [
        '"Sunday" is not said anywhere in the conversation; check the date.']


def test_a_name_the_transcription_was_unsure_of_is_flagged_for_confirmation() -> None:
    words = (Word("My", confidence=0.95), Word("mam", confidence=0.9),
             Word("Paulette", confidence=0.31))
    said = Transcript((Segment(1, "Kayleigh Robson", "My mam Paulette.", words=words),))
    note = Draft("t", (Section("Discussion", sentences=(
        Sentence("s1", "Her mother helps.", evidence=(Evidence(1),)),)),))
    assert explanations(note, said) == [
        "The transcription was unsure of 1 name-like word in turn 1, which this sentence uses. "
        "Listen to the recording and confirm the name."]
