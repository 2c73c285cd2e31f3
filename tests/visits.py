"""Reading the fictional visit cases in ../shared/data/visits (never copied into the repo)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from support import shared_data_dir


def visits_dir() -> Path:
    return shared_data_dir() / "visits"


def load_case(case_id: str) -> dict[str, Any]:
    path = visits_dir() / f"{case_id}.json"
    if not path.exists():
        pytest.skip(f"visit case {path} is absent: the shared evaluation data is not here "
                    "(set CASENOTES_SHARED_DATA to its folder to run this test)")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def names(case: dict[str, Any]) -> dict[str, str]:
    """Participant id → name."""
    return {p["id"]: p["name"] for p in case["participants"]}


def transcript_text(case: dict[str, Any]) -> str:
    """The case's transcript as a plain 'Speaker: words' file."""
    who = names(case)
    return "\n".join(f"{who[t['speaker_id']]}: {t['text']}" for t in case["transcript"]) + "\n"


def people(case: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(name, role, aliases) for participants and mentioned people, first names as aliases."""
    out = []
    for p in case["participants"] + case.get("mentioned_people", []):
        parts = p["name"].split()
        aliases = [parts[0]] if len(parts) > 1 and parts[0] not in ("Mr", "Mrs", "Ms", "Dr") else []
        out.append((p["name"], p["role"], aliases))
    return out
