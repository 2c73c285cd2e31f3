"""Records governance timings: retention sweep, exports and subject access on a seeded database.

Seeds ``SESSIONS`` signed sessions straight through the repositories (each with a transcript of
``TURNS`` turns, a signed note and an audio file), then measures, in the same run:

- the retention sweep listing what is due (``--dry-run``, the baseline) against the real sweep
  that deletes audio, transcripts and drafts and vacuums SQLite (database size before/after);
- a signed note exported as DOCX (baseline) and as PDF (WeasyPrint);
- a subject access export (NER redaction, JSON and PDF) over every note naming the person.

Run: ``.venv/bin/python -m benchmarks.governance``
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from benchmarks.common import write_table
from casenotes.config import Settings
from casenotes.domain.transcript import Segment, Transcript
from casenotes.services import accounts, cases, exports, retention, subject_access
from casenotes.services.context import AppContext, build_context
from casenotes.store.models import DraftRow
from casenotes.store.repositories import governance as gov_repo
from casenotes.store.repositories import notes as notes_repo
from casenotes.store.repositories import recordings as recordings_repo

SESSIONS = 200
TURNS = 20
AUDIO_BYTES = 64_000
T = TypeVar("T")


def _seed(ctx_dir: Path) -> AppContext:
    ctx = build_context(Settings(data_dir=ctx_dir, secret_key="bench"))
    jo = accounts.add_user(ctx, username="jo", password="bench-password-1", role="practitioner",
                           team="Bench")
    accounts.add_user(ctx, username="ada", password="bench-password-1", role="admin")
    case_id = cases.create_case(
        ctx, jo, reference="B-1", title="Bench case", team="Bench",
        people=[("Alex Client", "person", ["Alex"]), ("Rachel Smith", "neighbour", ["Rachel"])])
    for i in range(SESSIONS):
        transcript = Transcript(segments=tuple(
            Segment(id=t + 1, speaker="Alex Client" if t % 2 else "Jo Practitioner",
                    text=f"Turn {t} of visit {i}: Alex said Rachel helped with the heating.",
                    start=float(t * 5), end=float(t * 5 + 4))
            for t in range(TURNS)))
        with ctx.session() as session:
            rec = recordings_repo.create_recording(
                session, case_id=case_id, title=f"Visit {i}", source="import",
                filename="v.txt", template="home_visit_note", created_by=jo.id,
                transcript=transcript)
            draft = DraftRow(recording_id=rec.id, template="home_visit_note", engine="bench",
                             engine_version="0")
            session.add(draft)
            session.flush()
            text = f"Summary\nAlex told me about visit {i}; Rachel helps with heating."
            notes_repo.create_note(
                session, case_id=case_id, recording_id=rec.id, draft_id=draft.id,
                title=f"Visit {i}", text=text,
                sections=[{"name": "Summary", "reserved": False,
                           "text": text.split("\n", 1)[1]}],
                drafted_text=text, signed_by=jo.id, attestation="Checked.",
                transparency={"engines": [], "text": "Drafted by bench; checked by Jo."},
                changed_share=0.1)
            key = f"sessions/{rec.id}/audio-1.wav"
            gov_repo.add_session_file(session, recording_id=rec.id, key=key, kind="audio")
            ctx.blobs.put(key, b"\0" * AUDIO_BYTES)
    return ctx


def _timed(action: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main() -> None:
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        ctx = _seed(data)
        jo = accounts.get_user_by_username(ctx, "jo")
        ada = accounts.get_user_by_username(ctx, "ada")
        assert jo is not None and ada is not None  # noqa: S101
        later = datetime.now(UTC) + timedelta(days=100)
        db = data / "casenotes.db"

        seconds, _ = _timed(lambda: exports.export_note(ctx, jo, 1, "docx"))
        rows.append(["note export, DOCX (baseline)", "1 note", f"{seconds * 1000:.0f} ms", ""])
        seconds, _ = _timed(lambda: exports.export_note(ctx, jo, 1, "pdf"))
        rows.append(["note export, PDF (WeasyPrint)", "1 note", f"{seconds * 1000:.0f} ms", ""])

        seconds, export = _timed(lambda: subject_access.export_subject_access(
            ctx, jo, "Alex Client"))
        rows.append(["subject access export (redacted JSON + PDF)",
                     f"{export.notes} notes, {export.recordings} sessions",
                     f"{seconds:.1f} s", f"{len(export.data) // 1024} KiB ZIP"])

        size_before = db.stat().st_size
        seconds, report = _timed(lambda: retention.run_retention(ctx, ada, dry_run=True,
                                                                 now=later))
        rows.append(["retention --dry-run (baseline: list only)", f"{SESSIONS} sessions",
                     f"{seconds:.2f} s", f"due: {dict(report.counts)}"])
        seconds, report = _timed(lambda: retention.run_retention(ctx, ada, now=later))
        ctx.close()
        size_after = db.stat().st_size
        files_left = sum(1 for _ in (data / "files").rglob("*.wav"))
        rows.append(["retention sweep (delete + VACUUM)", f"{SESSIONS} sessions",
                     f"{seconds:.2f} s",
                     f"DB {size_before // 1024} → {size_after // 1024} KiB; "
                     f"audio files left {files_left}"])
    write_table(
        "governance", "Records governance: retention, exports, subject access",
        ["operation", "input", "time", "result"], rows,
        [f"Seeded {SESSIONS} signed sessions of {TURNS} turns with a {AUDIO_BYTES // 1000} KB "
         "audio file each (SQLite). Retention `now` is 100 days after sign-off, so audio, "
         "transcripts and drafts are due and notes are not. The PII detector's model load is "
         "included in the subject access time (first use).",
         "Reproduce: `.venv/bin/python -m benchmarks.governance`."])


if __name__ == "__main__":
    main()
