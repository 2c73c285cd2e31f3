"""PII detectors: find personal data so the pseudonymise stage can replace it.

Importing this package is cheap: the detector loads Presidio and its spaCy model on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from casenotes.engines.pii.presidio_detector import DEFAULT_SPACY_MODEL, PresidioDetector
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.pipeline.registry import Registry

if TYPE_CHECKING:
    from casenotes.config import Settings

__all__ = ["PresidioDetector", "register"]


def register(registry: Registry[PiiDetector], settings: Settings | None = None) -> None:
    """Add ``"presidio"``, using the configured spaCy model (``settings.spacy_model``)."""
    spacy_model = settings.spacy_model if settings is not None else DEFAULT_SPACY_MODEL

    def presidio() -> PiiDetector:
        return PresidioDetector(spacy_model)

    registry.register("presidio", presidio)
