"""The same Alembic migrations build the schema on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from casenotes.config import Settings
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.services import accounts, demo, review
from casenotes.services.context import build_context
from casenotes.store import migrate
from casenotes.store.db import make_engine
from support import empty_postgres

TABLES = {"users", "cases", "persons", "allocations", "recordings", "segments", "consents",
          "pseudonym_maps", "drafts", "draft_sections", "draft_sentences", "flags", "notes",
          "audit_events", "audit_head"}


def test_sqlite_migrates_up_down_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    assert TABLES <= set(inspect(engine).get_table_names())
    assert migrate.current_revision(engine) == migrate.head_revision(url)
    migrate.downgrade(url, "base")
    assert not TABLES & set(inspect(engine).get_table_names())
    migrate.upgrade(url)
    assert TABLES <= set(inspect(engine).get_table_names())
    engine.dispose()


@pytest.mark.postgres
def test_whole_pipeline_runs_on_postgresql(
    postgres_url: str, tmp_path: Path, pii_detector: PiiDetector
) -> None:
    settings = Settings(data_dir=tmp_path, database_url=postgres_url, secret_key="k")
    ctx = build_context(settings, pii_detector=pii_detector)
    try:
        assert TABLES <= set(inspect(ctx.engine).get_table_names())
        info = demo.load_demo(ctx)
        worker = accounts.get_user_by_username(ctx, info.username)
        assert worker is not None
        view = review.get_review(ctx, worker, info.recording_id)
        for flag in [f for sec in view.sections for s in sec.sentences for f in s.flags]:
            review.resolve_flag(ctx, worker, flag.id)
        for flag in [f for sec in view.sections for f in sec.flags]:
            review.resolve_flag(ctx, worker, flag.id)
        review.write_section(ctx, worker, info.recording_id, "Analysis", "My analysis.")
        note = review.sign_off(ctx, worker, info.recording_id, attested=True)
        assert "My analysis." in note.text
        from casenotes.services import audit_log

        assert audit_log.verify_chain(ctx).ok
        # Encrypted at rest on PostgreSQL too: the note, the names and the transcript.
        with ctx.engine.connect() as conn:
            for table, column in (("notes", "text"), ("persons", "name"), ("segments", "text"),
                                  ("cases", "title"), ("pseudonym_maps", "data")):
                values = [str(v) for (v,) in conn.execute(
                    text(f"SELECT {column} FROM {table}"))]  # noqa: S608 - fixed names
                assert values and all(v.strip('"').startswith("cne1:") for v in values), table
            raw = " ".join(str(v) for (v,) in conn.execute(text("SELECT text FROM notes")))
        assert "My analysis." not in raw
    finally:
        ctx.close()
        empty_postgres(postgres_url)


def test_a_database_holding_its_data_key_refuses_to_downgrade_below_encryption(
    tmp_path: Path, pii_detector: PiiDetector
) -> None:
    ctx = build_context(Settings(data_dir=tmp_path, secret_key="k"), pii_detector=pii_detector)
    url = str(ctx.engine.url)
    ctx.close()
    with pytest.raises(RuntimeError, match="would make every encrypted record unreadable"):
        migrate.downgrade(url, "base")
    engine = make_engine(url)
    assert migrate.current_revision(engine) == migrate.head_revision(url)  # nothing changed
    engine.dispose()
