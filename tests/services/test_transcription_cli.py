"""``casenotes transcribe``: an audio file to a transcript from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from audio_clips import speech_clip
from casenotes.cli import app

runner = CliRunner()


@pytest.fixture
def env(cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = cli_env
    monkeypatch.setenv("CASENOTES_ASR_MODEL", "tiny.en")
    for args in (["db", "upgrade"], ["user", "add", "jo", "--role", "practitioner", "--team",
                                     "East"],
                 ["case", "create", "C-1", "--title", "Visit", "--user", "jo", "--person",
                  "Kayleigh Robson:mother"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    return data


def test_transcribe_a_file_from_the_command_line(env: Path, tmp_path: Path) -> None:
    clip = speech_clip(tmp_path, "The kitchen was clean and there was food in the fridge.")
    result = runner.invoke(app, ["transcribe", str(clip), "--case", "1", "--user", "jo",
                                 "--consent", "Kayleigh Robson=granted", "--dictation"])
    assert result.exit_code == 0, result.output
    assert "Transcribed recording 1" in result.output


def test_a_bad_file_gets_a_message_and_a_hint_not_a_stack_trace(
    env: Path, tmp_path: Path
) -> None:
    fake = tmp_path / "visit.mp3"
    fake.write_text("not audio " * 200)
    result = runner.invoke(app, ["transcribe", str(fake), "--case", "1", "--user", "jo",
                                 "--consent", "Kayleigh Robson=granted"])
    assert result.exit_code == 2
    assert "could not be read as audio" in result.output and "What to do" in result.output
    assert "Traceback" not in result.output
    missing = runner.invoke(app, ["transcribe", str(tmp_path / "nope.wav"), "--case", "1",
                                  "--user", "jo"])
    assert missing.exit_code == 2 and "There is no file" in missing.output
