"""Cases pages: the list, one case, importing a transcript, consent per speaker, processing."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from websupport import TRANSCRIPT, csrf_from, login

from casenotes.services import recordings
from casenotes.services.context import AppContext
from casenotes.services.views import RecordingSummary, UserView


def test_when_signed_in_then_the_case_list_shows_allocated_cases(
    client: TestClient, casey: UserView, case_id: int
) -> None:
    login(client, casey.username)
    page = client.get("/cases")
    assert page.status_code == 200
    assert f'href="/cases/{case_id}"' in page.text
    assert "Test case: Alex Client" in page.text
    assert "Casey Practitioner" in page.text  # who is signed in


def test_when_a_transcript_is_uploaded_then_it_appears_with_a_consent_form_per_speaker(
    client: TestClient, casey: UserView, case_id: int
) -> None:
    login(client, casey.username)
    page = client.get(f"/cases/{case_id}")
    assert 'enctype="multipart/form-data"' in page.text
    response = client.post(
        f"/cases/{case_id}/transcripts",
        data={"csrf_token": csrf_from(page.text), "title": "Phone call with Alex"},
        files={"file": ("call.txt", TRANSCRIPT, "text/plain")}, follow_redirects=False,
    )
    assert response.status_code == 303
    assert re.fullmatch(rf"/cases/{case_id}#recording-\d+", response.headers["location"])
    page = client.get(f"/cases/{case_id}")
    assert "Phone call with Alex" in page.text
    assert page.text.count('class="consent-form"') == 2
    assert "Jo Practitioner: <span class=\"badge badge-consent-unknown\">unknown" in page.text
    assert "Process: pseudonymise, draft and check" in page.text


def test_when_a_bad_file_is_uploaded_then_the_page_says_what_to_do(
    client: TestClient, casey: UserView, case_id: int
) -> None:
    token = login(client, casey.username)
    response = client.post(f"/cases/{case_id}/transcripts", data={"csrf_token": token},
                           files={"file": ("visit.docx", b"PK\x03\x04binary", "application/zip")})
    assert response.status_code == 422
    assert "Word document" in response.text
    assert 'role="alert"' in response.text


def test_when_consent_is_recorded_then_the_case_page_shows_the_decision(
    client: TestClient, ctx: AppContext, casey: UserView, case_id: int,
    imported: RecordingSummary,
) -> None:
    token = login(client, casey.username)
    response = client.post(
        f"/cases/{case_id}/recordings/{imported.id}/consents",
        data={"csrf_token": token, "party": "Alex Client", "decision": "declined",
              "method": "written"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    decisions = {c.party: c.decision for c in recordings.consents(ctx, casey, imported.id)}
    assert decisions == {"Jo Practitioner": "unknown", "Alex Client": "declined"}
    page = client.get(f"/cases/{case_id}")
    assert 'badge-consent-declined">declined' in page.text
    assert "Written, recorded by casey on " in page.text


def test_when_consent_is_missing_then_processing_is_refused_with_the_reason(
    client: TestClient, casey: UserView, case_id: int, imported: RecordingSummary
) -> None:
    token = login(client, casey.username)
    response = client.post(f"/cases/{case_id}/recordings/{imported.id}/process",
                           data={"csrf_token": token})
    assert response.status_code == 409
    assert "not every participant has granted consent" in response.text
    assert "Alex Client: unknown" in response.text
    api = client.post(f"/api/recordings/{imported.id}/process", headers={"X-CSRF-Token": token})
    assert api.status_code == 409
    assert api.json()["hint"].startswith("Record a 'granted' consent decision")


def test_when_everyone_consents_then_processing_leads_to_the_review_page(
    client: TestClient, casey: UserView, case_id: int, imported: RecordingSummary
) -> None:
    token = login(client, casey.username)
    for party in ("Jo Practitioner", "Alex Client"):
        client.post(f"/cases/{case_id}/recordings/{imported.id}/consents",
                    data={"csrf_token": token, "party": party, "decision": "granted"})
    response = client.post(f"/cases/{case_id}/recordings/{imported.id}/process",
                           data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/recordings/{imported.id}/review"
    review = client.get(response.headers["location"])
    assert review.status_code == 200
    assert 'id="seg-' in review.text
    page = client.get(f"/cases/{case_id}")
    assert f'href="/recordings/{imported.id}/review"' in page.text
    assert 'class="consent-form"' not in page.text
