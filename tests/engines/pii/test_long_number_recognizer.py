"""Partial and foreign phone numbers are still found; amounts and times are not."""

from __future__ import annotations

import pytest

from casenotes.pipeline.pseudonymise import PiiDetector


@pytest.mark.parametrize("text, number", [
    ("Naw, it's 900162, the six and two the other way roon.", "900162"),
    ("Her dad in Dublin is on +353 85 123 4567.", "+353 85 123 4567"),
    ("His brother's number in the States is (212) 555-0187.", "(212) 555-0187"),
])
def test_when_a_partial_or_foreign_number_is_said_then_it_is_found(
    pii_detector: PiiDetector, text: str, number: str,
) -> None:
    spans = pii_detector.detect(text, [])
    found = [text[s.start:s.end] for s in spans if s.entity_type == "PHONE_NUMBER"]
    assert any(number in f or f in number for f in found), found


def test_when_text_has_amounts_times_and_percentages_then_no_number_is_flagged(
    pii_detector: PiiDetector,
) -> None:
    text = "She owes £400, works 25 hours, came at 10:30 and attendance is 78% this term."
    assert [s for s in pii_detector.detect(text, []) if s.entity_type == "PHONE_NUMBER"] == []
