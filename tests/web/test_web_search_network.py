"""The family network page: an accessible ecomap with the same facts as a table."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from websupport import csrf_from, login

from casenotes.services.context import AppContext
from casenotes.services.views import UserView
from search_notes import make_case, signed_note


def _case(ctx: AppContext, casey: UserView) -> int:
    case_id = make_case(ctx, "N-1", allocate_to=[casey], team="Adults North", people=[
        ("Tyler Brown", "child", ["Tyler"]), ("Jo Hartley", "social_worker", ["Jo"])])
    signed_note(ctx, casey, case_id, {
        "Discussion": "Tyler said he stays with his nan, Pat, at weekends."})
    return case_id


def test_a_suggestion_is_listed_apart_and_drawn_only_once_confirmed(
    ctx: AppContext, client: TestClient, casey: UserView
) -> None:
    case_id = _case(ctx, casey)
    login(client, "casey")
    page = client.get(f"/cases/{case_id}/network")
    assert page.status_code == 200
    assert 'role="img"' in page.text and "<title id=\"ecomap-title\">" in page.text
    assert "Pat may be Tyler Brown's nan." in page.text
    assert "<line" not in page.text  # nothing drawn as fact yet
    action = re.search(r'action="(/cases/\d+/network/\d+)"', page.text)
    assert action
    done = client.post(action.group(1), data={"csrf_token": csrf_from(page.text),
                                              "decision": "confirmed"}, follow_redirects=True)
    assert "<line" in done.text and "No suggestions are waiting." in done.text
    exported = client.get(f"/cases/{case_id}/network.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    assert "relationship,Tyler Brown,nan,Pat" in exported.text


def test_the_network_api_keeps_suggestions_apart_and_refuses_other_cases(
    ctx: AppContext, client: TestClient, casey: UserView, robin: UserView
) -> None:
    case_id = _case(ctx, casey)
    login(client, "casey")
    body = client.get(f"/api/cases/{case_id}/network").json()
    assert body["relationships"] == []
    assert [(s["from_name"], s["relation"], s["to_name"]) for s in body["suggestions"]] == [
        ("Tyler Brown", "nan", "Pat")]
    assert {p["name"]: p["professional"] for p in body["people"]} == {
        "Tyler Brown": False, "Jo Hartley": True}
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/search").text)})
    login(client, "robin")
    assert client.get(f"/api/cases/{case_id}/network").status_code == 404
