"""The CLI, driven through Typer's runner against a temporary data folder."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from typer.testing import CliRunner

from casenotes.cli import app
from casenotes.config import Settings
from casenotes.domain.training import correct_answers
from casenotes.services.context import build_context
from visits import load_case, people, transcript_text

runner = CliRunner()


def _ok(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_import_consent_and_draft_a_visit_from_the_command_line(
    cli_env: Path, tmp_path: Path
) -> None:
    case = load_case("case_09")
    _ok("db", "upgrade")
    _ok("user", "add", "jo", "--role", "practitioner", "--team", "Fostering")
    _ok("training", "complete", "--user", "jo",
        *(f"--answer={q}={a}" for q, a in correct_answers().items()))
    args = ["case", "create", "C-9", "--title", "Fostering visit", "--user", "jo"]
    for name, role, aliases in people(case):
        args += ["--person", f"{name}:{role}:{','.join(aliases)}"]
    assert "Created case 1" in _ok(*args)
    visit = tmp_path / "visit.txt"
    visit.write_text(transcript_text(case), encoding="utf-8")
    speakers = {p["name"] for p in case["participants"] if p.get("consent_to_recording", True)}
    consent = [x for s in speakers for x in ("--consent", f"{s}=granted")]
    out = _ok("import-transcript", str(visit), "--case", "1", "--user", "jo", *consent)
    assert "Imported recording 1" in out
    drafted = _ok("draft", "1", "--user", "jo")
    assert "Analysis" in drafted and "reserved for you" in drafted
    assert "(turn " in drafted
    assert "Audit chain intact" in _ok("audit", "verify")


def test_draft_without_consent_explains_what_to_do(cli_env: Path, tmp_path: Path) -> None:
    _ok("user", "add", "jo", "--role", "practitioner")
    _ok("case", "create", "C-1", "--title", "Visit", "--user", "jo")
    visit = tmp_path / "v.txt"
    visit.write_text("Jo: Hello.\nKim: Hi, come in.\n", encoding="utf-8")
    _ok("import-transcript", str(visit), "--case", "1", "--user", "jo",
        "--consent", "Jo=granted", "--consent", "Kim=declined")
    result = runner.invoke(app, ["draft", "1", "--user", "jo"])
    assert result.exit_code == 2
    assert "not every participant has granted consent" in result.output
    assert "Kim: declined" in result.output
    assert "Traceback" not in result.output


def test_bad_transcript_file_names_the_line_and_stores_nothing(
    cli_env: Path, tmp_path: Path
) -> None:
    _ok("user", "add", "jo", "--role", "practitioner")
    _ok("case", "create", "C-1", "--title", "Visit", "--user", "jo")
    bad = tmp_path / "bad.srt"
    bad.write_text("1\n00:00:01,000 --> 00:00:0X,000\nJo: hi\n", encoding="utf-8")
    result = runner.invoke(app, ["import-transcript", str(bad), "--case", "1", "--user", "jo"])
    assert result.exit_code == 2
    assert "Line 2" in result.output
    assert "Traceback" not in result.output
    ctx = build_context(Settings())
    with ctx.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM recordings")).scalar_one() == 0
    ctx.close()


def test_unknown_user_gets_a_clear_error(cli_env: Path) -> None:
    _ok("db", "upgrade")
    result = runner.invoke(app, ["case", "create", "C-1", "--title", "V", "--user", "nobody"])
    assert result.exit_code == 2
    assert "no user called 'nobody'" in result.output


def test_audit_verify_exits_non_zero_when_the_chain_is_broken(cli_env: Path) -> None:
    _ok("user", "add", "jo", "--role", "practitioner")
    _ok("case", "create", "C-1", "--title", "Visit", "--user", "jo")
    ctx = build_context(Settings())
    with ctx.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_events_no_delete"))
        conn.execute(text("DELETE FROM audit_events WHERE seq = 1"))
    ctx.close()
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "broken at event 1" in result.output


def test_demo_prints_the_login(cli_env: Path) -> None:
    out = _ok("demo")
    assert "demo / demo-password" in out
