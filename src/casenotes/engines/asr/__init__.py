"""Speech-to-text engines behind the ``Transcriber`` protocol (``pipeline/transcribe.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from casenotes.engines.asr.faster_whisper_transcriber import FasterWhisperTranscriber
from casenotes.engines.asr.models import model_dir
from casenotes.pipeline.registry import Registry
from casenotes.pipeline.transcribe import Transcriber

if TYPE_CHECKING:
    from casenotes.config import Settings

__all__ = ["FasterWhisperTranscriber", "model_dir", "register"]


def register(registry: Registry[Transcriber], settings: Settings) -> None:
    """Add the transcribers of this package; the model comes from ``settings.asr_model``."""

    def faster_whisper() -> Transcriber:
        return FasterWhisperTranscriber(
            model_dir(settings.asr_model, settings.data_dir), threads=settings.asr_threads,
            device=settings.asr_device, compute_type=settings.asr_compute_type,
        )

    registry.register(FasterWhisperTranscriber.name, faster_whisper)
