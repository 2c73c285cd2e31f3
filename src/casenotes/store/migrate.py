"""Run the Alembic migrations programmatically (the CLI and the tests use this)."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("casenotes.store") / "migrations")
    )
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


#: The revision that added the wrapped data keys; going below it drops them.
KEYS_REVISION = "0002"


def downgrade(url: str, revision: str) -> None:
    """Go back to ``revision``; refused before anything changes when that would drop the data
    key of a database that holds one (every encrypted record would become unreadable)."""
    if revision in ("base", "0001") and _holds_data_key(url):
        raise RuntimeError(
            f"Refusing to downgrade below revision {KEYS_REVISION}: the database holds its "
            "wrapped data key, and dropping it would make every encrypted record unreadable. "
            "Export what must be kept and start from an empty database instead."
        )
    command.downgrade(alembic_config(url), revision)


def _holds_data_key(url: str) -> bool:
    from casenotes.store.db import make_engine

    engine = make_engine(url)
    try:
        if "key_envelopes" not in inspect(engine).get_table_names():
            return False
        with engine.connect() as conn:
            return bool(conn.execute(text("SELECT COUNT(*) FROM key_envelopes")).scalar())
    finally:
        engine.dispose()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()
