"""``casenotes search`` and ``casenotes policy`` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from casenotes.cli import app
from casenotes.config import Settings
from casenotes.services import accounts
from casenotes.services.context import build_context
from search_notes import make_case, signed_note

runner = CliRunner()


def test_reindex_search_and_policy_commands(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("CASENOTES_DATA_DIR", str(data))
    ctx = build_context(Settings(data_dir=data))
    try:
        jo = accounts.add_user(ctx, username="jo", password="a-long-password",
                               role="practitioner")
        accounts.add_user(ctx, username="admin", password="a-long-password", role="admin")
        signed_note(ctx, jo, make_case(ctx, "C-1", allocate_to=[jo]),
                    {"Observations": "The boiler was broken and the flat was cold."})
    finally:
        ctx.close()
    refused = runner.invoke(app, ["search", "reindex", "--user", "jo"])
    assert refused.exit_code == 2 and "Only administrators" in refused.output
    done = runner.invoke(app, ["search", "reindex", "--user", "admin"])
    assert done.exit_code == 0 and "Indexed 1 notes" in done.output
    found = runner.invoke(app, ["search", "broken", "boiler", "--user", "jo"])
    assert found.exit_code == 0, found.output
    assert "C-1" in found.output and "boiler" in found.output
    empty = runner.invoke(app, ["search", "   ", "--user", "jo"])
    assert empty.exit_code == 2 and "The search is empty." in empty.output
    policy = tmp_path / "parking.md"
    policy.write_text("# Parking\n\nStaff park in the rear car park after 6pm.\n")
    added = runner.invoke(app, ["policy", "add", str(policy), "--user", "admin"])
    assert added.exit_code == 0 and "Added 'Parking' (1 passages)" in added.output
    asked = runner.invoke(app, ["policy", "ask", "where", "do", "I", "park", "--user", "jo"])
    assert asked.exit_code == 0 and "[1] Parking, Parking" in asked.output
