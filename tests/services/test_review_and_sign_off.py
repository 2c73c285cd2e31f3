"""Review and sign-off: the practitioner edits, decides every flag, writes Analysis, signs."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from casenotes.domain.errors import InvalidInput, NotFound, ReadOnly, SignOffRefused
from casenotes.services import demo, review
from casenotes.services.context import AppContext
from casenotes.services.demo import DemoInfo
from casenotes.services.views import ReviewView, UserView


@pytest.fixture
def loaded(ctx: AppContext) -> DemoInfo:
    return demo.load_demo(ctx)


@pytest.fixture
def worker(ctx: AppContext, loaded: DemoInfo) -> UserView:
    from casenotes.services import accounts

    user = accounts.get_user_by_username(ctx, loaded.username)
    assert user is not None
    return user


def _clear_flags(ctx: AppContext, worker: UserView, view: ReviewView) -> None:
    flags = [f for sec in view.sections for s in sec.sentences for f in s.flags]
    flags += [f for sec in view.sections for f in sec.flags]
    for flag in flags:
        if flag.status == "open":
            review.dismiss_flag(ctx, worker, flag.id, "Checked against the recording: correct.")


def _ready(ctx: AppContext, worker: UserView, loaded: DemoInfo) -> ReviewView:
    view = review.get_review(ctx, worker, loaded.recording_id)
    _clear_flags(ctx, worker, view)
    review.write_section(ctx, worker, loaded.recording_id, "Analysis",
                         "My analysis: the family needs practical support with heating costs.")
    return review.get_review(ctx, worker, loaded.recording_id)


def test_demo_draft_has_an_evidenced_sentence_in_every_non_reserved_section(
    ctx: AppContext, worker: UserView, loaded: DemoInfo
) -> None:
    view = review.get_review(ctx, worker, loaded.recording_id)
    for section in view.sections:
        if not section.reserved:
            assert any(s.segment_ids for s in section.sentences), section.name


def test_demo_draft_shows_real_names_to_the_allocated_practitioner(
    ctx: AppContext, worker: UserView, loaded: DemoInfo
) -> None:
    view = review.get_review(ctx, worker, loaded.recording_id)
    body = " ".join(s.text for sec in view.sections for s in sec.sentences)
    assert "[PERSON_" not in body
    assert "Maisie" in body or "Rachel" in body


def test_sign_off_is_refused_while_a_flag_is_open(
    ctx: AppContext, worker: UserView, loaded: DemoInfo
) -> None:
    review.write_section(ctx, worker, loaded.recording_id, "Analysis", "My own analysis.")
    view = review.get_review(ctx, worker, loaded.recording_id)
    assert view.open_flags > 0, "the demo should raise at least one flag to review"
    with pytest.raises(SignOffRefused, match="flag"):
        review.sign_off(ctx, worker, loaded.recording_id, attested=True)


def test_sign_off_is_refused_while_analysis_is_empty(
    ctx: AppContext, worker: UserView, loaded: DemoInfo
) -> None:
    _clear_flags(ctx, worker, review.get_review(ctx, worker, loaded.recording_id))
    with pytest.raises(SignOffRefused, match="Analysis"):
        review.sign_off(ctx, worker, loaded.recording_id, attested=True)


def test_sign_off_needs_the_attestation(
    ctx: AppContext, worker: UserView, loaded: DemoInfo
) -> None:
    _ready(ctx, worker, loaded)
    with pytest.raises(SignOffRefused, match="checked"):
        review.sign_off(ctx, worker, loaded.recording_id, attested=False)


def test_dismissing_a_flag_needs_a_reason(
    ctx: AppContext, worker: UserView, loaded: DemoInfo
) -> None:
    view = review.get_review(ctx, worker, loaded.recording_id)
    flag = next(f for sec in view.sections for s in sec.sentences for f in s.flags)
    with pytest.raises(InvalidInput, match="reason"):
        review.dismiss_flag(ctx, worker, flag.id, "   ")


def test_signed_note_keeps_edits_label_and_is_read_only(
    ctx: AppContext, worker: UserView, loaded: DemoInfo
) -> None:
    view = _ready(ctx, worker, loaded)
    first = next(s for sec in view.sections for s in sec.sentences)
    review.edit_sentence(ctx, worker, loaded.recording_id, first.id,
                         "Rachel explained how the last few months have been.")
    note = review.sign_off(ctx, worker, loaded.recording_id, attested=True)

    assert "Rachel explained how the last few months have been." in note.text
    assert "My analysis: the family needs practical support" in note.text
    assert 0 < note.changed_share < 1
    stages = {stage for stage, _, _ in note.engines}
    assert {"pseudonymise", "draft", "check"} <= stages
    assert "changed by the practitioner" in note.transparency
    assert review.get_note(ctx, worker, note.id).text == note.text

    with pytest.raises(ReadOnly):
        review.edit_sentence(ctx, worker, loaded.recording_id, first.id, "Changed later.")
    with pytest.raises(Exception, match="read-only"), ctx.engine.begin() as conn:
        conn.execute(text("UPDATE notes SET text = 'rewritten' WHERE id = :id"),
                     {"id": note.id})


def test_another_practitioner_cannot_open_the_draft_or_decide_its_flags(
    ctx: AppContext, loaded: DemoInfo, other_practitioner: UserView, worker: UserView
) -> None:
    view = review.get_review(ctx, worker, loaded.recording_id)
    flag = next(f for sec in view.sections for s in sec.sentences for f in s.flags)
    with pytest.raises(NotFound):
        review.get_review(ctx, other_practitioner, loaded.recording_id)
    with pytest.raises(NotFound):
        review.resolve_flag(ctx, other_practitioner, flag.id)


def test_loading_the_demo_twice_does_not_duplicate_it(ctx: AppContext, loaded: DemoInfo) -> None:
    again = demo.load_demo(ctx)
    assert (again.case_id, again.recording_id) == (loaded.case_id, loaded.recording_id)
