"""One-click accept of a check's suggested wording on the review page."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from websupport import WEB_PASSWORD, login, make_settings

from casenotes.domain.errors import InvalidInput
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.services import accounts, cases, processing, recordings, review, review_suggestions
from casenotes.services.context import AppContext, build_context
from casenotes.services.views import FlagView, ReviewView, UserView
from casenotes.store.repositories import audit as audit_repo
from casenotes.web.app import create_app
from support import complete_training

TRANSCRIPT = (
    b"Jo Practitioner: Hello Alex, I am visiting today because the school said you failed to "
    b"attend the meeting on Monday.\n"
    b"Alex Client: The boiler has been broken since Monday and the flat is cold.\n"
    b"Jo Practitioner: I will ring the housing officer about the boiler by Friday.\n"
)
ACCEPTED = "because the school said you did not attend the meeting on Monday."
HX = {"HX-Request": "true"}


def _flags(view: ReviewView) -> list[FlagView]:
    return [f for sec in view.sections for s in sec.sentences for f in s.flags] + [
        f for sec in view.sections for f in sec.flags]


@dataclass(frozen=True)
class Processed:
    ctx: AppContext
    casey: UserView
    robin: UserView
    recording_id: int


@pytest.fixture(scope="module")
def processed_template(tmp_path_factory: pytest.TempPathFactory,
                       pii_detector: PiiDetector) -> tuple[Path, int]:
    """A data folder with the visit processed by the real engines, made once, copied per test."""
    folder = tmp_path_factory.mktemp("suggestions") / "data"
    context = build_context(make_settings(folder), pii_detector=pii_detector)
    try:
        casey = accounts.add_user(context, username="casey", password=WEB_PASSWORD,
                                  role="practitioner", team="Adults North")
        complete_training(context, casey)
        accounts.add_user(context, username="robin", password=WEB_PASSWORD,
                          role="practitioner", team="Adults West")
        case_id = cases.create_case(
            context, casey, reference="T-0001", title="Test case", team="Adults North",
            people=[("Alex Client", "person", ["Alex"]), ("Jo Practitioner", "social_worker", [])])
        rec = recordings.import_transcript(context, casey, case_id, filename="visit.txt",
                                           content=TRANSCRIPT, title="Boiler visit")
        for party in recordings.speakers(context, casey, rec.id):
            recordings.record_consent(context, casey, rec.id, party=party, decision="granted")
        processing.process_recording(context, casey, rec.id)
    finally:
        context.close()
    return folder, rec.id


@pytest.fixture
def processed(tmp_path: Path, processed_template: tuple[Path, int],
              pii_detector: PiiDetector) -> Iterator[Processed]:
    folder, recording_id = processed_template
    shutil.copytree(folder, tmp_path / "data")
    context = build_context(make_settings(tmp_path / "data"), pii_detector=pii_detector)
    casey = accounts.get_user_by_username(context, "casey")
    robin = accounts.get_user_by_username(context, "robin")
    assert casey is not None and robin is not None
    yield Processed(context, casey, robin, recording_id)
    context.close()


@pytest.fixture
def web(processed: Processed) -> Iterator[TestClient]:
    with TestClient(create_app(ctx=processed.ctx), raise_server_exceptions=False) as client:
        yield client


def _language_flag(ctx: AppContext, user: UserView, recording_id: int) -> FlagView:
    view = review.get_review(ctx, user, recording_id)
    found = [f for f in _flags(view) if f.kind == "stigmatising_language"]
    assert found, "the drafted 'failed to' sentence should be flagged"
    return found[0]


def test_when_the_suggestion_is_accepted_then_the_sentence_reads_it_and_the_flag_is_resolved(
    web: TestClient, processed: Processed
) -> None:
    ctx, casey, rec = processed.ctx, processed.casey, processed.recording_id
    flag = _language_flag(ctx, casey, rec)
    token = login(web, "casey")
    page = web.get(f"/recordings/{rec}/review").text
    assert f'action="/recordings/{rec}/flags/{flag.id}/accept"' in page
    response = web.post(f"/recordings/{rec}/flags/{flag.id}/accept",
                       data={"csrf_token": token}, headers=HX)
    assert response.status_code == 200
    assert "Suggested wording accepted; the flag is resolved." in response.text
    assert ACCEPTED in response.text
    view = review.get_review(ctx, casey, rec)
    decided = next(f for f in _flags(view) if f.id == flag.id)
    assert (decided.status, decided.decided_by) == ("resolved", "casey")
    sentence = next(s for sec in view.sections for s in sec.sentences
                    if s.id == flag.sentence_id)
    assert ACCEPTED in sentence.text
    with ctx.session() as session:
        actions = [e.action for e in audit_repo.all_events(session)]
    assert "flag.accept_suggestion" in actions


def test_when_accept_is_posted_without_the_csrf_token_then_nothing_changes(
    web: TestClient, processed: Processed
) -> None:
    ctx, casey, rec = processed.ctx, processed.casey, processed.recording_id
    flag = _language_flag(ctx, casey, rec)
    login(web, "casey")
    response = web.post(f"/recordings/{rec}/flags/{flag.id}/accept", data={})
    assert response.status_code == 403
    assert _language_flag(ctx, casey, rec).status == "open"


def test_another_practitioner_cannot_accept_a_suggestion_on_a_case_not_theirs(
    web: TestClient, processed: Processed
) -> None:
    ctx, casey, rec = processed.ctx, processed.casey, processed.recording_id
    flag = _language_flag(ctx, casey, rec)
    token = login(web, "robin")
    response = web.post(f"/recordings/{rec}/flags/{flag.id}/accept",
                       data={"csrf_token": token})
    assert response.status_code == 404
    assert _language_flag(ctx, casey, rec).status == "open"


def test_a_flag_with_advice_rather_than_a_wording_cannot_be_accepted(
    processed: Processed
) -> None:
    ctx, casey, rec = processed.ctx, processed.casey, processed.recording_id
    view = review.get_review(ctx, casey, rec)
    advice = next(f for f in _flags(view) if f.kind in ("practice", "omission", "reserved_section"))
    with pytest.raises(InvalidInput) as error:
        review_suggestions.accept_suggestion(ctx, casey, advice.id)
    assert error.value.message == "This flag has no suggested wording to accept."


def test_an_edited_sentence_is_not_overwritten_by_a_suggestion(
    processed: Processed
) -> None:
    ctx, casey, rec = processed.ctx, processed.casey, processed.recording_id
    flag = _language_flag(ctx, casey, rec)
    assert flag.sentence_id is not None
    review.edit_sentence(ctx, casey, rec, flag.sentence_id, "My own words.")
    with pytest.raises(InvalidInput) as error:
        review_suggestions.accept_suggestion(ctx, casey, flag.id)
    assert "already edited this sentence" in error.value.message
    view = review.get_review(ctx, casey, rec)
    assert any(s.text == "My own words." for sec in view.sections for s in sec.sentences)
