"""The default checkers: evidence links, unsupported names and numbers, reserved sections."""

from __future__ import annotations

from typing import TYPE_CHECKING

from casenotes.engines.checks.detail_checker import DetailChecker
from casenotes.engines.checks.evidence_checker import EvidenceChecker
from casenotes.engines.checks.participant_checker import ParticipantChecker
from casenotes.engines.checks.reserved_section_checker import ReservedSectionChecker
from casenotes.pipeline.check import Checker
from casenotes.pipeline.registry import Registry

if TYPE_CHECKING:
    from casenotes.config import Settings

__all__ = [
    "DetailChecker", "EvidenceChecker", "ParticipantChecker", "ReservedSectionChecker",
    "register",
]


def register(registry: Registry[Checker], settings: Settings | None = None) -> None:
    """Add the checkers of this package under their names.

    None of them needs configuration; ``settings`` is accepted like every engine package's.
    """
    registry.register(EvidenceChecker.name, EvidenceChecker)
    registry.register(DetailChecker.name, DetailChecker)
    registry.register(ReservedSectionChecker.name, ReservedSectionChecker)
    registry.register(ParticipantChecker.name, ParticipantChecker)
