"""The training gate and permitted uses: AI drafting waits for the guidance; admins set uses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from casenotes.domain.errors import PermissionDenied
from casenotes.domain.training import MODULE_VERSION, QUESTIONS, correct_answers
from casenotes.services import (
    accounts,
    cases,
    permitted_uses,
    processing,
    reading,
    recordings,
    regenerate,
    training,
)
from casenotes.services.context import AppContext
from casenotes.services.permitted_uses import UseNotPermitted
from casenotes.services.training import TrainingNotPassed, TrainingRequired
from casenotes.services.views import UserView
from casenotes.store.repositories import audit as audit_repo
from support import complete_training, make_user

VISIT = (
    b"Jo Practitioner: Hello Alex, thanks for seeing me today.\n"
    b"Alex Client: The boiler has been broken since Monday.\n"
    b"Jo Practitioner: I'll ring the housing officer about the boiler by Friday.\n"
)


def consented_recording(ctx: AppContext, user: UserView, reference: str = "TG-1",
                        template: str = "home_visit_note") -> int:
    case_id = cases.create_case(
        ctx, user, reference=reference, title="Training gate case", team=user.team,
        people=[("Alex Client", "person", ["Alex"]), ("Jo Practitioner", "social_worker", [])])
    rec = recordings.import_transcript(ctx, user, case_id, filename="visit.txt", content=VISIT,
                                       template=template)
    for party in recordings.speakers(ctx, user, rec.id):
        recordings.record_consent(ctx, user, rec.id, party=party, decision="granted")
    return rec.id


def events(ctx: AppContext, action: str) -> list[tuple[str, str, str]]:
    with ctx.session() as session:
        return [(e.actor, e.object_id, e.detail) for e in audit_repo.all_events(session)
                if e.action == action]


def stage(ctx: AppContext, user: UserView, recording_id: int) -> str:
    case = cases.get_case(ctx, user, cases.list_cases(ctx, user)[0].id)
    return next(r.stage for r in case.recordings if r.id == recording_id)


@pytest.fixture
def untrained(ctx: AppContext) -> UserView:
    return make_user(ctx, "new-starter", trained=False)


@pytest.fixture
def admin(ctx: AppContext) -> UserView:
    return make_user(ctx, "ada", role="admin", team=None)


def test_a_user_without_training_cannot_start_an_ai_draft_and_the_refusal_is_audited(
    ctx: AppContext, untrained: UserView
) -> None:
    recording_id = consented_recording(ctx, untrained)
    with pytest.raises(TrainingRequired) as refused:
        processing.process_recording(ctx, untrained, recording_id)
    assert refused.value.status_code == 403
    assert refused.value.hint == ("Complete the casenotes guidance (Training page) before AI "
                                  "drafting is enabled for you.")
    assert stage(ctx, untrained, recording_id) == "imported"  # nothing was even pseudonymised
    assert events(ctx, "draft.refused") == [("new-starter", str(recording_id), "reason=training")]
    assert not training.status(ctx, untrained).current


def test_after_completing_the_guidance_the_user_can_draft(
    ctx: AppContext, untrained: UserView
) -> None:
    recording_id = consented_recording(ctx, untrained)
    status = training.complete(ctx, untrained, correct_answers())
    assert status.current and status.module_version == MODULE_VERSION
    summary = processing.process_recording(ctx, untrained, recording_id)
    assert summary.stage == "checked"
    [(actor, _, detail)] = events(ctx, "training.complete")
    assert actor == "new-starter" and detail == f"version={MODULE_VERSION} questions=5"


def test_a_wrong_answer_records_no_completion_and_names_the_question(
    ctx: AppContext, untrained: UserView
) -> None:
    answers = correct_answers()
    answers["consent"] = "draft"  # "the note is drafted anyway": wrong
    with pytest.raises(TrainingNotPassed) as failed:
        training.complete(ctx, untrained, answers)
    assert failed.value.wrong == ["consent"]
    assert f"1 of {len(QUESTIONS)} answers" in failed.value.message
    assert not training.status(ctx, untrained).current
    assert events(ctx, "training.failed") == [
        ("new-starter", MODULE_VERSION, f"correct={len(QUESTIONS) - 1} questions=5")]


def test_completion_expires_after_a_year_and_renewing_enables_drafting_again(
    ctx: AppContext, untrained: UserView
) -> None:
    recording_id = consented_recording(ctx, untrained)
    a_year_ago = datetime.now(UTC) - timedelta(days=366)
    training.complete(ctx, untrained, correct_answers(), now=a_year_ago)
    status = training.status(ctx, untrained)
    assert status.expired and not status.current
    shown = accounts.get_user(ctx, untrained.id)
    assert shown is not None and shown.drafting_blocked == training.EXPIRED
    with pytest.raises(TrainingRequired, match="expired"):
        processing.process_recording(ctx, untrained, recording_id)
    assert events(ctx, "draft.refused")[-1][2] == "reason=expired"

    # Eleven months ago is still current, but renewal is due soon.
    eleven_months = datetime.now(UTC) - timedelta(days=340)
    assert training.complete(ctx, untrained, correct_answers(), now=eleven_months).renew_soon
    assert processing.process_recording(ctx, untrained, recording_id).stage == "checked"


def test_the_period_a_completion_stays_current_is_configurable(
    ctx: AppContext, untrained: UserView
) -> None:
    ctx.settings.training_valid_days = 30
    training.complete(ctx, untrained, correct_answers(),
                      now=datetime.now(UTC) - timedelta(days=31))
    assert training.status(ctx, untrained).expired
    ctx.settings.training_valid_days = 365
    assert training.status(ctx, untrained).current


def test_everything_is_permitted_until_an_admin_withdraws_it(
    ctx: AppContext, admin: UserView, practitioner: UserView, supervisor: UserView
) -> None:
    cells = permitted_uses.uses(ctx, admin)
    assert cells and all(c.permitted for c in cells)
    assert {c.role for c in cells} == {"practitioner", "supervisor"}
    assert {"ai_drafting", "audio_recording", "letters", "translation", "search",
            "home_visit_note"} <= {c.name for c in cells}
    with pytest.raises(PermissionDenied):
        permitted_uses.uses(ctx, practitioner)
    with pytest.raises(PermissionDenied):
        permitted_uses.set_use(ctx, supervisor, role="practitioner", kind="feature",
                               name="search", permitted=False)


def test_when_an_admin_withdraws_ai_drafting_from_practitioners_their_drafts_are_refused(
    ctx: AppContext, admin: UserView, practitioner: UserView
) -> None:
    recording_id = consented_recording(ctx, practitioner)
    processing.process_recording(ctx, practitioner, recording_id)
    permitted_uses.set_use(ctx, admin, role="practitioner", kind="feature", name="ai_drafting",
                           permitted=False)
    with pytest.raises(UseNotPermitted, match=r"AI drafting .* not permitted for your role"):
        regenerate.regenerate_section(ctx, practitioner, recording_id, "Summary")
    assert events(ctx, "draft.refused")[-1] == ("jo", str(recording_id), "reason=feature")
    with pytest.raises(UseNotPermitted):
        permitted_uses.ensure_permitted(ctx, practitioner, "ai_drafting")
    permitted_uses.set_use(ctx, admin, role="practitioner", kind="feature", name="ai_drafting",
                           permitted=True)
    permitted_uses.ensure_permitted(ctx, practitioner, "ai_drafting")


def test_a_template_withdrawn_from_a_role_cannot_be_drafted_by_it(
    ctx: AppContext, admin: UserView, practitioner: UserView, supervisor: UserView
) -> None:
    chosen = {(c.role, c.kind, c.name) for c in permitted_uses.uses(ctx, admin)}
    chosen.discard(("practitioner", "template", "meeting_minutes"))
    assert permitted_uses.set_uses(ctx, admin, chosen) == 1
    assert permitted_uses.set_uses(ctx, admin, chosen) == 0  # nothing changed the second time
    recording_id = consented_recording(ctx, practitioner, template="meeting_minutes")
    with pytest.raises(UseNotPermitted, match="meeting_minutes"):
        processing.process_recording(ctx, practitioner, recording_id)
    # The supervisor (same team) still may.
    assert processing.process_recording(ctx, supervisor, recording_id).stage == "checked"


def test_reading_settings_are_kept_per_user(
    ctx: AppContext, practitioner: UserView, supervisor: UserView
) -> None:
    reading.set_preferences(ctx, practitioner, high_contrast=True, dyslexia_friendly=True)
    assert reading.preferences(ctx, practitioner).high_contrast
    assert not reading.preferences(ctx, supervisor).high_contrast
    shown = accounts.get_user(ctx, practitioner.id)
    assert shown is not None
    assert shown.reading_classes == "reading-high-contrast reading-dyslexia-friendly"
    assert shown.drafting_blocked == ""


def test_an_untrained_user_is_shown_why_drafting_is_not_enabled(
    ctx: AppContext, untrained: UserView
) -> None:
    shown = accounts.get_user(ctx, untrained.id)
    assert shown is not None and shown.drafting_blocked == "AI drafting is not enabled for you yet."
    complete_training(ctx, untrained)
    shown = accounts.get_user(ctx, untrained.id)
    assert shown is not None and shown.drafting_blocked == ""


def test_withdrawn_features_are_refused_with_the_reason_and_audited(
    ctx: AppContext, admin: UserView, practitioner: UserView
) -> None:
    from casenotes.services import audio_capture, letters, search

    case_id = cases.create_case(ctx, practitioner, reference="TG-2", title="Uses",
                                team=practitioner.team, people=[])
    for feature in ("search", "letters", "audio_recording"):
        permitted_uses.set_use(ctx, admin, role="practitioner", kind="feature", name=feature,
                               permitted=False)
    with pytest.raises(UseNotPermitted, match="Search across notes"):
        search.search(ctx, practitioner, "boiler")
    with pytest.raises(UseNotPermitted, match="Plain-language letters"):
        letters.letter_for_note(ctx, practitioner, 1)
    with pytest.raises(UseNotPermitted, match="Audio recording") as refused:
        audio_capture.start_audio_recording(ctx, practitioner, case_id,
                                            parties={"Alex Client": "granted"})
    assert refused.value.hint == "Ask an administrator (Permitted uses page) if your work needs it."
    assert [(o, d) for _, o, d in events(ctx, "use.refused")] == [
        ("search", "role=practitioner"), ("letters", "role=practitioner"),
        ("audio_recording", "role=practitioner")]
