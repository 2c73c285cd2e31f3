"""The extractive drafter and the checkers on the shared evaluation visits (real data).

The cases live outside the repository in ``<repo>/../shared/data/visits`` (or
``$CASENOTES_SHARED_DATA/visits``); they are read in place, never copied.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from casenotes.domain.draft import Draft, Section, Sentence
from casenotes.domain.flags import FlagKind
from casenotes.domain.template import Template
from casenotes.domain.transcript import Segment, Transcript
from casenotes.engines.checks import DetailChecker, EvidenceChecker, ReservedSectionChecker
from casenotes.engines.drafting import ExtractiveDrafter
from casenotes.pipeline.check import CheckContext, Checker, check
from casenotes.pipeline.draft import DraftContext, draft
from casenotes.pipeline.templates import load_template

REPO = Path(__file__).resolve().parents[3]
DATA = Path(os.environ.get("CASENOTES_SHARED_DATA", REPO.parent / "shared" / "data"))
VISITS = DATA / "visits"
CASES = ["case_01", "case_02", "case_05", "case_08", "case_09", "case_11"]
ATTENDEES = "Who was present"
CHECKERS: list[Checker] = [EvidenceChecker(), DetailChecker(), ReservedSectionChecker()]


@dataclass(frozen=True)
class Visit:
    case: dict[str, Any]
    transcript: Transcript
    roles: dict[str, str]


def load_case(case_id: str) -> dict[str, Any]:
    path = VISITS / f"{case_id}.json"
    if not path.is_file():
        pytest.skip(
            f"shared evaluation data not found at {VISITS}; "
            "set CASENOTES_SHARED_DATA to the folder that holds visits/"
        )
    case: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert case["template"] == "home_visit_note"
    return case


def as_spoken(case: dict[str, Any]) -> Visit:
    """Segment id = turn, speaker = participant name, roles from the participants."""
    names = {p["id"]: p["name"] for p in case["participants"]}
    segments = tuple(
        Segment(t["turn"], names[t["speaker_id"]], t["text"]) for t in case["transcript"]
    )
    roles = {p["name"]: p["role"] for p in case["participants"]}
    return Visit(case, Transcript(segments), roles)


def pseudonymised(case: dict[str, Any]) -> Visit:
    """As the drafter sees it in use: gold PII spans and speakers replaced by placeholders."""
    placeholders: dict[str, str] = {}
    counters: dict[str, int] = {}

    def placeholder(key: str, kind: str) -> str:
        if key not in placeholders:
            counters[kind] = counters.get(kind, 0) + 1
            placeholders[key] = f"[{kind}_{counters[kind]}]"
        return placeholders[key]

    speakers = {p["id"]: placeholder(f"speaker:{p['id']}", "PERSON") for p in case["participants"]}
    spans: dict[int, list[dict[str, Any]]] = {}
    for span in case["pii"]:
        spans.setdefault(span["turn"], []).append(span)
    segments = []
    for turn in case["transcript"]:
        text = turn["text"]
        for span in sorted(spans.get(turn["turn"], []), key=lambda s: -int(s["start"])):
            kind = "PERSON" if span["type"] == "PERSON" else span["type"]
            token = placeholder(f"{kind}:{span['text'].lower()}", kind)
            text = text[: span["start"]] + token + text[span["end"]:]
        segments.append(Segment(turn["turn"], speakers[turn["speaker_id"]], text))
    roles = {speakers[p["id"]]: p["role"] for p in case["participants"]}
    return Visit(case, Transcript(tuple(segments)), roles)


@pytest.fixture(scope="module")
def template() -> Template:
    return load_template("home_visit_note")


def run(visit: Visit, template: Template) -> Draft:
    return draft(visit.transcript, template, ExtractiveDrafter(), DraftContext(visit.roles))


@pytest.mark.parametrize("prepare", [as_spoken, pseudonymised], ids=["names", "placeholders"])
@pytest.mark.parametrize("case_id", CASES)
def test_extractive_draft_of_a_visit_is_evidenced_and_complete(
    case_id: str, prepare: Any, template: Template
) -> None:
    visit = prepare(load_case(case_id))
    result = run(visit, template)
    for section, sentence in result.sentences():
        assert sentence.evidence, sentence.id
        for evidence in sentence.evidence:
            segment = visit.transcript.segment(evidence.segment_id)
            assert 0 <= evidence.start <= evidence.end <= len(segment.text)
            span = segment.text[evidence.start:evidence.end]
            assert span in sentence.text
            if section.name == ATTENDEES:
                assert sentence.text.startswith(segment.speaker)
            else:
                assert span.strip(), sentence.id
    for section in result.sections:
        if section.reserved:
            assert section.is_empty, section.name
        else:
            assert section.sentences, f"{case_id}: {section.name} is empty"
    assert result.section("Analysis").is_empty


@pytest.mark.parametrize("prepare", [as_spoken, pseudonymised], ids=["names", "placeholders"])
@pytest.mark.parametrize("case_id", CASES)
def test_checkers_find_nothing_to_flag_in_an_extractive_draft(
    case_id: str, prepare: Any, template: Template
) -> None:
    visit = prepare(load_case(case_id))
    result = run(visit, template)
    flags = check(result, visit.transcript, CHECKERS, CheckContext(template))
    assert not [f for f in flags if f.kind is FlagKind.NO_EVIDENCE]
    assert not [f for f in flags if f.kind is FlagKind.RESERVED_SECTION]
    assert [f.explanation for f in flags if f.kind is FlagKind.UNSUPPORTED_DETAIL] == []


@pytest.mark.parametrize("case_id", CASES)
def test_checkers_flag_a_tampered_visit_draft(case_id: str, template: Template) -> None:
    visit = as_spoken(load_case(case_id))
    result = run(visit, template)
    section, last = result.sentences()[-1]
    invented = replace(last, text=last.text + " She owes £9,731 to Zebedee.")
    tampered = result.with_section(
        replace(section, sentences=(*section.sentences[:-1], invented))
    ).with_section(
        Section("Analysis", reserved=True, sentences=(Sentence("s999", "Risk is low."),))
    )
    flags = check(tampered, visit.transcript, CHECKERS, CheckContext(template))
    kinds = sorted(f.kind.value for f in flags)
    assert kinds == ["no_evidence", "reserved_section", "unsupported_detail",
                     "unsupported_detail"]


def test_extractive_drafts_keep_critical_facts_and_the_persons_words(template: Template) -> None:
    """Crude recall over the dev visits: a fact counts as kept when a sentence outside
    'Who was present' is evidenced by one of the fact's turns; a quote when it is copied whole.
    The floors sit below the measured values (29/29 critical facts, 22/22 quotes; before the
    whole-turn, question-and-answer and risk mechanisms: 28/29 and 13/22)."""
    critical = kept = quotes = quoted = 0
    for case_id in CASES:
        visit = as_spoken(load_case(case_id))
        result = run(visit, template)
        used = {
            e.segment_id for sec, s in result.sentences() if sec.name != ATTENDEES
            for e in s.evidence
        }
        for fact in visit.case["facts"]:
            if fact["critical"]:
                critical += 1
                kept += bool(used & set(fact["evidence_turns"]))
        drafted = " ".join(re.sub(r"\s+", " ", s.text) for _, s in result.sentences())
        for voice in visit.case["person_voice"]:
            quotes += 1
            quoted += voice["quote"] in drafted
    assert kept / critical >= 0.95
    assert quoted / quotes >= 0.85
