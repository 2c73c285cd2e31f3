"""The training gate and permitted uses from the command line."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from casenotes.cli import app
from casenotes.domain.training import QUESTIONS

runner = CliRunner()


def _run(*args: str, input: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.output


def test_an_untrained_user_is_refused_a_draft_until_they_answer_the_guidance(
    cli_env: Path, tmp_path: Path
) -> None:
    assert _run("user", "add", "jo", "--role", "practitioner")[0] == 0
    assert _run("case", "create", "C-1", "--title", "Visit", "--user", "jo")[0] == 0
    visit = tmp_path / "v.txt"
    visit.write_text("Jo: Hello.\nKim: The boiler is broken.\n", encoding="utf-8")
    code, _ = _run("import-transcript", str(visit), "--case", "1", "--user", "jo",
                   "--consent", "Jo=granted", "--consent", "Kim=granted")
    assert code == 0
    code, out = _run("draft", "1", "--user", "jo")
    assert code == 2
    assert "AI drafting is not enabled for you yet." in out
    assert "Complete the casenotes guidance (Training page)" in out
    assert "not completed yet" in _run("training", "status", "--user", "jo")[1]

    # One wrong answer typed at the prompt: nothing is recorded.
    wrong = "\n".join(q.options[0][0] if q.correct != q.options[0][0] else q.options[1][0]
                      for q in QUESTIONS) + "\n"
    code, out = _run("training", "complete", "--user", "jo", input=wrong)
    assert code == 2 and "answers were not right" in out
    assert "What casenotes does" in out  # the guidance pages were shown first

    right = "\n".join(q.correct for q in QUESTIONS) + "\n"
    code, out = _run("training", "complete", "--user", "jo", input=right)
    assert code == 0, out
    assert "AI drafting is enabled for you until" in out
    assert "current until" in _run("training", "status", "--user", "jo")[1]
    code, out = _run("draft", "1", "--user", "jo")
    assert code == 0, out


def test_an_admin_withdraws_a_template_from_a_role(cli_env: Path) -> None:
    assert _run("user", "add", "ada", "--role", "admin")[0] == 0
    assert _run("user", "add", "jo", "--role", "practitioner")[0] == 0
    code, out = _run("uses", "set", "practitioner", "template", "meeting_minutes",
                     "--withdraw", "--user", "ada")
    assert code == 0, out
    listing = _run("uses", "list", "--user", "ada")[1]
    assert any(line.split() == ["template", "meeting_minutes", "practitioner", "not",
                                "permitted"] for line in listing.splitlines())
    code, out = _run("uses", "list", "--user", "jo")
    assert code == 2 and "Only administrators" in out
    code, out = _run("uses", "set", "practitioner", "feature", "teleport", "--user", "ada")
    assert code == 2 and "There is no feature called 'teleport'" in out
