"""Consent gates processing: every participant needs a granted decision."""

from __future__ import annotations

import pytest

from casenotes.domain.consent import ConsentDecision, ensure_consent
from casenotes.domain.errors import ConsentRefused

G = ConsentDecision.GRANTED


def test_when_everyone_granted_then_processing_may_go_on() -> None:
    ensure_consent(["Jo", "Kim"], {"Jo": G, "Kim": G})


@pytest.mark.parametrize("decision", [ConsentDecision.DECLINED, ConsentDecision.WITHDRAWN,
                                      ConsentDecision.UNKNOWN])
def test_when_one_party_has_not_granted_then_processing_stops(
    decision: ConsentDecision,
) -> None:
    with pytest.raises(ConsentRefused) as refused:
        ensure_consent(["Jo", "Kim"], {"Jo": G, "Kim": decision})
    assert f"Kim: {decision.value}" in refused.value.message
    assert "notes-only" in refused.value.hint


def test_when_no_decision_was_recorded_then_silence_is_not_consent() -> None:
    with pytest.raises(ConsentRefused, match="Kim: unknown"):
        ensure_consent(["Jo", "Kim"], {"Jo": G})
