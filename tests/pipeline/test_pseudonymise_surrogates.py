"""Surrogate mode: realistic stand-ins for the model, and everything maps back."""

from __future__ import annotations

from casenotes.domain.people import Person
from casenotes.domain.transcript import Segment, Transcript
from casenotes.pipeline.pseudonymise import PiiDetector, PseudonymMap, pseudonymise
from casenotes.pipeline.surrogates import surrogate_for, to_placeholders, to_surrogates

PEOPLE = (
    Person("Jo Hartley", "social_worker"),
    Person("Kayleigh Robson", "parent", ("Kayleigh",)),
    Person("Jayden Robson", "child", ("Jayden", "Jay")),
    Person("Mrs Dunn", "teacher"),
)


def _pseudonymised(detector: PiiDetector, text: str) -> tuple[str, PseudonymMap]:
    mapping = PseudonymMap()
    transcript = Transcript(segments=(Segment(id=1, speaker="Jo Hartley", text=text),))
    result = pseudonymise(transcript, detector, PEOPLE, mapping)
    return result.transcript.segment(1).text, mapping


def test_a_relationship_written_about_a_surrogate_is_right_after_reidentification(
    pii_detector: PiiDetector,
) -> None:
    tagged, mapping = _pseudonymised(
        pii_detector, "Kayleigh said Jayden's bed broke, and Mrs Dunn rang about it.")
    rendered = to_surrogates(tagged, mapping, PEOPLE)
    for real in ("Kayleigh", "Jayden", "Dunn"):
        assert real not in rendered.text
    child = rendered.text.split(" said ")[1].split("'s bed")[0]
    mother = rendered.text.split(" said ")[0]
    model_answer = f"{child}'s mother, {mother}, reported that {child}'s bed is broken."
    back = mapping.reidentify(to_placeholders(model_answer, rendered))
    assert back == "Jayden Robson's mother, Kayleigh Robson, reported that Jayden Robson's bed " \
                   "is broken."


def test_surrogates_keep_the_kind_of_name() -> None:
    assert surrogate_for("[PERSON_1]", "Mrs Mehta").startswith("Mrs ")
    assert len(surrogate_for("[PERSON_2]", "Jayden").split()) == 1
    assert len(surrogate_for("[PERSON_3]", "Dean Kirtley").split()) == 2
    assert surrogate_for("[ORGANISATION_1]", "Hylton Dene Primary School").endswith(
        "Primary School")
    assert surrogate_for("[PHONE_NUMBER_4]", "07700 900481").startswith("07700 900")


def test_the_same_placeholder_always_gets_the_same_surrogate_and_different_ones_differ() -> None:
    first = [surrogate_for(f"[PERSON_{n}]", "Sam Smith") for n in range(1, 80)]
    again = [surrogate_for(f"[PERSON_{n}]", "Sam Smith") for n in range(1, 80)]
    assert first == again
    assert len(set(first)) == len(first)


def test_a_surrogate_is_never_one_of_the_case_people_names() -> None:
    people = [Person("Oliver Bennett", "child"), Person("Amelia Shaw", "parent")]
    mapping = PseudonymMap(display={"[PERSON_1]": "Jayden Robson"})
    rendered = to_surrogates("[PERSON_1] is well.", mapping, people)
    assert not {"Oliver", "Bennett", "Amelia", "Shaw"} & set(rendered.text.split())


def test_a_surrogate_nhs_number_is_checksum_valid_but_in_the_reserved_test_range(
    pii_detector: PiiDetector,
) -> None:
    number = surrogate_for("[NHS_NUMBER_1]", "943 476 5919")
    assert number.startswith("999")
    spans = pii_detector.detect(f"NHS number {number}", [])
    assert [s.entity_type for s in spans] == ["NHS_NUMBER"]
