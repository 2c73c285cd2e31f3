"""Consent gates processing: every participant needs a recorded, granted decision."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from casenotes.domain.errors import ConsentRefused


class ConsentDecision(enum.StrEnum):
    GRANTED = "granted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ConsentRecord:
    party: str  # the participant's display name or role
    decision: ConsentDecision
    scope: str = "recording, transcription, AI drafting"
    recorded_by: str = ""
    method: str = "verbal"


def ensure_consent(
    participants: Iterable[str], consents: Mapping[str, ConsentDecision]
) -> None:
    """Raise ``ConsentRefused`` unless every participant has consent ``granted``.

    Declined, withdrawn and unknown all stop processing: silence is not consent.
    """
    problems: list[str] = []
    for party in participants:
        decision = consents.get(party, ConsentDecision.UNKNOWN)
        if decision is not ConsentDecision.GRANTED:
            problems.append(f"{party}: {decision.value}")
    if problems:
        raise ConsentRefused(
            "Processing stopped: not every participant has granted consent "
            f"({'; '.join(problems)}).",
            hint="Record a 'granted' consent decision for each participant, or use notes-only "
            "mode and write the note yourself.",
        )
