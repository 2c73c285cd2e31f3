"""Consent ledger: decisions per party and use, notes-only mode, and withdrawal after the fact."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from casenotes.domain.errors import ConsentRefused, InvalidInput, NotFound
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.services import consent_ledger, processing, review
from casenotes.services.context import AppContext
from casenotes.services.views import UserView
from casenotes.store.models import AuditRow, SegmentRow
from governance_support import grant_all, imported, make_case, seeded_context, user

WITH_POLICE = (
    b"Jo Practitioner: Thanks for meeting with me and PC Dawson today.\n"
    b"PC Dawson: We attended the address twice last week after a call.\n"
    b"Alex Client: It was only an argument, nobody was hurt.\n"
)


def test_declined_police_consent_prevents_processing_of_that_session(
    ctx: AppContext, practitioner: UserView
) -> None:
    case_id = make_case(ctx, practitioner)
    recording_id = imported(ctx, practitioner, case_id, WITH_POLICE)
    for party in ("Jo Practitioner", "Alex Client"):
        consent_ledger.record_decision(ctx, practitioner, recording_id, party=party,
                                       decision="granted")
    consent_ledger.record_decision(ctx, practitioner, recording_id, party="PC Dawson",
                                   party_kind="agency", decision="declined", method="verbal",
                                   uses=["audio recording", "transcription", "AI drafting"])

    with pytest.raises(ConsentRefused, match="PC Dawson: declined"):
        processing.process_recording(ctx, practitioner, recording_id)
    with pytest.raises(ConsentRefused, match="Audio recording is not allowed"):
        consent_ledger.attach_audio(ctx, practitioner, recording_id, b"RIFF fake audio")

    ledger = consent_ledger.ledger(ctx, practitioner, recording_id)
    assert not ledger.recording_allowed
    assert "Take notes only" in ledger.notes_only_reason
    assert ledger.audio_files == 0
    with ctx.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditRow)
                              .where(AuditRow.action == "process.refused")) == 2


def test_an_agency_that_declines_without_speaking_still_stops_audio_recording(
    ctx: AppContext, practitioner: UserView
) -> None:
    case_id = make_case(ctx, practitioner)
    recording_id = imported(ctx, practitioner, case_id)
    grant_all(ctx, practitioner, recording_id)
    consent_ledger.ensure_allowed(ctx, practitioner, recording_id, "audio")  # everyone agreed

    consent_ledger.record_decision(ctx, practitioner, recording_id, party="Health visitor",
                                   party_kind="agency", decision="granted",
                                   uses="transcription, AI drafting")
    consent_ledger.record_decision(ctx, practitioner, recording_id, party="Health visitor",
                                   party_kind="agency", decision="declined", uses="audio")
    with pytest.raises(ConsentRefused, match="Health visitor: declined"):
        consent_ledger.ensure_allowed(ctx, practitioner, recording_id, "audio")
    # The decline covered audio only: transcription of what was said is still allowed.
    consent_ledger.ensure_allowed(ctx, practitioner, recording_id, "transcription")


def test_the_ledger_keeps_how_and_when_consent_was_given(
    ctx: AppContext, practitioner: UserView
) -> None:
    case_id = make_case(ctx, practitioner)
    recording_id = imported(ctx, practitioner, case_id)
    entry = consent_ledger.record_decision(
        ctx, practitioner, recording_id, party="Alex Client", decision="granted",
        method="verbal", transcript_time=75.0, uses="transcription, AI drafting")
    ledger = consent_ledger.ledger(ctx, practitioner, recording_id)
    assert entry in ledger.entries
    assert entry.transcript_time == "01:15"
    assert entry.uses == ("transcription", "drafting")
    assert entry.recorded_by == practitioner.username
    alex = next(p for p in ledger.parties if p.party == "Alex Client")
    assert dict(alex.decisions) == {"audio": "unknown", "transcription": "granted",
                                    "drafting": "granted"}
    # A party heard in the transcript with no decision shows as unknown: no recording.
    assert not ledger.recording_allowed


@pytest.mark.parametrize(("field", "value", "message"), [
    ("uses", "telepathy", "not a use"),
    ("method", "by carrier pigeon", "not a way"),
    ("decision", "withdrawn", "cannot be recorded here"),
    ("party", "   ", "whose decision"),
])
def test_bad_consent_input_is_refused_with_a_clear_message(
    ctx: AppContext, practitioner: UserView, field: str, value: str, message: str
) -> None:
    case_id = make_case(ctx, practitioner)
    recording_id = imported(ctx, practitioner, case_id)
    args = {"party": "Alex Client", "decision": "granted", "uses": "audio", "method": "verbal"}
    args[field] = value
    with pytest.raises(InvalidInput, match=message):
        consent_ledger.record_decision(ctx, practitioner, recording_id, **args)
    assert consent_ledger.ledger(ctx, practitioner, recording_id).entries == ()


def test_withdrawal_deletes_the_audio_file_and_transcript_and_keeps_the_signed_note(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, pii_detector: PiiDetector
) -> None:
    for ctx, seeded in seeded_context(tmp_path, tmp_path_factory, pii_detector):
        jo = user(ctx, "jo")
        recording_id, note_id = seeded.recordings[0], seeded.notes[0]
        key = consent_ledger.attach_audio(ctx, jo, recording_id, b"RIFF....WAVEfmt ")
        audio = ctx.settings.data_dir / "files" / key
        assert audio.is_file()
        before = review.get_note(ctx, jo, note_id)

        result = consent_ledger.withdraw(ctx, jo, recording_id, party="Alex Client",
                                         method="written")

        assert not audio.exists()
        assert result.audio_files_deleted == 1
        assert result.segments_deleted == 4
        assert result.signed_note_id == note_id
        assert "signed note" in result.message and "kept" in result.message
        with ctx.session() as session:
            assert session.scalar(select(func.count()).select_from(SegmentRow)
                                  .where(SegmentRow.recording_id == recording_id)) == 0
            event = session.scalars(select(AuditRow).where(
                AuditRow.action == "consent.withdraw")).one()
            assert "Alex" not in event.detail and "boiler" not in event.detail
        assert review.get_note(ctx, jo, note_id) == before
        ledger = consent_ledger.ledger(ctx, jo, recording_id)
        assert ledger.withdrawn and not ledger.recording_allowed


def test_after_withdrawal_nothing_more_is_processed_or_recorded(
    ctx: AppContext, practitioner: UserView
) -> None:
    case_id = make_case(ctx, practitioner)
    recording_id = imported(ctx, practitioner, case_id)
    grant_all(ctx, practitioner, recording_id)
    consent_ledger.withdraw(ctx, practitioner, recording_id, party="Alex Client")
    summary = processing.process_recording(ctx, practitioner, recording_id)
    assert summary.stage == consent_ledger.WITHDRAWN_STAGE  # no stage ran
    with pytest.raises(NotFound, match="not been drafted"):
        review.get_review(ctx, practitioner, recording_id)
    with pytest.raises(ConsentRefused, match="withdrawn"):
        consent_ledger.record_decision(ctx, practitioner, recording_id, party="Alex Client",
                                       decision="granted")
    with pytest.raises(ConsentRefused):
        consent_ledger.attach_audio(ctx, practitioner, recording_id, b"audio")


def test_another_team_cannot_read_or_change_the_ledger(
    ctx: AppContext, practitioner: UserView, other_practitioner: UserView
) -> None:
    case_id = make_case(ctx, practitioner)
    recording_id = imported(ctx, practitioner, case_id)
    with pytest.raises(NotFound):
        consent_ledger.ledger(ctx, other_practitioner, recording_id)
    with pytest.raises(NotFound):
        consent_ledger.withdraw(ctx, other_practitioner, recording_id, party="Alex Client")
