"""The case-people recogniser finds every form of the case's known people's names."""

from __future__ import annotations

import pytest

from casenotes.domain.people import Person
from casenotes.engines.pii.case_people_recognizer import PERSON_KEY, CasePeopleRecognizer

PEOPLE = (
    Person("Jo Hartley", "social_worker"),
    Person("Kayleigh Robson", "parent"),
    Person("Jayden Robson", "child", aliases=("JJ",)),
    Person("Ava Robson", "child"),
    Person("Dean Kirtley", "ex-partner"),
    Person("Mrs Dunn", "teacher"),
    Person("DC Mark Ellery", "police"),
    Person("Connor Bates", "mother's partner"),
    Person("Tiegan Marsh", "child"),
    Person("Shay Kavanagh", "care_leaver"),
)


@pytest.fixture(scope="module")
def recognizer() -> CasePeopleRecognizer:
    return CasePeopleRecognizer(PEOPLE)


def found(recognizer: CasePeopleRecognizer, text: str) -> dict[str, str | None]:
    """Matched surface text → the linked person's name (None when ambiguous)."""
    results = recognizer.analyze(text, ["PERSON"], None)
    out: dict[str, str | None] = {}
    for r in results:
        metadata = r.recognition_metadata or {}
        person = metadata.get(PERSON_KEY)
        out[text[r.start:r.end]] = person if isinstance(person, str) else None
    return out


def test_full_name_is_found_in_any_letter_case(recognizer: CasePeopleRecognizer) -> None:
    hits = found(recognizer, "I'm Jo Hartley. Write jo hartley on the form.")
    assert hits["Jo Hartley"] == "Jo Hartley"
    assert hits["jo hartley"] == "Jo Hartley"


def test_first_name_alone_and_possessive_are_linked_to_the_person(
    recognizer: CasePeopleRecognizer,
) -> None:
    hits = found(recognizer, "Jayden's bed is broken, so Jayden sleeps with his mam.")
    assert list(hits) == ["Jayden"]
    assert hits["Jayden"] == "Jayden Robson"


def test_alias_from_the_case_record_is_linked_to_the_person(
    recognizer: CasePeopleRecognizer,
) -> None:
    assert found(recognizer, "We call him JJ at home.") == {"JJ": "Jayden Robson"}


def test_capitalised_surname_is_found_but_lowercase_word_is_not(
    recognizer: CasePeopleRecognizer,
) -> None:
    assert found(recognizer, "Mr Kirtley rang.") == {"Mr Kirtley": "Dean Kirtley"}
    assert found(recognizer, "The shay was stuck in the marsh.") == {}


def test_name_inside_a_longer_word_is_not_found(recognizer: CasePeopleRecognizer) -> None:
    assert found(recognizer, "Jodie went to Avalon, near Deanfield.") == {}


def test_surname_shared_by_a_family_is_found_but_linked_to_no_one(
    recognizer: CasePeopleRecognizer,
) -> None:
    assert found(recognizer, "Robson, that's the surname.") == {"Robson": None}


def test_title_before_a_name_is_kept_in_the_span(recognizer: CasePeopleRecognizer) -> None:
    hits = found(recognizer, "Mrs Dunn's been on at us, and DC Ellery called.")
    assert hits["Mrs Dunn"] == "Mrs Dunn"
    assert hits["DC Ellery"] == "DC Mark Ellery"


def test_title_or_verb_alone_is_not_a_name(recognizer: CasePeopleRecognizer) -> None:
    hits = found(recognizer, "I miss Jayden. Mrs said hello to DC and Nana.")
    assert hits == {"Jayden": "Jayden Robson"}


def test_spelled_out_name_is_linked_to_the_person(recognizer: CasePeopleRecognizer) -> None:
    hits = found(recognizer, "No, it's K-A-Y-L-E-I-G-H. And B A T E S.")
    assert hits["K-A-Y-L-E-I-G-H"] == "Kayleigh Robson"
    assert hits["B A T E S"] == "Connor Bates"


def test_misheard_name_is_linked_to_the_nearest_known_name(
    recognizer: CasePeopleRecognizer,
) -> None:
    hits = found(recognizer, "It's Kaylee, and his dad is Dean Kirkley. Shay Cavanagh too.")
    assert hits["Kaylee"] == "Kayleigh Robson"
    assert hits["Kirkley"] == "Dean Kirtley"
    assert hits["Cavanagh"] == "Shay Kavanagh"


def test_misspelled_spelling_is_linked_to_the_nearest_known_name(
    recognizer: CasePeopleRecognizer,
) -> None:
    assert found(recognizer, "So that's K-A-Y-L-E-E?") == {"K-A-Y-L-E-E": "Kayleigh Robson"}


def test_short_form_of_a_known_name_is_linked(recognizer: CasePeopleRecognizer) -> None:
    assert found(recognizer, "Alfie calls him Con-Con.") == {"Con-Con": "Connor Bates"}


def test_month_close_to_a_surname_is_not_a_near_miss(recognizer: CasePeopleRecognizer) -> None:
    assert found(recognizer, "In March she moved.") == {}


def test_near_misses_are_off_when_fuzzy_matching_is_off() -> None:
    exact_only = CasePeopleRecognizer(PEOPLE, fuzzy=False)
    assert found(exact_only, "It's Kaylee, Kayleigh.") == {"Kayleigh": "Kayleigh Robson"}


def test_no_known_people_finds_nothing() -> None:
    assert found(CasePeopleRecognizer(()), "Jayden Robson came round.") == {}
