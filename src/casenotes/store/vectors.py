"""sqlite-vec on SQLite connections: loaded once per connection, where the driver allows it."""

from __future__ import annotations

from typing import Any

from casenotes.domain.errors import CasenotesError


class VectorSearchUnavailable(CasenotesError):
    """This SQLite build cannot load the sqlite-vec extension."""


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
