"""What a user may not see answers 404 (pages and API), and the refusal is audited."""

from __future__ import annotations

from fastapi.testclient import TestClient
from websupport import WEB_PASSWORD, login

from casenotes.services import accounts, audit_log
from casenotes.services.context import AppContext
from casenotes.services.demo import OTHER_USERNAME, DemoInfo
from casenotes.services.views import RecordingSummary, UserView


def test_when_a_practitioner_opens_another_practitioners_case_then_page_and_api_say_404(
    client: TestClient, ctx: AppContext, casey: UserView, robin: UserView, case_id: int,
    imported: RecordingSummary,
) -> None:
    login(client, robin.username)
    page = client.get(f"/cases/{case_id}")
    assert page.status_code == 404
    assert "Test case: Alex Client" not in page.text
    assert "T-0001" not in page.text
    api = client.get(f"/api/cases/{case_id}")
    assert api.status_code == 404
    assert set(api.json()) == {"error", "hint"}
    assert client.get(f"/api/recordings/{imported.id}/review").status_code == 404
    # Same answer as for a case that does not exist: existence is not revealed.
    missing = client.get("/api/cases/999999")
    assert missing.status_code == 404
    assert missing.json()["hint"] == api.json()["hint"]
    assert client.get("/api/cases").json() == []


def test_when_a_practitioner_posts_to_another_practitioners_case_then_nothing_changes(
    client: TestClient, ctx: AppContext, casey: UserView, robin: UserView, case_id: int,
    imported: RecordingSummary,
) -> None:
    token = login(client, robin.username)
    consent = client.post(
        f"/cases/{case_id}/recordings/{imported.id}/consents",
        data={"csrf_token": token, "party": "Alex Client", "decision": "granted"},
    )
    assert consent.status_code == 404
    upload = client.post(f"/api/cases/{case_id}/transcripts", headers={"X-CSRF-Token": token},
                         files={"file": ("v.txt", b"A: hello\n", "text/plain")})
    assert upload.status_code == 404
    admin = accounts.add_user(ctx, username="ig-admin", password=WEB_PASSWORD, role="admin")
    actions = [(e.actor, e.action) for e in audit_log.list_events(ctx, admin)]
    assert ("robin", "access.denied") in actions


def test_when_the_demo_is_opened_by_another_practitioner_then_review_and_note_say_404(
    demo_client: TestClient, demo: tuple[AppContext, DemoInfo]
) -> None:
    _, info = demo
    login(demo_client, OTHER_USERNAME, info.password)
    assert demo_client.get(f"/cases/{info.case_id}").status_code == 404
    assert demo_client.get(f"/recordings/{info.recording_id}/review").status_code == 404
    assert demo_client.get(f"/api/cases/{info.case_id}").status_code == 404


def test_when_a_practitioner_opens_the_audit_log_then_403_and_an_auditor_sees_it(
    client: TestClient, ctx: AppContext, casey: UserView
) -> None:
    login(client, casey.username)
    refused = client.get("/audit")
    assert refused.status_code == 403
    assert "Only auditors and administrators" in refused.text
    accounts.add_user(ctx, username="audrey", password=WEB_PASSWORD, role="auditor")
    client.cookies.clear()
    login(client, "audrey")
    page = client.get("/audit")
    assert page.status_code == 200
    assert "The hash chain is intact" in page.text
    assert "access.denied" in page.text
    assert 'href="/audit"' in page.text  # the auditor's navigation links to it
