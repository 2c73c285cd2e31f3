"""The configured transcriber and diariser, created once per application context."""

from __future__ import annotations

import threading
import weakref

from casenotes.config import Settings
from casenotes.engines import asr, diarisation
from casenotes.pipeline.registry import Registry
from casenotes.pipeline.transcribe import Diariser, Transcriber
from casenotes.services.context import AppContext

_lock = threading.Lock()
# Keyed by id(): AppContext is an unhashable dataclass; the entry goes when the context does.
_engines: dict[int, tuple[Transcriber, Diariser]] = {}


def transcriber_registry(settings: Settings) -> Registry[Transcriber]:
    registry: Registry[Transcriber] = Registry("transcriber")
    asr.register(registry, settings)
    return registry


def diariser_registry(settings: Settings) -> Registry[Diariser]:
    registry: Registry[Diariser] = Registry("diariser")
    diarisation.register(registry, settings)
    return registry


def use_engines(ctx: AppContext, transcriber: Transcriber, diariser: Diariser) -> None:
    """Give ``ctx`` ready engines (tests and benchmarks share loaded models this way)."""
    with _lock:
        _remember(ctx, (transcriber, diariser))


def engines_for(ctx: AppContext) -> tuple[Transcriber, Diariser]:
    """The context's engines; models load on first use, not here."""
    with _lock:
        if id(ctx) not in _engines:
            _remember(ctx, (
                transcriber_registry(ctx.settings).create(ctx.settings.asr_engine),
                diariser_registry(ctx.settings).create(ctx.settings.diariser),
            ))
        return _engines[id(ctx)]


def _remember(ctx: AppContext, engines: tuple[Transcriber, Diariser]) -> None:
    if id(ctx) not in _engines:
        weakref.finalize(ctx, _engines.pop, id(ctx), None)
    _engines[id(ctx)] = engines
