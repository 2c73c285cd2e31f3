"""Engine registries, filled with the built-in engines and chosen by configuration."""

from __future__ import annotations

from collections.abc import Callable

from casenotes.config import Settings
from casenotes.engines import checks, drafting, pii
from casenotes.engines.llm.gateway import ModelGateway
from casenotes.pipeline.check import Checker
from casenotes.pipeline.draft import Drafter
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.pipeline.registry import Registry


def pii_registry(settings: Settings) -> Registry[PiiDetector]:
    registry: Registry[PiiDetector] = Registry("PII detector")
    pii.register(registry, settings)
    return registry


def drafter_registry(settings: Settings) -> Registry[Drafter]:
    registry: Registry[Drafter] = Registry("drafter")
    drafting.register(registry, settings)
    return registry


def checker_registry(settings: Settings,
                     gateway: Callable[[], ModelGateway] | None = None) -> Registry[Checker]:
    registry: Registry[Checker] = Registry("checker")
    checks.register(registry, settings, gateway=gateway)
    return registry


def create_pii_detector(settings: Settings) -> PiiDetector:
    return pii_registry(settings).create(settings.pii_engine)


def create_drafter(settings: Settings) -> Drafter:
    return drafter_registry(settings).create(settings.drafter)


def create_checkers(settings: Settings,
                    gateway: Callable[[], ModelGateway] | None = None) -> list[Checker]:
    """The configured checkers; ``gateway`` builds the model gateway for the model judge."""
    registry = checker_registry(settings, gateway)
    return [registry.create(name) for name in settings.checkers]
