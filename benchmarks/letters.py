"""Plain-language letters: reading age and third parties, beside the note they come from.

For each dev visit (``../shared/data/visits`` case_01-14, and the own dev cases in
``benchmarks/dev_visits``) the extractive drafter drafts the note in the case's template and
``services/letters.compose_letter`` makes the letter from it, as the app does from a signed note
(the note taken as drafted, unedited). Measured:

* the Flesch-Kincaid grade (textstat) of the letter's body, against the target of grade 6 or
  lower (a reading age of about 11), beside the baseline of sending the note's own sentences
  (the same sections' drafted text, unsimplified) and the hand-written reference letters of the
  ``letter_to_family`` cases for scale;
* third parties: every name of a person in the case who is neither the family nor the writer
  (a neighbour, a GP, an ex-partner), searched for in the letter, which must hold none;
* the share of the note's sentences the letter leaves out (a sentence it cannot say to the
  family plainly, or about a third party only), and those past the letter template's
  ``max_sentences`` for a section (the letter keeps the most telling: risk, particulars, who
  will do what);
* words per letter, beside the note's and the hand-written reference letters'.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any

from benchmarks.common import shared_data, write_table
from casenotes.domain.draft import Draft
from casenotes.domain.people import Person
from casenotes.domain.template import Template
from casenotes.domain.transcript import Segment, Transcript
from casenotes.engines.drafting import ExtractiveDrafter
from casenotes.engines.pii import PresidioDetector
from casenotes.pipeline.draft import DraftContext, draft
from casenotes.pipeline.templates import load_template
from casenotes.services import letters

HERE = Path(__file__).resolve().parent
SIGNER = "Jo Worker"
_FIXED = ("Opening", "Contact details", "Closing")


def case_people(case: dict[str, Any]) -> list[Person]:
    """The case's people, with a first name as an alias (not a title)."""
    return [Person(p["name"], p["role"], tuple(
        [p["name"].split()[0]] if len(p["name"].split()) > 1
        and p["name"].split()[0] not in ("Mr", "Mrs", "Ms", "Dr", "DC") else []))
        for p in case["participants"] + case.get("mentioned_people", [])]


@dataclass(frozen=True)
class DraftedLetter:
    """The letter the app would make from a visit's (unedited) drafted note."""

    sections: list[tuple[str, str]]
    left_out: int
    shortened: int
    audience: Any  # services.letters._Audience
    note: Draft
    template: Template
    people: list[Person]
    speakers: list[str]


def drafted_letter(case: dict[str, Any], detector: PresidioDetector) -> DraftedLetter:
    names = {p["id"]: p["name"] for p in case["participants"]}
    transcript = Transcript(tuple(Segment(t["turn"], names[t["speaker_id"]], t["text"])
                                  for t in case["transcript"]))
    roles = {p["name"]: p["role"] for p in case["participants"]}
    template = load_template(case["template"])
    result = draft(transcript, template, ExtractiveDrafter(), DraftContext(roles))
    note_sections: list[dict[str, object]] = [
        {"name": s.name, "sentences": [{"text": x.text} for x in s.sentences]}
        for s in result.sections]
    people = case_people(case)
    speakers = [s.speaker for s in transcript.segments]
    audience = letters._audience(people, speakers, SIGNER)
    composed = letters.compose_letter(
        note_sections, template, load_template(letters.LETTER_TEMPLATE), audience, detector,
        SIGNER)
    return DraftedLetter(composed.sections, composed.left_out, composed.shortened, audience,
                         result, template, people, speakers)


def _third_party_names(audience: Any) -> set[str]:
    """Names of the case's people who are neither family nor writer (titles kept whole)."""
    family = {n.lower() for n in (*audience.family, *audience.writer)}
    return {n for n in audience.others if n.strip() and n.lower() not in family
            and len(n) > 2}


def measure_case(case: dict[str, Any], detector: PresidioDetector) -> dict[str, Any]:
    made = drafted_letter(case, detector)
    sections, template = made.sections, made.template
    body = " ".join(text for name, text in sections if text and name not in _FIXED)
    used = [s for s in made.note.sections if not s.reserved and s.name in
            {t.name for t in template.sections if not t.attendees}]
    note_text = " ".join(x.text for s in used for x in s.sentences)
    letter_text = "\n".join(text for _, text in sections)
    third = _third_party_names(made.audience)
    leaked = sorted(n for n in third
                    if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", letter_text))
    reference = (" ".join(str(v) for k, v in case["reference_note"].items() if k not in _FIXED)
                 if case["template"] == "letter_to_family" else "")
    return {"id": case["id"], "grade": letters.grade(body),
            "note_grade": letters.grade(note_text),
            "reference_grade": letters.grade(reference) if reference else None,
            "words": len(body.split()), "note_words": len(note_text.split()),
            "left_out": made.left_out, "shortened": made.shortened,
            "note_sentences": sum(len(s.sentences) for s in used),
            "reference_words": len(reference.split()) if reference else None,
            "third_parties": len(third), "leaked": len(leaked)}


def _rows(label: str, got: list[dict[str, Any]]) -> list[list[str]]:
    n = len(got)
    grades = [g["grade"] for g in got]
    note = [g["note_grade"] for g in got]
    meets = sum(g <= letters.TARGET_GRADE for g in grades)
    note_meets = sum(g <= letters.TARGET_GRADE for g in note)
    refs = [g["reference_grade"] for g in got if g["reference_grade"] is not None]
    ref_words = [g["reference_words"] for g in got if g["reference_words"] is not None]
    left = sum(g["left_out"] for g in got)
    sentences = sum(g["note_sentences"] for g in got)
    leaked = sum(g["leaked"] for g in got)
    named = sum(g["third_parties"] for g in got)
    return [
        [f"{label}: letters at grade 6 or lower (target: all)", f"{meets}/{n}",
         f"{note_meets}/{n}", (f"{sum(r <= letters.TARGET_GRADE for r in refs)}/{len(refs)}"
                               if refs else "—")],
        [f"{label}: Flesch-Kincaid grade, median (max)",
         f"{median(grades):.1f} ({max(grades):.1f})", f"{median(note):.1f} ({max(note):.1f})",
         f"{median(refs):.1f} ({max(refs):.1f})" if refs else "—"],
        [f"{label}: words per letter, mean (max)",
         f"{sum(g['words'] for g in got) / n:.0f} ({max(g['words'] for g in got)})",
         f"{sum(g['note_words'] for g in got) / n:.0f} "
         f"({max(g['note_words'] for g in got)})",
         f"{sum(ref_words) / len(ref_words):.0f} ({max(ref_words)})" if ref_words else "—"],
        [f"{label}: third-party names found in the letter (target 0)",
         f"{leaked} (of {named} third parties' names)", "—", "—"],
        [f"{label}: note sentences left out of the letter (someone else's words, too complex)",
         f"{left}/{sentences}", "0", "—"],
        [f"{label}: note sentences past the letter template's section lengths (the note "
         "keeps them)", f"{sum(g['shortened'] for g in got)}/{sentences}", "0", "—"],
    ]


def main() -> None:
    data = shared_data()
    if data is None:
        print("letters benchmark skipped: ../shared/data is absent")  # noqa: T201
        return
    started = time.perf_counter()
    detector = PresidioDetector()
    sets = [("14 shared dev cases", data / "visits"), ("own dev cases", HERE / "dev_visits")]
    rows: list[list[str]] = []
    for label, folder in sets:
        cases = [json.loads(p.read_text(encoding="utf-8"))
                 for p in sorted(folder.glob("case_*.json"))
                 if re.fullmatch(r"case_\d+\.json", p.name)]
        if cases:
            rows += _rows(label, [measure_case(c, detector) for c in cases])
    notes = [
        "Letters: for each case the extractive drafter's note (unedited) made into the "
        "plain-language letter by `services/letters.compose_letter`, as the app does from a "
        "signed note. Grade: textstat's Flesch-Kincaid grade of the letter's body (the fixed "
        "greeting, contact lines and sign-off left out), target 6 or lower.",
        "Baseline: the note's own sentences from the same sections (what sending the note "
        "would be), and for scale the hand-written reference letters of the letter_to_family "
        "cases (their body sections).",
        "Third parties: every name and first name of a case person who neither spoke as family "
        "nor is a child of the family nor the writer, searched for as a whole word in the "
        "letter.",
        f"Total time {time.perf_counter() - started:.0f} s.",
        "Reproduce: `.venv/bin/python -m benchmarks.letters` (also run by `make bench`).",
    ]
    write_table("letters", "Plain-language letters: reading age and third parties",
                ["measure", "letter", "baseline: the note's sentences",
                 "hand-written reference letters"], rows, notes)


if __name__ == "__main__":
    main()
