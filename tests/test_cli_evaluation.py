"""`casenotes evaluation …`: dashboard, bias audit, energy and the DPIA pack from the command
line, against a temporary data folder (issue 10)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from casenotes.cli import app
from casenotes.config import Settings
from casenotes.services.context import build_context
from evaluation_support import PERSON_PREFIX, bias_specs, seed
from support import make_user

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("CASENOTES_DATA_DIR", str(data))
    ctx = build_context(Settings())
    try:
        seed(ctx, bias_specs(make_user(ctx, "jo")))
        make_user(ctx, "ada", role="admin", team=None)
        make_user(ctx, "sam", role="supervisor")
    finally:
        ctx.close()
    return data


def test_the_bias_audit_and_dashboard_print_as_csv_and_tables(env: Path) -> None:
    audit = runner.invoke(app, ["evaluation", "bias-audit", "--csv", "--user", "ada"])
    assert audit.exit_code == 0, audit.output
    assert "Ethnicity,Asian or Asian British,fewer than 10" in audit.output
    assert "Flags per 100 sentences" in audit.output.splitlines()[0]
    assert PERSON_PREFIX not in audit.output
    board = runner.invoke(app, ["evaluation", "dashboard", "--by", "practitioner",
                                "--user", "sam"])
    assert board.exit_code == 0, board.output
    assert "jo" in board.output and "44" in board.output


def test_the_dpia_pack_is_written_to_a_file(env: Path, tmp_path: Path) -> None:
    target = tmp_path / "pack.docx"
    result = runner.invoke(app, ["evaluation", "dpia", "--format", "docx", "--output",
                                 str(target), "--user", "ada"])
    assert result.exit_code == 0, result.output
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(target.read_bytes())).paragraphs)
    assert "DPIA and equality support pack" in text and "127.0.0.1" in text


def test_a_practitioner_is_refused_with_a_message_not_a_traceback(env: Path) -> None:
    result = runner.invoke(app, ["evaluation", "dashboard", "--user", "jo"])
    assert result.exit_code == 2
    assert "Only supervisors, administrators and auditors" in result.output
    assert "Traceback" not in result.output
