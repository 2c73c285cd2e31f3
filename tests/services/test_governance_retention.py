"""Retention: the sweep deletes exactly what is due, really, and audits without content."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from casenotes.config import Settings
from casenotes.domain.errors import PermissionDenied
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.services import (
    accounts,
    amendments,
    audit_log,
    consent_ledger,
    replies,
    retention,
    review,
)
from casenotes.services.context import AppContext, build_context
from casenotes.store.models import (
    AuditRow,
    DraftSentenceRow,
    NoteReplyRow,
    NoteRow,
    SegmentRow,
    SessionFile,
)
from governance_support import Seeded, make_case, seeded_context, signed_note, user
from support import complete_training, empty_postgres


@pytest.fixture
def gov(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, pii_detector: PiiDetector
        ) -> Iterator[tuple[AppContext, Seeded]]:
    yield from seeded_context(tmp_path, tmp_path_factory, pii_detector)


def _counts(ctx: AppContext) -> dict[str, int]:
    with ctx.session() as session:
        return {name: int(session.scalar(select(func.count()).select_from(model)) or 0)
                for name, model in (("files", SessionFile), ("segments", SegmentRow),
                                    ("sentences", DraftSentenceRow), ("notes", NoteRow),
                                    ("replies", NoteReplyRow))}


def _with_audio(ctx: AppContext, seeded: Seeded) -> list[Path]:
    jo = user(ctx, "jo")
    keys = [consent_ledger.attach_audio(ctx, jo, rid, b"RIFF audio " + bytes([rid]))
            for rid in (*seeded.recordings, seeded.unsigned)]
    return [ctx.settings.data_dir / "files" / key for key in keys]


def test_the_sweep_deletes_exactly_the_due_audio_and_nothing_else(
    gov: tuple[AppContext, Seeded]
) -> None:
    ctx, seeded = gov
    signed_audio_1, signed_audio_2, unsigned_audio = _with_audio(ctx, seeded)
    before = _counts(ctx)
    assert before["files"] == 3 and before["notes"] == 3
    a_week_later = datetime.now(UTC) + timedelta(days=8)

    preview = retention.run_retention(ctx, dry_run=True, now=a_week_later)
    assert dict(preview.counts) == {"audio": 2, "transcript": 0, "draft": 0, "note": 0}
    assert _counts(ctx) == before and signed_audio_1.exists()

    report = retention.run_retention(ctx, now=a_week_later)

    assert dict(report.counts) == {"audio": 2, "transcript": 0, "draft": 0, "note": 0}
    assert report.vacuumed
    assert not signed_audio_1.exists() and not signed_audio_2.exists()
    assert unsigned_audio.exists()  # never signed: not due
    assert _counts(ctx) == {**before, "files": 1}
    again = retention.run_retention(ctx, now=a_week_later)
    assert dict(again.counts)["audio"] == 0


def test_later_sweeps_delete_transcripts_drafts_and_finally_the_notes(
    gov: tuple[AppContext, Seeded]
) -> None:
    ctx, seeded = gov
    before = _counts(ctx)
    unsigned_segments = 3
    in_100_days = datetime.now(UTC) + timedelta(days=100)
    report = retention.run_retention(ctx, now=in_100_days)
    assert dict(report.counts) == {"audio": 0, "transcript": 3, "draft": 3, "note": 0}
    after = _counts(ctx)
    assert after["segments"] == unsigned_segments  # only the unsigned session's transcript
    assert after["sentences"] == 0
    assert after["notes"] == before["notes"] == 3

    in_76_years = datetime.now(UTC) + timedelta(days=365 * 76)
    report = retention.run_retention(ctx, now=in_76_years)
    assert dict(report.counts)["note"] == 3
    assert _counts(ctx)["notes"] == 0
    assert audit_log.verify_chain(ctx).ok  # the audit chain is intact and kept


def test_deleted_content_is_gone_from_the_database_file(gov: tuple[AppContext, Seeded]) -> None:
    ctx, seeded = gov
    with ctx.session() as session:
        marker = session.scalars(select(SegmentRow.text).where(
            SegmentRow.recording_id == seeded.recordings[0])).first()
    assert marker
    retention.run_retention(ctx, now=datetime.now(UTC) + timedelta(days=365 * 76))
    ctx.engine.dispose()
    database = ctx.settings.data_dir / "casenotes.db"
    assert b"boiler has been broken since Monday" not in database.read_bytes()


def test_the_audit_entry_says_what_was_deleted_without_content(
    gov: tuple[AppContext, Seeded]
) -> None:
    ctx, _ = gov
    retention.run_retention(ctx, now=datetime.now(UTC) + timedelta(days=100))
    with ctx.session() as session:
        events = list(session.scalars(select(AuditRow).where(
            AuditRow.action.in_(("retention.run", "retention.delete")))))
    assert {e.action for e in events} == {"retention.run", "retention.delete"}
    details = " ".join(e.detail for e in events)
    assert "transcript=3" in details
    for word in ("Alex", "boiler", "Rachel"):
        assert word not in details


def test_only_an_administrator_can_run_the_sweep(gov: tuple[AppContext, Seeded]) -> None:
    ctx, _ = gov
    with pytest.raises(PermissionDenied):
        retention.run_retention(ctx, user(ctx, "jo"), dry_run=True)
    report = retention.run_retention(ctx, user(ctx, "ada"), dry_run=True)
    assert report.dry_run and ("audit", report.policy[-1][1]) == report.policy[-1]


def test_cli_retention_run_dry_run_lists_without_deleting(
    gov: tuple[AppContext, Seeded], monkeypatch: pytest.MonkeyPatch
) -> None:
    from casenotes.cli import app

    ctx, _ = gov
    before = _counts(ctx)
    monkeypatch.setenv("CASENOTES_DATA_DIR", str(ctx.settings.data_dir))
    monkeypatch.setenv("CASENOTES_RETENTION_TRANSCRIPT_DAYS", "0")
    result = CliRunner().invoke(app, ["retention", "run", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run" in result.output and "transcript" in result.output
    assert _counts(ctx) == before
    result = CliRunner().invoke(app, ["retention", "run"])
    assert result.exit_code == 0, result.output
    assert _counts(ctx)["segments"] == 3  # only the unsigned session is left


@pytest.mark.postgres
def test_governance_works_on_postgresql(
    postgres_url: str, tmp_path: Path, pii_detector: PiiDetector
) -> None:
    settings = Settings(data_dir=tmp_path, database_url=postgres_url, secret_key="k")
    ctx = build_context(settings, pii_detector=pii_detector)
    try:
        jo = accounts.add_user(ctx, username="jo-pg", password="pg-password-123",
                               role="practitioner", team="PG")
        complete_training(ctx, jo)
        admin = accounts.add_user(ctx, username="ada-pg", password="pg-password-123",
                                  role="admin")
        recording_id, note_id = signed_note(ctx, jo, make_case(ctx, jo, "PG-1"))
        key = consent_ledger.attach_audio(ctx, jo, recording_id, b"RIFF")
        name, body = review.get_note(ctx, jo, note_id).sections[0]
        amendments.amend(ctx, jo, note_id, sections=[(name, body + " Amended.")], reason="r")
        replies.add_reply(ctx, jo, note_id, text="My reply.")
        report = retention.run_retention(ctx, admin,
                                         now=datetime.now(UTC) + timedelta(days=100))
        assert dict(report.counts) == {"audio": 1, "transcript": 1, "draft": 1, "note": 0}
        assert not report.vacuumed  # VACUUM is for SQLite; PostgreSQL reclaims on its own
        assert not (tmp_path / "files" / key).exists()
        assert len(amendments.versions(ctx, jo, note_id)) == 2
        report = retention.run_retention(ctx, admin,
                                         now=datetime.now(UTC) + timedelta(days=365 * 76))
        assert dict(report.counts)["note"] == 1 and _counts(ctx)["notes"] == 0
        assert audit_log.verify_chain(ctx).ok
    finally:
        ctx.close()
        empty_postgres(postgres_url)
