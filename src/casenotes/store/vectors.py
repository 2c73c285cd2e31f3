"""Search vectors on disk: float32 bytes, their one-bit signatures, and sqlite-vec on SQLite.

Every passage keeps its embedding (float32, unit length) and a signature: one bit per
dimension, set where the value is positive (48 bytes for 384 dimensions). Hamming distance
between signatures is a coarse stand-in for cosine distance that a scan can afford over a
whole index; the nearest few hundred by signature are then scored exactly on the embedding.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from casenotes.domain.errors import CasenotesError


class VectorSearchUnavailable(CasenotesError):
    """This SQLite build cannot load the sqlite-vec extension."""


def embedding_bytes(vector: NDArray[np.float32]) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def signature(vector: NDArray[np.float32]) -> bytes:
    """The sign bits of ``vector``, first dimension in the lowest bit of the first byte
    (sqlite-vec's bit-vector layout, so ``vec_distance_hamming`` reads them as written)."""
    return np.packbits(np.asarray(vector) > 0, bitorder="little").tobytes()


def ensure_sqlite_vec(connection: Any) -> None:
    """Load sqlite-vec into a SQLAlchemy connection's SQLite connection if not yet loaded."""
    pooled = connection.connection
    if pooled.info.get("sqlite_vec"):
        return
    raw = pooled.dbapi_connection
    try:
        import sqlite_vec

        raw.enable_load_extension(True)
        sqlite_vec.load(raw)
        raw.enable_load_extension(False)
    except (AttributeError, ImportError) as exc:
        raise VectorSearchUnavailable(
            "Semantic search needs the sqlite-vec extension, which this Python's SQLite "
            "cannot load.",
            hint="Install pysqlite3-binary and sqlite-vec (both are in requirements/lock.txt).",
        ) from exc
    pooled.info["sqlite_vec"] = True
