"""The training gate, reading settings and permitted uses in the web app and the API."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from websupport import WEB_PASSWORD, login

from casenotes.demo import load_demo_case
from casenotes.domain.training import QUESTIONS, correct_answers
from casenotes.services import accounts, cases, permitted_uses, recordings
from casenotes.services.context import AppContext
from casenotes.services.demo import DemoInfo
from casenotes.services.training import TRAINING_HINT
from casenotes.services.views import UserView
from casenotes.store.repositories import audit as audit_repo

VISIT = (b"Jo Practitioner: Hello Alex.\n"
         b"Alex Client: The boiler has been broken since Monday.\n")


def untrained_with_a_consented_recording(ctx: AppContext) -> tuple[UserView, int, int]:
    newcomer = accounts.add_user(ctx, username="newcomer", password=WEB_PASSWORD,
                                 role="practitioner", team="Adults North")
    case_id = cases.create_case(ctx, newcomer, reference="N-1", title="Newcomer's case",
                                team="Adults North",
                                people=[("Alex Client", "person", ["Alex"])])
    rec = recordings.import_transcript(ctx, newcomer, case_id, filename="v.txt", content=VISIT)
    for party in recordings.speakers(ctx, newcomer, rec.id):
        recordings.record_consent(ctx, newcomer, rec.id, party=party, decision="granted")
    return newcomer, case_id, rec.id


def test_a_user_without_training_cannot_start_an_ai_draft_on_the_web_or_the_api(
    ctx: AppContext, client: TestClient
) -> None:
    _, case_id, recording_id = untrained_with_a_consented_recording(ctx)
    token = login(client, "newcomer")
    page = client.get(f"/cases/{case_id}")
    assert "AI drafting is not enabled for you yet." in page.text
    assert 'href="/training"' in page.text
    assert "Process: pseudonymise, draft and check" not in page.text

    refused = client.post(f"/cases/{case_id}/recordings/{recording_id}/process",
                          data={"csrf_token": token})
    assert refused.status_code == 403
    assert html.escape(TRAINING_HINT, quote=True) in refused.text
    api = client.post(f"/api/recordings/{recording_id}/process",
                      headers={"X-CSRF-Token": token})
    assert api.status_code == 403
    assert api.json() == {"error": "AI drafting is not enabled for you yet.",
                          "hint": TRAINING_HINT}
    with ctx.session() as session:
        refusals = [e for e in audit_repo.all_events(session) if e.action == "draft.refused"]
    assert len(refusals) == 2


def test_after_the_guidance_is_completed_on_the_training_page_drafting_works(
    ctx: AppContext, client: TestClient
) -> None:
    _, case_id, recording_id = untrained_with_a_consented_recording(ctx)
    token = login(client, "newcomer")
    page = client.get("/training")
    assert page.status_code == 200
    assert "Not completed yet" in page.text
    assert page.text.count('type="radio"') == sum(len(q.options) for q in QUESTIONS)

    wrong = {**correct_answers(), "reserved": "tool"}
    failed = client.post("/training", data={"csrf_token": token, **wrong})
    assert failed.status_code == 422
    assert "1 of 5 answers were not right" in failed.text
    assert 'id="question-reserved" class="field-error"' in failed.text
    assert 'value="tool" required checked' in failed.text  # the answers given are kept

    passed = client.post("/training", data={"csrf_token": token, **correct_answers()})
    assert passed.status_code == 200
    assert "Guidance complete: AI drafting is enabled for you until" in passed.text
    assert "Process: pseudonymise, draft and check" in client.get(f"/cases/{case_id}").text
    api = client.post(f"/api/recordings/{recording_id}/process",
                      headers={"X-CSRF-Token": token})
    assert api.status_code == 200, api.text
    assert api.json()["stage"] == "checked"


def test_the_review_page_shows_the_gate_instead_of_the_draft_buttons(
    demo: tuple[AppContext, DemoInfo], demo_client: TestClient
) -> None:
    ctx, info = demo
    token = login(demo_client, info.username, info.password)
    assert "Regenerate" in demo_client.get(f"/recordings/{info.recording_id}/review").text
    demo_client.post("/logout", data={"csrf_token": token})
    accounts.add_user(ctx, username="new-supervisor", password=WEB_PASSWORD, role="supervisor",
                      team=load_demo_case().team)
    login(demo_client, "new-supervisor")
    page = demo_client.get(f"/recordings/{info.recording_id}/review")
    assert page.status_code == 200
    assert 'class="gate-banner"' in page.text
    assert 'href="/training"' in page.text
    assert "Regenerate" not in page.text


def test_reading_settings_are_saved_and_applied_to_every_page(
    client: TestClient, casey: UserView
) -> None:
    token = login(client, casey.username)
    assert "<body hx-headers" in client.get("/cases").text
    saved = client.post("/settings/reading", data={"csrf_token": token, "high_contrast": "1",
                                                   "dyslexia_friendly": "1"})
    assert saved.status_code == 200
    assert "Reading settings saved." in saved.text
    assert 'id="high-contrast" name="high_contrast" value="1"' in saved.text
    cases_page = client.get("/cases").text
    assert '<body class="reading-high-contrast reading-dyslexia-friendly"' in cases_page
    client.post("/settings/reading", data={"csrf_token": token, "dyslexia_friendly": "1"})
    assert '<body class="reading-dyslexia-friendly"' in client.get("/cases").text


def test_an_admin_withdraws_a_feature_on_the_permitted_uses_page(
    ctx: AppContext, client: TestClient, casey: UserView
) -> None:
    accounts.add_user(ctx, username="ada", password=WEB_PASSWORD, role="admin")
    token = login(client, casey.username)
    assert client.get("/admin/permitted-uses").status_code == 403
    client.post("/logout", data={"csrf_token": token})
    token = login(client, "ada")
    page = client.get("/admin/permitted-uses")
    assert page.status_code == 200
    assert page.text.count('type="checkbox" name="permit"') == page.text.count(" checked>")
    values = [v.split('"')[0] for v in page.text.split('name="permit" value="')[1:]]
    keep = [v for v in values if v != "practitioner:feature:ai_drafting"]
    saved = client.post("/admin/permitted-uses", data={"csrf_token": token, "permit": keep})
    assert saved.status_code == 200
    assert "Permitted uses saved: 1 changed." in saved.text
    assert saved.text.count('class="badge badge-warning">withdrawn') == 1
    client.post("/logout", data={"csrf_token": token})
    login(client, casey.username)
    case_page = client.get("/cases").text
    assert "Cases" in case_page
    shown = accounts.get_user(ctx, casey.id)
    assert shown is not None
    assert "not permitted for your role (practitioner)" in shown.drafting_blocked


def test_a_withdrawn_feature_leaves_the_menu_too(
    ctx: AppContext, client: TestClient, casey: UserView
) -> None:
    login(client, casey.username)
    assert '<a href="/search">Search</a>' in client.get("/cases").text
    admin = accounts.add_user(ctx, username="ada", password=WEB_PASSWORD, role="admin")
    permitted_uses.set_use(ctx, admin, role="practitioner", kind="feature", name="search",
                           permitted=False)
    assert '<a href="/search">Search</a>' not in client.get("/cases").text
