"""Flags: what a check found, and what a person decided about it."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class FlagKind(enum.StrEnum):
    NO_EVIDENCE = "no_evidence"
    UNSUPPORTED_DETAIL = "unsupported_detail"  # a name or number not in the evidence
    UNSUPPORTED_CLAIM = "unsupported_claim"
    OMISSION = "omission"
    NAME_CONSISTENCY = "name_consistency"
    STIGMATISING_LANGUAGE = "stigmatising_language"
    RESERVED_SECTION = "reserved_section"
    PRACTICE = "practice"
    CHECK_INCOMPLETE = "check_incomplete"  # a check could not look at some sentences


class Severity(enum.StrEnum):
    INFO = "info"
    WARNING = "warning"
    HIGH = "high"


class FlagStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"


@dataclass(frozen=True)
class Flag:
    """A finding about one sentence or section.

    ``explanation`` is plain words a practitioner can act on. It may quote the draft (it is shown
    only to users allowed to see the case) but is never written to logs.
    """

    kind: FlagKind
    severity: Severity
    explanation: str
    section: str
    sentence_id: str | None = None
    segment_ids: tuple[int, ...] = ()
    suggestion: str | None = None
    checker: str = ""
