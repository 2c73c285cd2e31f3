"""Every state-changing request needs the session's CSRF token."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from websupport import login

from casenotes.services.views import UserView
from casenotes.web.routes import api, audit, auth, cases, notes, review
from casenotes.web.security import UNSAFE_METHODS


def unsafe_routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every state-changing route, path parameters filled with 1."""
    routers = [app.router, *(m.router for m in (api, audit, auth, cases, notes, review))]
    found = []
    for router in routers:
        for route in router.routes:
            if isinstance(route, APIRoute):
                path = re.sub(r"\{[^}]+\}", "1", route.path)
                methods = (route.methods or set()) & UNSAFE_METHODS
                found += [(method, path) for method in sorted(methods)]
    return found


def test_when_the_app_is_built_then_it_has_state_changing_routes(app: FastAPI) -> None:
    routes = unsafe_routes(app)
    assert ("POST", "/login") in routes
    assert ("PATCH", "/api/recordings/1/sentences/1") in routes
    assert ("PUT", "/api/recordings/1/sections/1") in routes
    assert len(routes) >= 18


def test_when_a_form_is_posted_without_its_token_then_it_is_refused_with_403(
    client: TestClient, casey: UserView, case_id: int
) -> None:
    login(client, casey.username)
    response = client.post(f"/cases/{case_id}/transcripts", data={"title": "x"},
                           files={"file": ("v.txt", b"A: hello\n", "text/plain")})
    assert response.status_code == 403
    assert "did not come from casenotes" in response.text
    assert client.get(f"/cases/{case_id}").text.count('id="recording-') == 0


def test_when_the_token_is_wrong_then_the_request_is_refused(
    client: TestClient, casey: UserView, case_id: int
) -> None:
    login(client, casey.username)
    response = client.post("/logout", data={"csrf_token": "not-the-token"})
    assert response.status_code == 403
    assert client.get("/api/cases").status_code == 200  # still signed in


def test_when_the_api_is_called_without_the_header_then_403_even_with_a_form_field(
    client: TestClient, casey: UserView, case_id: int
) -> None:
    token = login(client, casey.username)
    response = client.post(f"/api/cases/{case_id}/transcripts", data={"csrf_token": token},
                           files={"file": ("v.txt", b"A: hello\n", "text/plain")})
    assert response.status_code == 403
    assert response.json()["error"].startswith("This form has expired")
    ok = client.post(f"/api/cases/{case_id}/transcripts", headers={"X-CSRF-Token": token},
                     files={"file": ("v.txt", b"A: hello\n", "text/plain")})
    assert ok.status_code == 201


@pytest.mark.parametrize("with_session", [False, True])
def test_when_any_state_changing_route_gets_no_token_then_it_answers_403(
    app: FastAPI, client: TestClient, casey: UserView, with_session: bool
) -> None:
    if with_session:
        login(client, casey.username)
    for method, path in unsafe_routes(app):
        response = client.request(method, path, json={})
        assert response.status_code == 403, f"{method} {path} -> {response.status_code}"
