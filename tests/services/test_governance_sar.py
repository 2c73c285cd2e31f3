"""Subject access: everything held about one person, other people's names redacted, audited."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from casenotes.domain.errors import InvalidInput, PermissionDenied
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.services import consent_ledger, replies, subject_access
from casenotes.services.context import AppContext
from casenotes.store.models import AuditRow
from governance_support import Seeded, seeded_context, user


@pytest.fixture
def gov(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, pii_detector: PiiDetector
        ) -> Iterator[tuple[AppContext, Seeded]]:
    yield from seeded_context(tmp_path, tmp_path_factory, pii_detector)


def _open(data: bytes, tmp_path: Path) -> tuple[dict[str, Any], str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["subject_access.json", "subject_access.pdf"]
        content = json.loads(archive.read("subject_access.json"))
        (tmp_path / "sar.pdf").write_bytes(archive.read("subject_access.pdf"))
    text = subprocess.run(["pdftotext", str(tmp_path / "sar.pdf"), "-"],  # noqa: S607
                          capture_output=True, check=True, text=True).stdout
    return content, text


def test_a_sar_export_has_every_note_naming_the_person_and_no_other_name(
    gov: tuple[AppContext, Seeded], tmp_path: Path
) -> None:
    ctx, seeded = gov
    jo = user(ctx, "jo")
    replies.add_reply(ctx, jo, seeded.notes[1], text="Rachel Smith was a great help to me.")

    export = subject_access.export_subject_access(ctx, jo, "Alex Client")

    content, pdf_text = _open(export.data, tmp_path)
    assert {n["id"] for n in content["notes"]} == set(seeded.notes)
    assert seeded.other_note not in {n["id"] for n in content["notes"]}
    everything = json.dumps(content) + pdf_text
    for other in ("Rachel", "Smith", "Morgan", "Ellis"):
        assert other not in everything, other
    assert "Alex" in everything and "[REDACTED]" in everything
    assert "great help to me" in everything  # the person's reply is included
    assert "Subject access report" in pdf_text and "Who accessed your records" in pdf_text
    assert any(e["action"] == "note.sign" for e in content["access_log"])
    assert {c["decision"] for c in content["consents"]} == {"granted"}
    turns = [t for r in content["recordings"] for t in r["transcript_turns"]]
    assert turns and all(t["speaker"] in ("Alex Client", "[REDACTED]") for t in turns)


def test_the_export_lists_audio_still_held_and_is_audited_without_the_name(
    gov: tuple[AppContext, Seeded], tmp_path: Path
) -> None:
    ctx, seeded = gov
    jo = user(ctx, "jo")
    consent_ledger.attach_audio(ctx, jo, seeded.recordings[0], b"RIFF audio")
    export = subject_access.export_subject_access(ctx, jo, "alex")  # an alias works too
    content, _ = _open(export.data, tmp_path)
    held = {r["id"]: r["audio_files_held"] for r in content["recordings"]}
    assert held[seeded.recordings[0]] == ["audio-1.wav"]
    with ctx.session() as session:
        event = session.scalars(select(AuditRow).where(
            AuditRow.action == "subject_access.export")).one()
    assert event.actor == "jo" and "Alex" not in event.detail and "notes=2" in event.detail


def test_a_sar_for_someone_not_on_a_visible_case_is_refused_clearly(
    gov: tuple[AppContext, Seeded]
) -> None:
    ctx, _ = gov
    with pytest.raises(InvalidInput, match="No person with that name"):
        subject_access.export_subject_access(ctx, user(ctx, "robin"), "Alex Client")
    with pytest.raises(PermissionDenied):
        subject_access.export_subject_access(ctx, user(ctx, "ada"), "Alex Client")


def test_cli_sar_export_writes_the_zip(
    gov: tuple[AppContext, Seeded], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casenotes.cli import app

    ctx, seeded = gov
    monkeypatch.setenv("CASENOTES_DATA_DIR", str(ctx.settings.data_dir))
    out = tmp_path / "alex.zip"
    result = CliRunner().invoke(app, ["sar", "export", "Alex Client", "--user", "jo",
                                      "--output", str(out)])
    assert result.exit_code == 0, result.output
    content, _ = _open(out.read_bytes(), tmp_path)
    assert {n["id"] for n in content["notes"]} == set(seeded.notes)
    result = CliRunner().invoke(app, ["sar", "export", "Nobody Known", "--user", "jo",
                                      "--output", str(tmp_path / "x.zip")])
    assert result.exit_code == 2 and "Traceback" not in result.output
