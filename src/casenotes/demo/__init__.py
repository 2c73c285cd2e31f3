"""The fictional demo case shipped with casenotes (a home visit, DEMO-0001).

Everything in it is invented: people, school, landlord, NHS number (999 test range, valid check
digit), phone numbers (Ofcom drama range) and email (example.com).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from casenotes.domain.people import Person
from casenotes.domain.transcript import Transcript
from casenotes.pipeline.capture import parse_transcript

CASE_FILE = "demo_case.json"


@dataclass(frozen=True)
class DemoCase:
    """The demo case as data: who is involved, and the transcript of the visit."""

    reference: str
    title: str
    team: str
    setting: str
    template: str
    visit_date: date
    people: tuple[Person, ...]
    present: tuple[str, ...]  # names of the people at the visit
    transcript: Transcript
    transcript_name: str


def load_demo_case() -> DemoCase:
    """Read the demo case and parse its transcript (the same import path users' files take)."""
    folder = resources.files(__name__)
    data: dict[str, Any] = json.loads(folder.joinpath(CASE_FILE).read_text(encoding="utf-8"))
    transcript_name = str(data["transcript_file"])
    transcript = parse_transcript(folder.joinpath(transcript_name).read_bytes(), transcript_name)
    people = tuple(
        Person(
            name=p["name"],
            role=p["role"],
            aliases=tuple(p.get("aliases", ())),
            relationships=tuple((r["relation"], r["of"]) for r in p.get("relationships", ())),
        )
        for p in data["people"]
    )
    return DemoCase(
        reference=data["reference"],
        title=data["title"],
        team=data["team"],
        setting=data["setting"],
        template=data["template"],
        visit_date=date.fromisoformat(data["visit_date"]),
        people=people,
        present=tuple(p["name"] for p in data["people"] if p.get("present")),
        transcript=transcript,
        transcript_name=transcript_name,
    )
