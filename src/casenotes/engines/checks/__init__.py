"""The checkers: evidence links, names and numbers, reserved sections, participants, and the
checks that catch invented content, omissions, inconsistencies, stigmatising language and
weak practice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from casenotes.engines.checks.consistency_checker import ConsistencyChecker
from casenotes.engines.checks.detail_checker import DetailChecker
from casenotes.engines.checks.evidence_checker import EvidenceChecker
from casenotes.engines.checks.language_checker import LanguageChecker
from casenotes.engines.checks.omission_checker import OmissionChecker
from casenotes.engines.checks.participant_checker import ParticipantChecker
from casenotes.engines.checks.practice_checker import PracticeChecker
from casenotes.engines.checks.reserved_section_checker import ReservedSectionChecker
from casenotes.engines.checks.unsupported_claim_checker import UnsupportedClaimChecker
from casenotes.pipeline.check import Checker
from casenotes.pipeline.registry import Registry

if TYPE_CHECKING:
    from casenotes.config import Settings

__all__ = [
    "ConsistencyChecker", "DetailChecker", "EvidenceChecker", "LanguageChecker",
    "OmissionChecker", "ParticipantChecker", "PracticeChecker", "ReservedSectionChecker",
    "UnsupportedClaimChecker", "register",
]


def register(registry: Registry[Checker], settings: Settings | None = None) -> None:
    """Add the checkers of this package under their names.

    The word-list checks read ``settings.check_data_dirs`` for an organisation's own lists.
    """
    dirs = list(getattr(settings, "check_data_dirs", []) or [])
    registry.register(EvidenceChecker.name, EvidenceChecker)
    registry.register(DetailChecker.name, DetailChecker)
    registry.register(ReservedSectionChecker.name, ReservedSectionChecker)
    registry.register(ParticipantChecker.name, ParticipantChecker)
    registry.register(UnsupportedClaimChecker.name,
                      lambda: UnsupportedClaimChecker(data_dirs=dirs))
    registry.register(OmissionChecker.name, lambda: OmissionChecker(data_dirs=dirs))
    registry.register(ConsistencyChecker.name, ConsistencyChecker)
    registry.register(LanguageChecker.name, lambda: LanguageChecker(data_dirs=dirs))
    registry.register(PracticeChecker.name, PracticeChecker)
