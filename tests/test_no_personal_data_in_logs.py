"""Running the whole pipeline with every logger at DEBUG writes no personal data to the log."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest

from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.services import cases, processing, recordings, review
from casenotes.services.context import AppContext
from casenotes.services.views import UserView
from visits import load_case, people, transcript_text


class _Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.lines.append(f"{record.name}: {text}")


@pytest.fixture
def all_logs() -> Iterator[_Everything]:
    """Every logger at DEBUG, third-party ones included (even those that do not propagate)."""
    handler = _Everything()
    loggers = [logging.getLogger()] + [
        logging.getLogger(name) for name in list(logging.root.manager.loggerDict)
    ]
    saved = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
        lg.addHandler(handler)
    try:
        yield handler
    finally:
        for lg, level in saved:
            lg.setLevel(level)
            lg.removeHandler(handler)


def _identifiers(case: dict[str, object]) -> set[str]:
    found: set[str] = set()
    for p in case["participants"] + case.get("mentioned_people", []):  # type: ignore[operator]
        found |= {part for part in p["name"].split() if len(part) > 2}
    for item in case["pii"]:  # type: ignore[attr-defined]
        if len(item["text"]) > 3:
            found.add(item["text"])
    return found


def test_the_full_pipeline_at_debug_logs_no_names_identifiers_or_transcript_sentences(
    ctx: AppContext, practitioner: UserView, pii_detector: PiiDetector,
    all_logs: _Everything,
) -> None:
    case = load_case("case_01")
    case_id = cases.create_case(ctx, practitioner, reference="C-LOG", title="Visit",
                                team=practitioner.team, people=people(case))
    recording = recordings.import_transcript(
        ctx, practitioner, case_id, filename="visit.txt",
        content=transcript_text(case).encode(), title="Visit",
    )
    for party in recordings.speakers(ctx, practitioner, recording.id):
        recordings.record_consent(ctx, practitioner, recording.id, party=party,
                                  decision="granted")
    processing.process_recording(ctx, practitioner, recording.id)
    view = review.get_review(ctx, practitioner, recording.id)
    assert view.sections  # the pipeline really ran
    logging.getLogger("casenotes").debug("pipeline finished for recording %s", recording.id)

    log = "\n".join(all_logs.lines)
    assert "pipeline finished" in log  # the capture itself works
    leaked_names = sorted(w for w in _identifiers(case)
                          if re.search(rf"\b{re.escape(w)}\b", log))
    assert leaked_names == []
    sentences = [t["text"] for t in case["transcript"] if len(t["text"]) > 30]
    assert sentences
    leaked = [s for s in sentences if s[:30] in log]
    assert leaked == []
