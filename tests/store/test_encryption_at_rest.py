"""Audio, transcripts, drafts and the pseudonym vault are encrypted at rest (AES-GCM)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from casenotes.cli import app
from casenotes.config import Settings
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.services import demo, review
from casenotes.services.context import AppContext, build_context
from casenotes.store import crypto

ENCRYPTED_COLUMNS = [
    ("segments", "text"), ("segments", "pseudo_text"), ("segments", "replacements"),
    ("segments", "words"), ("draft_sentences", "text"), ("draft_sections", "human_text"),
    ("pseudonym_maps", "data"),
]


def _raw(ctx: AppContext, table: str, column: str) -> list[str]:
    with ctx.engine.connect() as conn:
        rows = conn.execute(text(f"SELECT {column} FROM {table}"))  # noqa: S608 - fixed names
        return [str(value) for (value,) in rows if value is not None]


def _first_words(ctx: AppContext, worker_recording: int) -> str:
    info_user = demo.DEMO_USERNAME
    from casenotes.services import accounts

    user = accounts.get_user_by_username(ctx, info_user)
    assert user is not None
    view = review.get_review(ctx, user, worker_recording)
    return " ".join(s.text for sec in view.sections for s in sec.sentences)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory, pii_detector: PiiDetector,
                  ) -> tuple[Path, int]:
    """A data folder with the demo visit processed once; each test works on its own copy."""
    folder = tmp_path_factory.mktemp("demo") / "data"
    context = build_context(Settings(data_dir=folder, secret_key="k"), pii_detector=pii_detector)
    info = demo.load_demo(context)
    context.close()
    return folder, info.recording_id


def _copy(template: tuple[Path, int], target: Path) -> Path:
    shutil.copytree(template[0], target)
    return target


@pytest.fixture
def demo_ctx(demo_template: tuple[Path, int], tmp_path: Path,
             pii_detector: PiiDetector) -> Iterator[tuple[AppContext, int]]:
    folder = _copy(demo_template, tmp_path / "data")
    context = build_context(Settings(data_dir=folder, secret_key="k"), pii_detector=pii_detector)
    yield context, demo_template[1]
    context.close()


def test_transcripts_drafts_and_the_vault_are_stored_only_as_ciphertext(
    demo_ctx: tuple[AppContext, int],
) -> None:
    ctx, _ = demo_ctx
    transcript = (Path(demo.__file__).parent.parent / "demo" / "demo_visit.txt").read_text()
    sentence = max(transcript.splitlines(), key=len).split(":", 1)[1].strip()[:40]
    for table, column in ENCRYPTED_COLUMNS:
        values = _raw(ctx, table, column)
        if table != "draft_sections":
            assert values, f"{table}.{column} should hold data after the demo"
        for value in values:
            assert value.strip('"').startswith("cne1:"), f"{table}.{column} is not encrypted"
            assert sentence not in value
    ctx.engine.dispose()
    with open(ctx.settings.data_dir / "casenotes.db", "rb") as handle:
        assert sentence.encode() not in handle.read()


def test_the_practitioner_still_reads_the_draft_in_plain_words(
    demo_ctx: tuple[AppContext, int],
) -> None:
    ctx, recording_id = demo_ctx
    words = _first_words(ctx, recording_id)
    assert "cne1:" not in words
    assert len(words.split()) > 20


def test_a_wrong_master_key_is_refused_clearly_and_changes_nothing(
    demo_ctx: tuple[AppContext, int], pii_detector: PiiDetector,
) -> None:
    ctx, _ = demo_ctx
    key_file = ctx.settings.data_dir / "master.key"
    good = key_file.read_text()
    before = _raw(ctx, "key_envelopes", "wrapped")
    ctx.close()
    wrong = crypto.new_key()
    crypto.write_key_file(key_file, wrong)
    settings = Settings(data_dir=ctx.settings.data_dir, secret_key="k")
    with pytest.raises(crypto.KeyUnavailable) as caught:
        build_context(settings, pii_detector=pii_detector)
    assert "does not open this database" in caught.value.message
    assert crypto.encode_key(wrong) not in str(caught.value)
    key_file.write_text(good)
    again = build_context(settings, pii_detector=pii_detector)
    try:
        assert _raw(again, "key_envelopes", "wrapped") == before
    finally:
        again.close()


def test_a_missing_master_key_is_refused_with_where_to_put_it(
    demo_ctx: tuple[AppContext, int], pii_detector: PiiDetector,
) -> None:
    ctx, _ = demo_ctx
    ctx.close()
    (ctx.settings.data_dir / "master.key").unlink()
    with pytest.raises(crypto.KeyUnavailable) as caught:
        build_context(Settings(data_dir=ctx.settings.data_dir, secret_key="k"),
                      pii_detector=pii_detector)
    assert "no master key" in caught.value.message
    assert "CASENOTES_MASTER_KEY" in caught.value.hint


def test_rotating_the_master_key_keeps_every_record_readable(
    demo_ctx: tuple[AppContext, int], pii_detector: PiiDetector,
) -> None:
    ctx, recording_id = demo_ctx
    words = _first_words(ctx, recording_id)
    old = (ctx.settings.data_dir / "master.key").read_text()
    crypto.rotate_master_key(ctx.settings, ctx.engine)
    ctx.close()
    new = (ctx.settings.data_dir / "master.key").read_text()
    assert new != old
    settings = Settings(data_dir=ctx.settings.data_dir, secret_key="k")
    rotated = build_context(settings, pii_detector=pii_detector)
    try:
        assert _first_words(rotated, recording_id) == words
    finally:
        rotated.close()
    (ctx.settings.data_dir / "master.key").write_text(old)
    with pytest.raises(crypto.KeyUnavailable):
        build_context(settings, pii_detector=pii_detector)


def test_the_master_key_can_come_from_the_environment(
    tmp_path: Path, pii_detector: PiiDetector, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CASENOTES_MASTER_KEY", crypto.encode_key(crypto.new_key()))
    settings = Settings(data_dir=tmp_path / "d", secret_key="k")
    context = build_context(settings, pii_detector=pii_detector)
    context.close()
    assert not (tmp_path / "d" / "master.key").exists()
    monkeypatch.setenv("CASENOTES_MASTER_KEY", crypto.encode_key(crypto.new_key()))
    with pytest.raises(crypto.KeyUnavailable):
        build_context(Settings(data_dir=tmp_path / "d", secret_key="k"),
                      pii_detector=pii_detector)


def test_files_are_encrypted_and_tampering_is_detected(ctx: AppContext) -> None:
    ctx.blobs.put("audio/visit.wav", b"RIFF audio of a home visit")
    stored = (ctx.settings.data_dir / "files" / "audio" / "visit.wav").read_bytes()
    assert b"home visit" not in stored
    assert ctx.blobs.get("audio/visit.wav") == b"RIFF audio of a home visit"
    with ctx.blobs.materialise("audio/visit.wav", ".wav") as path:
        assert path.read_bytes() == b"RIFF audio of a home visit"
    tampered = bytearray(stored)
    tampered[-1] ^= 1
    (ctx.settings.data_dir / "files" / "audio" / "visit.wav").write_bytes(bytes(tampered))
    with pytest.raises(crypto.DecryptionFailed):
        ctx.blobs.get("audio/visit.wav")


def test_two_databases_with_different_keys_work_side_by_side(
    demo_ctx: tuple[AppContext, int], tmp_path: Path, pii_detector: PiiDetector,
) -> None:
    first, recording_id = demo_ctx
    second = build_context(Settings(data_dir=tmp_path / "other", secret_key="k"),
                           pii_detector=pii_detector)
    try:
        assert (first.settings.data_dir / "master.key").read_text() != (
            tmp_path / "other" / "master.key").read_text()
        first.blobs.put("audio/a.wav", b"first")
        second.blobs.put("audio/a.wav", b"second")
        assert len(_first_words(first, recording_id).split()) > 20
        assert first.blobs.get("audio/a.wav") == b"first"
        assert second.blobs.get("audio/a.wav") == b"second"
        stolen = (first.settings.data_dir / "files" / "audio" / "a.wav").read_bytes()
        (tmp_path / "other" / "files" / "audio" / "a.wav").write_bytes(stolen)
        with pytest.raises(crypto.DecryptionFailed):
            second.blobs.get("audio/a.wav")
    finally:
        second.close()


def test_rows_stored_before_encryption_are_read_and_then_encrypted_by_keys_init(
    demo_template: tuple[Path, int], tmp_path: Path, pii_detector: PiiDetector,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _copy(demo_template, tmp_path / "data")
    monkeypatch.setenv("CASENOTES_DATA_DIR", str(data))
    ctx = build_context(Settings(), pii_detector=pii_detector)
    info = demo.DemoInfo(demo.DEMO_USERNAME, demo.DEMO_PASSWORD, 1, demo_template[1])
    words = _first_words(ctx, info.recording_id)
    with ctx.engine.begin() as conn:  # what a database from before encryption holds
        conn.execute(text("UPDATE draft_sentences SET text = 'Legacy plain sentence.' "
                          "WHERE id = (SELECT min(id) FROM draft_sentences)"))
    assert "Legacy plain sentence." in _first_words(ctx, info.recording_id)
    ctx.close()
    result = CliRunner().invoke(app, ["keys", "init"])
    assert result.exit_code == 0, result.output
    assert "rows are encrypted" in result.output
    again = build_context(Settings(), pii_detector=pii_detector)
    try:
        assert all(v.startswith("cne1:") for v in _raw(again, "draft_sentences", "text"))
        assert "Legacy plain sentence." in _first_words(again, info.recording_id)
        assert len(_first_words(again, info.recording_id)) > len(words) // 2
    finally:
        again.close()


def test_keys_rotate_from_the_command_line_and_a_wrong_key_gives_no_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("CASENOTES_DATA_DIR", str(data))
    runner = CliRunner()
    assert runner.invoke(app, ["keys", "init"]).exit_code == 0
    old = (data / "master.key").read_text()
    result = runner.invoke(app, ["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert (data / "master.key").read_text() != old
    (data / "master.key").write_text(old)
    result = runner.invoke(app, ["keys", "rotate"])
    assert result.exit_code == 2
    assert "does not open this database" in result.output
    assert "Traceback" not in result.output
