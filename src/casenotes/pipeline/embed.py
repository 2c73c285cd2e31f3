"""Sentence embeddings: the protocol that semantic checks (and search) use."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

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
