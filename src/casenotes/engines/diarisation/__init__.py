"""Speaker diarisation engines behind the ``Diariser`` protocol (``pipeline/transcribe.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from casenotes.engines.diarisation.resemblyzer_diariser import ResemblyzerDiariser
from casenotes.pipeline.registry import Registry
from casenotes.pipeline.transcribe import Diariser

if TYPE_CHECKING:
    from casenotes.config import Settings

__all__ = ["ResemblyzerDiariser", "register"]


def register(registry: Registry[Diariser], settings: Settings) -> None:
    """Add the diarisers of this package under their names."""

    def resemblyzer() -> Diariser:
        return ResemblyzerDiariser(threads=settings.asr_threads)

    registry.register(ResemblyzerDiariser.name, resemblyzer)
