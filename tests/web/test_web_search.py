"""Search and the policy library in the web app and the JSON API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from websupport import WEB_PASSWORD, csrf_from, login

from casenotes.services import accounts, policies, search
from casenotes.services.context import AppContext
from casenotes.services.views import UserView
from search_notes import make_case, signed_note


@pytest.fixture
def notes(ctx: AppContext, casey: UserView, robin: UserView) -> dict[str, int]:
    mine = make_case(ctx, "W-1", allocate_to=[casey], team="Adults North")
    theirs = make_case(ctx, "W-2", allocate_to=[robin], team="Adults West")
    ids = {
        "mine": signed_note(ctx, casey, mine, {
            "Observations": "The boiler was broken and there was no hot water in the flat."}),
        "theirs": signed_note(ctx, robin, theirs, {
            "Observations": "The boiler was broken; the radiators were cold."}),
    }
    for note_id in ids.values():
        search.index_note(ctx, note_id)
    return {**ids, "mine_case": mine, "theirs_case": theirs}


def test_the_search_page_shows_highlighted_results_from_allocated_cases_only(
    client: TestClient, casey: UserView, notes: dict[str, int]
) -> None:
    login(client, "casey")
    page = client.get("/search", params={"q": "broken boiler"})
    assert page.status_code == 200
    assert "<mark>boiler</mark>" in page.text
    assert f'href="/notes/{notes["mine"]}#section-0"' in page.text
    assert "W-2" not in page.text and "radiators" not in page.text
    assert 'role="search"' in page.text and '<label for="q">' in page.text


def test_a_concept_search_says_which_signs_it_looked_for_and_stays_in_allocated_cases(
    client: TestClient, casey: UserView, notes: dict[str, int]
) -> None:
    login(client, "casey")
    page = client.get("/search", params={"q": "fuel poverty"})
    assert "Also looked for the usual signs of: fuel poverty." in page.text
    assert "<mark>boiler</mark>" in page.text and "W-2" not in page.text
    body = client.get("/api/search", params={"q": "fuel poverty"}).json()
    assert body["concepts"] == ["fuel poverty"]
    assert {h["case_id"] for h in body["hits"]} == {notes["mine_case"]}
    assert "concepts" in body["hits"][0]["found_by"]


def test_htmx_search_returns_only_the_results_fragment(
    client: TestClient, casey: UserView, notes: dict[str, int]
) -> None:
    login(client, "casey")
    fragment = client.get("/search", params={"q": "hot water"}, headers={"HX-Request": "true"})
    assert "<html" not in fragment.text
    assert "1 result" in fragment.text


def test_a_bad_search_shows_what_was_wrong_not_an_error_page(
    client: TestClient, casey: UserView, notes: dict[str, int]
) -> None:
    login(client, "casey")
    page = client.get("/search", params={"q": "boiler", "date_from": "yesterday"})
    assert page.status_code == 200
    assert "The start date is not a date." in page.text


def test_the_search_api_never_returns_an_unallocated_case(
    client: TestClient, casey: UserView, notes: dict[str, int]
) -> None:
    login(client, "casey")
    for mode in search.MODES:
        body = client.get("/api/search", params={"q": "boiler broken cold", "mode": mode}).json()
        assert body["hits"], mode
        assert {h["case_id"] for h in body["hits"]} == {notes["mine_case"]}, mode
    refused = client.get("/api/search", params={"q": "boiler", "case_id": notes["theirs_case"]})
    assert refused.status_code == 404


def test_the_policy_api_quotes_passages_with_their_section(
    ctx: AppContext, client: TestClient, casey: UserView
) -> None:
    admin = accounts.add_user(ctx, username="admin1", password=WEB_PASSWORD, role="admin")
    policies.load_demo_policies(ctx, admin)
    token = login(client, "casey")
    response = client.post("/api/policies/ask", json={"question": "lone working safety"},
                           headers={"X-CSRF-Token": token})
    assert response.status_code == 200, response.text
    best = response.json()["passages"][0]
    assert best["section"].endswith("2.2 Lone working")
    assert best["citation"].startswith("Northmoor Borough Council: Home Visits Procedure")


def test_an_administrator_uploads_a_policy_through_the_form(
    ctx: AppContext, client: TestClient
) -> None:
    accounts.add_user(ctx, username="admin1", password=WEB_PASSWORD, role="admin")
    login(client, "admin1")
    page = client.get("/policies")
    response = client.post(
        "/policies", data={"csrf_token": csrf_from(page.text), "title": ""},
        files={"file": ("parking.md", b"# Parking\n\nStaff park in the rear car park.",
                        "text/markdown")}, follow_redirects=True)
    assert response.status_code == 200
    assert "Added 1 passages." in response.text and "parking.md" in response.text
    wrong = client.post(
        "/policies", data={"csrf_token": csrf_from(page.text)},
        files={"file": ("parking.exe", b"MZ", "application/octet-stream")})
    assert wrong.status_code == 422 and "not a document type" in wrong.text
