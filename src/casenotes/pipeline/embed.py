"""Sentence embeddings: the protocol that semantic checks (and search) use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt


class Embedder(Protocol):
    """Turns texts into unit-length vectors; similar meanings give a high dot product."""

    name: str
    version: str

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...


def cosine(a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Cosine similarity of every row of ``a`` with every row of ``b`` (unit vectors)."""
    return np.asarray(a @ b.T, dtype=np.float32)


@dataclass(frozen=True)
class TokenVectors:
    """One text's tokens as the model saw them: character spans and unit vectors (one row per
    token, in order; special tokens left out)."""

    spans: tuple[tuple[int, int], ...]
    vectors: npt.NDArray[np.float32]


@runtime_checkable
class TokenEmbedder(Protocol):
    """An embedder that can also give each token's contextual vector (for word-level
    alignment: which words of a sentence have a counterpart in its evidence)."""

    def embed_tokens(self, texts: Sequence[str]) -> list[TokenVectors]: ...
