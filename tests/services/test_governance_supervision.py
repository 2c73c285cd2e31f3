"""Supervision: edit tracking, the approval queue, the QA sample, the unedited-streak warning."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from casenotes.domain.errors import InvalidInput, PermissionDenied
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.services import amendments, processing, review, supervision
from casenotes.services.context import AppContext
from casenotes.services.note_record import note_record
from governance_support import Seeded, grant_all, imported, seeded_context, sign, user


@pytest.fixture
def gov(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, pii_detector: PiiDetector
        ) -> Iterator[tuple[AppContext, Seeded]]:
    yield from seeded_context(tmp_path, tmp_path_factory, pii_detector,
                              qa_sample_percent=100.0, unedited_streak=3)


def test_the_practitioner_sees_what_they_changed_in_the_draft(
    gov: tuple[AppContext, Seeded]
) -> None:
    ctx, seeded = gov
    jo = user(ctx, "jo")
    recording_id = imported(ctx, jo, seeded.case_id, title="Edited visit")
    grant_all(ctx, jo, recording_id)
    processing.process_recording(ctx, jo, recording_id)
    view = review.get_review(ctx, jo, recording_id)
    first = next(s for sec in view.sections if not sec.reserved for s in sec.sentences)
    review.edit_sentence(ctx, jo, recording_id, first.id, "Completely rewritten by Jo.")
    note_id = sign(ctx, jo, recording_id)

    diff = note_record(ctx, jo, note_id).diff
    assert ("added", "Completely rewritten by Jo.") in diff.chunks
    assert any(op == "removed" for op, _ in diff.chunks)
    assert diff.changed_share > 0


def test_notes_of_a_template_needing_approval_wait_for_a_supervisor(
    gov: tuple[AppContext, Seeded]
) -> None:
    ctx, seeded = gov
    sam, jo = user(ctx, "sam"), user(ctx, "jo")
    minutes = seeded.notes[1]  # meeting minutes need approval by default
    queue = supervision.queues(ctx, sam)
    assert [i.note_id for i in queue.approvals] == [minutes]
    assert note_record(ctx, jo, seeded.notes[0]).approval == "not needed"

    with pytest.raises(InvalidInput, match="needs a comment"):
        supervision.decide_approval(ctx, sam, minutes, approve=False)
    supervision.decide_approval(ctx, sam, minutes, approve=False,
                                comment="Please add who attended.")
    assert supervision.queues(ctx, sam).approvals == ()
    assert note_record(ctx, jo, minutes).approval == "returned"

    name, body = review.get_note(ctx, jo, minutes).sections[0]
    amendments.amend(ctx, jo, minutes, sections=[(name, body + " Attended: Jo, Alex.")],
                     reason="Added who attended, as asked.")
    assert [i.note_id for i in supervision.queues(ctx, sam).approvals] == [minutes]
    assert supervision.decide_approval(ctx, sam, minutes, approve=True) == "approved"
    assert note_record(ctx, jo, minutes).approval == "approved"
    with pytest.raises(PermissionDenied):
        supervision.queues(ctx, jo)


def test_the_qa_sample_goes_to_the_supervisor_and_the_checklist_is_recorded(
    gov: tuple[AppContext, Seeded]
) -> None:
    ctx, seeded = gov
    sam, jo = user(ctx, "sam"), user(ctx, "jo")
    sampled = [i.note_id for i in supervision.queues(ctx, sam).qa_sample]
    assert sorted(sampled) == sorted([*seeded.notes, seeded.other_note])  # 100% in this test

    supervision.record_qa(ctx, sam, seeded.notes[0], comment="Good use of Alex's words.",
                          answers={"accurate": True, "voice": True, "analysis": True,
                                   "language": False})
    record = note_record(ctx, jo, seeded.notes[0])
    assert dict(record.qa_result) == {label: key != "language"
                                      for key, label in supervision.QA_CHECKLIST}
    assert seeded.notes[0] not in [i.note_id for i in supervision.queues(ctx, sam).qa_sample]
    with pytest.raises(InvalidInput, match="already been reviewed"):
        supervision.record_qa(ctx, sam, seeded.notes[0], answers={})


def test_the_default_sample_is_about_one_in_ten() -> None:
    sampled = sum(supervision.in_qa_sample(i, 10.0) for i in range(1, 5001))
    assert 400 < sampled < 600
    assert not any(supervision.in_qa_sample(i, 0.0) for i in range(1, 500))


def test_a_gentle_warning_after_several_near_unedited_sign_offs_in_a_row(
    gov: tuple[AppContext, Seeded]
) -> None:
    ctx, seeded = gov
    jo = user(ctx, "jo")
    # The seeded notes were signed unedited: three in a row reach this test's streak of 3.
    assert "almost no changes" in supervision.unedited_warning(ctx, jo)
    assert supervision.unedited_warning(ctx, user(ctx, "sam")) == ""
