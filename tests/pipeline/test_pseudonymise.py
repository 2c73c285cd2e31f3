"""The pseudonymise stage with the real default detector (Presidio + spaCy)."""

from __future__ import annotations

from casenotes.domain.people import Person
from casenotes.domain.transcript import Segment, Transcript
from casenotes.pipeline.pseudonymise import (
    PiiDetector,
    PseudonymisedTranscript,
    PseudonymMap,
    pseudonymise,
)

PEOPLE = (
    Person("Jo Hartley", "social_worker"),
    Person("Kayleigh Robson", "parent"),
    Person("Jayden Robson", "child"),
    Person("Ava Robson", "child"),
    Person("Mrs Dunn", "teacher"),
)


def run(detector: PiiDetector, *turns: tuple[str, str],
        mapping: PseudonymMap | None = None) -> tuple[PseudonymisedTranscript, PseudonymMap]:
    transcript = Transcript(
        segments=tuple(
            Segment(id=i, speaker=speaker, text=text)
            for i, (speaker, text) in enumerate(turns, start=1)
        )
    )
    mapping = mapping if mapping is not None else PseudonymMap()
    return pseudonymise(transcript, detector, PEOPLE, mapping), mapping


def test_when_text_has_nhs_number_then_it_is_replaced(pii_detector: PiiDetector) -> None:
    result, mapping = run(pii_detector, ("Social worker", "It says 999 016 6137 on the letter."))
    text = result.transcript.segment(1).text
    assert "999 016 6137" not in text
    assert text == "It says [NHS_NUMBER_1] on the letter."
    assert mapping.display["[NHS_NUMBER_1]"] == "999 016 6137"


def test_known_participant_first_name_and_possessive_get_same_placeholder(
    pii_detector: PiiDetector,
) -> None:
    result, _ = run(
        pii_detector,
        ("Social worker", "Jayden Robson is eight. Jayden's bed is broken; Jayden sleeps in."),
    )
    text = result.transcript.segment(1).text
    placeholders = [r.placeholder for r in result.replacements[1]]
    assert len(set(placeholders)) == 1 and len(placeholders) == 3
    (placeholder,) = set(placeholders)
    assert text == (
        f"{placeholder} is eight. {placeholder}'s bed is broken; {placeholder} sleeps in."
    )


def test_same_person_gets_same_placeholder_across_segments(pii_detector: PiiDetector) -> None:
    result, mapping = run(
        pii_detector,
        ("Social worker", "Is it Kayleigh? I'm Jo, Jo Hartley."),
        ("Kayleigh Robson", "Aye. Jayden's at school."),
        ("Social worker", "Thanks, Kayleigh. And Jayden Robson is eight?"),
    )
    by_original: dict[str, set[str]] = {}
    for reps in result.replacements.values():
        for rep in reps:
            by_original.setdefault(rep.original, set()).add(rep.placeholder)
    assert len(by_original["Kayleigh"]) == 1 and len(by_original["Jayden"]) == 1
    assert by_original["Jo"] == by_original["Jo Hartley"]
    assert by_original["Jayden"] == by_original["Jayden Robson"]
    assert by_original["Jayden"] != by_original["Kayleigh"]
    # The speaker label names a known person too, and gets that person's placeholder.
    assert {result.transcript.segment(2).speaker} == by_original["Kayleigh"]
    # A later recording of the same case reuses the case's placeholders.
    later, _ = run(pii_detector, ("Social worker", "Kayleigh rang."), mapping=mapping)
    assert later.replacements[1][0].placeholder in by_original["Kayleigh"]


def test_reidentify_restores_real_names(pii_detector: PiiDetector) -> None:
    result, mapping = run(pii_detector, ("Social worker", "Jayden told Mrs Dunn he was hungry."))
    drafted = f"The school said {result.transcript.segment(1).text}"
    assert "Jayden" not in drafted and "Dunn" not in drafted
    assert mapping.reidentify(drafted) == (
        "The school said Jayden Robson told Mrs Dunn he was hungry."
    )
    assert mapping.reidentify("[PERSON_99] is unknown") == "[PERSON_99] is unknown"


def test_restore_returns_original_words_of_span(pii_detector: PiiDetector) -> None:
    said = "Me number's changed, it's 07700 900481, ask for Kayleigh."
    result, _ = run(pii_detector, ("Kayleigh Robson", said))
    text = result.transcript.segment(1).text
    assert "07700" not in text and "Kayleigh" not in text
    assert result.restore(1, 0, len(text)) == said
    start = text.index("it's")
    assert result.restore(1, start, len(text)) == said[said.index("it's"):]


def test_possessive_stays_outside_the_placeholder(pii_detector: PiiDetector) -> None:
    result, _ = run(pii_detector, ("Kayleigh Robson", "Mrs Dunn's been on at us."))
    text = result.transcript.segment(1).text
    assert text.endswith("'s been on at us.")
    assert "Dunn" not in text


def test_surname_shared_by_a_family_is_replaced_without_naming_one_person(
    pii_detector: PiiDetector,
) -> None:
    result, mapping = run(pii_detector, ("Kayleigh Robson", "Robson, R-O-B-S-O-N."))
    text = result.transcript.segment(1).text
    assert "Robson" not in text and "R-O-B" not in text
    placeholder = result.replacements[1][0].placeholder
    assert mapping.display[placeholder] == "Robson"


def test_transcript_without_personal_data_is_unchanged(pii_detector: PiiDetector) -> None:
    said = "The house was cold and there was milk and bread in the kitchen on Tuesday."
    result, mapping = run(pii_detector, ("Social worker", said))
    assert result.transcript.segment(1).text == said
    assert result.replacements[1] == ()
    assert mapping.display == {}
    assert result.detector == pii_detector.name
