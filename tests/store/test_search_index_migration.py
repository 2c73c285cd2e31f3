"""Revision 0010 carries an existing search index over (and back): nothing needs reindexing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from casenotes.config import Settings
from casenotes.services import search
from casenotes.services.context import build_context
from casenotes.store import migrate
from casenotes.store.vectors import ensure_sqlite_vec
from search_notes import make_case, signed_note
from support import empty_postgres, make_user


def _index_then_go_down_and_up(settings: Settings) -> None:
    ctx = build_context(settings)
    try:
        jo = make_user(ctx, "jo")
        case_id = make_case(ctx, "M-1", allocate_to=[jo])
        note_id = signed_note(ctx, jo, case_id, {
            "Observations": "There was no food in the cupboards and the boiler was broken."},
            turns=[("Jo", "Is the boiler working?"), ("Mum", "It broke on Friday.")])
        search.index_note(ctx, note_id)
        url = str(ctx.engine.url.render_as_string(hide_password=False))
    finally:
        ctx.close()
    migrate.downgrade(url, "0009")
    ctx = build_context(settings, migrate_db=False)
    try:
        with ctx.engine.connect() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("search_chunks")}
            assert "signature" not in columns
            if conn.dialect.name == "sqlite":  # the vectors are back in the vec0 table
                ensure_sqlite_vec(conn)
                assert conn.execute(text("SELECT count(*) FROM search_vec")).scalar() == 2
    finally:
        ctx.close()
    migrate.upgrade(url)
    ctx = build_context(settings)
    try:
        for mode in search.MODES:
            hits = search.search(ctx, jo, "boiler broken", mode=mode).hits
            assert hits and {h.note_id for h in hits} == {note_id}, mode
        with ctx.engine.connect() as conn:
            assert conn.execute(text(
                "SELECT count(*) FROM search_chunks WHERE signature IS NULL "
                "OR embedding IS NULL")).scalar() == 0
    finally:
        ctx.close()


def test_an_index_built_before_revision_0010_is_kept_down_and_up_on_sqlite(
    tmp_path: Path
) -> None:
    _index_then_go_down_and_up(Settings(data_dir=tmp_path, secret_key="k",
                                        search_index_on_sign=False))


@pytest.mark.postgres
def test_an_index_built_before_revision_0010_is_kept_down_and_up_on_postgresql(
    postgres_url: str, tmp_path: Path
) -> None:
    try:
        _index_then_go_down_and_up(Settings(data_dir=tmp_path, database_url=postgres_url,
                                            secret_key="k", search_index_on_sign=False))
    finally:
        empty_postgres(postgres_url)
