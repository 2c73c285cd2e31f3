"""The checkers: evidence links, names and numbers, reserved sections, participants, and the
checks that catch invented content, omissions, inconsistencies, stigmatising language and
weak practice."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from casenotes.domain.errors import InvalidInput
from casenotes.engines.checks.consistency_checker import ConsistencyChecker
from casenotes.engines.checks.detail_checker import DetailChecker
from casenotes.engines.checks.evidence_checker import EvidenceChecker
from casenotes.engines.checks.language_checker import LanguageChecker
from casenotes.engines.checks.llm_judge_checker import LlmJudgeChecker
from casenotes.engines.checks.omission_checker import OmissionChecker
from casenotes.engines.checks.participant_checker import ParticipantChecker
from casenotes.engines.checks.practice_checker import PracticeChecker
from casenotes.engines.checks.reserved_section_checker import ReservedSectionChecker
from casenotes.engines.checks.unsupported_claim_checker import UnsupportedClaimChecker
from casenotes.engines.llm.gateway import ModelGateway
from casenotes.pipeline.check import Checker
from casenotes.pipeline.registry import Registry

if TYPE_CHECKING:
    from casenotes.config import Settings

__all__ = [
    "ConsistencyChecker", "DetailChecker", "EvidenceChecker", "LanguageChecker",
    "LlmJudgeChecker", "OmissionChecker", "ParticipantChecker", "PracticeChecker",
    "ReservedSectionChecker", "UnsupportedClaimChecker", "register",
]


def register(registry: Registry[Checker], settings: Settings | None = None, *,
             gateway: Callable[[], ModelGateway] | None = None) -> None:
    """Add the checkers of this package under their names.

    The word-list checks read ``settings.check_data_dirs`` for an organisation's own lists.
    The model judge (``llm_judge``, off unless listed in ``settings.checkers``) asks the
    language model that ``gateway`` builds, on first use; its limits come from ``settings``.
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

    def judge() -> Checker:
        if gateway is None:
            raise InvalidInput("The model judge (llm_judge) needs the application's model "
                               "gateway, and none was given.",
                               hint="Build the checkers through the application context.")
        if settings is None:
            return LlmJudgeChecker(gateway)
        return LlmJudgeChecker(gateway, batch_size=settings.judge_batch_size,
                               timeout=settings.judge_timeout_seconds,
                               budget=settings.judge_budget_seconds)

    registry.register(LlmJudgeChecker.name, judge)
