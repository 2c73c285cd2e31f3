"""The review page and signing: evidence links, flags, reserved sections, sign-off, the note."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from websupport import login

from casenotes.services import accounts, review
from casenotes.services.context import AppContext
from casenotes.services.demo import DemoInfo
from casenotes.services.views import ReviewView, UserView

HX = {"HX-Request": "true"}


def demo_user(ctx: AppContext, info: DemoInfo) -> UserView:
    user = accounts.get_user_by_username(ctx, info.username)
    assert user is not None
    return user


def open_flag_ids(view: ReviewView) -> list[int]:
    flags = [f for sec in view.sections for f in sec.flags]
    flags += [f for sec in view.sections for s in sec.sentences for f in s.flags]
    return [f.id for f in flags if f.status == "open"]


def test_when_the_review_page_opens_then_draft_and_transcript_are_linked(
    demo_client: TestClient, demo: tuple[AppContext, DemoInfo]
) -> None:
    ctx, info = demo
    login(demo_client, info.username, info.password)
    page = demo_client.get(f"/recordings/{info.recording_id}/review")
    assert page.status_code == 200
    view = review.get_review(ctx, demo_user(ctx, info), info.recording_id)
    sentences = [s for sec in view.sections for s in sec.sentences]
    assert sentences
    for s in sentences:
        evidence = " ".join(str(i) for i in s.segment_ids)
        assert f'id="sentence-{s.id}" data-evidence="{evidence}"' in page.text
    for seg in view.segments:
        assert f'id="seg-{seg.id}"' in page.text
    reserved = [sec for sec in view.sections if sec.reserved]
    assert reserved
    assert page.text.count("Reserved for the practitioner</p>") == len(reserved)
    quotes = [s for s in sentences if s.kind == "quote"]
    assert page.text.count('<span class="badge badge-quote">Quote</span>') == len(quotes)
    assert '<script src="/static/review.js" defer></script>' in page.text
    assert "Sign-off is blocked until:" in page.text
    for reason in view.sign_blockers:
        assert reason.replace("'", "&#39;") in page.text
    assert page.text.count('class="button-secondary resolve-flag"') == view.open_flags


def test_when_a_sentence_is_edited_with_htmx_then_its_section_comes_back_with_sign_off_panel(
    demo_client: TestClient, demo: tuple[AppContext, DemoInfo]
) -> None:
    ctx, info = demo
    token = login(demo_client, info.username, info.password)
    view = review.get_review(ctx, demo_user(ctx, info), info.recording_id)
    section = next(sec for sec in view.sections if sec.sentences)
    sentence = section.sentences[0]
    response = demo_client.post(
        f"/recordings/{info.recording_id}/sentences/{sentence.id}",
        data={"text": "Rewritten by the practitioner."}, headers={**HX, "X-CSRF-Token": token},
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<section class="draft-section')
    assert "Rewritten by the practitioner." in response.text
    assert "Edited by you" in response.text
    assert re.search(r'<section id="signoff"[^>]* hx-swap-oob="true"', response.text)
    assert '<span id="flag-count" hx-swap-oob="true">' in response.text
    after = review.get_review(ctx, demo_user(ctx, info), info.recording_id)
    edited = next(s for sec in after.sections for s in sec.sentences if s.id == sentence.id)
    assert edited.text == "Rewritten by the practitioner."
    assert edited.edited


def test_when_a_flag_is_dismissed_without_a_reason_then_it_stays_open(
    demo_client: TestClient, demo: tuple[AppContext, DemoInfo]
) -> None:
    ctx, info = demo
    token = login(demo_client, info.username, info.password)
    flag_id = open_flag_ids(review.get_review(ctx, demo_user(ctx, info), info.recording_id))[0]
    response = demo_client.post(f"/recordings/{info.recording_id}/flags/{flag_id}/dismiss",
                                data={"reason": "  "}, headers={**HX, "X-CSRF-Token": token})
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#messages"
    assert "Dismissing a flag needs a reason." in response.text
    after = review.get_review(ctx, demo_user(ctx, info), info.recording_id)
    assert flag_id in open_flag_ids(after)


def test_when_flags_are_open_then_sign_off_is_refused_and_the_page_says_why(
    demo_client: TestClient, demo: tuple[AppContext, DemoInfo]
) -> None:
    _, info = demo
    token = login(demo_client, info.username, info.password)
    response = demo_client.post(f"/recordings/{info.recording_id}/sign-off",
                                data={"csrf_token": token, "attested": "true"})
    assert response.status_code == 409
    assert "The note cannot be signed yet" in response.text
    assert "flag(s) still open" in response.text
    assert 'id="sign-off-button"' in response.text  # the person stays on the review page


def test_when_every_flag_is_decided_and_analysis_written_then_the_note_is_signed(
    demo_client: TestClient, demo: tuple[AppContext, DemoInfo]
) -> None:
    ctx, info = demo
    token = login(demo_client, info.username, info.password)
    view = review.get_review(ctx, demo_user(ctx, info), info.recording_id)
    for n, flag_id in enumerate(open_flag_ids(view)):
        action = "resolve" if n % 2 else "dismiss"
        response = demo_client.post(
            f"/recordings/{info.recording_id}/flags/{flag_id}/{action}",
            data={"csrf_token": token, "reason": "Checked against the recording."},
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert re.fullmatch(rf"/recordings/{info.recording_id}/review#section-[a-z0-9-]+",
                            response.headers["location"])
    for sec in view.sections:
        if sec.reserved:
            demo_client.post(f"/recordings/{info.recording_id}/sections",
                             data={"csrf_token": token, "section": sec.name,
                                   "text": f"My {sec.name.lower()}, in my own words."})
    unattested = demo_client.post(f"/recordings/{info.recording_id}/sign-off",
                                  data={"csrf_token": token})
    assert unattested.status_code == 409
    assert "Tick the statement" in unattested.text
    signed = demo_client.post(f"/recordings/{info.recording_id}/sign-off",
                              data={"csrf_token": token, "attested": "true"},
                              follow_redirects=False)
    assert signed.status_code == 303
    note_url = signed.headers["location"]
    assert re.fullmatch(r"/notes/\d+", note_url)
    note = demo_client.get(note_url)
    assert note.status_code == 200
    assert "Transparency label" in note.text
    assert "Drafted with AI assistance" in note.text
    assert "in my own words." in note.text
    assert "<form" not in note.text.split('<main', 1)[1]  # read-only
    page = demo_client.get(f"/recordings/{info.recording_id}/review")
    assert f'href="{note_url}"' in page.text
    assert "resolve-flag" not in page.text
    assert "<textarea" not in page.text
    late = demo_client.post(f"/recordings/{info.recording_id}/sections",
                            data={"csrf_token": token, "section": view.sections[0].name,
                                  "text": "Too late"})
    assert late.status_code == 409


def test_when_the_api_is_used_then_a_note_can_be_reviewed_and_signed(
    demo_client: TestClient, demo: tuple[AppContext, DemoInfo]
) -> None:
    _, info = demo
    token = login(demo_client, info.username, info.password)
    headers = {"X-CSRF-Token": token}
    rid = info.recording_id
    data = demo_client.get(f"/api/recordings/{rid}/review").json()
    assert data["open_flags"] > 0
    assert data["can_sign"] is False
    sentence = next(s for sec in data["sections"] for s in sec["sentences"])
    assert demo_client.patch(f"/api/recordings/{rid}/sentences/{sentence['id']}",
                             json={"text": "Edited through the API."},
                             headers=headers).status_code == 204
    assert demo_client.post(f"/api/flags/{1_000_000}/resolve",
                            headers=headers).status_code == 404
    flags = [f for sec in data["sections"] for f in sec["flags"]]
    flags += [f for sec in data["sections"] for s in sec["sentences"] for f in s["flags"]]
    for flag in flags:
        if flag["status"] != "open":
            continue
        blank = demo_client.post(f"/api/flags/{flag['id']}/dismiss", json={"reason": ""},
                                 headers=headers)
        assert blank.status_code == 422
        assert demo_client.post(f"/api/flags/{flag['id']}/dismiss",
                                json={"reason": "Not relevant to this visit."},
                                headers=headers).status_code == 204
    refused = demo_client.post(f"/api/recordings/{rid}/sign-off", json={"attested": True},
                               headers=headers)
    reserved = [sec["name"] for sec in data["sections"] if sec["reserved"]]
    if reserved:
        assert refused.status_code == 409
        assert "reserved for you" in refused.json()["error"]
    for name in reserved:
        assert demo_client.put(f"/api/recordings/{rid}/sections/{name}",
                               json={"text": "Written by me."},
                               headers=headers).status_code == 204
    assert demo_client.post(f"/api/recordings/{rid}/sign-off", json={"attested": False},
                            headers=headers).status_code == 409
    signed = demo_client.post(f"/api/recordings/{rid}/sign-off", json={"attested": True},
                              headers=headers)
    assert signed.status_code == 201
    note = signed.json()
    assert note["transparency"].startswith("Drafted with AI assistance")
    assert {e["stage"] for e in note["engines"]} >= {"pseudonymise", "draft", "check"}
    again = demo_client.get(f"/api/notes/{note['id']}").json()
    # signed_at: sign_off gives "+00:00", get_note reads it back from SQLite without an offset.
    assert again["signed_at"][:16] == note["signed_at"][:16]
    assert {**again, "signed_at": ""} == {**note, "signed_at": ""}
    assert demo_client.get(f"/api/recordings/{rid}/review").json()["signed_note_id"] == note["id"]


def test_when_a_sentence_is_emptied_then_it_shows_as_removed(
    demo_client: TestClient, demo: tuple[AppContext, DemoInfo]
) -> None:
    ctx, info = demo
    token = login(demo_client, info.username, info.password)
    view = review.get_review(ctx, demo_user(ctx, info), info.recording_id)
    sentence = next(s for sec in view.sections for s in sec.sentences if s.kind == "quote")
    response = demo_client.post(
        f"/recordings/{info.recording_id}/sentences/{sentence.id}", data={"text": ""},
        headers={**HX, "X-CSRF-Token": token},
    )
    assert response.status_code == 200
    assert "Removed by you" in response.text
    assert '<del class="sentence-text removed">' in response.text
