"""From the web: regenerate one section on the review page; the letter from a signed note."""

from __future__ import annotations

from fastapi.testclient import TestClient
from websupport import login

from casenotes.services import accounts, review
from casenotes.services.context import AppContext
from casenotes.services.demo import DemoInfo
from casenotes.services.views import UserView

HX = {"HX-Request": "true"}


def demo_user(ctx: AppContext, info: DemoInfo) -> UserView:
    user = accounts.get_user_by_username(ctx, info.username)
    assert user is not None
    return user


def _sign(ctx: AppContext, user: UserView, recording_id: int) -> int:
    view = review.get_review(ctx, user, recording_id)
    flags = [f for sec in view.sections for s in sec.sentences for f in s.flags]
    for flag in flags + [f for sec in view.sections for f in sec.flags]:
        review.dismiss_flag(ctx, user, flag.id, "Checked against the recording.")
    review.write_section(ctx, user, recording_id, "Analysis", "My own analysis.")
    return review.sign_off(ctx, user, recording_id, attested=True).id


def test_review_page_offers_regenerate_for_drafted_sections_only(
    demo_client: TestClient, demo: tuple[AppContext, DemoInfo]
) -> None:
    ctx, info = demo
    login(demo_client, info.username, info.password)
    page = demo_client.get(f"/recordings/{info.recording_id}/review")
    view = review.get_review(ctx, demo_user(ctx, info), info.recording_id)
    drafted = [s for s in view.sections if not s.reserved]
    assert page.text.count('class="regenerate-form"') == len(drafted)
    assert "Regenerate<span class=\"visually-hidden\"> Analysis</span>" not in page.text


def test_regenerate_with_htmx_swaps_the_section_and_keeps_edits_elsewhere(
    demo_client: TestClient, demo: tuple[AppContext, DemoInfo]
) -> None:
    ctx, info = demo
    token = login(demo_client, info.username, info.password)
    user = demo_user(ctx, info)
    view = review.get_review(ctx, user, info.recording_id)
    target, other = [s for s in view.sections if s.sentences and not s.reserved][:2]
    review.edit_sentence(ctx, user, info.recording_id, target.sentences[0].id, "Changed here.")
    review.edit_sentence(ctx, user, info.recording_id, other.sentences[0].id, "Kept edit.")
    response = demo_client.post(
        f"/recordings/{info.recording_id}/sections/regenerate",
        data={"section": target.name}, headers={**HX, "X-CSRF-Token": token},
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "drafted again" in response.text and "Other sections were not changed" in response.text
    assert "Changed here." not in response.text
    after = review.get_review(ctx, user, info.recording_id)
    assert next(s for s in after.sections if s.name == other.name).sentences[0].text == (
        "Kept edit.")


def test_regenerate_without_the_csrf_token_is_refused(
    demo_client: TestClient, demo: tuple[AppContext, DemoInfo]
) -> None:
    _, info = demo
    login(demo_client, info.username, info.password)
    response = demo_client.post(f"/recordings/{info.recording_id}/sections/regenerate",
                                data={"section": "Discussion"})
    assert response.status_code == 403


def test_regenerating_a_reserved_section_explains_why_not(
    demo_client: TestClient, demo: tuple[AppContext, DemoInfo]
) -> None:
    _, info = demo
    token = login(demo_client, info.username, info.password)
    response = demo_client.post(f"/recordings/{info.recording_id}/sections/regenerate",
                                data={"csrf_token": token, "section": "Analysis"})
    assert response.status_code == 422
    assert "reserved for you" in response.text
    assert "Traceback" not in response.text


def test_signed_note_links_to_a_letter_that_shows_its_reading_age(
    demo_client: TestClient, demo: tuple[AppContext, DemoInfo]
) -> None:
    ctx, info = demo
    login(demo_client, info.username, info.password)
    note_id = _sign(ctx, demo_user(ctx, info), info.recording_id)
    note_page = demo_client.get(f"/notes/{note_id}")
    assert f'href="/notes/{note_id}/letter"' in note_page.text
    page = demo_client.get(f"/notes/{note_id}/letter")
    assert page.status_code == 200
    assert "Flesch-Kincaid grade" in page.text and 'id="letter-grade"' in page.text
    assert "Reading age (about)" in page.text
    assert "Dear Rachel," in page.text
    assert "My own analysis." not in page.text
    text = demo_client.get(f"/notes/{note_id}/letter.txt")
    assert text.status_code == 200
    assert text.text.startswith("Dear Rachel,")
    assert "attachment" in text.headers["content-disposition"]


def test_letter_of_a_note_on_someone_elses_case_is_not_found(
    demo_client: TestClient, demo: tuple[AppContext, DemoInfo]
) -> None:
    ctx, info = demo
    note_id = _sign(ctx, demo_user(ctx, info), info.recording_id)
    accounts.add_user(ctx, username="robin2", password="a-long-password-1", role="practitioner",
                      team="Adults West")
    login(demo_client, "robin2", "a-long-password-1")
    assert demo_client.get(f"/notes/{note_id}/letter").status_code == 404
